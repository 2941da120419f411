//! Request-reply over queues, as RabbitMQ RPC and NATS `Request` do it: the
//! requester publishes a request naming a reply queue; the server that
//! processes it publishes a reply carrying the request's id as its
//! correlation id; the requester's reply consumer matches replies to the
//! requests it is still waiting for, and gives up on a request after a timeout.
//! A reply that arrives after its request timed out (or a second reply to the
//! same request) finds nobody waiting: a late reply.

use std::collections::{HashMap, VecDeque};

use super::{Event, MsgMeta};
use crate::engine::Sim;
use crate::ledger::MsgState;
use crate::message::{Message, Slot};
use crate::observe::{LatencyStats, LifeKind};
use crate::time::SimTime;

/// The requests producers are waiting on.
pub(crate) struct Rpc {
    /// Request id → (producer, when it was sent). Looked up, never iterated.
    pending: HashMap<u64, (u32, SimTime)>,
    /// Per producer, its requests' deadlines in the order sent (which is
    /// deadline order, as a producer has one timeout).
    deadlines: Vec<VecDeque<(SimTime, u64)>>,
    /// Per producer, the time of its pending timeout event.
    armed: Vec<Option<SimTime>>,
    /// Round-trip times of answered requests.
    pub rtt: LatencyStats,
    pub requests: u64,
    pub replies: u64,
    pub completed: u64,
    pub timed_out: u64,
    pub late_replies: u64,
}

impl Rpc {
    pub(crate) fn new(producers: usize) -> Rpc {
        Rpc {
            pending: HashMap::new(),
            deadlines: vec![VecDeque::new(); producers],
            armed: vec![None; producers],
            rtt: LatencyStats::default(),
            requests: 0,
            replies: 0,
            completed: 0,
            timed_out: 0,
            late_replies: 0,
        }
    }

    /// Requests still waiting for a reply.
    pub fn waiting(&self) -> usize {
        self.pending.len()
    }
}

impl Sim {
    /// Producer `p` sent request `id` and will wait `timeout` for its reply.
    pub(crate) fn rpc_register(&mut self, p: u32, id: u64, timeout: SimTime) {
        let now = self.now();
        let rpc = &mut self.amqp.rpc;
        rpc.requests += 1;
        rpc.pending.insert(id, (p, now));
        rpc.deadlines[p as usize].push_back((now.saturating_add(timeout), id));
        self.arm_rpc(p);
    }

    fn arm_rpc(&mut self, p: u32) {
        let rpc = &mut self.amqp.rpc;
        if rpc.armed[p as usize].is_some() {
            return;
        }
        if let Some(&(deadline, _)) = rpc.deadlines[p as usize].front() {
            rpc.armed[p as usize] = Some(deadline);
            self.cx.sched.at(deadline, crate::engine::Event::Amqp(Event::RpcTimeouts { producer: p }));
        }
    }

    /// Producer `p` gives up on every request whose deadline has come.
    pub(crate) fn rpc_timeouts_due(&mut self, p: u32) {
        let now = self.now();
        if self.amqp.rpc.armed[p as usize] != Some(now) {
            return;
        }
        self.amqp.rpc.armed[p as usize] = None;
        while let Some(&(deadline, id)) = self.amqp.rpc.deadlines[p as usize].front() {
            if deadline > now {
                break;
            }
            self.amqp.rpc.deadlines[p as usize].pop_front();
            if self.amqp.rpc.pending.remove(&id).is_some() {
                self.amqp.rpc.timed_out += 1;
                self.cx.record(LifeKind::RequestTimedOut, id, p, 0);
            }
        }
        self.arm_rpc(p);
    }

    /// Consumer `c` processed `slot`: a request gets its reply, and a reply
    /// completes the request it answers (if that is still waiting). Only the
    /// check is inlined; most messages are neither.
    #[inline(always)]
    pub(crate) fn rpc_on_processed(&mut self, c: u32, slot: Slot) {
        let message = self.cx.store.get(slot);
        if message.amqp.reply_to().is_some() || message.amqp.correlation().is_some() {
            self.rpc_processed(c, slot);
        }
    }

    /// `rpc_on_processed` for a request or a reply.
    #[inline(never)]
    fn rpc_processed(&mut self, c: u32, slot: Slot) {
        let message = self.cx.store.get(slot);
        let (reply_to, correlation, id, key) =
            (message.amqp.reply_to(), message.amqp.correlation(), message.id, message.key);
        if let Some(queue) = reply_to {
            self.publish_reply(slot, queue);
        }
        if let Some(request) = correlation {
            match self.amqp.rpc.pending.remove(&request) {
                Some((_, sent)) => {
                    self.amqp.rpc.completed += 1;
                    self.amqp.rpc.rtt.record(self.now() - sent);
                    self.cx.record(LifeKind::RequestCompleted, request, c, key);
                }
                None => {
                    self.amqp.rpc.late_replies += 1;
                    self.cx.record(LifeKind::LateReply, id, c, key);
                }
            }
        }
    }

    /// The server publishes the reply to request `request` into `queue`: a
    /// new message whose correlation id is the request's id.
    fn publish_reply(&mut self, request: Slot, queue: u32) {
        let now = self.now();
        let req = self.cx.store.get(request);
        let (producer, key, origin) = (req.producer, req.key, req.amqp.origin);
        let id = self.cx.next_message_id();
        let mut meta = MsgMeta::new(id, queue);
        meta.extra_mut().correlation = Some(origin);
        let slot = self.cx.store.insert(Message {
            id,
            producer,
            key,
            born: now,
            deliveries: 0,
            state: MsgState::Producing,
            queue,
            poison: false,
            non_critical: false,
            ready_since: now,
            seq: 0,
            amqp: meta,
        });
        self.cx.ledger.enter(MsgState::Producing);
        self.cx.stats.published += 1;
        self.cx.stats.interval_produced += 1;
        self.amqp.rpc.replies += 1;
        if self.amqp.broker_up {
            self.store_routed(slot, LifeKind::Replied);
        } else {
            self.publish_failed(slot, producer);
        }
    }
}
