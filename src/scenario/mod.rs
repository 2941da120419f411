//! Scenario files: what to simulate, as strict JSON.
//!
//! A scenario describes a topology (queues, producers, consumers), its workload,
//! the faults to inject, how long to run and the seed. Parsing is strict: an
//! unknown field, a wrong type or an out-of-range value is a `ScenarioError`
//! that names the JSON path and says what is allowed. Optional fields have the
//! defaults written next to them here and in `docs/scenario.md`; a present but
//! invalid value is never replaced by a default.

pub mod amqp;
pub mod autoscale;
pub mod command;
mod error;
pub mod kafka;
pub mod presets;
pub mod system;
mod validate;

use serde::Serialize;

pub use amqp::{
    BindingSpec, DelaySpec, ExchangeKind, ExchangeSpec, HeaderArg, IdempotentSpec, NoArgs, OnFailure, ReplaySpec,
    ReplySpec,
};
pub use command::{Command, ControlError, TimedCommand};
pub use error::ScenarioError;
pub use kafka::{
    Acks, AddPartitions, AssignorKind, BrokerRef, ClusterSpec, CommitMode, ConsumerKafka, OffsetReset, PartitionerKind,
    ProcessingOrder, ProducerKafka, RetentionSpec, SlowConsumer, SlowReplication, TopicSpec,
};

use crate::kernel::Dist;
use crate::time::Duration;

/// A complete scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// The JSON Schema this file follows, for editors to complete and check
    /// it against (`schema/scenario.schema.json`; the presets give its path
    /// relative to `scenarios/`). The simulation ignores it.
    #[serde(rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// A short identifier, e.g. "peak-shaving".
    pub name: String,
    /// What the scenario shows, in a sentence or two.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The seed of the run's one random stream.
    pub seed: u64,
    /// How much simulated time to run.
    pub duration: Duration,
    /// The interval between time-series samples. Default "100ms".
    pub sample_every: Duration,
    /// An upper bound on messages produced, so that a mistyped rate cannot
    /// exhaust memory. Default 20,000,000.
    pub max_messages: u64,
    /// The queues (the queue family). Default none; a scenario needs at
    /// least one queue or topic.
    pub queues: Vec<QueueSpec>,
    /// AMQP exchanges (the queue family); a producer may publish to one
    /// instead of straight into a queue.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<ExchangeSpec>,
    /// The Kafka cluster the topics live on. Default: one broker with
    /// Kafka's default timings (see `scenario/kafka.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterSpec>,
    /// The topics (the log family). Default none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<TopicSpec>,
    /// The sources of messages, each publishing to a queue, an exchange or a topic.
    pub producers: Vec<ProducerSpec>,
    /// The consumer groups, each reading a queue or a topic.
    pub consumers: Vec<ConsumerSpec>,
    /// Faults injected at fixed simulated times. Default none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultSpec>,
    /// Downstream services that requests and consumers call.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<system::ServiceSpec>,
    /// User requests and the steps each one runs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<system::RequestSpec>,
}

crate::json::read_struct!(Scenario {
    schema as "$schema" = Default::default,
    name,
    description = Default::default,
    seed,
    duration,
    sample_every = default_sample_every,
    max_messages = default_max_messages,
    queues = Default::default,
    exchanges = Default::default,
    cluster = Default::default,
    topics = Default::default,
    producers = Default::default,
    consumers = Default::default,
    faults = Default::default,
    services = Default::default,
    requests = Default::default,
});

fn default_sample_every() -> Duration {
    Duration(100 * crate::time::NANOS_PER_MILLI)
}

fn default_max_messages() -> u64 {
    20_000_000
}

/// A FIFO queue (RabbitMQ's classic queue).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueSpec {
    /// The queue's name, unique among the queues.
    pub name: String,
    /// The most ready messages the queue holds; none means unbounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// What a full queue does with one more message. Default "drop_head".
    /// (RabbitMQ's `reject-publish-dlx` is not modelled; docs/semantics.md.)
    pub overflow: Overflow,
    /// How many times a message that keeps failing may be returned (rejected
    /// with requeue) and still be redelivered: the return that exceeds it
    /// dead-letters the message (reason `delivery_limit`), so a message that
    /// always fails is delivered `delivery_limit + 1` times, as RabbitMQ
    /// quorum queues' `x-delivery-limit` counts; every return counts, a
    /// crashed consumer's unacked messages included. None means retry
    /// forever. The queue still puts returned messages back at their
    /// original position, as a classic queue does; a quorum queue orders
    /// returns differently (docs/semantics.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_limit: Option<u32>,
    /// The queue that receives this queue's dead letters; none means they
    /// are dropped. RabbitMQ's `x-dead-letter-exchange: ""` with this
    /// queue's name as `x-dead-letter-routing-key`; other dead-letter
    /// exchanges and `x-death` counts are not modelled (docs/semantics.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letter: Option<String>,
    /// How long a message may wait in this queue (RabbitMQ `x-message-ttl`);
    /// an expired message is dead-lettered (reason `expired`) or discarded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_ttl: Option<Duration>,
    /// The queue survives a broker restart, and so do its persistent
    /// messages once written to disk. Default true.
    #[serde(skip_serializing_if = "amqp::is_true")]
    pub durable: bool,
    /// Persistent messages reach the disk in batches this far apart (and
    /// only then are they confirmed); none means at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flush_every: Option<Duration>,
    /// The queue exists only while a consumer of it is connected, like a
    /// NATS core subscription or RabbitMQ's exclusive server-named queues:
    /// messages published while it is gone are missed. Default false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

crate::json::read_struct!(QueueSpec {
    name,
    max_length = Default::default,
    overflow = Default::default,
    delivery_limit = Default::default,
    dead_letter = Default::default,
    message_ttl = Default::default,
    durable = amqp::yes,
    flush_every = Default::default,
    exclusive = Default::default,
});

/// RabbitMQ's `x-overflow` policies for a queue at its max-length.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overflow {
    /// Discard (or dead-letter) the oldest ready message to make room.
    #[default]
    DropHead,
    /// Refuse the new message.
    RejectPublish,
    /// Make the publisher wait until there is room (backpressure, as
    /// RabbitMQ's flow control blocks a publishing connection). Messages the
    /// broker moves itself (retries, dead letters, replays) are not blocked.
    Block,
}

crate::json::read_enum!(Overflow {
    "drop_head" => DropHead,
    "reject_publish" => RejectPublish,
    "block" => Block,
});

/// A source of messages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProducerSpec {
    /// The producer's name, unique among the producers.
    pub name: String,
    /// The queue it publishes to (through the default exchange). A producer
    /// has exactly one destination: `queue`, `exchange` or `topic`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// The exchange it publishes to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
    /// The routing key of every message; `{key}` in it is replaced by the
    /// message key (0..keys). Default "".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_key: Option<String>,
    /// Routing keys used in turn, one per message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_keys: Option<Vec<String>>,
    /// The headers every message carries (for headers exchanges).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<std::collections::BTreeMap<String, HeaderArg>>,
    /// An unroutable message is returned to the producer (`basic.return`)
    /// instead of being dropped. Default false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub mandatory: bool,
    /// Messages are persistent (`delivery_mode` 2): in a durable queue they
    /// survive a broker crash once written to disk. Default false, as in RabbitMQ.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub persistent: bool,
    /// The producer uses publisher confirms. Default false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub confirm: bool,
    /// Each message's time to live (the `expiration` property).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<Duration>,
    /// The broker holds each message this long before routing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<DelaySpec>,
    /// The messages are requests: each expects a reply in a queue within a timeout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<ReplySpec>,
    /// The Kafka topic it produces to (exactly one of `queue`, `exchange` and `topic`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Kafka producer settings; only with `topic`. Default: Kafka's defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kafka: Option<ProducerKafka>,
    /// When messages arrive.
    pub arrivals: Arrivals,
    /// When the producer starts. Default "0s".
    pub start: Duration,
    /// When it stops; none means it runs to the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<Duration>,
    /// How many messages it sends at most; none means no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Messages are keyed 0..keys round-robin; 0 (the default) means unkeyed.
    pub keys: u32,
    /// The first of the producer's keys: it cycles through `first_key` ..
    /// `first_key + keys − 1`. Producers with their own key ranges and their
    /// own arrival shapes make a per-key mix (a hot key, a key that
    /// spikes). Default 0.
    #[serde(skip_serializing_if = "is_default")]
    pub first_key: u32,
    /// The fraction of its messages that are poison: every attempt to process
    /// one fails (a malformed payload, say). Default 0.
    pub poison_fraction: f64,
    /// The fraction of its messages that are not critical (analytics, logs):
    /// a backlog emergency may skip them. Default 0.
    pub non_critical_fraction: f64,
}

crate::json::read_struct!(ProducerSpec {
    name,
    queue = Default::default,
    exchange = Default::default,
    routing_key = Default::default,
    routing_keys = Default::default,
    headers = Default::default,
    mandatory = Default::default,
    persistent = Default::default,
    confirm = Default::default,
    ttl = Default::default,
    delay = Default::default,
    reply = Default::default,
    topic = Default::default,
    kafka = Default::default,
    arrivals,
    start = Default::default,
    stop = Default::default,
    count = Default::default,
    keys = Default::default,
    first_key = Default::default,
    poison_fraction = Default::default,
    non_critical_fraction = Default::default,
});

/// Where a producer's messages go, its name resolved to an index when the
/// simulation is built. Each family adds its own destinations (an exchange
/// with a routing key, a Kafka topic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Straight into a queue (AMQP's default exchange routes by queue name).
    Queue(u32),
    /// An AMQP exchange, which routes by the producer's routing keys and
    /// headers (see `amqp::Publisher`).
    Exchange(u32),
    /// To a Kafka topic, through log-family producer `n`'s accumulator.
    Topic(u32),
}

/// The arrival process of a producer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrivals {
    /// Evenly spaced: exactly `rate` messages per second.
    Constant { rate: f64 },
    /// A Poisson process: `rate` per second on average, exponential gaps.
    Poisson { rate: f64 },
    /// Gaps drawn from any distribution.
    Every(Dist),
    /// A rate that changes over time: a spike, a step, a ramp, a daily sine or
    /// a replayed table; arrivals evenly spaced or Poisson.
    Shaped { process: Process, rate: crate::kernel::profile::RateShape },
}

crate::json::read_enum!(Arrivals {
    "constant" => Constant { rate },
    "poisson" => Poisson { rate },
    "every" => Every(_),
    "shaped" => Shaped { process, rate },
});

impl Arrivals {
    /// The arrival process that draws these arrivals, over a run of `run_length`.
    pub fn process(&self, run_length: crate::time::SimTime) -> crate::kernel::ArrivalProcess {
        use crate::kernel::ArrivalProcess;
        match self {
            Arrivals::Constant { rate } => ArrivalProcess::even(*rate),
            Arrivals::Poisson { rate } => ArrivalProcess::renewal(Dist::poisson_gaps(*rate)),
            Arrivals::Every(dist) => ArrivalProcess::renewal(dist.clone()),
            Arrivals::Shaped { process, rate } => ArrivalProcess::shaped(rate.compile(run_length), *process == Process::Poisson),
        }
    }
}

/// How arrivals are spread at a given rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Process {
    /// Evenly spaced (deterministic): exactly the rate.
    Even,
    /// Random (Poisson): the rate on average.
    Poisson,
}

crate::json::read_enum!(Process { "even" => Even, "poisson" => Poisson });

/// A group of identical consumers sharing one queue (competing consumers).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsumerSpec {
    /// The group's name, unique among the consumers (on a topic, its
    /// consumer group's id).
    pub name: String,
    /// The queue they consume from (exactly one of `queue` and `topic`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// The Kafka topic they consume as one consumer group named `name`
    /// (exactly one of `queue` and `topic`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Kafka consumer group settings; only with `topic`. Default: Kafka's defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kafka: Option<ConsumerKafka>,
    /// How many instances. Default 1.
    pub count: u32,
    /// How long one message takes to process.
    pub service: Dist,
    /// Unacknowledged deliveries allowed per consumer (`basic.qos`). Default 1.
    pub prefetch: u32,
    /// Acknowledgement mode. Default "manual".
    pub ack: AckMode,
    /// Chance that processing a message fails (the consumer then rejects it
    /// with requeue). Default 0.
    pub failure_probability: f64,
    /// A downstream service each message needs (see `services`): its latency
    /// adds to processing, and while it is down the consumer holds its
    /// message and retries until the service is back. Default: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls: Option<String>,
    /// A token bucket each instance obeys before it starts a message, as the
    /// seeds' `rate.NewLimiter`. Default: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<system::RateLimit>,
    /// Events to publish after processing (choreography, sagas). Default: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emits: Option<amqp::EmitSpec>,
    /// Add and remove instances on the queue's backlog. Default: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoscale: Option<autoscale::AutoscaleSpec>,
    /// What happens to a message whose processing failed. Default "requeue".
    #[serde(skip_serializing_if = "is_default")]
    pub on_failure: OnFailure,
    /// A delivery not acked this long after it was made is taken back and
    /// redelivered (a visibility timeout; JetStream's `ack_wait`); none means
    /// the broker waits forever. A consumer that crashes gives its unacked
    /// deliveries back at once either way, where JetStream waits for
    /// `ack_wait` (docs/semantics.md, "Where mqsim differs from NATS").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ack_timeout: Option<Duration>,
    /// Chance that an ack, sent after the work is done, never reaches the
    /// broker. Default 0.
    pub ack_loss_probability: f64,
    /// The consumer deduplicates by message id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotent: Option<IdempotentSpec>,
}

crate::json::read_struct!(ConsumerSpec {
    name,
    queue = Default::default,
    topic = Default::default,
    kafka = Default::default,
    count = one,
    service,
    prefetch = one,
    ack = Default::default,
    failure_probability = Default::default,
    calls = Default::default,
    rate_limit = Default::default,
    emits = Default::default,
    autoscale = Default::default,
    on_failure = Default::default,
    ack_timeout = Default::default,
    ack_loss_probability = Default::default,
    idempotent = Default::default,
});

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn one() -> u32 {
    1
}

/// How a consumer acknowledges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AckMode {
    /// The consumer acks after processing; a crash returns unacked messages.
    #[default]
    Manual,
    /// The broker forgets a message once it is sent; a crash loses what the
    /// consumer held. RabbitMQ ignores prefetch in this mode.
    Auto,
}

crate::json::read_enum!(AckMode { "manual" => Manual, "auto" => Auto });

/// A fault injected at a fixed simulated time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FaultSpec {
    /// When it happens, in simulated time.
    pub at: Duration,
    /// What happens.
    pub action: FaultAction,
}

crate::json::read_struct!(FaultSpec { at, action });

/// What a fault does, and to what.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// The consumer instance dies: what it holds is redelivered (manual ack)
    /// or lost (auto ack).
    CrashConsumer(InstanceRef),
    /// The consumer instance comes back and takes deliveries again.
    RestartConsumer(InstanceRef),
    /// The process that handles a request flow crashes: requests in progress
    /// fail (a message it was publishing is lost), and new ones fail until it
    /// restarts `down_for` later.
    CrashRequestHandler { flow: String, down_for: Duration },
    /// Moves dead letters back to the queues they were dead-lettered from.
    ReplayDeadLetters(ReplaySpec),
    /// The queue family's broker crashes: transient messages, and persistent
    /// ones not yet on disk, are lost; publishing fails until it restarts.
    CrashAmqpBroker(NoArgs),
    /// The broker comes back with what it had on disk.
    RestartAmqpBroker(NoArgs),
    /// A Kafka broker dies; the controller fences it after the cluster's
    /// `broker_session_timeout` and elects new leaders for its partitions.
    CrashBroker(BrokerRef),
    /// A crashed broker comes back; its replicas truncate to their leaders'
    /// logs and catch up.
    RestartBroker(BrokerRef),
    /// A broker's follower fetches take `fetch_delay` per round from now on.
    SlowReplication(SlowReplication),
    /// A topic grows to more partitions; keyed records map anew.
    AddPartitions(AddPartitions),
    /// A topic consumer instance that has not started (see
    /// `kafka.initial_members`) or has left joins its group.
    JoinGroup(InstanceRef),
    /// A topic consumer instance finishes its batch, commits and leaves its
    /// group (a graceful shutdown).
    LeaveGroup(InstanceRef),
    /// A topic consumer instance stops fetching (`KafkaConsumer.pause`),
    /// staying in its group.
    PauseConsumer(InstanceRef),
    /// A paused topic consumer instance fetches again.
    ResumeConsumer(InstanceRef),
    /// A topic consumer instance's processing slows down by a factor.
    SlowConsumer(SlowConsumer),
    /// A topic consumer group starts acking non-critical records without
    /// processing them (a backlog emergency measure).
    SkipNonCritical(GroupRef),
}

crate::json::read_enum!(FaultAction {
    "crash_consumer" => CrashConsumer(_),
    "restart_consumer" => RestartConsumer(_),
    "crash_request_handler" => CrashRequestHandler { flow, down_for },
    "replay_dead_letters" => ReplayDeadLetters(_),
    "crash_amqp_broker" => CrashAmqpBroker(_),
    "restart_amqp_broker" => RestartAmqpBroker(_),
    "crash_broker" => CrashBroker(_),
    "restart_broker" => RestartBroker(_),
    "slow_replication" => SlowReplication(_),
    "add_partitions" => AddPartitions(_),
    "join_group" => JoinGroup(_),
    "leave_group" => LeaveGroup(_),
    "pause_consumer" => PauseConsumer(_),
    "resume_consumer" => ResumeConsumer(_),
    "slow_consumer" => SlowConsumer(_),
    "skip_non_critical" => SkipNonCritical(_),
});

/// One instance of a consumer group: `{"consumer": "worker", "instance": 0}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InstanceRef {
    /// The consumer group's `name`.
    pub consumer: String,
    /// The instance's index in the group, from 0. Default 0.
    pub instance: u32,
}

crate::json::read_struct!(InstanceRef { consumer, instance = Default::default });

/// A consumer group: `{"consumer": "billing"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRef {
    /// The consumer group's `name`.
    pub consumer: String,
}

crate::json::read_struct!(GroupRef { consumer });

impl Scenario {
    /// The JSON Schema of a scenario file (`schema/scenario.schema.json`,
    /// written by `tests/schema.rs`), from the readers' field lists, with the
    /// descriptions `docs` gives. Native only: the wasm has no use for it.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn schema(docs: crate::json::schema::Docs<'_>) -> serde_json::Value {
        crate::json::schema::document::<Scenario>(docs, "Scenario", "mqsim scenario")
    }

    /// Parses and validates a scenario.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = crate::json::parse(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    pub fn to_json_pretty(&self) -> String {
        // serde_json's pretty layout, through the writer the wasm API uses for
        // everything else (src/json.rs checks the two agree).
        crate::json::write(self, crate::json::Style::Pretty).expect("a scenario always serializes")
    }
}
