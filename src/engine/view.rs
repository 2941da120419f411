//! The read-only views the engine hands out: what the layers above the
//! families (the topology, the summary) read of a run, without the `Sim`.

use super::Sim;
use crate::amqp::choreography::StepSummary;
use crate::amqp::deadletter::{DeadLetter, QueuedMessage};
use crate::amqp::DelayedMessage;
use crate::amqp::inspect::AmqpSummary;
use crate::kafka;
use crate::kafka::view::{KafkaSummary, SummaryView};
use crate::observe::Topology;
use crate::observe::topology::Worlds;

impl Sim {
    /// Every world, read-only, for drawing the topology.
    pub fn worlds(&self) -> Worlds<'_> {
        Worlds {
            now: self.now(),
            scenario: &self.scenario,
            producers: self.producers.iter().map(|p| (p.target, p.sent)).collect(),
            amqp: &self.amqp,
            system: &self.system,
            kafka: &self.kafka,
        }
    }
}

/// The queue family's answers to the front ends, which ask the `Sim`.
impl Sim {
    /// Moves up to `limit` ready dead letters (oldest first; all when
    /// `None`) from dead-letter queue `queue` back to the queues they were
    /// dead-lettered from (see `amqp::deadletter`). Returns how many moved,
    /// or an error naming the queue if it is not a dead-letter queue.
    pub fn replay_dead_letters(&mut self, queue: &str, limit: Option<u64>) -> Result<u64, String> {
        self.amqp.replay_dead_letters(&mut self.cx, &mut self.system, queue, limit)
    }

    /// The ready dead letters in dead-letter queue `queue`, oldest first, at
    /// most `limit` of them.
    pub fn dead_letters(&self, queue: &str, limit: usize) -> Result<Vec<DeadLetter>, String> {
        self.amqp.dead_letters(&self.cx, queue, limit)
    }

    /// The ready messages of any queue `queue`, head first, at most `limit`.
    pub fn queued_messages(&self, queue: &str, limit: usize) -> Result<Vec<QueuedMessage>, String> {
        self.amqp.queued_messages(&self.cx, queue, limit)
    }

    /// The held messages, earliest due first, at most `limit` of them.
    pub fn delayed_messages(&self, limit: usize) -> Vec<DelayedMessage> {
        self.amqp.delayed_messages(&self.cx, limit)
    }

    /// Every consumer group that publishes follow-up events.
    pub fn choreography_summary(&self) -> Vec<StepSummary> {
        self.amqp.choreography_summary()
    }

    /// The queue family's part of the summary.
    pub fn amqp_summary(&self) -> AmqpSummary {
        self.amqp.amqp_summary(&self.cx, &self.scenario.producers)
    }
}

/// The log family's answers to the front ends and the tests.
impl Sim {
    /// The log family's world, read-only (for the summary, tests and the page).
    pub fn kafka(&self) -> &kafka::World {
        &self.kafka
    }

    /// The log family's part of the summary; none for a scenario without topics.
    pub fn kafka_summary(&self) -> Option<KafkaSummary> {
        let producers = self.producers.iter().map(|p| (p.target, p.rate_changed())).collect();
        KafkaSummary::of(&SummaryView { kafka: &self.kafka, now: self.now(), scenario: &self.scenario, producers })
    }

    /// Member `m` crashes (a live command or a fault does this).
    pub fn crash_member(&mut self, m: u32) {
        self.kafka.crash_member(&mut self.cx, m);
    }

    /// Pauses member `m`'s fetching (`KafkaConsumer.pause()`), or resumes it.
    pub fn pause_member(&mut self, m: u32, paused: bool) {
        self.kafka.pause_member(&mut self.cx, m, paused);
    }

    /// Multiplies member `m`'s service times by `factor` from now on (1 restores).
    pub fn slow_member(&mut self, m: u32, factor: f64) {
        self.kafka.slow_member(m, factor);
    }

    /// Member `m` joins its group.
    pub fn join_member(&mut self, m: u32) {
        self.kafka.join_member(&mut self.cx, m);
    }

    /// Member `m` leaves its group.
    pub fn leave_member(&mut self, m: u32) {
        self.kafka.leave_member(&mut self.cx, m);
    }

    /// Broker `b` crashes.
    pub fn crash_broker(&mut self, b: u32) {
        self.kafka.crash_broker(&mut self.cx, b);
    }

    /// Broker `b` restarts.
    pub fn restart_broker(&mut self, b: u32) {
        self.kafka.restart_broker(&mut self.cx, b);
    }

    /// Sets how long broker `b`'s follower fetch rounds take.
    pub fn set_replication_delay(&mut self, b: u32, delay: crate::time::SimTime) {
        self.kafka.set_replication_delay(b, delay);
    }

    /// Topic `t` grows to `total` partitions.
    pub fn add_partitions(&mut self, t: u32, total: u32) {
        self.kafka.add_partitions(&mut self.cx, t, total);
    }
}

impl Topology {
    /// The topology of `sim` as it is now: `Topology::of_worlds` over
    /// `sim.worlds()`. Written here, with the engine, because the topology
    /// lives below the engine and cannot name the `Sim`.
    pub fn of(sim: &Sim) -> Topology {
        Topology::of_worlds(&sim.worlds())
    }
}
