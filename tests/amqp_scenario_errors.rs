//! Bad queue-family scenarios are rejected with one line that names the JSON
//! path and says what is allowed.

mod common;

use common::{assert_error, error_of};
use serde_json::{Value, json};

/// A valid scenario with exchanges, a DLQ, a delayed request producer and a
/// retrying consumer, which each test breaks in one place.
fn valid() -> Value {
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

fn with(path: &[&str], value: Value) -> Value {
    common::set(valid(), path, value)
}

/// The base scenario is valid, exchange cycle included.
#[test]
fn the_base_scenario_is_valid() {
    assert_eq!(error_of(valid()), "accepted");
}

/// A binding to a queue that does not exist names the binding's path.
#[test]
fn binding_to_unknown_queue_is_rejected() {
    assert_error(
        with(&["exchanges", "1", "bindings", "0", "queue"], json!("nowhere")),
        "exchanges[1].bindings[0].queue",
        "no queue is named \"nowhere\"",
    );
}

/// A binding to an exchange that does not exist names the binding's path.
#[test]
fn binding_to_unknown_exchange_is_rejected() {
    assert_error(
        with(&["exchanges", "0", "bindings", "1", "exchange"], json!("z")),
        "exchanges[0].bindings[1].exchange",
        "no exchange is named \"z\"; known: \"x\", \"y\", \"h\"",
    );
}

/// A binding has exactly one destination.
#[test]
fn binding_with_two_destinations_is_rejected() {
    let doc = with(&["exchanges", "1", "bindings", "0", "exchange"], json!("x"));
    assert_error(doc, "exchanges[1].bindings[0]", "exactly one destination");
}

/// A topic binding needs a key, and a fanout binding refuses one.
#[test]
fn binding_keys_follow_the_exchange_type() {
    let mut doc = valid();
    doc["exchanges"][0]["bindings"][0].as_object_mut().unwrap().remove("key");
    assert_error(doc, "exchanges[0].bindings[0].key", "a topic binding needs a `key`");
    assert_error(
        with(&["exchanges", "1", "bindings", "0", "key"], json!("#")),
        "exchanges[1].bindings[0].key",
        "a fanout exchange ignores binding keys",
    );
}

/// Only headers exchanges take arguments, and `x-match` has four values.
#[test]
fn headers_arguments_are_checked() {
    assert_error(
        with(&["exchanges", "0", "bindings", "0", "arguments"], json!({ "a": 1 })),
        "exchanges[0].bindings[0].arguments",
        "only a headers exchange matches on arguments",
    );
    assert_error(
        with(&["exchanges", "2", "bindings", "0", "arguments", "x-match"], json!("some")),
        "exchanges[2].bindings[0].arguments.x-match",
        "\"all\", \"any\", \"all-with-x\" or \"any-with-x\"",
    );
    assert_error(
        with(&["exchanges", "2", "bindings", "0", "arguments", "n"], json!(1.5)),
        "exchanges[2].bindings[0].arguments.n",
        "a string, an integer, true or false, or null",
    );
}

/// An unknown exchange type lists the four.
#[test]
fn unknown_exchange_type_is_rejected() {
    assert_error(with(&["exchanges", "0", "type"], json!("x-delayed")), "exchanges[0].type", "unknown variant");
}

/// An alternate exchange must exist.
#[test]
fn unknown_alternate_exchange_is_rejected() {
    assert_error(
        with(&["exchanges", "0", "alternate_exchange"], json!("ae")),
        "exchanges[0].alternate_exchange",
        "no exchange is named \"ae\"",
    );
}

/// Two exchanges with one name are ambiguous.
#[test]
fn duplicate_exchange_names_are_rejected() {
    assert_error(with(&["exchanges", "1", "name"], json!("x")), "exchanges[1].name", "used twice");
}

/// A producer has exactly one destination.
#[test]
fn producer_needs_exactly_one_destination() {
    assert_error(with(&["producers", "0", "queue"], json!("q")), "producers[0]", "needs exactly one destination: `queue`, `exchange` or `topic`");
    let mut doc = valid();
    doc["producers"][1].as_object_mut().unwrap().remove("queue");
    assert_error(doc, "producers[1]", "needs exactly one destination: `queue`, `exchange` or `topic`");
    assert_error(with(&["producers", "0", "exchange"], json!("nope")), "producers[0].exchange", "no exchange is named");
}

/// Routing options belong to exchange producers, and one routing-key form at a time.
#[test]
fn routing_options_need_an_exchange() {
    assert_error(
        with(&["producers", "1", "routing_key"], json!("a")),
        "producers[1].routing_key",
        "applies only to a producer that publishes to an `exchange`",
    );
    assert_error(
        with(&["producers", "0", "routing_keys"], json!(["a"])),
        "producers[0].routing_keys",
        "either `routing_key` or `routing_keys`",
    );
}

/// RocketMQ has delay levels 1 to 18.
#[test]
fn delay_levels_are_one_to_eighteen() {
    assert_error(
        with(&["producers", "0", "delay"], json!({ "level": 19 })),
        "producers[0].delay.level",
        "RocketMQ delay levels are 1 to 18 (1s 5s 10s 30s 1m 2m",
    );
    assert_error(
        with(&["producers", "0", "delay"], json!({ "levels": [1, 0] })),
        "producers[0].delay.levels[1]",
        "1 to 18",
    );
    assert_error(with(&["producers", "0", "delay"], json!({ "fixed": "0s" })), "producers[0].delay.fixed", "above 0s");
}

/// A reply queue must exist, and a TTL must be positive.
#[test]
fn reply_queue_and_ttl_are_checked() {
    assert_error(
        with(&["producers", "0", "reply", "queue"], json!("inbox")),
        "producers[0].reply.queue",
        "no queue is named \"inbox\"",
    );
    assert_error(with(&["producers", "0", "ttl"], json!("0s")), "producers[0].ttl", "above 0s");
}

/// Ack timeouts, ack loss and failure policies need manual acks.
#[test]
fn manual_ack_options_are_refused_with_auto_ack() {
    assert_error(with(&["consumers", "0", "ack"], json!("auto")), "consumers[0].ack_timeout", "applies to manual acks");
    let mut doc = with(&["consumers", "1", "ack"], json!("auto"));
    doc["consumers"][1]["on_failure"] = json!("dead_letter");
    assert_error(doc, "consumers[1].on_failure", "applies to manual acks");
    assert_error(
        with(&["consumers", "1", "ack_loss_probability"], json!(2)),
        "consumers[1].ack_loss_probability",
        "from 0 to 1",
    );
}

/// A retry backoff needs at least one positive delay.
#[test]
fn retry_backoff_is_checked() {
    assert_error(
        with(&["consumers", "0", "on_failure"], json!({ "retry": { "backoff": [] } })),
        "consumers[0].on_failure.retry.backoff",
        "at least one delay",
    );
    assert_error(
        with(&["consumers", "0", "on_failure"], json!({ "retry": { "backoff": ["1s", "0s"] } })),
        "consumers[0].on_failure.retry.backoff[1]",
        "above 0s",
    );
    assert_error(
        with(&["consumers", "0", "on_failure"], json!("give_up")),
        "consumers[0].on_failure",
        "unknown variant `give_up`",
    );
}

/// Replaying needs a dead-letter queue.
#[test]
fn replay_needs_a_dead_letter_queue() {
    let doc = with(&["faults"], json!([{ "at": "1s", "action": { "replay_dead_letters": { "queue": "q" } } }]));
    assert_error(doc, "faults[0].action.replay_dead_letters.queue", "not a dead-letter queue");
    let doc =
        with(&["faults"], json!([{ "at": "1s", "action": { "replay_dead_letters": { "queue": "dlq", "limit": 0 } } }]));
    assert_error(doc, "faults[0].action.replay_dead_letters.limit", "at least 1");
}

/// An exclusive queue needs a consumer, and cannot receive dead letters.
#[test]
fn exclusive_queues_are_checked() {
    assert_error(with(&["queues", "1", "exclusive"], json!(true)), "queues[0].dead_letter", "\"dlq\" is exclusive");
    let mut doc = with(&["queues", "1", "exclusive"], json!(true));
    doc["queues"][0].as_object_mut().unwrap().remove("dead_letter");
    assert_error(doc, "queues[1].exclusive", "no consumer reads this queue");
}

/// Broker faults take an empty object.
#[test]
fn broker_faults_take_no_arguments() {
    let doc = with(&["faults"], json!([{ "at": "1s", "action": { "crash_amqp_broker": { "hard": true } } }]));
    assert_error(doc, "faults[0].action.crash_amqp_broker.hard", "unknown field `hard`, there are no fields");
    let doc = with(&["faults"], json!([{ "at": "1s", "action": { "crash_amqp_broker": {} } }]));
    assert_eq!(error_of(doc), "accepted");
}
