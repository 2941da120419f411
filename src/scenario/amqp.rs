//! The queue family's part of the scenario format: exchanges and bindings,
//! the publishing options of producers, consumers' failure and dedup
//! policies, and their range and reference checks.
//!
//! The types live here rather than in `mod.rs` so that the family's format
//! can grow without touching the shared file; `mod.rs` only holds the fields
//! that point at them, and `validate.rs` calls the checks below in document
//! order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::validate::{fail, known};
use super::{ConsumerSpec, FaultAction, ProducerSpec, QueueSpec, Scenario, ScenarioError};
use crate::json::read::invalid_type;
use crate::json::{FromJson, Num, ReadError};
use crate::kernel::Dist;
use crate::time::Duration;

type Check = Result<(), ScenarioError>;

/// RocketMQ's 18 delay levels in seconds (the broker's default
/// `messageDelayLevel`, "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m
/// 1h 2h"): level 1 is 1 s, level 18 is 2 h.
pub const ROCKETMQ_DELAY_LEVELS: [u64; 18] =
    [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200];

/// The delay of RocketMQ level `level` (1 to 18).
pub fn rocketmq_delay(level: u8) -> Duration {
    Duration(ROCKETMQ_DELAY_LEVELS[usize::from(level) - 1] * crate::time::NANOS_PER_SEC)
}

/// An exchange: where producers publish, and which queues or exchanges it
/// routes each message to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExchangeSpec {
    pub name: String,
    /// The routing algorithm (`exchange.declare`'s `type`).
    #[serde(rename = "type")]
    pub kind: ExchangeKind,
    /// Where it routes to, in order.
    pub bindings: Vec<BindingSpec>,
    /// The exchange that receives what this one cannot route (RabbitMQ's
    /// `alternate-exchange`); none means such a message is dropped or
    /// returned to a mandatory publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternate_exchange: Option<String>,
}

crate::json::read_struct!(ExchangeSpec {
    name,
    kind as "type",
    bindings = Default::default,
    alternate_exchange = Default::default,
});

/// RabbitMQ's built-in exchange types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeKind {
    /// The binding key equals the routing key.
    Direct,
    /// Every binding takes every message.
    Fanout,
    /// The binding key is a pattern of dot-separated words with `*` and `#`.
    Topic,
    /// The binding's arguments are compared with the message's headers.
    Headers,
}

crate::json::read_enum!(ExchangeKind {
    "direct" => Direct,
    "fanout" => Fanout,
    "topic" => Topic,
    "headers" => Headers,
});

impl ExchangeKind {
    pub fn name(self) -> &'static str {
        match self {
            ExchangeKind::Direct => "direct",
            ExchangeKind::Fanout => "fanout",
            ExchangeKind::Topic => "topic",
            ExchangeKind::Headers => "headers",
        }
    }
}

/// One binding: exactly one destination, a queue or another exchange.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BindingSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
    /// The binding key: required by direct and topic exchanges, refused by
    /// fanout and headers exchanges (which ignore it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// A headers exchange's binding arguments, `x-match` included
    /// (`{"x-match": "any", "format": "pdf"}`); none matches every message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<BTreeMap<String, HeaderArg>>,
}

crate::json::read_struct!(BindingSpec {
    queue = Default::default,
    exchange = Default::default,
    key = Default::default,
    arguments = Default::default,
});

/// A header or binding-argument value as JSON writes it: a string, an
/// integer, a boolean, or `null` (AMQP's void, which as a binding argument
/// only asks that the header be present).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderArg {
    String(String),
    Int(i64),
    Bool(bool),
    Void,
}

impl Serialize for HeaderArg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            HeaderArg::String(s) => serializer.serialize_str(s),
            HeaderArg::Int(i) => serializer.serialize_i64(*i),
            HeaderArg::Bool(b) => serializer.serialize_bool(*b),
            HeaderArg::Void => serializer.serialize_unit(),
        }
    }
}

/// A header value in a JSON Schema: what `HeaderArg`'s reader takes (an
/// integer within i64).
#[cfg(not(target_arch = "wasm32"))]
impl crate::json::schema::JsonSchema for HeaderArg {
    fn schema(defs: &mut crate::json::schema::Definitions) -> serde_json::Value {
        defs.define("mqsim::scenario::amqp", "HeaderArg", |_| {
            serde_json::json!({
                "anyOf": [
                    { "type": ["string", "boolean", "null"] },
                    { "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX },
                ]
            })
        })
    }
}

/// serde_json's `Value` reader gives an integer that fits an `i64` as one
/// and refuses a larger one, a float and a container with this message.
impl FromJson for HeaderArg {
    fn read(value: &serde_json::Value) -> Result<HeaderArg, ReadError> {
        use serde_json::Value;
        match value {
            Value::String(s) => Ok(HeaderArg::String(s.clone())),
            Value::Bool(b) => Ok(HeaderArg::Bool(*b)),
            Value::Null => Ok(HeaderArg::Void),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Ok(HeaderArg::Int(i)),
                (None, Some(u)) => {
                    Err(ReadError::custom(format!("the integer {u} does not fit a 64-bit signed header value")))
                }
                _ => Err(invalid_type(value, HEADER_FORMS)),
            },
            _ => Err(invalid_type(value, HEADER_FORMS)),
        }
    }
}

const HEADER_FORMS: &str = "a string, an integer, true or false, or null";

/// The `x-match` binding argument of a RabbitMQ headers exchange.
///
/// A binding without `x-match` behaves as `All` (hence the `Default`).
/// RabbitMQ refuses to create a binding whose `x-match` is anything other
/// than the four values [`XMatch::parse`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum XMatch {
    /// Every counted argument must match; arguments named `x-…` are skipped.
    #[default]
    All,
    /// At least one counted argument must match; arguments named `x-…` are
    /// skipped.
    Any,
    /// Like `All`, but arguments named `x-…` count too (RabbitMQ 3.10+).
    AllWithX,
    /// Like `Any`, but arguments named `x-…` count too (RabbitMQ 3.10+).
    AnyWithX,
}

impl XMatch {
    /// The mode named by an `x-match` argument value, or `None` for a value
    /// RabbitMQ would reject.
    pub fn parse(value: &str) -> Option<XMatch> {
        match value {
            "all" => Some(XMatch::All),
            "any" => Some(XMatch::Any),
            "all-with-x" => Some(XMatch::AllWithX),
            "any-with-x" => Some(XMatch::AnyWithX),
            _ => None,
        }
    }

    /// The `x-match` argument value that selects this mode.
    pub fn as_str(self) -> &'static str {
        match self {
            XMatch::All => "all",
            XMatch::Any => "any",
            XMatch::AllWithX => "all-with-x",
            XMatch::AnyWithX => "any-with-x",
        }
    }
}


/// How long the broker holds a message before routing it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DelaySpec {
    /// The same delay for every message (RabbitMQ's delayed-message exchange, `x-delay`).
    Fixed(Duration),
    /// A delay drawn per message.
    Random(Dist),
    /// One of RocketMQ's 18 delay levels (1 = 1 s … 18 = 2 h).
    Level(u8),
    /// RocketMQ delay levels taken in turn, one per message.
    Levels(Vec<u8>),
}

crate::json::read_enum!(DelaySpec {
    "fixed" => Fixed(_),
    "random" => Random(_),
    "level" => Level(_),
    "levels" => Levels(_),
});

/// What a consumer does with a message whose processing failed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    /// `basic.reject` with requeue: back to its original place in the queue
    /// (for a message just delivered, the head); the return that exceeds the
    /// queue's `delivery_limit` dead-letters it instead.
    #[default]
    Requeue,
    /// `basic.reject` without requeue: dead-lettered at once (reason `rejected`).
    DeadLetter,
    /// Held for `backoff[n]` after the n-th failure, then requeued at the
    /// tail; after the last one, dead-lettered (reason `rejected`).
    Retry { backoff: Vec<Duration> },
}

crate::json::read_enum!(OnFailure {
    "requeue" => Requeue,
    "dead_letter" => DeadLetter,
    "retry" => Retry { backoff },
});

/// An idempotent consumer: it remembers the ids of messages it processed
/// for `window`, and acks a message it remembers without processing it again.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdempotentSpec {
    pub window: Duration,
}

crate::json::read_struct!(IdempotentSpec { window });

/// The producer sends requests and waits `timeout` for a reply in `queue`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplySpec {
    pub queue: String,
    pub timeout: Duration,
}

crate::json::read_struct!(ReplySpec { queue, timeout });

/// Moves dead letters from a dead-letter queue back to the queues they came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplaySpec {
    pub queue: String,
    /// At most this many, oldest first; none means all of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

crate::json::read_struct!(ReplaySpec { queue, limit = Default::default });

/// A fault that has no parameters: `{"crash_amqp_broker": {}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NoArgs {}
crate::json::read_struct!(NoArgs {});

pub(super) fn is_true(b: &bool) -> bool {
    *b
}

pub(super) fn yes() -> bool {
    true
}

impl Scenario {
    /// The index of the exchange called `name`, or an error at `path` listing the exchanges.
    pub fn exchange_index(&self, name: &str, path: &str) -> Result<u32, ScenarioError> {
        self.exchanges.iter().position(|x| x.name == name).map(|i| i as u32).ok_or_else(|| {
            ScenarioError::invalid(
                path,
                format!("no exchange is named \"{name}\"; {}", known(self.exchanges.iter().map(|x| &x.name))),
            )
        })
    }

    /// The queue-family rules of one queue.
    pub(super) fn check_queue_amqp(&self, queue: &QueueSpec, path: &str) -> Check {
        if queue.message_ttl.is_some_and(|ttl| ttl.0 == 0) {
            return fail(format!("{path}.message_ttl"), "must be above 0s (omit it for no TTL)");
        }
        if let Some(every) = queue.flush_every {
            if every.0 == 0 {
                return fail(format!("{path}.flush_every"), "must be above 0s (omit it to write to disk at once)");
            }
            if !queue.durable {
                return fail(format!("{path}.flush_every"), "a non-durable queue never writes to disk");
            }
        }
        if let Some(target) = &queue.dead_letter {
            if self.queues.iter().any(|q| q.name == *target && q.exclusive) {
                return fail(
                    format!("{path}.dead_letter"),
                    format!("\"{target}\" is exclusive: it exists only while its consumer is connected"),
                );
            }
        }
        if queue.exclusive && !self.consumers.iter().any(|c| c.queue.as_deref() == Some(queue.name.as_str())) {
            return fail(
                format!("{path}.exclusive"),
                "no consumer reads this queue; an exclusive queue exists only while its consumer is connected",
            );
        }
        Ok(())
    }

    /// Every exchange: names, binding destinations, keys and arguments.
    pub(super) fn check_exchanges(&self) -> Check {
        for (i, exchange) in self.exchanges.iter().enumerate() {
            let path = format!("exchanges[{i}]");
            for (j, binding) in exchange.bindings.iter().enumerate() {
                self.check_binding(exchange, binding, &format!("{path}.bindings[{j}]"))?;
            }
            if let Some(alternate) = &exchange.alternate_exchange {
                self.exchange_index(alternate, &format!("{path}.alternate_exchange"))?;
            }
        }
        Ok(())
    }

    fn check_binding(&self, exchange: &ExchangeSpec, binding: &BindingSpec, path: &str) -> Check {
        match (&binding.queue, &binding.exchange) {
            (Some(queue), None) => {
                self.queue_index(queue, &format!("{path}.queue"))?;
            }
            (None, Some(target)) => {
                self.exchange_index(target, &format!("{path}.exchange"))?;
            }
            _ => return fail(path, "needs exactly one destination: `queue` or `exchange`"),
        }
        let kind = exchange.kind;
        match (kind, &binding.key) {
            (ExchangeKind::Direct | ExchangeKind::Topic, None) => {
                let example = if kind == ExchangeKind::Topic { "\"orders.*.paid\"" } else { "\"orders.paid\"" };
                return fail(
                    format!("{path}.key"),
                    format!("a {} binding needs a `key`, such as {example}", kind.name()),
                );
            }
            (ExchangeKind::Fanout | ExchangeKind::Headers, Some(_)) => {
                return fail(
                    format!("{path}.key"),
                    format!("a {} exchange ignores binding keys; remove it", kind.name()),
                );
            }
            _ => {}
        }
        if let Some(arguments) = &binding.arguments {
            if kind != ExchangeKind::Headers {
                return fail(
                    format!("{path}.arguments"),
                    format!("only a headers exchange matches on arguments, and this one is {}", kind.name()),
                );
            }
            if let Some(mode) = arguments.get("x-match") {
                let valid = matches!(mode, HeaderArg::String(s) if XMatch::parse(s).is_some());
                if !valid {
                    return fail(
                        format!("{path}.arguments.x-match"),
                        "must be \"all\", \"any\", \"all-with-x\" or \"any-with-x\"",
                    );
                }
            }
        }
        Ok(())
    }

    /// A producer's destination (exactly one) and its publishing options.
    pub(super) fn check_producer_amqp(&self, producer: &ProducerSpec, path: &str) -> Check {
        match (&producer.queue, &producer.exchange) {
            (Some(queue), None) => {
                self.queue_index(queue, &format!("{path}.queue"))?;
            }
            (None, Some(exchange)) => {
                self.exchange_index(exchange, &format!("{path}.exchange"))?;
            }
            (Some(_), Some(_)) => {
                return fail(path, "has both `queue` and `exchange`; a producer publishes to exactly one destination");
            }
            (None, None) => return fail(path, "needs a destination: `queue` or `exchange`"),
        }
        if producer.exchange.is_none() {
            let only_with_exchange = [
                ("routing_key", producer.routing_key.is_some()),
                ("routing_keys", producer.routing_keys.is_some()),
                ("headers", producer.headers.is_some()),
                ("mandatory", producer.mandatory),
            ];
            if let Some((field, _)) = only_with_exchange.iter().find(|(_, set)| *set) {
                return fail(
                    format!("{path}.{field}"),
                    "applies only to a producer that publishes to an `exchange` (a `queue` producer uses the default exchange)",
                );
            }
        }
        if producer.routing_key.is_some() && producer.routing_keys.is_some() {
            return fail(format!("{path}.routing_keys"), "use either `routing_key` or `routing_keys`, not both");
        }
        if producer.routing_keys.as_ref().is_some_and(Vec::is_empty) {
            return fail(format!("{path}.routing_keys"), "needs at least one routing key");
        }
        if producer.ttl.is_some_and(|ttl| ttl.0 == 0) {
            return fail(format!("{path}.ttl"), "must be above 0s (omit it for no TTL)");
        }
        if let Some(delay) = &producer.delay {
            let at = format!("{path}.delay");
            match delay {
                DelaySpec::Fixed(d) if d.0 == 0 => {
                    return fail(format!("{at}.fixed"), "must be above 0s (omit `delay` for none)");
                }
                DelaySpec::Random(dist) => {
                    dist.check().map_err(|message| ScenarioError::invalid(format!("{at}.random"), message))?;
                }
                DelaySpec::Level(level) => check_level(*level, &format!("{at}.level"))?,
                DelaySpec::Levels(levels) => {
                    if levels.is_empty() {
                        return fail(format!("{at}.levels"), "needs at least one level");
                    }
                    for (k, level) in levels.iter().enumerate() {
                        check_level(*level, &format!("{at}.levels[{k}]"))?;
                    }
                }
                DelaySpec::Fixed(_) => {}
            }
        }
        if let Some(reply) = &producer.reply {
            self.queue_index(&reply.queue, &format!("{path}.reply.queue"))?;
            if producer.queue.as_ref() == Some(&reply.queue) {
                return fail(format!("{path}.reply.queue"), "replies need a queue of their own, not the request queue");
            }
            if reply.timeout.0 == 0 {
                return fail(format!("{path}.reply.timeout"), "must be above 0s");
            }
        }
        Ok(())
    }

    /// A consumer's acknowledgement, failure and dedup options.
    pub(super) fn check_consumer_amqp(&self, consumer: &ConsumerSpec, path: &str) -> Check {
        let manual = consumer.ack == super::AckMode::Manual;
        if let Some(timeout) = consumer.ack_timeout {
            if timeout.0 == 0 {
                return fail(format!("{path}.ack_timeout"), "must be above 0s (omit it to wait forever)");
            }
            if !manual {
                return fail(format!("{path}.ack_timeout"), "applies to manual acks; with auto ack nothing is awaited");
            }
        }
        let p = consumer.ack_loss_probability;
        if !(0.0..=1.0).contains(&p) {
            return fail(format!("{path}.ack_loss_probability"), format!("must be a probability from 0 to 1, got {}", Num(p)));
        }
        if p > 0.0 && !manual {
            return fail(
                format!("{path}.ack_loss_probability"),
                "applies to manual acks; with auto ack there is none to lose",
            );
        }
        if consumer.on_failure != OnFailure::Requeue && !manual {
            return fail(
                format!("{path}.on_failure"),
                "applies to manual acks; with auto ack the broker has already forgotten a message that fails",
            );
        }
        if let OnFailure::Retry { backoff } = &consumer.on_failure {
            if backoff.is_empty() {
                return fail(
                    format!("{path}.on_failure.retry.backoff"),
                    "needs at least one delay, such as [\"1s\", \"5s\", \"30s\"]",
                );
            }
            if let Some(k) = backoff.iter().position(|d| d.0 == 0) {
                return fail(format!("{path}.on_failure.retry.backoff[{k}]"), "must be above 0s");
            }
        }
        if consumer.idempotent.as_ref().is_some_and(|i| i.window.0 == 0) {
            return fail(format!("{path}.idempotent.window"), "must be above 0s");
        }
        Ok(())
    }

    /// The queue family's faults.
    pub(super) fn check_fault_amqp(&self, action: &FaultAction, path: &str) -> Check {
        if let FaultAction::ReplayDeadLetters(replay) = action {
            let at = format!("{path}.replay_dead_letters");
            self.queue_index(&replay.queue, &format!("{at}.queue"))?;
            if !self.queues.iter().any(|q| q.dead_letter.as_ref() == Some(&replay.queue)) {
                let dlqs = known(self.queues.iter().filter_map(|q| q.dead_letter.as_ref()));
                return fail(
                    format!("{at}.queue"),
                    format!("\"{}\" is not a dead-letter queue (no queue dead-letters into it); {dlqs}", replay.queue),
                );
            }
            if replay.limit == Some(0) {
                return fail(format!("{at}.limit"), "must be at least 1 (omit it to replay all)");
            }
        }
        Ok(())
    }
}

fn check_level(level: u8, path: &str) -> Check {
    if !(1..=18).contains(&level) {
        let levels: Vec<String> = ROCKETMQ_DELAY_LEVELS
            .iter()
            .map(|&s| match s {
                s if s % 3600 == 0 => format!("{}h", s / 3600),
                s if s % 60 == 0 => format!("{}m", s / 60),
                s => format!("{s}s"),
            })
            .collect();
        return fail(path, format!("RocketMQ delay levels are 1 to 18 ({}), got {level}", levels.join(" ")));
    }
    Ok(())
}

/// What a consumer publishes after processing a message.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EmitSpec {
    /// Queues that receive the next event when the step succeeds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub publish: Vec<String>,
    /// The step is declined (a business outcome, not a crash) with this
    /// probability; the message is still acked. Default 0.
    pub decline_probability: f64,
    /// Queues that receive the event announcing a declined step, which the
    /// earlier steps' compensations listen to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_decline: Vec<String>,
}

crate::json::read_struct!(EmitSpec {
    publish = Default::default,
    decline_probability = Default::default,
    on_decline = Default::default,
});
