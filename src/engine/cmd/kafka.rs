//! The log family's actions: scale a group, crash, restart (join), leave,
//! pause, resume or slow a member, crash or restart a broker, slow its
//! replication, add partitions, change a producer's acks or a group's commit
//! mode, let a group skip non-critical records.

use crate::engine::Sim;
use crate::scenario::{Acks, CommitMode, FaultAction};
use crate::time::SimTime;

/// A log-family action, names resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) enum KafkaAction {
    Members { group: u32, count: u32 },
    Crash { member: u32 },
    /// A restart, or a join of a member that has not started or has left.
    Restart { member: u32 },
    Leave { member: u32 },
    Pause { member: u32, paused: bool },
    Slow { member: u32, factor: f64 },
    CrashBroker { broker: u32 },
    RestartBroker { broker: u32 },
    SlowReplication { broker: u32, delay: SimTime },
    AddPartitions { topic: u32, partitions: u32 },
    SetAcks { producer: u32, acks: Acks },
    SetCommit { group: u32, commit: CommitMode },
    SkipNonCritical { group: u32 },
}

impl Sim {
    /// The log family's reading of a fault, if it is one of its own (a
    /// consumer crash or restart names a topic consumer's member that exists
    /// now).
    pub(super) fn resolve_kafka_fault(&self, fault: &FaultAction) -> Option<KafkaAction> {
        let member = |name: &str, instance: u32| self.kafka.member_index(name, instance);
        Some(match fault {
            FaultAction::CrashBroker(b) => KafkaAction::CrashBroker { broker: b.broker },
            FaultAction::RestartBroker(b) => KafkaAction::RestartBroker { broker: b.broker },
            FaultAction::SlowReplication(s) => KafkaAction::SlowReplication { broker: s.broker, delay: s.fetch_delay.0 },
            FaultAction::AddPartitions(add) => {
                let t = self.kafka.topics.iter().position(|t| t.name == add.topic)?;
                KafkaAction::AddPartitions { topic: t as u32, partitions: add.partitions }
            }
            FaultAction::CrashConsumer(t) => KafkaAction::Crash { member: member(&t.consumer, t.instance)? },
            FaultAction::RestartConsumer(t) | FaultAction::JoinGroup(t) => {
                KafkaAction::Restart { member: member(&t.consumer, t.instance)? }
            }
            FaultAction::LeaveGroup(t) => KafkaAction::Leave { member: member(&t.consumer, t.instance)? },
            FaultAction::PauseConsumer(t) => KafkaAction::Pause { member: member(&t.consumer, t.instance)?, paused: true },
            FaultAction::ResumeConsumer(t) => KafkaAction::Pause { member: member(&t.consumer, t.instance)?, paused: false },
            FaultAction::SlowConsumer(s) => KafkaAction::Slow { member: member(&s.consumer, s.instance)?, factor: s.factor },
            FaultAction::SkipNonCritical(group) => {
                let g = self.kafka.groups.iter().position(|g| g.name == group.consumer)?;
                KafkaAction::SkipNonCritical { group: g as u32 }
            }
            _ => return None,
        })
    }

    pub(super) fn apply_kafka(&mut self, action: KafkaAction) {
        match action {
            KafkaAction::Members { group, count } => self.kafka.set_kafka_members(&mut self.cx, group, count),
            KafkaAction::Crash { member } => self.kafka.crash_member(&mut self.cx, member),
            KafkaAction::Restart { member } => self.kafka.join_member(&mut self.cx, member),
            KafkaAction::Leave { member } => self.kafka.leave_member(&mut self.cx, member),
            KafkaAction::Pause { member, paused } => self.kafka.pause_member(&mut self.cx, member, paused),
            KafkaAction::Slow { member, factor } => self.kafka.slow_member(member, factor),
            KafkaAction::CrashBroker { broker } => self.kafka.crash_broker(&mut self.cx, broker),
            KafkaAction::RestartBroker { broker } => self.kafka.restart_broker(&mut self.cx, broker),
            KafkaAction::SlowReplication { broker, delay } => self.kafka.set_replication_delay(broker, delay),
            KafkaAction::AddPartitions { topic, partitions } => self.kafka.add_partitions(&mut self.cx, topic, partitions),
            KafkaAction::SetAcks { producer, acks } => self.kafka.producers[producer as usize].settings.acks = acks,
            KafkaAction::SetCommit { group, commit } => self.kafka.set_commit_mode(&mut self.cx, group, commit),
            KafkaAction::SkipNonCritical { group } => self.kafka.skip_non_critical(group),
        }
    }
}
