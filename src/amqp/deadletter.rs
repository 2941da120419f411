//! Dead-lettering: a message that cannot be processed, expired, or was pushed
//! out of a full queue moves to its queue's dead-letter queue with the reason
//! recorded, where it can be inspected and replayed to where it came from.

use serde::Serialize;

use super::Event;
use super::{World, Neighbours};
use super::Ctx;
use crate::ledger::MsgState;
use crate::message::Slot;
use crate::observe::LifeKind;
use crate::time::as_millis_f64;

/// Why a message was dead-lettered: RabbitMQ's `x-death` reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadReason {
    /// A consumer rejected it without requeue (or its retries ran out).
    Rejected,
    /// Its TTL ran out in the queue.
    Expired,
    /// A full `drop-head` queue pushed it out (`maxlen`).
    #[serde(rename = "maxlen")]
    MaxLen,
    /// It was delivered `delivery_limit` times (quorum queues).
    DeliveryLimit,
}

impl DeadReason {
    pub const ALL: [DeadReason; 4] =
        [DeadReason::Rejected, DeadReason::Expired, DeadReason::MaxLen, DeadReason::DeliveryLimit];

    /// The `x-death` reason as RabbitMQ writes it.
    pub fn name(self) -> &'static str {
        match self {
            DeadReason::Rejected => "rejected",
            DeadReason::Expired => "expired",
            DeadReason::MaxLen => "maxlen",
            DeadReason::DeliveryLimit => "delivery_limit",
        }
    }

    /// The journal event of a message dead-lettered for this reason.
    pub fn kind(self) -> LifeKind {
        match self {
            DeadReason::Rejected => LifeKind::DeadLetteredRejected,
            DeadReason::Expired => LifeKind::DeadLetteredExpired,
            DeadReason::MaxLen => LifeKind::DeadLetteredMaxLength,
            DeadReason::DeliveryLimit => LifeKind::DeadLetteredDeliveryLimit,
        }
    }
}

/// One dead letter, as `Sim::dead_letters` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeadLetter {
    pub msg: u64,
    /// The original message id (differs from `msg` for a fan-out copy).
    pub origin: u64,
    pub reason: DeadReason,
    /// The queue it was dead-lettered from.
    pub from: String,
    /// Deliveries it had before it died.
    pub deliveries: u32,
    pub born_ms: f64,
}

/// One ready message of a queue, as `Sim::queued_messages` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueuedMessage {
    pub msg: u64,
    /// The original message id (differs from `msg` for a fan-out copy).
    pub origin: u64,
    /// Deliveries it has had so far.
    pub deliveries: u32,
    /// Why it was last dead-lettered, and from which queue; none if it never was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_reason: Option<DeadReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_from: Option<String>,
    pub born_ms: f64,
}

impl World {
    /// Dead-letters a message from queue `q`: into the queue's dead-letter
    /// queue if it has one, with `reason`. Without one, an expired message
    /// is discarded as expired and any other is dropped (RabbitMQ discards a
    /// dead letter that has no dead-letter exchange).
    pub(crate) fn dead_letter<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, q: u32, slot: Slot, reason: DeadReason) {
        let rejected = matches!(reason, DeadReason::Rejected | DeadReason::DeliveryLimit);
        let message = cx.store.get_mut(slot).amqp.extra_mut();
        if rejected {
            // A rejection breaks any cycle: the message starts a new one.
            message.dead_from_queues.clear();
        }
        let cycle = self.queues[q as usize]
            .dead_letter
            .is_some_and(|dlq| message.dead_from_queues.contains(dlq) && !rejected);
        message.dead_from_queues.insert(q);
        match self.queues[q as usize].dead_letter {
            // RabbitMQ: a message dead-lettered round a cycle of queues, back
            // into a queue it was already dead-lettered from, with no
            // rejection anywhere in the cycle, is dropped.
            Some(_) if cycle => {
                self.stats.dead_letter_cycles += 1;
                cx.set_state(slot, MsgState::Dropped, LifeKind::Dropped, q);
            }
            Some(dlq) => {
                cx.stats.dead_lettered += 1;
                self.stats.dead_by_reason[reason as usize] += 1;
                let extra = cx.store.get_mut(slot).amqp.extra_mut();
                extra.dead_reason = Some(reason);
                extra.dead_from = q;
                // RabbitMQ removes a dead letter's `expiration`, so that it
                // does not expire again in the queue it is dead-lettered to.
                extra.ttl = None;
                self.enqueue(cx, nb, dlq, slot, reason.kind());
            }
            None if reason == DeadReason::Expired => {
                self.stats.expired += 1;
                cx.set_state(slot, MsgState::Expired, LifeKind::Expired, q);
            }
            None => {
                cx.set_state(slot, MsgState::Dropped, LifeKind::Dropped, q);
            }
        }
    }

    /// Moves up to `limit` ready dead letters (oldest first; all when `None`)
    /// from dead-letter queue `queue` back to the queues they were
    /// dead-lettered from, as a shovel or `rabbitmqadmin` replay would
    /// republish them: at the tail, with a fresh delivery count and retry
    /// budget, and the same message id. Returns how many moved, or an error
    /// naming the queue if it is not a dead-letter queue.
    pub(crate) fn replay_dead_letters<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, queue: &str, limit: Option<u64>) -> Result<u64, String> {
        let dlq = self.dead_letter_queue(queue)?;
        Ok(self.replay_from(cx, nb, dlq, limit))
    }

    /// `replay_dead_letters` from dead-letter queue index `dlq`.
    pub(crate) fn replay_from<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, dlq: u32, limit: Option<u64>) -> u64 {
        let mut moved = 0;
        while limit.is_none_or(|limit| moved < limit) {
            let now = cx.now();
            let Some(slot) = self.queues[dlq as usize].pop_ready(now, &cx.store) else { break };
            let message = cx.store.get_mut(slot);
            let from = message.amqp.dead_from();
            message.deliveries = 0;
            let extra = message.amqp.extra_mut();
            extra.retries = 0;
            extra.dead_reason = None;
            self.stats.replayed += 1;
            moved += 1;
            self.enqueue(cx, nb, from, slot, LifeKind::Replayed);
        }
        self.arm_expiry(cx, dlq);
        moved
    }

    /// The ready dead letters in dead-letter queue `queue`, oldest first, at
    /// most `limit` of them.
    pub(crate) fn dead_letters<E: From<Event>>(&self, cx: &Ctx<E>, queue: &str, limit: usize) -> Result<Vec<DeadLetter>, String> {
        let dlq = self.dead_letter_queue(queue)?;
        Ok(self.queues[dlq as usize]
            .ready
            .iter()
            .take(limit)
            .map(|&slot| {
                let m = cx.store.get(slot);
                DeadLetter {
                    msg: m.id,
                    origin: m.amqp.origin,
                    reason: m.amqp.dead_reason().unwrap_or(DeadReason::Rejected),
                    from: self.queues[m.amqp.dead_from() as usize].name.clone(),
                    deliveries: m.deliveries,
                    born_ms: as_millis_f64(m.born),
                }
            })
            .collect())
    }

    /// The ready messages of any queue `queue`, head first, at most `limit`
    /// of them: what a consumer that subscribed now would be given, in that
    /// order (the command line's `--format events` ends with them).
    pub(crate) fn queued_messages<E: From<Event>>(&self, cx: &Ctx<E>, queue: &str, limit: usize) -> Result<Vec<QueuedMessage>, String> {
        let q = self
            .queues
            .iter()
            .position(|q| q.name == queue)
            .ok_or_else(|| format!("no queue is named \"{queue}\""))?;
        Ok(self.queues[q]
            .ready
            .iter()
            .take(limit)
            .map(|&slot| {
                let m = cx.store.get(slot);
                let dead_reason = m.amqp.dead_reason();
                QueuedMessage {
                    msg: m.id,
                    origin: m.amqp.origin,
                    deliveries: m.deliveries,
                    dead_reason,
                    dead_from: dead_reason.map(|_| self.queues[m.amqp.dead_from() as usize].name.clone()),
                    born_ms: as_millis_f64(m.born),
                }
            })
            .collect())
    }

    pub(crate) fn dead_letter_queue(&self, queue: &str) -> Result<u32, String> {
        match self.queues.iter().position(|q| q.name == queue) {
            Some(i) if self.queues[i].is_dlq => Ok(i as u32),
            Some(_) => Err(format!("\"{queue}\" is not a dead-letter queue (no queue dead-letters into it)")),
            None => Err(format!("no queue is named \"{queue}\"")),
        }
    }
}

/// The queues a message has been dead-lettered from since its last
/// rejection: a bit set for the first 64 queues, and for the rest only a
/// count, so that a cycle through queues beyond 64 is cut once the count
/// exceeds the number of queues (a revisit must have happened by then).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueSet {
    bits: u64,
    beyond: u32,
}

impl QueueSet {
    pub fn insert(&mut self, q: u32) {
        if q < 64 {
            self.bits |= 1 << q;
        } else {
            self.beyond += 1;
        }
    }

    /// Whether `q` is in the set (for q ≥ 64: whether more hops beyond 64
    /// were taken than there can be distinct such queues).
    pub fn contains(&self, q: u32) -> bool {
        if q < 64 { self.bits & (1 << q) != 0 } else { self.beyond > q }
    }

    pub fn clear(&mut self) {
        *self = QueueSet::default();
    }
}
