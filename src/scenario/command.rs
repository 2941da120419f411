//! The command vocabulary: what a person does to a running simulation, and
//! what a scenario's `faults` schedule. This module holds the commands as
//! data (what JSON they read from, and the names they carry); the engine
//! resolves the names once, when a command is accepted, and each family
//! applies its own (see `engine::control`).

use serde::Serialize;

use super::{Acks, CommitMode, InstanceRef};
use crate::time::Duration;

/// Something a person does to a running simulation. Externally tagged, like
/// the scenario's enums: `{"set_rate": {"producer": "app", "rate": 500}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// A producer's rate from now on, in messages per second; 0 pauses it.
    /// Evenly spaced arrivals stay evenly spaced and random ones Poisson (a
    /// shaped rate becomes this constant rate).
    SetRate { producer: String, rate: f64 },
    /// How many instances of a consumer group run. Scaling in stops the
    /// highest-numbered running instances abruptly, as a crash does (their
    /// unacknowledged messages go back to the queue, or are lost under auto
    /// ack); scaling out restarts stopped instances, then adds new ones.
    SetConsumers { consumer: String, count: u32 },
    /// A consumer group's prefetch (`basic.qos`) from now on. Messages an
    /// instance already holds beyond a lowered limit stay with it.
    SetPrefetch { consumer: String, prefetch: u32 },
    /// An instance dies: what it holds is redelivered (manual ack) or lost (auto ack).
    CrashConsumer(InstanceRef),
    /// A stopped instance comes back with full credit.
    RestartConsumer(InstanceRef),
    /// A service goes down until `service_up`: user requests calling it fail,
    /// consumers calling it hold their message and wait.
    ServiceDown { service: String },
    /// A service taken down by `service_down` is back.
    ServiceUp { service: String },
    /// An instance's service times are multiplied by `factor` from now on
    /// (1 restores its speed); work already started keeps its duration.
    SlowConsumer { consumer: String, instance: u32, factor: f64 },
    /// A Kafka broker dies: partitions it led elect new leaders once the
    /// controller fences it, and its followers leave the ISR.
    CrashBroker { broker: u32 },
    /// A crashed Kafka broker comes back and its replicas catch up.
    RestartBroker { broker: u32 },
    /// A Kafka topic grows to `partitions` (Kafka cannot remove partitions):
    /// keyed records map anew and every group reading it rebalances. The
    /// series has per-partition columns only for the partitions the scenario
    /// declares; the group totals count every partition.
    AddPartitions { topic: String, partitions: u32 },
    /// A Kafka producer's `acks` from now on. Requests already sent keep the
    /// acks they were sent with, as a real produce request does.
    SetAcks { producer: String, acks: Acks },
    /// A Kafka consumer group's commit mode from now on.
    SetCommit { consumer: String, commit: CommitMode },
}

crate::json::read_enum!(Command {
    "set_rate" => SetRate { producer, rate },
    "set_consumers" => SetConsumers { consumer, count },
    "set_prefetch" => SetPrefetch { consumer, prefetch },
    "crash_consumer" => CrashConsumer(_),
    "restart_consumer" => RestartConsumer(_),
    "service_down" => ServiceDown { service },
    "service_up" => ServiceUp { service },
    "slow_consumer" => SlowConsumer { consumer, instance, factor },
    "crash_broker" => CrashBroker { broker },
    "restart_broker" => RestartBroker { broker },
    "add_partitions" => AddPartitions { topic, partitions },
    "set_acks" => SetAcks { producer, acks },
    "set_commit" => SetCommit { consumer, commit },
});

/// A command and the simulated time at which it applies; a run's log of
/// live actions is a list of these (`{"at": "5.2s", "command": {…}}`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimedCommand {
    pub at: Duration,
    pub command: Command,
}

crate::json::read_struct!(TimedCommand { at, command });

/// A command that cannot be applied, and where the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlError {
    /// The JSON path of the offending value ("" for the command as a whole).
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ControlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "command: {}", self.message)
        } else {
            write!(f, "command at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ControlError {}

pub(crate) fn fail<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, ControlError> {
    Err(ControlError { path: path.into(), message: message.into() })
}

/// Parses JSON strictly, naming the path of the first problem.
fn parse<T: crate::json::FromJson>(text: &str) -> Result<T, ControlError> {
    crate::json::parse(text).map_err(|err| match err {
        crate::json::JsonError::Syntax { line, column, message } => {
            ControlError { path: String::new(), message: format!("not valid JSON (line {line}, column {column}): {message}") }
        }
        crate::json::JsonError::Invalid { path, message } => ControlError { path, message },
    })
}

impl Command {
    /// Parses one command from JSON.
    pub fn from_json(text: &str) -> Result<Command, ControlError> {
        parse(text)
    }

    /// The variant's name, as written in JSON (from `read_enum!`'s table).
    pub fn name(&self) -> &'static str {
        self.json_name()
    }
}

impl TimedCommand {
    /// Parses a log of timed commands (a JSON array).
    pub fn log_from_json(text: &str) -> Result<Vec<TimedCommand>, ControlError> {
        parse(text)
    }
}
