//! One vocabulary of actions, one file per family, as mini-redis's `cmd/`
//! has one file per command: a live command (`scenario::Command`) and a
//! scenario's fault (`scenario::FaultAction`) both become an `Action`, with
//! every name resolved to an index, and the family that owns the action
//! applies it (`amqp.rs`, `kafka.rs`, `system.rs`; a producer's rate is the
//! engine's own).
//!
//! A live command is checked (`Sim::check_command`, in `control.rs`) when it
//! is accepted, which is where its errors go back to the person who sent it.
//! Both a command and a fault resolve again at the instant they apply,
//! because what they name may have changed since: a group's instances grow
//! with `set_consumers` and autoscaling, and a replayed log was accepted
//! against the start of the run. A fault's names were checked when the
//! scenario was; one whose instance does not exist when it comes does
//! nothing, as a command's does.

mod amqp;
mod kafka;
mod system;

pub(crate) use amqp::AmqpAction;
pub(crate) use kafka::KafkaAction;
pub(crate) use system::{Busy, SystemAction};

use super::Sim;
use crate::scenario::FaultAction;

/// Something done to a running simulation, names resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Action {
    /// A producer's rate from now on.
    SetRate { producer: u32, rate: f64 },
    Amqp(AmqpAction),
    Kafka(KafkaAction),
    System(SystemAction),
}

impl Sim {
    /// Applies a resolved action at the current instant: the family that
    /// owns it does.
    pub(crate) fn apply_action(&mut self, action: Action) {
        match action {
            Action::SetRate { producer, rate } => self.set_rate(producer, rate),
            Action::Amqp(action) => self.apply_amqp(action),
            Action::Kafka(action) => self.apply_kafka(action),
            Action::System(action) => self.apply_system(action),
        }
    }

    /// Resolves a scenario fault's names now, as it applies. None when what
    /// it names is not there (an instance not started).
    pub(crate) fn resolve_fault(&self, fault: &FaultAction) -> Option<Action> {
        self.resolve_amqp_fault(fault)
            .map(Action::Amqp)
            .or_else(|| self.resolve_system_fault(fault).map(Action::System))
            .or_else(|| self.resolve_kafka_fault(fault).map(Action::Kafka))
    }
}
