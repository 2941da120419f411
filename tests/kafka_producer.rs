//! The Kafka producer: batching, min.insync.replicas and delivery timeouts.

mod kafka_support;

use kafka_support::{kafka, run, scenario, topic};
use serde_json::{Value, json};

/// One topic, one broker, 1 ms each way; `producer` is the producer's `kafka` settings.
fn one_producer(rate: u32, producer: Value) -> mqsim::scenario::Scenario {
    scenario(json!({
        "name": "batching", "seed": 1, "duration": "5s",
        "cluster": { "network_delay": "1ms" },
        "topics": [{ "name": "t" }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": rate } }, "stop": "4s", "kafka": producer }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "10us" } }]
    }))
}

/// Without batching, one request at a time, a producer sends one record per
/// 2 ms round trip: 500/s at most, so at 1,000/s it falls behind and its
/// records wait. Batching (linger, batch size) carries the same load easily.
#[test]
fn batching_raises_producer_throughput() {
    let unbatched = json!({ "acks": "1", "linger": "0s", "batch_size": 1, "max_in_flight": 1 });
    let (_, s) = run(one_producer(1_000, unbatched));
    let acked = kafka(&s).producers[0].stats.acked_records;
    assert!((1_900..=2_600).contains(&acked), "about 500/s for 4 s then 1 s of draining, got {acked}");
    let batched = json!({ "acks": "1", "linger": "5ms", "batch_size": 100, "max_in_flight": 1 });
    let (_, s) = run(one_producer(1_000, batched));
    assert_eq!(kafka(&s).producers[0].stats.acked_records, 4_000);
}

/// Lingering trades latency for fewer, larger requests: at a light load,
/// linger 20 ms adds about 20 ms to every record and cuts the requests tenfold.
#[test]
fn linger_adds_latency_and_saves_requests() {
    let (_, eager) = run(one_producer(200, json!({ "acks": "1", "linger": "0s" })));
    let (_, lingering) = run(one_producer(200, json!({ "acks": "1", "linger": "20ms" })));
    let added = lingering.latency_ms.p50 - eager.latency_ms.p50;
    assert!((15.0..=21.0).contains(&added), "p50 {} ms vs {} ms", lingering.latency_ms.p50, eager.latency_ms.p50);
    let (few, many) = (kafka(&lingering).producers[0].stats.requests, kafka(&eager).producers[0].stats.requests);
    assert!(few * 3 < many, "{few} requests lingering, {many} not");
}

/// Three replicas, min.insync.replicas 2: with two followers down (fenced
/// after 1 s) the ISR is the leader alone and acks=all writes are refused
/// with NotEnoughReplicas; acks=1 writes go on. When one follower returns
/// and catches up, acks=all resumes and nothing was lost.
#[test]
fn too_small_an_isr_refuses_acks_all_writes() {
    let s = scenario(json!({
        "name": "min-insync", "seed": 1, "duration": "12s",
        "cluster": { "brokers": 3, "broker_session_timeout": "1s" },
        "topics": [
            { "name": "safe", "replication_factor": 3, "min_insync_replicas": 2 },
            { "name": "fast", "replication_factor": 3, "min_insync_replicas": 2 }
        ],
        "producers": [
            { "name": "safe", "topic": "safe", "arrivals": { "constant": { "rate": 100 } }, "stop": "8s" },
            { "name": "fast", "topic": "fast", "arrivals": { "constant": { "rate": 100 } }, "stop": "8s", "kafka": { "acks": "1" } }
        ],
        "consumers": [
            { "name": "read-safe", "topic": "safe", "service": { "constant": "1ms" }, "kafka": { "commit": "after_processing" } },
            { "name": "read-fast", "topic": "fast", "service": { "constant": "1ms" }, "kafka": { "commit": "after_processing" } }
        ],
        "faults": [
            { "at": "2s", "action": { "crash_broker": { "broker": 1 } } },
            { "at": "2s", "action": { "crash_broker": { "broker": 2 } } },
            { "at": "6s", "action": { "restart_broker": { "broker": 1 } } }
        ]
    }));
    let (sim, s) = run(s);
    let safe = topic(&s, "safe");
    assert!(safe.stats.not_enough_replicas > 0);
    assert_eq!(topic(&s, "fast").stats.not_enough_replicas, 0, "acks=1 ignores min.insync.replicas");
    assert_eq!(safe.partitions[0].isr, [0, 1]);
    assert_eq!((safe.stats.lost, safe.partitions[0].leo), (0, 800));
    // While refused, the safe topic's high watermark stood still.
    let rates = kafka_support::samples(&sim, "isr.safe-0", 3_500.0, 5_500.0);
    assert!(rates.iter().all(|&isr| isr == 1.0), "{rates:?}");
    assert_eq!(s.states.lost, 0);
}

/// A batch that cannot be delivered within `delivery_timeout` fails for
/// good: with the only replica gone, the producer's records are lost.
#[test]
fn undeliverable_batches_fail_at_the_delivery_timeout() {
    let s = scenario(json!({
        "name": "timeout", "seed": 1, "duration": "10s",
        "cluster": { "broker_session_timeout": "500ms" },
        "topics": [{ "name": "t" }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 100 } }, "stop": "3s",
                        "kafka": { "request_timeout": "1s", "delivery_timeout": "2s" } }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "1ms" } }],
        "faults": [{ "at": "1s", "action": { "crash_broker": { "broker": 0 } } }]
    }));
    let (_, s) = run(s);
    let p = &kafka(&s).producers[0];
    // Everything from t = 1 s to 3 s: 200 records, none deliverable.
    assert_eq!(p.stats.failed_records, 200);
    assert_eq!(s.states.lost, 200);
    assert_eq!(topic(&s, "t").partitions[0].leader, None);
}

/// Each retry waits `retry_backoff` after the refusal: with the ISR too
/// small, one acks=all record is refused with NotEnoughReplicas over and
/// over, and its retries come exactly the backoff plus a round trip (1 ms
/// each way) apart, until a follower is back in the ISR and it is written.
#[test]
fn retries_are_spaced_by_the_retry_backoff() {
    let s = scenario(json!({
        "name": "backoff", "seed": 1, "duration": "10s",
        "cluster": { "brokers": 3, "broker_session_timeout": "1s", "network_delay": "1ms" },
        "topics": [{ "name": "t", "replication_factor": 3, "min_insync_replicas": 2 }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 1 } }, "start": "3s", "count": 1, "kafka": { "retry_backoff": "300ms" } }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "1ms" } }],
        "faults": [
            { "at": "1s", "action": { "crash_broker": { "broker": 1 } } },
            { "at": "1s", "action": { "crash_broker": { "broker": 2 } } },
            { "at": "5s", "action": { "restart_broker": { "broker": 1 } } }
        ]
    }));
    let mut sim = mqsim::engine::Sim::with_journal(s, 1 << 16).unwrap();
    sim.run_to_end();
    let retried: Vec<u64> =
        sim.drain_journal().iter().filter(|e| e.kind == mqsim::observe::LifeKind::ProduceRetried).map(|e| e.t).collect();
    assert!(retried.len() >= 5, "{retried:?}");
    let gaps: Vec<u64> = retried.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|&g| g == 302_000_000), "{gaps:?}");
    let summary = mqsim::summary::Summary::of(&sim);
    assert_eq!((summary.states.processed, summary.states.lost), (1, 0));
}

/// An idempotent producer's batches fail while their leader is down; a
/// clean election makes a follower that never had them the leader, which
/// takes the producer's later batches first. When the old batches are
/// retried, the leader does not have them among its last batches: it
/// answers OutOfOrderSequence (`ProducerAppendInfo.checkSequence`), not
/// success, so the producer never counts as written a record no log holds,
/// and gives the records up at its delivery timeout.
#[test]
fn a_retried_batch_the_new_leader_never_had_is_not_acknowledged() {
    let s = scenario(json!({
        "name": "lost-dedup", "seed": 1, "duration": "3s",
        "cluster": { "brokers": 2, "network_delay": "0ms", "replica_fetch_delay": "1ms", "broker_session_timeout": "15ms" },
        "topics": [{ "name": "t", "replication_factor": 2 }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 142 } }, "start": "88ms", "stop": "2s",
                        "kafka": { "request_timeout": "500ms", "delivery_timeout": "1s" } }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "1ms" } }],
        "faults": [{ "at": "94ms", "action": { "crash_broker": { "broker": 0 } } }]
    }));
    let (_, s) = run(s);
    let p = &kafka(&s).producers[0].stats;
    assert!(p.out_of_order_sequence > 0, "the old batches were refused: {p:?}");
    assert_eq!(p.failed_records, 3, "and given up at their delivery timeout");
    assert_eq!(s.states.lost, p.failed_records, "every lost record is one its producer was told failed");
    assert_eq!(p.acked_records + p.failed_records, p.records);
}

/// An idempotent producer's request times out after the leader appended
/// its record but before any follower fetched it; the retry is a duplicate.
/// With acks=all the leader answers the duplicate as it would the original:
/// only once every in-sync replica has the record. So when the leader then
/// crashes and a follower without the record is elected, the record was
/// never acknowledged: the producer retries it and nothing is lost.
#[test]
fn a_duplicate_is_acknowledged_only_once_replicated() {
    let s = scenario(json!({
        "name": "dedup-ack", "seed": 1, "duration": "3s",
        "cluster": { "brokers": 3, "network_delay": "1ms", "replica_fetch_delay": "100ms", "replica_lag_time_max": "10s", "broker_session_timeout": "100ms" },
        "topics": [{ "name": "t", "replication_factor": 3, "min_insync_replicas": 2 }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 1000 } }, "count": 1,
                        "kafka": { "idempotent": true, "linger": "0ms", "request_timeout": "20ms", "retry_backoff": "10ms", "delivery_timeout": "2s" } }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "1ms" } }],
        "faults": [{ "at": "50ms", "action": { "crash_broker": { "broker": 0 } } }]
    }));
    let (_, s) = run(s);
    let p = &kafka(&s).producers[0].stats;
    assert!(p.deduplicated > 0, "retries reached the old leader, which had the record");
    assert_eq!(topic(&s, "t").stats.truncated, 1, "the new leader did not have it");
    assert_eq!((p.acked_records, s.states.lost, s.states.processed), (1, 0, 1), "acknowledged once written for good");
}
