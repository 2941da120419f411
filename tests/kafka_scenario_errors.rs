//! Bad Kafka scenario parts are rejected with one line naming the JSON path
//! and what is allowed.

mod common;

use common::{assert_error, error_of};
use serde_json::{Value, json};

/// A small valid Kafka scenario that each test breaks in one place.
fn valid() -> Value {
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

fn with(path: &[&str], value: Value) -> Value {
    common::set(valid(), path, value)
}

/// A scenario with topics and no queues is valid.
#[test]
fn a_topics_only_scenario_is_valid() {
    assert_eq!(error_of(valid()), "accepted");
}

/// A producer needs exactly one destination.
#[test]
fn a_producer_with_a_queue_and_a_topic_is_rejected() {
    assert_error(with(&["producers", "0", "queue"], json!("q")), "producers[0]", "needs exactly one destination: `queue`, `exchange` or `topic`");
}

/// A topic reference names the topics that exist.
#[test]
fn an_unknown_topic_is_rejected() {
    assert_error(with(&["producers", "0", "topic"], json!("order")), "producers[0].topic", "no topic is named \"order\"; known: \"orders\"");
    assert_error(with(&["consumers", "0", "topic"], json!("x")), "consumers[0].topic", "no topic is named \"x\"");
}

/// Each replica needs its own broker.
#[test]
fn more_replicas_than_brokers_is_rejected() {
    assert_error(with(&["topics", "0", "replication_factor"], json!(4)), "topics[0].replication_factor", "from 1 to the cluster's 3 broker(s)");
}

/// min.insync.replicas cannot exceed the replication factor.
#[test]
fn min_insync_above_replication_factor_is_rejected() {
    assert_error(with(&["topics", "0", "min_insync_replicas"], json!(4)), "topics[0].min_insync_replicas", "from 1 to the replication factor (3)");
}

/// acks takes "0", "1" or "all" (or Kafka's "-1" for all).
#[test]
fn an_unknown_acks_value_is_rejected() {
    assert_error(with(&["producers", "0", "kafka", "acks"], json!("2")), "producers[0].kafka.acks", "expected one of `0`, `1`, `-1`, `all`");
}

/// Kafka refuses an idempotent producer without acks=all.
#[test]
fn idempotence_with_acks_one_is_rejected() {
    let doc = with(&["producers", "0", "kafka"], json!({ "acks": "1", "idempotent": true }));
    assert_error(doc, "producers[0].kafka.idempotent", "needs acks \"all\"");
}

/// Kafka's own rule: delivery.timeout.ms >= linger.ms + request.timeout.ms.
#[test]
fn a_delivery_timeout_shorter_than_a_request_is_rejected() {
    let doc = with(&["producers", "0", "kafka"], json!({ "request_timeout": "30s", "delivery_timeout": "10s" }));
    assert_error(doc, "producers[0].kafka.delivery_timeout", "at least linger + request_timeout");
}

/// Kafka settings belong to topic producers and consumers only.
#[test]
fn kafka_settings_on_a_queue_producer_are_rejected() {
    let mut doc = valid();
    doc["queues"] = json!([{ "name": "q" }]);
    doc["producers"][0] = json!({ "name": "p", "queue": "q", "arrivals": { "poisson": { "rate": 1 } }, "kafka": {} });
    assert_error(doc, "producers[0].kafka", "applies to producers with a `topic`");
}

/// Prefetch is a queue consumer's setting.
#[test]
fn prefetch_on_a_topic_consumer_is_rejected() {
    assert_error(with(&["consumers", "0", "prefetch"], json!(10)), "consumers[0].prefetch", "kafka.max_poll_records");
}

/// An unknown assignor names the four that exist.
#[test]
fn an_unknown_assignor_is_rejected() {
    let doc = with(&["consumers", "0", "kafka", "assignor"], json!("sticky-cooperative"));
    assert_error(doc, "consumers[0].kafka.assignor", "expected one of `range`, `round_robin`, `sticky`, `cooperative_sticky`");
}

/// A fault on a broker outside the cluster is rejected.
#[test]
fn crashing_an_unknown_broker_is_rejected() {
    let doc = with(&["faults"], json!([{ "at": "1s", "action": { "crash_broker": { "broker": 3 } } }]));
    assert_error(doc, "faults[0].action.crash_broker.broker", "brokers 0 to 2, not 3");
}

/// Kafka cannot remove partitions.
#[test]
fn shrinking_a_topic_is_rejected() {
    let doc = with(&["faults"], json!([{ "at": "1s", "action": { "add_partitions": { "topic": "orders", "partitions": 2 } } }]));
    assert_error(doc, "faults[0].action.add_partitions.partitions", "Kafka cannot remove partitions");
}

/// Group faults apply to topic consumers, and to instances that exist.
#[test]
fn group_faults_need_a_topic_consumer_instance() {
    let doc = with(&["faults"], json!([{ "at": "1s", "action": { "leave_group": { "consumer": "g", "instance": 2 } } }]));
    assert_error(doc, "faults[0].action.leave_group.instance", "instances 0 to 1, not 2");
    let mut doc = valid();
    doc["queues"] = json!([{ "name": "q" }]);
    doc["consumers"].as_array_mut().unwrap().push(json!({ "name": "w", "queue": "q", "service": { "constant": "1ms" } }));
    doc["faults"] = json!([{ "at": "1s", "action": { "pause_consumer": { "consumer": "w" } } }]);
    assert_error(doc, "faults[0].action.pause_consumer.consumer", "applies to topic consumers");
}

/// A slowdown factor below 1 would be a speed-up; it is refused.
#[test]
fn a_slow_consumer_factor_below_one_is_rejected() {
    let doc = with(&["faults"], json!([{ "at": "1s", "action": { "slow_consumer": { "consumer": "g", "factor": 0.5 } } }]));
    assert_error(doc, "faults[0].action.slow_consumer.factor", "from 1 (normal speed) to 1000");
}

/// An unknown field inside the Kafka settings is named with its path.
#[test]
fn an_unknown_kafka_setting_is_rejected() {
    let doc = with(&["producers", "0", "kafka", "lingerms"], json!(5));
    assert_error(doc, "producers[0].kafka.lingerms", "unknown field `lingerms`");
}

/// A scenario with neither queues nor topics has nothing to simulate.
#[test]
fn a_scenario_without_queues_or_topics_is_rejected() {
    assert_error(with(&["topics"], json!([])), "queues", "at least one queue (or a topic");
}
