//! The bad-input catalogue: every scenario mqsim must refuse, with the JSON
//! path its error names and a phrase the message says. One list, checked
//! natively (`tests/*scenario_errors.rs`), through the CLI (`tests/cli.rs`)
//! and through the wasm `Simulation` constructor (`tests/wasm_bad_input.rs`).
//!
//! Each family has a small valid scenario that each case breaks in one place.

use serde_json::{Value, json};

/// One scenario that must be refused.
pub struct BadInput {
    /// What is wrong, for failure messages.
    pub name: &'static str,
    /// The scenario text.
    pub text: String,
    /// The JSON path the error names ("" for a syntax error, which names a line).
    pub path: &'static str,
    /// A phrase the error says.
    pub says: &'static str,
}

impl BadInput {
    fn new(name: &'static str, doc: Value, path: &'static str, says: &'static str) -> BadInput {
        BadInput { name, text: doc.to_string(), path, says }
    }

    fn text(name: &'static str, text: String, says: &'static str) -> BadInput {
        BadInput { name, text, path: "", says }
    }

    /// Checks an error message against the case: one line, naming the path
    /// (or a line and column, for a syntax error) and saying the phrase.
    pub fn check(&self, message: &str) {
        let name = self.name;
        if self.path.is_empty() {
            assert!(message.contains("scenario is not valid JSON (line "), "{name}: expected a syntax error with its line, got: {message}");
        } else {
            assert!(message.contains(&format!("`{}`", self.path)), "{name}: expected path `{}` in: {message}", self.path);
        }
        assert!(message.contains(self.says), "{name}: expected \"{}\" in: {message}", self.says);
        assert!(!message.contains('\n'), "{name}: errors are one line: {message}");
    }
}

/// `doc` with the value at `path` (object keys and array indices) replaced.
pub fn set(mut doc: Value, path: &[&str], value: Value) -> Value {
    let mut at = &mut doc;
    for key in &path[..path.len() - 1] {
        at = match key.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*key],
        };
    }
    let last = path[path.len() - 1];
    match last.parse::<usize>() {
        Ok(i) => at[i] = value,
        Err(_) => at[last] = value,
    }
    doc
}

/// `doc` without the key at `path`.
fn without(mut doc: Value, path: &[&str]) -> Value {
    let mut at = &mut doc;
    for key in &path[..path.len() - 1] {
        at = match key.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*key],
        };
    }
    at.as_object_mut().expect("an object").remove(path[path.len() - 1]);
    doc
}

/// The whole catalogue.
pub fn catalogue() -> Vec<BadInput> {
    let mut all = queue_cases();
    all.extend(amqp_cases());
    all.extend(kafka_cases());
    all
}

/// A small valid queue scenario.
pub fn queue_base() -> Value {
    json!({
        "name": "t",
        "seed": 1,
        "duration": "10s",
        "queues": [{ "name": "q" }, { "name": "dlq" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "poisson": { "rate": 100 } } }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "5ms" } }]
    })
}

/// Syntax, types, ranges, references and budgets, on the plain queue scenario.
pub fn queue_cases() -> Vec<BadInput> {
    let with = |path: &[&str], value: Value| set(queue_base(), path, value);
    let text = queue_base().to_string();
    let rate = |value: &str| text.replace("\"rate\":100", &format!("\"rate\":{value}"));
    vec![
        // Truncated JSON is a syntax error with a position.
        BadInput::text("truncated JSON", text[..text.len() / 2].to_string(), "EOF while parsing"),
        // Text after the scenario (a second object, a stray bracket) is not ignored.
        BadInput::text("trailing text", format!("{text}\n}}"), "trailing characters"),
        // JSON has no NaN or infinity: both are syntax errors, not a rate.
        BadInput::text("NaN rate", rate("NaN"), "expected value"),
        BadInput::text("infinite rate", rate("1e999"), "number out of range"),
        // A negative rate names the rate's path and the allowed range.
        BadInput::new("negative rate", with(&["producers", "0", "arrivals"], json!({ "poisson": { "rate": -5 } })), "producers[0].arrivals.poisson.rate", "must be a rate above 0"),
        // A zero rate is as wrong as a negative one.
        BadInput::new("zero rate", with(&["producers", "0", "arrivals"], json!({ "constant": { "rate": 0 } })), "producers[0].arrivals.constant.rate", "above 0"),
        // A huge rate beyond what nanosecond time can space is rejected.
        BadInput::new("huge rate", with(&["producers", "0", "arrivals"], json!({ "poisson": { "rate": 1e300 } })), "producers[0].arrivals.poisson.rate", "at most"),
        // A first key without keys: an unkeyed producer has none to start from.
        BadInput::new("first key without keys", with(&["producers", "0", "first_key"], json!(5)), "producers[0].first_key", "needs `keys` of at least 1"),
        // A replayed CSV with a malformed row names the row's line.
        BadInput::new("bad CSV row", with(&["producers", "0", "arrivals"], json!({ "shaped": { "process": "even", "rate": { "replay_csv": "time,count\n0s,100\n1s;300\n" } } })), "producers[0].arrivals.shaped.rate.replay_csv", "line 3: expected \"time,count\""),
        // An unknown field is named with its path and the fields that are allowed.
        BadInput::new("unknown field", with(&["consumers", "0", "prefech"], json!(5)), "consumers[0].prefech", "unknown field `prefech`, expected one of"),
        // A key given twice in one object is ambiguous.
        BadInput { name: "duplicate key", text: text.replace("\"name\":\"c\"", "\"name\":\"c\",\"name\":\"d\""), path: "consumers[0]", says: "duplicate field `name`" },
        // A producer that publishes to a queue that does not exist lists the queues.
        BadInput::new("unknown queue", with(&["producers", "0", "queue"], json!("orders")), "producers[0].queue", "no queue is named \"orders\"; known: \"q\", \"dlq\""),
        // A dead-letter target must be a queue of the scenario.
        BadInput::new("unknown dead-letter queue", with(&["queues", "0", "dead_letter"], json!("nowhere")), "queues[0].dead_letter", "no queue is named \"nowhere\""),
        // Prefetch 0 would mean "unlimited" in RabbitMQ; mqsim asks for a number.
        BadInput::new("prefetch 0", with(&["consumers", "0", "prefetch"], json!(0)), "consumers[0].prefetch", "must be from 1 to 65535"),
        // A consumer group with no instances is rejected.
        BadInput::new("zero consumers", with(&["consumers", "0", "count"], json!(0)), "consumers[0].count", "at least 1"),
        // A wrong type names the path and the expected type.
        BadInput::new("wrong type", with(&["seed"], json!("seven")), "seed", "expected u64"),
        // A number where a distribution is expected.
        BadInput::new("number for a distribution", with(&["consumers", "0", "service"], json!(5)), "consumers[0].service", "expected string or map"),
        // A duration without a unit says which units exist.
        BadInput::new("duration without a unit", with(&["duration"], json!("10")), "duration", "units ns, us, ms, s, m, h, d"),
        // A duration beyond simulated time's range is an error, not an overflow.
        BadInput::new("overflowing duration", with(&["duration"], json!("99999999999h")), "duration", "584 years"),
        // Two queues with one name are ambiguous.
        BadInput::new("duplicate queue names", with(&["queues", "1", "name"], json!("q")), "queues[1].name", "used twice"),
        // A scenario with no queues has nothing to simulate.
        BadInput::new("empty topology", with(&["queues"], json!([])), "queues", "at least one queue"),
        // An unknown distribution names the ones that exist.
        BadInput::new("unknown distribution", with(&["consumers", "0", "service"], json!({ "pareto": { "alpha": 2 } })), "consumers[0].service", "unknown variant `pareto`"),
        // A fault that targets a consumer instance that does not exist is rejected.
        BadInput::new(
            "fault on an unknown instance",
            with(&["faults"], json!([{ "at": "1s", "action": { "crash_consumer": { "consumer": "c", "instance": 3 } } }])),
            "faults[0].action.crash_consumer.instance",
            "instances 0 to 0",
        ),
        // A probability outside [0, 1] is rejected.
        BadInput::new("probability above 1", with(&["consumers", "0", "failure_probability"], json!(1.5)), "consumers[0].failure_probability", "from 0 to 1"),
        // A scenario that would produce more messages than its budget is refused
        // before it runs, rather than exhausting memory.
        BadInput::new("over the message budget", with(&["max_messages"], json!(500)), "max_messages", "would produce about 1000 messages"),
    ]
}

/// A valid scenario with exchanges, a DLQ, a delayed request producer and a
/// retrying consumer. Its exchanges `x` and `y` bind to each other: an
/// exchange-to-exchange cycle is allowed (RabbitMQ routes through it and
/// delivers once per queue), so it is not in the catalogue.
pub fn amqp_base() -> Value {
    json!({
        "name": "t",
        "seed": 1,
        "duration": "10s",
        "queues": [{ "name": "q", "dead_letter": "dlq" }, { "name": "dlq" }, { "name": "replies" }],
        "exchanges": [
            { "name": "x", "type": "topic", "bindings": [{ "queue": "q", "key": "a.#" }, { "exchange": "y", "key": "#" }] },
            { "name": "y", "type": "fanout", "bindings": [{ "queue": "q" }, { "exchange": "x" }] },
            { "name": "h", "type": "headers", "bindings": [{ "queue": "q", "arguments": { "x-match": "any", "n": 1 } }] }
        ],
        "producers": [
            { "name": "p", "exchange": "x", "routing_key": "a.b", "arrivals": { "poisson": { "rate": 100 } },
              "delay": { "level": 3 }, "reply": { "queue": "replies", "timeout": "1s" } },
            { "name": "direct", "queue": "q", "arrivals": { "poisson": { "rate": 10 } } }
        ],
        "consumers": [
            { "name": "c", "queue": "q", "service": { "constant": "5ms" },
              "on_failure": { "retry": { "backoff": ["1s", "5s", "30s"] } }, "ack_timeout": "30s" },
            { "name": "r", "queue": "replies", "service": { "constant": "1ms" } }
        ]
    })
}

/// The queue family: exchanges, bindings, delays, replies, acks, retries, replays.
pub fn amqp_cases() -> Vec<BadInput> {
    let with = |path: &[&str], value: Value| set(amqp_base(), path, value);
    let fault = |action: Value| with(&["faults"], json!([{ "at": "1s", "action": action }]));
    let exclusive_dlq = with(&["queues", "1", "exclusive"], json!(true));
    let auto_ack_r = set(with(&["consumers", "1", "ack"], json!("auto")), &["consumers", "1", "on_failure"], json!("dead_letter"));
    vec![
        BadInput::new("binding to an unknown queue", with(&["exchanges", "1", "bindings", "0", "queue"], json!("nowhere")), "exchanges[1].bindings[0].queue", "no queue is named \"nowhere\""),
        BadInput::new("binding to an unknown exchange", with(&["exchanges", "0", "bindings", "1", "exchange"], json!("z")), "exchanges[0].bindings[1].exchange", "no exchange is named \"z\"; known: \"x\", \"y\", \"h\""),
        BadInput::new("binding with two destinations", with(&["exchanges", "1", "bindings", "0", "exchange"], json!("x")), "exchanges[1].bindings[0]", "exactly one destination"),
        BadInput::new("topic binding without a key", without(amqp_base(), &["exchanges", "0", "bindings", "0", "key"]), "exchanges[0].bindings[0].key", "a topic binding needs a `key`"),
        BadInput::new("fanout binding with a key", with(&["exchanges", "1", "bindings", "0", "key"], json!("#")), "exchanges[1].bindings[0].key", "a fanout exchange ignores binding keys"),
        BadInput::new("arguments on a topic binding", with(&["exchanges", "0", "bindings", "0", "arguments"], json!({ "a": 1 })), "exchanges[0].bindings[0].arguments", "only a headers exchange matches on arguments"),
        BadInput::new("unknown x-match", with(&["exchanges", "2", "bindings", "0", "arguments", "x-match"], json!("some")), "exchanges[2].bindings[0].arguments.x-match", "\"all\", \"any\", \"all-with-x\" or \"any-with-x\""),
        BadInput::new("fractional header argument", with(&["exchanges", "2", "bindings", "0", "arguments", "n"], json!(1.5)), "exchanges[2].bindings[0].arguments.n", "a string, an integer, true or false, or null"),
        BadInput::new("unknown exchange type", with(&["exchanges", "0", "type"], json!("x-delayed")), "exchanges[0].type", "unknown variant"),
        BadInput::new("unknown alternate exchange", with(&["exchanges", "0", "alternate_exchange"], json!("ae")), "exchanges[0].alternate_exchange", "no exchange is named \"ae\""),
        BadInput::new("duplicate exchange names", with(&["exchanges", "1", "name"], json!("x")), "exchanges[1].name", "used twice"),
        BadInput::new("producer with two destinations", with(&["producers", "0", "queue"], json!("q")), "producers[0]", "needs exactly one destination: `queue`, `exchange` or `topic`"),
        BadInput::new("producer with no destination", without(amqp_base(), &["producers", "1", "queue"]), "producers[1]", "needs exactly one destination: `queue`, `exchange` or `topic`"),
        BadInput::new("producer to an unknown exchange", with(&["producers", "0", "exchange"], json!("nope")), "producers[0].exchange", "no exchange is named"),
        BadInput::new("routing key without an exchange", with(&["producers", "1", "routing_key"], json!("a")), "producers[1].routing_key", "applies only to a producer that publishes to an `exchange`"),
        BadInput::new("two routing-key forms", with(&["producers", "0", "routing_keys"], json!(["a"])), "producers[0].routing_keys", "either `routing_key` or `routing_keys`"),
        BadInput::new("delay level 19", with(&["producers", "0", "delay"], json!({ "level": 19 })), "producers[0].delay.level", "RocketMQ delay levels are 1 to 18 (1s 5s 10s 30s 1m 2m"),
        BadInput::new("delay level 0 in a list", with(&["producers", "0", "delay"], json!({ "levels": [1, 0] })), "producers[0].delay.levels[1]", "1 to 18"),
        BadInput::new("zero fixed delay", with(&["producers", "0", "delay"], json!({ "fixed": "0s" })), "producers[0].delay.fixed", "above 0s"),
        BadInput::new("unknown reply queue", with(&["producers", "0", "reply", "queue"], json!("inbox")), "producers[0].reply.queue", "no queue is named \"inbox\""),
        BadInput::new("zero TTL", with(&["producers", "0", "ttl"], json!("0s")), "producers[0].ttl", "above 0s"),
        BadInput::new("ack timeout with auto-ack", with(&["consumers", "0", "ack"], json!("auto")), "consumers[0].ack_timeout", "applies to manual acks"),
        BadInput::new("failure policy with auto-ack", auto_ack_r, "consumers[1].on_failure", "applies to manual acks"),
        BadInput::new("ack-loss probability above 1", with(&["consumers", "1", "ack_loss_probability"], json!(2)), "consumers[1].ack_loss_probability", "from 0 to 1"),
        BadInput::new("empty retry backoff", with(&["consumers", "0", "on_failure"], json!({ "retry": { "backoff": [] } })), "consumers[0].on_failure.retry.backoff", "at least one delay"),
        BadInput::new("zero retry delay", with(&["consumers", "0", "on_failure"], json!({ "retry": { "backoff": ["1s", "0s"] } })), "consumers[0].on_failure.retry.backoff[1]", "above 0s"),
        BadInput::new("unknown failure policy", with(&["consumers", "0", "on_failure"], json!("give_up")), "consumers[0].on_failure", "unknown variant `give_up`"),
        BadInput::new("replay from a queue that is not a DLQ", fault(json!({ "replay_dead_letters": { "queue": "q" } })), "faults[0].action.replay_dead_letters.queue", "not a dead-letter queue"),
        BadInput::new("replay limit 0", fault(json!({ "replay_dead_letters": { "queue": "dlq", "limit": 0 } })), "faults[0].action.replay_dead_letters.limit", "at least 1"),
        BadInput::new("dead letters into an exclusive queue", exclusive_dlq.clone(), "queues[0].dead_letter", "\"dlq\" is exclusive"),
        BadInput::new("exclusive queue without a consumer", without(exclusive_dlq, &["queues", "0", "dead_letter"]), "queues[1].exclusive", "no consumer reads this queue"),
        BadInput::new("broker fault with an argument", fault(json!({ "crash_amqp_broker": { "hard": true } })), "faults[0].action.crash_amqp_broker.hard", "unknown field `hard`, there are no fields"),
    ]
}

/// A small valid Kafka scenario.
pub fn kafka_base() -> Value {
    json!({
        "name": "t",
        "seed": 1,
        "duration": "10s",
        "cluster": { "brokers": 3 },
        "topics": [{ "name": "orders", "partitions": 3, "replication_factor": 3, "min_insync_replicas": 2 }],
        "producers": [{ "name": "p", "topic": "orders", "keys": 10, "arrivals": { "poisson": { "rate": 100 } }, "kafka": { "acks": "all" } }],
        "consumers": [{ "name": "g", "topic": "orders", "count": 2, "service": { "constant": "5ms" }, "kafka": { "assignor": "range" } }]
    })
}

/// The log family: topics, replication, producers' and groups' settings, faults.
pub fn kafka_cases() -> Vec<BadInput> {
    let with = |path: &[&str], value: Value| set(kafka_base(), path, value);
    let fault = |action: Value| with(&["faults"], json!([{ "at": "1s", "action": action }]));
    let with_queue = |doc: Value| set(doc, &["queues"], json!([{ "name": "q" }]));
    let mut pause_queue_consumer = with_queue(kafka_base());
    pause_queue_consumer["consumers"].as_array_mut().unwrap().push(json!({ "name": "w", "queue": "q", "service": { "constant": "1ms" } }));
    pause_queue_consumer["faults"] = json!([{ "at": "1s", "action": { "pause_consumer": { "consumer": "w" } } }]);
    vec![
        BadInput::new("producer to a queue and a topic", with(&["producers", "0", "queue"], json!("q")), "producers[0]", "needs exactly one destination: `queue`, `exchange` or `topic`"),
        BadInput::new("producer to an unknown topic", with(&["producers", "0", "topic"], json!("order")), "producers[0].topic", "no topic is named \"order\"; known: \"orders\""),
        BadInput::new("consumer of an unknown topic", with(&["consumers", "0", "topic"], json!("x")), "consumers[0].topic", "no topic is named \"x\""),
        BadInput::new("zero partitions", with(&["topics", "0", "partitions"], json!(0)), "topics[0].partitions", "from 1 to"),
        BadInput::new("keys beyond the per-key detector's range", set(with(&["producers", "0", "keys"], json!(10)), &["producers", "0", "first_key"], json!(999_995)), "producers[0].first_key", "first_key + keys must be at most 1000000 on a topic"),
        BadInput::new("more replicas than brokers", with(&["topics", "0", "replication_factor"], json!(4)), "topics[0].replication_factor", "from 1 to the cluster's 3 broker(s)"),
        BadInput::new("min.insync above the replication factor", with(&["topics", "0", "min_insync_replicas"], json!(4)), "topics[0].min_insync_replicas", "from 1 to the replication factor (3)"),
        BadInput::new("unknown acks", with(&["producers", "0", "kafka", "acks"], json!("2")), "producers[0].kafka.acks", "expected one of `0`, `1`, `-1`, `all`"),
        BadInput::new("idempotence with acks 1", with(&["producers", "0", "kafka"], json!({ "acks": "1", "idempotent": true })), "producers[0].kafka.idempotent", "needs acks \"all\""),
        BadInput::new("delivery timeout below a request", with(&["producers", "0", "kafka"], json!({ "request_timeout": "30s", "delivery_timeout": "10s" })), "producers[0].kafka.delivery_timeout", "at least linger + request_timeout"),
        BadInput::new(
            "Kafka settings on a queue producer",
            set(with_queue(kafka_base()), &["producers", "0"], json!({ "name": "p", "queue": "q", "arrivals": { "poisson": { "rate": 1 } }, "kafka": {} })),
            "producers[0].kafka",
            "applies to producers with a `topic`",
        ),
        BadInput::new("prefetch on a topic consumer", with(&["consumers", "0", "prefetch"], json!(10)), "consumers[0].prefetch", "kafka.max_poll_records"),
        BadInput::new("unknown assignor", with(&["consumers", "0", "kafka", "assignor"], json!("sticky-cooperative")), "consumers[0].kafka.assignor", "expected one of `range`, `round_robin`, `sticky`, `cooperative_sticky`"),
        BadInput::new("crash of an unknown broker", fault(json!({ "crash_broker": { "broker": 3 } })), "faults[0].action.crash_broker.broker", "brokers 0 to 2, not 3"),
        BadInput::new("shrinking a topic", fault(json!({ "add_partitions": { "topic": "orders", "partitions": 2 } })), "faults[0].action.add_partitions.partitions", "Kafka cannot remove partitions"),
        BadInput::new("group fault on an unknown member", fault(json!({ "leave_group": { "consumer": "g", "instance": 2 } })), "faults[0].action.leave_group.instance", "instances 0 to 1, not 2"),
        BadInput::new("group fault on a queue consumer", pause_queue_consumer, "faults[0].action.pause_consumer.consumer", "applies to topic consumers"),
        BadInput::new("slowdown factor below 1", fault(json!({ "slow_consumer": { "consumer": "g", "factor": 0.5 } })), "faults[0].action.slow_consumer.factor", "from 1 (normal speed) to 1000"),
        BadInput::new("unknown Kafka setting", with(&["producers", "0", "kafka", "lingerms"], json!(5)), "producers[0].kafka.lingerms", "unknown field `lingerms`"),
        BadInput::new("neither queues nor topics", with(&["topics"], json!([])), "queues", "at least one queue (or a topic"),
    ]
}
