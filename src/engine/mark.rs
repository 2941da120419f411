//! Keeping markers (see `observe::markers`): each fault and live action
//! when it is applied, each event of the engine that changes the system,
//! and the edges of services' scheduled outages as the run reaches them,
//! each with its subject named as the page names it. Observation only: no
//! random draw, no scheduled event, nothing in the trace hash.

use super::{Command, Sim};
use crate::observe::markers::{Detail, MarkerKind, Source};
use crate::observe::topology::Subject;
use crate::scenario::FaultAction;

impl Sim {
    /// The markers kept so far.
    pub fn markers(&self) -> &crate::observe::Markers {
        &self.cx.markers
    }

    /// Keeps the scheduled markers due by now, and names the engine's
    /// markers kept since the last call (their subjects are the worlds'
    /// names, which the context does not know). Names never change once
    /// given, so naming after the events that made them is the same as
    /// naming at once.
    #[inline]
    pub(crate) fn settle_markers(&mut self) {
        self.cx.note_scheduled_markers();
        if !self.cx.unnamed.is_empty() {
            self.name_markers();
        }
    }

    #[inline(never)]
    fn name_markers(&mut self) {
        for (index, at, node) in std::mem::take(&mut self.cx.unnamed) {
            let subject = self.subject_name(at, node);
            self.cx.markers.name(index, subject);
        }
    }

    /// Marks a scenario fault about to be applied; the engine markers it
    /// causes point to it until `markers.applying` is cleared.
    pub(super) fn mark_fault(&mut self, action: &FaultAction) {
        let subject = match action {
            FaultAction::CrashConsumer(r)
            | FaultAction::RestartConsumer(r)
            | FaultAction::JoinGroup(r)
            | FaultAction::LeaveGroup(r)
            | FaultAction::PauseConsumer(r)
            | FaultAction::ResumeConsumer(r) => instance(&r.consumer, r.instance),
            FaultAction::CrashRequestHandler { flow, .. } => flow.clone(),
            FaultAction::ReplayDeadLetters(replay) => replay.queue.clone(),
            // The queue family has one broker, which needs no name.
            FaultAction::CrashAmqpBroker(_) | FaultAction::RestartAmqpBroker(_) => String::new(),
            FaultAction::CrashBroker(b) | FaultAction::RestartBroker(b) => broker(b.broker),
            FaultAction::SlowReplication(s) => broker(s.broker),
            FaultAction::AddPartitions(a) => a.topic.clone(),
            FaultAction::SlowConsumer(s) => instance(&s.consumer, s.instance),
            FaultAction::SkipNonCritical(g) => g.consumer.clone(),
        };
        let kind = MarkerKind::Named(action.json_name());
        self.cx.markers.applying = self.cx.mark(kind, subject, Source::Fault, Some(Detail::Fault(action.clone())));
    }

    /// Marks a live command about to be applied, as `mark_fault` does.
    pub(super) fn mark_action(&mut self, command: &Command) {
        let subject = match command {
            Command::SetRate { producer, .. } | Command::SetAcks { producer, .. } => producer.clone(),
            Command::SetConsumers { consumer, .. }
            | Command::SetPrefetch { consumer, .. }
            | Command::SetCommit { consumer, .. } => consumer.clone(),
            Command::CrashConsumer(r) | Command::RestartConsumer(r) => instance(&r.consumer, r.instance),
            Command::SlowConsumer { consumer, instance: i, .. } => instance(consumer, *i),
            Command::ServiceDown { service } | Command::ServiceUp { service } => service.clone(),
            Command::CrashBroker { broker: b } | Command::RestartBroker { broker: b } => broker(*b),
            Command::AddPartitions { topic, .. } => topic.clone(),
        };
        let kind = MarkerKind::Named(command.json_name());
        self.cx.markers.applying = self.cx.mark(kind, subject, Source::Action, Some(Detail::Command(command.clone())));
    }

    /// A journal event's node, named as the page names it.
    fn subject_name(&self, at: Subject, node: u32) -> String {
        let n = node as usize;
        let name = match at {
            Subject::Queue => self.amqp.queues.get(n).map(|q| q.name.clone()),
            Subject::Consumer => self.amqp.consumers.get(n).map(|c| instance(&self.amqp.groups[c.group as usize].name, c.instance)),
            Subject::Producer => self.scenario.producers.get(n).map(|p| p.name.clone()),
            Subject::Partition => self
                .kafka
                .partitions
                .get(n)
                .map(|p| format!("{}-{}", self.kafka.topics[p.topic as usize].name, p.index)),
            Subject::Member => self.kafka.members.get(n).map(|m| instance(&self.kafka.groups[m.group as usize].name, m.instance)),
            Subject::Group => self.kafka.groups.get(n).map(|g| g.name.clone()),
            Subject::KafkaProducer => self.kafka.producers.get(n).map(|p| p.name.clone()),
            Subject::Broker => Some(broker(node)),
            Subject::Other => None,
        };
        name.unwrap_or_default()
    }
}

/// A consumer instance or group member as the page names it: `worker#0`.
fn instance(group: &str, instance: u32) -> String {
    format!("{group}#{instance}")
}

/// A Kafka broker as the page names it.
fn broker(id: u32) -> String {
    format!("broker {id}")
}
