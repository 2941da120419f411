//! A FIFO queue: ready messages, the consumers that have credit, and the
//! overflow, expiry and dead-letter rules.

use std::collections::VecDeque;

use super::{DeadReason, Event, MsgMeta, World};
use super::Neighbours;
use super::Ctx;
use crate::ledger::MsgState;
use crate::message::{MessageStore, Slot};
use crate::observe::{Cause, LifeKind, WaitStats};
use crate::scenario::{Overflow, Scenario, ScenarioError};
use crate::time::SimTime;

pub struct Queue {
    pub name: String,
    /// Messages ready for delivery, oldest first.
    pub ready: VecDeque<Slot>,
    /// Consumer instances with credit (room under their prefetch), in
    /// round-robin order; each appears at most once.
    pub ready_consumers: VecDeque<u32>,
    pub max_length: Option<u64>,
    pub overflow: Overflow,
    pub delivery_limit: Option<u32>,
    pub dead_letter: Option<u32>,
    /// Some other queue dead-letters into this one.
    pub is_dlq: bool,
    /// The sequence number of the latest message enqueued: the ready list
    /// is kept in this order (see `push_ready`).
    pub(crate) next_seq: u32,
    /// The most ready messages this queue ever held, and when.
    pub peak: u64,
    pub peak_at: u64,
    /// Deliveries from this queue its consumers hold unacknowledged (the
    /// queue's share of the ledger's `in_flight`; `Sim::ledger_matches_world`
    /// checks the two agree).
    pub in_flight: u64,
    /// The queue's backlog is its ready messages plus `in_flight`: its most
    /// ever, first reached at `backlog_peak_at`, and the first instant after
    /// that at which the backlog was empty again (none while it is not).
    /// What the burst model's measured peak and drain time are read from.
    pub backlog_peak: u64,
    pub backlog_peak_at: SimTime,
    pub drained_at: Option<SimTime>,
    /// The last time its consumers changed: an instance crashed, restarted,
    /// was added or stopped (live, by a fault or by the autoscaler), or was
    /// slowed. The overlay's single c no longer describes the run.
    pub consumers_changed_at: Option<SimTime>,
    /// The queue's message TTL (`x-message-ttl`).
    pub ttl: Option<SimTime>,
    /// When an expiry event is pending for the head, its time.
    pub(crate) expiry_armed: Option<SimTime>,
    /// Some message that could expire (a finite `expires_at`) has entered
    /// this queue. Until one has, every message in it has `expires_at ==
    /// SimTime::MAX`, so dispatch can skip the expiry checks, which would
    /// otherwise read the head message twice per dispatch.
    pub(crate) may_expire: bool,
    /// Durability and disk writes (see `confirm.rs`).
    pub durable: bool,
    pub flush_every: Option<SimTime>,
    pub(crate) next_write: u64,
    pub(crate) flushed: u64,
    pub(crate) flush_armed: bool,
    /// Writes not yet on disk whose publisher waits for a confirm, in write
    /// order: (message id, producer, message key).
    pub(crate) pending_confirms: Vec<(u64, u32, u32)>,
    /// Exists only while a consumer of it is alive (see `pubsub.rs`).
    pub exclusive: bool,
    /// Copies this queue missed while its subscriber was offline.
    pub missed: u64,
    /// Publishes waiting for room (`overflow: block`), oldest first: the
    /// message, how it is to be recorded, and the request waiting for it.
    pub(crate) blocked: VecDeque<(Slot, LifeKind, Option<Waiter>)>,
    /// What the queueing-theory overlay needs, measured.
    pub wait: WaitStats,
}

/// A user request (slot, generation) waiting for a blocked publish.
pub type Waiter = (u32, u32);

/// What a queue did with a message offered to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    Stored,
    /// Refused by `reject-publish`: the message is dropped.
    Refused,
    /// Held back by `block` until the queue has room.
    Blocked,
}

impl Queue {
    pub(crate) fn build_all(scenario: &Scenario) -> Result<Vec<Queue>, ScenarioError> {
        let mut queues = Vec::with_capacity(scenario.queues.len());
        for (i, spec) in scenario.queues.iter().enumerate() {
            let dead_letter = match &spec.dead_letter {
                Some(name) => Some(scenario.queue_index(name, &format!("queues[{i}].dead_letter"))?),
                None => None,
            };
            queues.push(Queue {
                name: spec.name.clone(),
                ready: VecDeque::new(),
                ready_consumers: VecDeque::new(),
                max_length: spec.max_length,
                overflow: spec.overflow,
                delivery_limit: spec.delivery_limit,
                dead_letter,
                is_dlq: false,
                next_seq: 0,
                peak: 0,
                peak_at: 0,
                in_flight: 0,
                backlog_peak: 0,
                backlog_peak_at: 0,
                drained_at: None,
                consumers_changed_at: None,
                blocked: VecDeque::new(),
                wait: WaitStats::default(),
                ttl: spec.message_ttl.map(|d| d.0),
                expiry_armed: None,
                may_expire: false,
                durable: spec.durable,
                flush_every: spec.flush_every.map(|d| d.0),
                next_write: 0,
                flushed: 0,
                flush_armed: false,
                pending_confirms: Vec::new(),
                exclusive: spec.exclusive,
                missed: 0,
            });
        }
        for i in 0..queues.len() {
            if let Some(target) = queues[i].dead_letter {
                queues[target as usize].is_dlq = true;
            }
        }
        Ok(queues)
    }

    /// Adds a message to the ready list: a new one at the tail, with the
    /// next place in the queue's order; a requeued one (`requeue`) back at
    /// the place it had.
    pub fn push_ready(&mut self, slot: Slot, requeue: bool, now: SimTime, store: &mut MessageStore<MsgMeta>) {
        if requeue {
            self.wait.reenter(now, self.ready.len());
        } else {
            self.wait.enter(now, self.ready.len());
        }
        let message = store.get_mut(slot);
        message.ready_since = now;
        if !requeue {
            self.next_seq = self.next_seq.wrapping_add(1);
            message.seq = self.next_seq;
            self.ready.push_back(slot);
            return;
        }
        // RabbitMQ classic queues: a message returned to the queue (a nack or
        // reject with requeue, a closed channel's unacked deliveries) goes
        // back to its original position, by the sequence number it was
        // enqueued with (`rabbit_variable_queue:requeue`), so returns from
        // two consumers interleave as they were published. Ready messages are
        // kept in that order; a message just taken from the head goes back
        // to the head in O(1). Sequence numbers are 32 bits (a message stays
        // 96 bytes) and compared by wrapping distance, which orders them
        // while a queue's ready messages span fewer than 2^31 enqueues.
        let seq = message.seq;
        let before = |s: Slot| (store.get(s).seq.wrapping_sub(seq) as i32) < 0;
        let at = if self.ready.front().is_none_or(|&head| !before(head)) {
            0
        } else {
            self.ready.partition_point(|&s| before(s))
        };
        self.ready.insert(at, slot);
    }

    /// Takes the oldest ready message.
    pub fn pop_ready(&mut self, now: SimTime, store: &MessageStore<MsgMeta>) -> Option<Slot> {
        let slot = *self.ready.front()?;
        self.wait.leave(now, self.ready.len(), store.get(slot).ready_since);
        self.ready.pop_front()
    }

    /// One delivery from this queue stopped being outstanding (acked, lost,
    /// rejected, requeued, taken back): if nothing is left, ready or in
    /// flight, the queue has drained.
    #[inline(always)]
    pub(crate) fn leave_flight(&mut self, now: SimTime) {
        self.in_flight -= 1;
        if self.in_flight == 0 && self.ready.is_empty() {
            self.note_empty(now);
        }
    }

    /// The backlog is empty: the first time since its peak is its drain time.
    #[inline]
    pub(crate) fn note_empty(&mut self, now: SimTime) {
        if self.drained_at.is_none() && self.backlog_peak > 0 {
            self.drained_at = Some(now);
        }
    }

    /// The time-average ready length from t = 0 to `now`.
    pub fn mean_length(&self, now: SimTime) -> f64 {
        self.wait.mean_length(now, self.ready.len())
    }

    /// The state a message has while it waits in this queue.
    pub fn resting_state(&self) -> MsgState {
        if self.is_dlq { MsgState::DeadLettered } else { MsgState::Stored }
    }
}

impl World {
    /// Takes back the publishes blocked in full queues (the `block`
    /// overflow) on behalf of request `waiter`, whose process died: they die
    /// with it, and their slots join `lost`.
    pub(crate) fn drop_blocked_publishes(&mut self, waiter: (u32, u32), lost: &mut Vec<Slot>) {
        for queue in &mut self.queues {
            queue.blocked.retain(|&(message, _, w)| {
                let mine = w == Some(waiter);
                if mine {
                    lost.push(message);
                }
                !mine
            });
        }
    }
}

impl World {
    /// Appends a message to the tail of `queue`, applying the queue's
    /// max-length rule first, then offers it to consumers. Inlined:
    /// it runs for every message (see `engine`'s module docs).
    #[inline(always)]
    pub(crate) fn enqueue<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32, slot: Slot, kind: LifeKind) -> Admission {
        self.enqueue_for(cx, nb, q, slot, kind, None)
    }

    /// `enqueue` on behalf of a user request that waits if the publish blocks.
    #[inline(always)]
    pub(crate) fn enqueue_for<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32, slot: Slot, kind: LifeKind, waiter: Option<Waiter>) -> Admission {
        let queue = &self.queues[q as usize];
        if queue.max_length.is_some_and(|max| queue.ready.len() as u64 >= max) {
            if let Some(admission) = self.overflow(cx, nb, q, slot, kind, waiter) {
                return admission;
            }
        }
        self.store_ready(cx, nb, q, slot, kind)
    }

    /// `q` is full: applies its overflow rule to the message offered. Returns
    /// what became of the message, or None when it is to be stored after all
    /// (`drop-head` made room, or `block` does not apply to this kind).
    #[inline(never)]
    fn overflow<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32, slot: Slot, kind: LifeKind, waiter: Option<Waiter>) -> Option<Admission> {
        match self.queues[q as usize].overflow {
            Overflow::Block if matches!(kind, LifeKind::Published | LifeKind::Copied) => {
                self.queues[q as usize].blocked.push_back((slot, kind, waiter));
                cx.record(LifeKind::Blocked, cx.store.get(slot).id, q, cx.store.get(slot).key);
                Some(Admission::Blocked)
            }
            Overflow::Block => None,
            // RabbitMQ `reject-publish`: the newest message is refused,
            // and a publisher using confirms gets a `basic.nack`.
            Overflow::RejectPublish => {
                let refused = self.refusal(cx, slot, kind);
                cx.set_state(slot, MsgState::Dropped, refused, q);
                Some(Admission::Refused)
            }
            // RabbitMQ `drop-head`: the oldest ready message is discarded,
            // or dead-lettered (reason `maxlen`) when the queue has a DLX.
            Overflow::DropHead => {
                let now = cx.sched.now();
                if let Some(head) = self.queues[q as usize].pop_ready(now, &cx.store) {
                    self.dead_letter(cx, nb, q, head, DeadReason::MaxLen);
                }
                None
            }
        }
    }

    /// Stores a message at the tail of `q` (there is room) and offers it to
    /// consumers. Inlined: it runs for every message (see `engine`'s
    /// module docs).
    #[inline(always)]
    fn store_ready<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32, slot: Slot, kind: LifeKind) -> Admission {
        let now = cx.now();
        let queue = &self.queues[q as usize];
        let (state, queue_ttl) = (queue.resting_state(), queue.ttl);
        let message = cx.store.get_mut(slot);
        message.queue = q;
        message.amqp.token = 0;
        // RabbitMQ: a message's expiry in a queue counts from when it was
        // enqueued there, and the lower of the queue's message TTL and the
        // message's own `expiration` applies.
        let ttl = match (queue_ttl, message.amqp.ttl()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        message.amqp.expires_at = ttl.map_or(SimTime::MAX, |ttl| now.saturating_add(ttl));
        if ttl.is_some() {
            self.queues[q as usize].may_expire = true;
        }
        cx.set_state_inline(slot, state, kind, q);
        self.note_write(cx, q, slot, kind);
        let queue = &mut self.queues[q as usize];
        queue.push_ready(slot, false, now, &mut cx.store);
        if queue.ready.len() as u64 > queue.peak {
            queue.peak = queue.ready.len() as u64;
            queue.peak_at = now;
        }
        // The backlog grows only here: a delivery moves a message from ready
        // to in flight, and a requeue back.
        let backlog = queue.ready.len() as u64 + queue.in_flight;
        if backlog > queue.backlog_peak {
            queue.backlog_peak = backlog;
            queue.backlog_peak_at = now;
            queue.drained_at = None;
        }
        cx.note_backlog();
        self.dispatch(cx, nb, q);
        Admission::Stored
    }

    /// Lets blocked publishes into `q` while it has room, oldest first, and
    /// tells each waiting request that its message got through.
    pub(crate) fn admit_blocked<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32) {
        loop {
            let queue = &mut self.queues[q as usize];
            if queue.max_length.is_some_and(|max| queue.ready.len() as u64 >= max) {
                return;
            }
            let Some((slot, kind, waiter)) = queue.blocked.pop_front() else { return };
            self.enqueue(cx, nb, q, slot, kind);
            if let Some(waiter) = waiter {
                nb.publish_admitted(cx, waiter);
            }
        }
    }

    /// Puts a message back in its queue at its original position, where a
    /// nacked or unacknowledged message goes in a RabbitMQ classic queue (for
    /// a message just delivered, the head). It keeps its expiry time, as
    /// RabbitMQ keeps a requeued message's.
    /// `reason` says why, in the journal.
    pub(crate) fn requeue<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, slot: Slot, reason: Cause) {
        self.requeue_as(cx, nb, slot, LifeKind::Requeued, reason);
    }

    /// `requeue`, recorded as `kind` (an ack timeout, say).
    ///
    /// A queue with a `delivery_limit` (RabbitMQ quorum queues'
    /// `x-delivery-limit`) counts every return, whatever caused it: a
    /// reject with requeue, a consumer that died holding the message (its
    /// channel closed), an ack timeout. The return that takes the count
    /// above the limit dead-letters the message (reason `delivery_limit`)
    /// instead; RabbitMQ 3.10 does so for a closed channel too
    /// (tests/broker/, case `quorum-closed-channel-counts`).
    pub(crate) fn requeue_as<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, slot: Slot, kind: LifeKind, reason: Cause) {
        let message = cx.store.get_mut(slot);
        message.amqp.token = 0;
        let q = message.queue;
        let deliveries = message.deliveries;
        if self.queues[q as usize].delivery_limit.is_some_and(|limit| deliveries > limit) {
            self.dead_letter(cx, nb, q, slot, DeadReason::DeliveryLimit);
            return;
        }
        let state = self.queues[q as usize].resting_state();
        cx.set_state_because(slot, state, kind, q, reason);
        let now = cx.sched.now();
        self.queues[q as usize].push_ready(slot, true, now, &mut cx.store);
    }

    /// Delivers ready messages to consumers with credit, round-robin, until
    /// the queue is empty or no consumer has room. Nothing is delivered while
    /// the broker is down, and an expired message at the head is never
    /// delivered (RabbitMQ guarantees it).
    #[inline]
    pub(crate) fn dispatch<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32) {
        // Most calls find nothing to do (no consumer with credit, or nothing
        // ready) and nothing to arm or admit; they need not enter the loop.
        let queue = &self.queues[q as usize];
        let deliverable = !queue.ready.is_empty() && !queue.ready_consumers.is_empty();
        if self.broker_up && (deliverable || queue.may_expire || !queue.blocked.is_empty()) {
            self.dispatch_queue(cx, nb, q);
        }
    }

    /// `dispatch`, when there may be something to do.
    #[inline(never)]
    fn dispatch_queue<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32) {
        loop {
            let now = cx.sched.now();
            let queue = &mut self.queues[q as usize];
            let Some(&consumer) = queue.ready_consumers.front() else { break };
            let Some(&slot) = queue.ready.front() else { break };
            if queue.may_expire && cx.store.get(slot).amqp.expires_at <= now {
                self.expire_head(cx, nb, q);
                continue;
            }
            let queue = &mut self.queues[q as usize];
            queue.pop_ready(now, &cx.store);
            queue.in_flight += 1;
            // Round-robin: the consumer goes to the back of the line if it
            // still has credit after this delivery, and leaves it otherwise.
            queue.ready_consumers.pop_front();
            if self.deliver(cx, nb, consumer, slot) {
                self.queues[q as usize].ready_consumers.push_back(consumer);
            } else {
                self.consumers[consumer as usize].in_ready = false;
            }
        }
        self.arm_expiry(cx, q);
        if !self.queues[q as usize].blocked.is_empty() {
            self.admit_blocked(cx, nb, q);
        }
    }

    /// Expires the messages at the head of `q` whose time has come.
    ///
    /// RabbitMQ classic queues expire messages when they reach the head, so
    /// a message with a short `expiration` behind one with a long one waits
    /// for it; with a queue-wide TTL alone, the head is always the first to
    /// expire, and expiry is exact.
    pub(crate) fn expire_head<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32) {
        let now = cx.now();
        while let Some(&slot) = self.queues[q as usize].ready.front() {
            if cx.store.get(slot).amqp.expires_at > now {
                break;
            }
            self.queues[q as usize].pop_ready(now, &cx.store);
            self.dead_letter(cx, nb, q, slot, DeadReason::Expired);
        }
        let queue = &mut self.queues[q as usize];
        if queue.ready.is_empty() && queue.in_flight == 0 {
            queue.note_empty(now);
        }
    }

    /// Schedules an expiry event for the head of `q`, if it can expire and
    /// none is pending early enough.
    #[inline]
    pub(crate) fn arm_expiry<E: From<Event>>(&mut self, cx: &mut Ctx<E>, q: u32) {
        if self.queues[q as usize].may_expire {
            self.arm_head_expiry(cx, q);
        }
    }

    /// `arm_expiry` for a queue whose messages may expire.
    #[inline(never)]
    fn arm_head_expiry<E: From<Event>>(&mut self, cx: &mut Ctx<E>, q: u32) {
        let queue = &self.queues[q as usize];
        let Some(&head) = queue.ready.front() else { return };
        let at = cx.store.get(head).amqp.expires_at;
        if at == SimTime::MAX || queue.expiry_armed.is_some_and(|armed| armed <= at) {
            return;
        }
        self.queues[q as usize].expiry_armed = Some(at);
        cx.sched.at(at, E::from(Event::QueueExpiry { queue: q }));
    }

    /// The expiry event of `q` fires.
    pub(crate) fn expiry_due<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32) {
        let now = cx.now();
        let queue = &mut self.queues[q as usize];
        if queue.expiry_armed == Some(now) {
            queue.expiry_armed = None;
        }
        if !self.broker_up {
            return; // The restart expires what is due.
        }
        self.expire_head(cx, nb, q);
        self.dispatch(cx, nb, q);
    }
}
