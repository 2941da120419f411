//! What a consumer does with a message whose processing failed: requeue it,
//! reject it to the dead-letter queue, or retry it later with a backoff.

use super::Event;
use super::DeadReason;
use super::delay::Hold;
use super::{World, Neighbours};
use super::Ctx;
use crate::message::Slot;
use crate::observe::{Cause, LifeKind};
use crate::scenario::OnFailure;

impl World {
    /// Consumer `c` failed to process `slot`, delivered from queue `q`, and
    /// acts on its group's `on_failure` policy.
    pub(crate) fn on_failure<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, q: u32, slot: Slot) {
        let group = self.consumers[c as usize].group;
        let retries = cx.store.get(slot).amqp.retries() as usize;
        let wait = match &self.groups[group as usize].on_failure {
            OnFailure::Requeue => return self.reject(cx, nb, slot),
            // `basic.reject` / `basic.nack` with `requeue=false`: RabbitMQ
            // dead-letters the message with reason `rejected`.
            OnFailure::DeadLetter => return self.dead_letter(cx, nb, q, slot, DeadReason::Rejected),
            OnFailure::Retry { backoff } => backoff.get(retries).map(|d| d.0),
        };
        match wait {
            // The n-th failure holds the message for the n-th backoff (the
            // seeds' 1 s, 5 s, 30 s), then requeues it at the tail, as a
            // retry queue with a per-message TTL would.
            Some(wait) => {
                let due = cx.now().saturating_add(wait);
                cx.store.get_mut(slot).amqp.extra_mut().retries += 1;
                self.stats.retries += 1;
                self.hold(cx, slot, due, Hold::Retry, LifeKind::RetryScheduled, q);
            }
            // Retries exhausted: the consumer rejects it for good.
            None => self.dead_letter(cx, nb, q, slot, DeadReason::Rejected),
        }
    }

    /// `basic.reject` with requeue: back to its place at the head of the
    /// queue, unless the queue's delivery limit is exceeded, in which case
    /// it is dead-lettered (reason `delivery_limit`; see `Sim::requeue_as`).
    ///
    /// RabbitMQ quorum queues (`rabbit_fifo`, checked against 3.10 by
    /// tests/broker/): each return increments the message's delivery count
    /// (`x-delivery-count`), and a return that takes the count *above*
    /// `x-delivery-limit` dead-letters it. So with a limit of 3 a message
    /// that always fails is delivered 4 times: the limit counts redeliveries.
    fn reject<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, slot: Slot) {
        self.requeue(cx, nb, slot, Cause::ProcessingFailed);
    }
}
