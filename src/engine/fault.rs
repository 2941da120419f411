//! Faults injected at scheduled times.

use super::Sim;
use crate::observe::Cause;
use crate::scenario::FaultAction;

impl Sim {
    /// Applies `scenario.faults[index]`, marking it first so that the
    /// engine's markers it causes point to it.
    pub(super) fn apply_fault(&mut self, index: u32) {
        let action = self.scenario.faults[index as usize].action.clone();
        self.mark_fault(&action);
        self.apply_fault_action(action);
        self.markers.applying = None;
    }

    fn apply_fault_action(&mut self, action: FaultAction) {
        match action {
            FaultAction::CrashConsumer(target) => {
                if let Some(c) = self.instance_index(&target.consumer, target.instance) {
                    self.crash_consumer(c, Cause::ConsumerCrash);
                } else {
                    self.apply_kafka_fault(&FaultAction::CrashConsumer(target));
                }
            }
            FaultAction::RestartConsumer(target) => {
                if let Some(c) = self.instance_index(&target.consumer, target.instance) {
                    self.restart_consumer(c);
                } else {
                    self.apply_kafka_fault(&FaultAction::RestartConsumer(target));
                }
            }
            FaultAction::CrashRequestHandler { flow, down_for } => {
                if let Some(f) = self.system.flows.iter().position(|fl| fl.name == flow) {
                    self.crash_request_handler(f as u32, down_for.0);
                }
            }
            FaultAction::ReplayDeadLetters(replay) => {
                // The scenario was validated, so the queue is a dead-letter queue.
                let _ = self.replay_dead_letters(&replay.queue, replay.limit);
            }
            FaultAction::CrashAmqpBroker(_) => self.crash_amqp_broker(),
            FaultAction::RestartAmqpBroker(_) => self.restart_amqp_broker(),
            other => self.apply_kafka_fault(&other),
        }
    }

    /// The flat index of instance `instance` of consumer group `name`.
    pub fn instance_index(&self, name: &str, instance: u32) -> Option<u32> {
        let group = self.amqp.groups.iter().position(|g| g.name == name)? as u32;
        self.amqp.consumers.iter().position(|c| c.group == group && c.instance == instance).map(|i| i as u32)
    }
}
