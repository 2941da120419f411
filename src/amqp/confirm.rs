//! Publisher confirms, persistence, and broker crashes.
//!
//! RabbitMQ's rules, simplified to what a learner needs:
//!
//! - A message survives a broker restart only if it is persistent
//!   (`delivery_mode` 2), its queue is durable, and it reached the disk.
//! - Persistent messages in a durable queue reach the disk in batches
//!   (`flush_every`; at once when unset). Each write gets a sequence number in
//!   its queue; a flush makes every write so far durable.
//! - With publisher confirms, the broker acks a transient message (or one in
//!   a non-durable queue) when it is enqueued, and a persistent one in a
//!   durable queue once it is on disk. A full `reject-publish` queue nacks.
//!   A message no queue takes is acked too, once routing has found no
//!   queue (after its `basic.return`, if it was mandatory).
//!   So a confirmed message is never lost to a crash, and a crash can only
//!   lose messages the producer has not been told are safe.
//! - A crash loses every transient message, and every persistent one not yet
//!   on disk, wherever it is: in a queue, delivered but unacked, or held for
//!   a delay. Manual-ack deliveries that survive return to their queue, to be
//!   redelivered flagged; the consumers, which do not know yet, finish what
//!   they were doing, and their acks are stale. Auto-ack deliveries already
//!   belong to their consumers and are unaffected.
//! - While the broker is down, publishing fails (the message is lost: the
//!   producer got an error) and nothing is delivered, expired or released.
//!
//! Not modelled: confirms of a message routed to several queues are counted
//! per copy, and a message dead-lettered or retried is written anew.

use super::Event;
use super::consumer::Held;
use super::{World, Neighbours};
use super::Ctx;
use crate::ledger::MsgState;
use crate::message::Slot;
use crate::observe::{Cause, LifeKind};
use crate::scenario::AckMode;

impl World {
    /// A publish event kind: the first time the message is stored.
    fn first_store<E: From<Event>>(&self, cx: &Ctx<E>, slot: Slot, kind: LifeKind) -> bool {
        matches!(kind, LifeKind::Published | LifeKind::Copied | LifeKind::Released)
            && cx.store.get(slot).amqp.correlation().is_none()
    }

    /// The publisher of `slot` waits for a confirm of this store. Messages
    /// that request flows publish have no publisher entry and no confirms.
    fn wants_confirm<E: From<Event>>(&self, cx: &Ctx<E>, slot: Slot, kind: LifeKind) -> bool {
        self.first_store(cx, slot, kind)
            && self.publishers.get(cx.store.get(slot).producer as usize).is_some_and(|p| p.confirm)
    }

    /// Message `slot` was just written to queue `q` (recorded as `kind`):
    /// number the write, and confirm it now or at the next flush.
    #[inline]
    pub(crate) fn note_write<E: From<Event>>(&mut self, cx: &mut Ctx<E>, q: u32, slot: Slot, kind: LifeKind) {
        // Most writes are of transient messages nobody waits to hear about.
        let on_disk = cx.store.get(slot).amqp.persistent && self.queues[q as usize].durable;
        if on_disk || self.wants_confirm(cx, slot, kind) {
            self.note_tracked_write(cx, q, slot, kind);
        }
    }

    /// `note_write` for a write that goes to disk or is to be confirmed.
    #[inline(never)]
    fn note_tracked_write<E: From<Event>>(&mut self, cx: &mut Ctx<E>, q: u32, slot: Slot, kind: LifeKind) {
        let wants_confirm = self.wants_confirm(cx, slot, kind);
        let message = cx.store.get_mut(slot);
        let (id, producer, key) = (message.id, message.producer, message.key);
        let queue = &mut self.queues[q as usize];
        let on_disk = message.amqp.persistent && queue.durable;
        if on_disk {
            queue.next_write += 1;
            message.amqp.extra_mut().write_seq = queue.next_write;
        }
        match queue.flush_every {
            Some(every) if on_disk => {
                if wants_confirm {
                    queue.pending_confirms.push((id, producer, key));
                }
                if !queue.flush_armed {
                    queue.flush_armed = true;
                    cx.sched.after(every, E::from(Event::Flush { queue: q }));
                }
            }
            _ => {
                if on_disk {
                    queue.flushed = queue.next_write;
                }
                if wants_confirm {
                    self.confirm(cx, id, producer, key);
                }
            }
        }
    }

    /// The broker acks message `id` to its publisher (`basic.ack`).
    pub(crate) fn confirm<E: From<Event>>(&mut self, cx: &mut Ctx<E>, id: u64, producer: u32, key: u32) {
        self.publishers[producer as usize].confirmed += 1;
        self.stats.confirmed += 1;
        cx.record(LifeKind::Confirmed, id, producer, key);
    }

    /// The journal kind of a message a full queue refused: a nack when its
    /// publisher uses confirms, a plain drop otherwise.
    pub(crate) fn refusal<E: From<Event>>(&mut self, cx: &mut Ctx<E>, slot: Slot, kind: LifeKind) -> LifeKind {
        if self.wants_confirm(cx, slot, kind) {
            self.publishers[cx.store.get(slot).producer as usize].nacked += 1;
            self.stats.nacked += 1;
            LifeKind::PublishNacked
        } else {
            LifeKind::Dropped
        }
    }

    /// Queue `q` writes what it has to disk and confirms it.
    pub(crate) fn flush<E: From<Event>>(&mut self, cx: &mut Ctx<E>, q: u32) {
        let queue = &mut self.queues[q as usize];
        queue.flush_armed = false;
        if !self.broker_up {
            return; // What was waiting died with the broker.
        }
        queue.flushed = queue.next_write;
        for (id, producer, key) in std::mem::take(&mut queue.pending_confirms) {
            self.confirm(cx, id, producer, key);
        }
    }

    /// Whether a message in a queue (ready or delivered) survives a crash.
    fn survives_in_queue<E: From<Event>>(&self, cx: &Ctx<E>, slot: Slot) -> bool {
        let m = cx.store.get(slot);
        let queue = &self.queues[m.queue as usize];
        let write_seq = m.amqp.write_seq();
        m.amqp.persistent && queue.durable && write_seq > 0 && write_seq <= queue.flushed
    }

    /// A crash takes message `slot`, held at `node`.
    fn lose_in_crash<E: From<Event>>(&mut self, cx: &mut Ctx<E>, slot: Slot, node: u32) {
        // A delivery of it that a consumer still works on is stale from now on.
        cx.store.get_mut(slot).amqp.token = 0;
        let m = cx.store.get(slot);
        let transient = !m.amqp.persistent || !self.queues[m.queue as usize].durable;
        if transient {
            self.stats.crash_lost_transient += 1;
        } else {
            self.stats.crash_lost_unflushed += 1;
        }
        cx.set_state(slot, MsgState::Lost, LifeKind::Lost, node);
    }

    /// The queue family's broker crashes (see the module comment).
    pub(crate) fn crash_amqp_broker<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N) {
        if !self.broker_up {
            return;
        }
        self.broker_up = false;
        self.stats.broker_crashes += 1;
        cx.record(LifeKind::BrokerCrashed, 0, 0, 0);
        // Deliveries awaiting acks: the broker forgets them.
        for c in 0..self.consumers.len() {
            let consumer = &mut self.consumers[c];
            if self.groups[consumer.group as usize].ack == AckMode::Auto {
                continue;
            }
            consumer.ack_timer = None;
            let q = consumer.queue;
            let held: Vec<Held> = consumer.held.drain(..).collect();
            let mut back = Vec::new();
            let mut outstanding = 0;
            for h in held {
                if !self.outstanding(cx, &h) {
                    self.consumers[c].held.push_back(h);
                    continue;
                }
                outstanding += 1;
                if h.work {
                    self.pin(cx, h.slot);
                    self.consumers[c].held.push_back(h);
                }
                if self.survives_in_queue(cx, h.slot) {
                    back.push(h.slot);
                } else {
                    self.lose_in_crash(cx, h.slot, c as u32);
                }
            }
            for slot in back.into_iter().rev() {
                self.requeue(cx, nb, slot, Cause::BrokerCrash);
            }
            let now = cx.now();
            for _ in 0..outstanding {
                self.queues[q as usize].leave_flight(now);
            }
            self.return_credit(cx, c as u32);
        }
        // Ready messages: only what is on disk stays.
        let now = cx.now();
        for q in 0..self.queues.len() {
            // The survivors keep their place and their wait so far; the
            // lost leave the waiting line, with the wait they had.
            let ready = std::mem::take(&mut self.queues[q].ready);
            self.queues[q].wait.account(now, ready.len());
            for slot in ready {
                if self.survives_in_queue(cx, slot) {
                    self.queues[q].ready.push_back(slot);
                } else {
                    let since = cx.store.get(slot).ready_since;
                    self.queues[q].wait.leave(now, 0, since);
                    self.lose_in_crash(cx, slot, q as u32);
                }
            }
            self.queues[q].pending_confirms.clear();
        }
        // Held messages: the persistent ones are on disk (simplified: at once).
        let held: Vec<(Slot, u32)> =
            self.timers.live(&cx.store).map(|(_, _, slot, _)| (slot, cx.store.get(slot).producer)).collect();
        for (slot, producer) in held {
            if !cx.store.get(slot).amqp.persistent {
                self.stats.crash_lost_transient += 1;
                cx.set_state(slot, MsgState::Lost, LifeKind::Lost, producer);
            }
        }
    }

    /// The broker comes back with what survived, and catches up on what came
    /// due while it was down.
    pub(crate) fn restart_amqp_broker<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N) {
        if self.broker_up {
            return;
        }
        self.broker_up = true;
        cx.record(LifeKind::BrokerRestarted, 0, 0, 0);
        self.release_due(cx, nb);
        for q in 0..self.queues.len() as u32 {
            self.expire_head(cx, nb, q);
            self.dispatch(cx, nb, q);
        }
    }
}
