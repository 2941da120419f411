//! Request-reply over queues, as RabbitMQ RPC and NATS `Request` do it: the
//! requester publishes a request naming a reply queue; the server that
//! processes it publishes a reply carrying the request's id as its
//! correlation id; the requester's reply consumer matches replies to the
//! requests it is still waiting for, and gives up on a request after a timeout.
//! A reply that arrives after its request timed out (or a second reply to the
//! same request) finds nobody waiting: a late reply.

use std::collections::{HashMap, VecDeque};

use super::{Event, MsgMeta};
use super::{World, Neighbours};
use super::Ctx;
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

impl World {
    /// Producer `p` sent request `id` and will wait `timeout` for its reply.
    pub(crate) fn rpc_register<E: From<Event>>(&mut self, cx: &mut Ctx<E>, p: u32, id: u64, timeout: SimTime) {
        let now = cx.now();
        let rpc = &mut self.rpc;
        rpc.requests += 1;
        rpc.pending.insert(id, (p, now));
        rpc.deadlines[p as usize].push_back((now.saturating_add(timeout), id));
        self.arm_rpc(cx, p);
    }

    fn arm_rpc<E: From<Event>>(&mut self, cx: &mut Ctx<E>, p: u32) {
        let rpc = &mut self.rpc;
        if rpc.armed[p as usize].is_some() {
            return;
        }
        if let Some(&(deadline, _)) = rpc.deadlines[p as usize].front() {
            rpc.armed[p as usize] = Some(deadline);
            cx.sched.at(deadline, E::from(Event::RpcTimeouts { producer: p }));
        }
    }

    /// Producer `p` gives up on every request whose deadline has come.
    pub(crate) fn rpc_timeouts_due<E: From<Event>>(&mut self, cx: &mut Ctx<E>, p: u32) {
        let now = cx.now();
        if self.rpc.armed[p as usize] != Some(now) {
            return;
        }
        self.rpc.armed[p as usize] = None;
        while let Some(&(deadline, id)) = self.rpc.deadlines[p as usize].front() {
            if deadline > now {
                break;
            }
            self.rpc.deadlines[p as usize].pop_front();
            if self.rpc.pending.remove(&id).is_some() {
                self.rpc.timed_out += 1;
                cx.record(LifeKind::RequestTimedOut, id, p, 0);
            }
        }
        self.arm_rpc(cx, p);
    }

    /// Consumer `c` processed `slot`: a request gets its reply, and a reply
    /// completes the request it answers (if that is still waiting). Only the
    /// check is inlined; most messages are neither.
    #[inline(always)]
    pub(crate) fn rpc_on_processed<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, slot: Slot) {
        let message = cx.store.get(slot);
        if message.amqp.reply_to().is_some() || message.amqp.correlation().is_some() {
            self.rpc_processed(cx, nb, c, slot);
        }
    }

    /// `rpc_on_processed` for a request or a reply.
    #[inline(never)]
    fn rpc_processed<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, slot: Slot) {
        let message = cx.store.get(slot);
        let (reply_to, correlation, id, key) =
            (message.amqp.reply_to(), message.amqp.correlation(), message.id, message.key);
        if let Some(queue) = reply_to {
            self.publish_reply(cx, nb, slot, queue);
        }
        if let Some(request) = correlation {
            match self.rpc.pending.remove(&request) {
                Some((_, sent)) => {
                    self.rpc.completed += 1;
                    self.rpc.rtt.record(cx.now() - sent);
                    cx.record(LifeKind::RequestCompleted, request, c, key);
                }
                None => {
                    self.rpc.late_replies += 1;
                    cx.record(LifeKind::LateReply, id, c, key);
                }
            }
        }
    }

    /// The server publishes the reply to request `request` into `queue`: a
    /// new message whose correlation id is the request's id.
    fn publish_reply<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, request: Slot, queue: u32) {
        let now = cx.now();
        let req = cx.store.get(request);
        let (producer, key, origin) = (req.producer, req.key, req.amqp.origin);
        let id = cx.next_message_id();
        let mut meta = MsgMeta::new(id, queue);
        meta.extra_mut().correlation = Some(origin);
        let slot = cx.store.insert(Message {
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
        cx.ledger.enter(MsgState::Producing);
        cx.stats.published += 1;
        cx.stats.interval_produced += 1;
        self.rpc.replies += 1;
        if self.broker_up {
            self.store_routed(cx, nb, slot, LifeKind::Replied);
        } else {
            self.publish_failed(cx, slot, producer);
        }
    }
}
