//! Per-key ordering: what keeps it (one key, one partition, one record at a
//! time) and what breaks it (parallel processing, non-idempotent retries,
//! re-keying by adding partitions).

mod kafka_support;

use kafka_support::{group, kafka, preset, run, scenario, topic};
use mqsim::kafka::partitioner::partition_for_key;
use serde_json::json;

/// Every record of a key lands on the partition murmur2 gives its key.
#[test]
fn same_key_same_partition() {
    let s = scenario(json!({
        "name": "keys", "seed": 1, "duration": "2s",
        "topics": [{ "name": "t", "partitions": 5 }],
        "producers": [{ "name": "p", "topic": "t", "keys": 7, "arrivals": { "constant": { "rate": 700 } }, "count": 700 }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "100us" } }]
    }));
    let (_, s) = run(s);
    let mut expected = [0u64; 5];
    for key in 0..7u32 {
        // 700 records cycle through 7 keys: 100 each.
        expected[partition_for_key(key.to_string().as_bytes(), 5).unwrap() as usize] += 100;
    }
    let leo: Vec<u64> = topic(&s, "t").partitions.iter().map(|p| p.leo).collect();
    assert_eq!(leo, expected);
}

/// One record at a time in partition order never processes a key out of order.
#[test]
fn sequential_processing_keeps_key_order() {
    let (_, s) = run(preset("kafka-key-ordering"));
    assert_eq!(group(&s, "single-thread").stats.out_of_order, 0);
    assert_eq!(group(&s, "single-thread").stats.processed, group(&s, "thread-pool").stats.processed);
}

/// Eight records at once with no rule: a key's later record often finishes first.
#[test]
fn parallel_processing_breaks_key_order() {
    let (_, s) = run(preset("kafka-key-ordering"));
    assert!(group(&s, "thread-pool").stats.out_of_order > 100, "{}", group(&s, "thread-pool").stats.out_of_order);
}

/// Eight at once, never two of a key together: parallel and still in order.
#[test]
fn key_ordered_parallel_processing_keeps_key_order() {
    let (_, s) = run(preset("kafka-key-ordering"));
    let g = group(&s, "key-ordered");
    assert_eq!(g.stats.out_of_order, 0);
    assert_eq!(g.lag, 0, "and it keeps up");
    assert_eq!(s.out_of_order, group(&s, "thread-pool").stats.out_of_order, "the run's count is the groups' sum");
}

/// A plain producer with five requests in flight, retrying after a leader
/// crash, appends a batch the new leader already had again (duplicates) and
/// the others out of order: each failed batch went back to the head of the
/// queue as its failure came in, so they go out in reverse.
#[test]
fn non_idempotent_retries_duplicate_and_reorder() {
    let (_, s) = run(preset("kafka-producer-retries"));
    assert!(topic(&s, "plain").stats.duplicate_appends > 0);
    let g = group(&s, "read-plain");
    assert_eq!(g.stats.duplicates, topic(&s, "plain").stats.duplicate_appends);
    assert!(g.stats.out_of_order > 0);
}

/// The same producer with one request in flight keeps its order through the
/// crash: its failed batch goes back to the head of the queue and is
/// written before anything behind it (Kafka's `RecordAccumulator.reenqueue`).
#[test]
fn a_plain_producer_with_one_request_in_flight_keeps_its_order_through_a_leader_crash() {
    let mut one = preset("kafka-producer-retries");
    one.producers[0].kafka.as_mut().unwrap().max_in_flight = 1;
    let (_, s) = run(one);
    let producer = kafka(&s).producers.iter().find(|p| p.name == "plain").unwrap();
    assert!(producer.stats.retries > 0, "it did retry");
    assert_eq!(group(&s, "read-plain").stats.out_of_order, 0);
}

/// The idempotent producer's sequence numbers drop the duplicates and keep
/// retried batches in order: nothing twice, nothing out of order, nothing lost.
#[test]
fn idempotent_retries_neither_duplicate_nor_reorder() {
    let (_, s) = run(preset("kafka-producer-retries"));
    let t = topic(&s, "idempotent");
    assert_eq!((t.stats.duplicate_appends, t.stats.lost), (0, 0));
    let g = group(&s, "read-idempotent");
    assert_eq!((g.stats.processed, g.stats.duplicates, g.stats.out_of_order), (10_000, 0, 0));
    let producer = kafka(&s).producers.iter().find(|p| p.name == "idempotent").unwrap();
    assert!(producer.stats.retries > 0, "it did retry");
}

/// Adding partitions re-keys: a key's new records go to another partition
/// and overtake its older ones still queued. Without the change, no key
/// is ever out of order.
#[test]
fn adding_partitions_breaks_key_order() {
    let (_, s) = run(preset("kafka-idle-consumers"));
    assert!(group(&s, "workers").stats.out_of_order > 0);
    let mut fixed = preset("kafka-idle-consumers");
    fixed.faults.clear();
    let (_, s) = run(fixed);
    assert_eq!(group(&s, "workers").stats.out_of_order, 0);
}

/// Kafka's RoundRobinPartitioner ignores keys: a key's records spread over
/// every partition, and a group reading them in parallel sees them out of order.
#[test]
fn a_round_robin_partitioner_spreads_a_key_and_breaks_its_order() {
    let with = |partitioner: &str| {
        scenario(json!({
            "name": "rr", "seed": 3, "duration": "6s",
            "topics": [{ "name": "t", "partitions": 3 }],
            "producers": [{ "name": "p", "topic": "t", "keys": 5, "arrivals": { "poisson": { "rate": 600 } }, "stop": "5s",
                            "kafka": { "partitioner": partitioner } }],
            "consumers": [{ "name": "g", "topic": "t", "count": 3, "service": { "exponential": { "mean": "1ms" } } }]
        }))
    };
    let (_, s) = run(with("round_robin"));
    let leo: Vec<u64> = topic(&s, "t").partitions.iter().map(|p| p.leo).collect();
    assert!(leo.iter().all(|&n| n >= 900), "evenly spread: {leo:?}");
    assert!(group(&s, "g").stats.out_of_order > 0);
    let (_, s) = run(with("default"));
    assert_eq!(group(&s, "g").stats.out_of_order, 0, "keyed records stay on their partition");
}

/// A per-key mix: a hot key at 300 records/s from its own producer beside
/// 100 keys sharing 100 records/s from another. Every hot record lands on
/// the hot key's partition (murmur2 of "0"), which carries most of the
/// topic, and each key keeps its order.
#[test]
fn a_hot_key_from_its_own_producer_loads_one_partition() {
    let doc = serde_json::json!({
        "name": "hot-key", "seed": 1, "duration": "10s",
        "topics": [{ "name": "orders", "partitions": 4 }],
        "producers": [
            { "name": "hot", "topic": "orders", "keys": 1, "arrivals": { "constant": { "rate": 300 } }, "count": 1500 },
            { "name": "rest", "topic": "orders", "keys": 100, "first_key": 1, "arrivals": { "constant": { "rate": 100 } }, "count": 500 }
        ],
        "consumers": [{ "name": "g", "topic": "orders", "count": 4, "service": { "constant": "1ms" } }]
    });
    let mut sim = mqsim::engine::Sim::new(mqsim::scenario::Scenario::from_json(&doc.to_string()).unwrap()).unwrap();
    sim.run_to_end();
    let summary = mqsim::summary::Summary::of(&sim);
    assert!(summary.ledger_balanced);
    let kafka = summary.kafka.unwrap();
    let leo: Vec<u64> = kafka.topics[0].partitions.iter().map(|p| p.leo).collect();
    assert_eq!(leo.iter().sum::<u64>(), 2000);
    let hot = mqsim::kafka::partitioner::partition_for_key(b"0", 4).unwrap() as usize;
    let rest_on_hot = (1..=100u32).filter(|k| mqsim::kafka::partitioner::partition_for_key(k.to_string().as_bytes(), 4) == Some(hot as u32)).count() as u64;
    assert_eq!(leo[hot], 1500 + 5 * rest_on_hot, "all 1,500 hot records, and the other keys that hash there ({leo:?})");
    assert_eq!(kafka.groups[0].stats.out_of_order, 0);
}
