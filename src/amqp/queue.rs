//! A FIFO queue: ready messages, the consumers that have credit, and the
//! overflow and dead-letter rules.

use std::collections::VecDeque;

use crate::engine::Sim;
use crate::ledger::MsgState;
use crate::message::{MessageStore, Slot};
use crate::observe::LifeKind;
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
    /// The most ready messages this queue ever held, and when.
    pub peak: u64,
    pub peak_at: u64,
    /// What the queueing-theory overlay needs, measured.
    pub wait: WaitStats,
}

/// Measurements of a queue's ready list for the queueing-theory overlay:
/// how many messages entered, how long those that left had waited, and the
/// time-integral of its length (so L, the time-average length, is exact).
#[derive(Clone, Debug, Default)]
pub struct WaitStats {
    pub entered: u64,
    pub left: u64,
    /// Total nanoseconds waited by messages that left the ready list.
    pub waited: u128,
    /// ∫ length dt, in message-nanoseconds, up to `last_change`.
    pub area: u128,
    pub last_change: SimTime,
    /// The first and latest entries: the window in which messages arrived.
    pub first_entry: Option<SimTime>,
    pub last_entry: SimTime,
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
                wait: WaitStats::default(),
            });
        }
        for i in 0..queues.len() {
            if let Some(target) = queues[i].dead_letter {
                queues[target as usize].is_dlq = true;
            }
        }
        Ok(queues)
    }

    /// Brings the length integral up to `now`; called before every change.
    fn account(&mut self, now: SimTime) {
        self.wait.area += self.ready.len() as u128 * u128::from(now - self.wait.last_change);
        self.wait.last_change = now;
    }

    /// Adds a message to the ready list (at the head for a requeue).
    pub fn push_ready(&mut self, slot: Slot, at_head: bool, now: SimTime, store: &mut MessageStore) {
        self.account(now);
        self.wait.entered += 1;
        self.wait.first_entry.get_or_insert(now);
        self.wait.last_entry = now;
        store.get_mut(slot).ready_since = now;
        if at_head { self.ready.push_front(slot) } else { self.ready.push_back(slot) }
    }

    /// Takes the oldest ready message.
    pub fn pop_ready(&mut self, now: SimTime, store: &MessageStore) -> Option<Slot> {
        self.account(now);
        let slot = self.ready.pop_front()?;
        self.wait.left += 1;
        self.wait.waited += u128::from(now - store.get(slot).ready_since);
        Some(slot)
    }

    /// The time-average ready length from t = 0 to `now`.
    pub fn mean_length(&self, now: SimTime) -> f64 {
        if now == 0 {
            return 0.0;
        }
        let area = self.wait.area + self.ready.len() as u128 * u128::from(now - self.wait.last_change);
        area as f64 / now as f64
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
                    let now = self.sched.now();
                    if let Some(head) = self.amqp.queues[q as usize].pop_ready(now, &self.store) {
                        self.dead_letter(q, head, LifeKind::DeadLetteredMaxLength);
                    }
                }
            }
        }
        let state = self.amqp.queues[q as usize].resting_state();
        self.store.get_mut(slot).queue = q;
        self.set_state(slot, state, kind, q);
        let now = self.sched.now();
        let queue = &mut self.amqp.queues[q as usize];
        queue.push_ready(slot, false, now, &mut self.store);
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
        let now = self.sched.now();
        self.amqp.queues[q as usize].push_ready(slot, true, now, &mut self.store);
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
            let now = self.sched.now();
            let queue = &mut self.amqp.queues[q as usize];
            let Some(&consumer) = queue.ready_consumers.front() else { return };
            let Some(slot) = queue.pop_ready(now, &self.store) else { return };
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
