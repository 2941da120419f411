//! A FIFO queue: ready messages, the consumers that have credit, and the
//! overflow and dead-letter rules.

use std::collections::VecDeque;

use crate::engine::Sim;
use crate::ledger::MsgState;
use crate::message::Slot;
use crate::observe::LifeKind;
use crate::scenario::{Overflow, Scenario, ScenarioError};

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
    /// The most ready messages this queue ever held, and when.
    pub peak: u64,
    pub peak_at: u64,
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
                peak: 0,
                peak_at: 0,
            });
        }
        for i in 0..queues.len() {
            if let Some(target) = queues[i].dead_letter {
                queues[target as usize].is_dlq = true;
            }
        }
        Ok(queues)
    }

    /// The state a message has while it waits in this queue.
    pub fn resting_state(&self) -> MsgState {
        if self.is_dlq { MsgState::DeadLettered } else { MsgState::Stored }
    }
}

impl Sim {
    /// Appends a message to the tail of `queue`, applying the queue's
    /// max-length rule first, then offers it to consumers.
    pub(crate) fn enqueue(&mut self, q: u32, slot: Slot, kind: LifeKind) {
        let queue = &self.amqp.queues[q as usize];
        if queue.max_length.is_some_and(|max| queue.ready.len() as u64 >= max) {
            match queue.overflow {
                // RabbitMQ `reject-publish`: the newest message is refused.
                Overflow::RejectPublish => {
                    self.set_state(slot, MsgState::Dropped, LifeKind::Dropped, q);
                    return;
                }
                // RabbitMQ `drop-head`: the oldest ready message is discarded,
                // or dead-lettered (reason `maxlen`) when the queue has a DLX.
                Overflow::DropHead => {
                    if let Some(head) = self.amqp.queues[q as usize].ready.pop_front() {
                        self.dead_letter(q, head, LifeKind::DeadLetteredMaxLength);
                    }
                }
            }
        }
        let state = self.amqp.queues[q as usize].resting_state();
        self.store.get_mut(slot).queue = q;
        self.set_state(slot, state, kind, q);
        let queue = &mut self.amqp.queues[q as usize];
        queue.ready.push_back(slot);
        if queue.ready.len() as u64 > queue.peak {
            queue.peak = queue.ready.len() as u64;
            queue.peak_at = self.sched.now();
        }
        self.note_backlog();
        self.dispatch(q);
    }

    /// Puts a message back at the head of its queue, where a nacked or
    /// unacknowledged message goes in RabbitMQ (its original position, which
    /// for a message just delivered is the head).
    pub(crate) fn requeue(&mut self, slot: Slot) {
        let q = self.store.get(slot).queue;
        let state = self.amqp.queues[q as usize].resting_state();
        self.set_state(slot, state, LifeKind::Requeued, q);
        self.amqp.queues[q as usize].ready.push_front(slot);
    }

    /// Dead-letters a message from queue `q`: into the queue's dead-letter
    /// queue if it has one, otherwise it is dropped (RabbitMQ discards a
    /// rejected message that has no dead-letter exchange).
    pub(crate) fn dead_letter(&mut self, q: u32, slot: Slot, reason: LifeKind) {
        match self.amqp.queues[q as usize].dead_letter {
            Some(dlq) => {
                self.stats.dead_lettered += 1;
                self.enqueue(dlq, slot, reason);
            }
            None => {
                self.set_state(slot, MsgState::Dropped, LifeKind::Dropped, q);
            }
        }
    }

    /// Delivers ready messages to consumers with credit, round-robin, until
    /// the queue is empty or no consumer has room.
    pub(crate) fn dispatch(&mut self, q: u32) {
        loop {
            let queue = &mut self.amqp.queues[q as usize];
            let Some(&consumer) = queue.ready_consumers.front() else { return };
            let Some(slot) = queue.ready.pop_front() else { return };
            // Round-robin: the consumer goes to the back of the line if it
            // still has credit after this delivery, and leaves it otherwise.
            queue.ready_consumers.pop_front();
            if self.deliver(consumer, slot) {
                self.amqp.queues[q as usize].ready_consumers.push_back(consumer);
            } else {
                self.amqp.consumers[consumer as usize].in_ready = false;
            }
        }
    }
}
