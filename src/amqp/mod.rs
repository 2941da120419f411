//! The queue family of semantics (RabbitMQ / AMQP 0-9-1): FIFO queues with
//! competing consumers, prefetch, acknowledgements, requeue and dead-lettering.
//!
//! This module does not know about producers' arrival processes or about
//! sampling; it only moves messages between queues and consumers.

mod consumer;
mod queue;
pub mod routing;

pub use consumer::{Consumer, ConsumerGroup};
pub use queue::Queue;

use crate::engine::Sim;
use crate::scenario::{Scenario, ScenarioError};

/// The queue family's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Consumer instance `consumer` finishes the message at the head of what
    /// it holds. `epoch` tells a completion scheduled before a crash (stale)
    /// from a current one.
    ServiceDone { consumer: u32, epoch: u32 },
}

/// The queues and consumers of a scenario, as indexed data.
pub struct World {
    pub queues: Vec<Queue>,
    pub groups: Vec<ConsumerGroup>,
    pub consumers: Vec<Consumer>,
}

impl World {
    pub(crate) fn build(scenario: &Scenario) -> Result<World, ScenarioError> {
        let mut queues = Queue::build_all(scenario)?;
        let (groups, mut consumers) = ConsumerGroup::build_all(scenario)?;
        // Every consumer starts with full credit, in its queue's round-robin line.
        for (c, consumer) in consumers.iter_mut().enumerate() {
            queues[consumer.queue as usize].ready_consumers.push_back(c as u32);
            consumer.in_ready = true;
        }
        Ok(World { queues, groups, consumers })
    }
}

impl Sim {
    pub(crate) fn handle_amqp(&mut self, event: Event) {
        match event {
            Event::ServiceDone { consumer, epoch } => self.service_done(consumer, epoch),
        }
    }
}
