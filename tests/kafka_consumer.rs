//! Consumer processing: service times, failures, pause and slowness faults,
//! offset resets and retention.

mod kafka_support;

use kafka_support::{group, kafka, run, sample_at, scenario, topic};
use serde_json::{Value, json};

/// One producer at 200 records/s on 2 partitions for 8 s, one group of two;
/// `consumer` is merged into the group's spec and `faults` added.
fn base(consumer: Value, faults: Value) -> mqsim::scenario::Scenario {
    let mut group = json!({ "name": "g", "topic": "t", "count": 2, "service": { "constant": "2ms" } });
    for (k, v) in consumer.as_object().unwrap() {
        group[k] = v.clone();
    }
    scenario(json!({
        "name": "consumer", "seed": 2, "duration": "12s",
        "topics": [{ "name": "t", "partitions": 2 }],
        "producers": [{ "name": "p", "topic": "t", "keys": 10, "arrivals": { "poisson": { "rate": 200 } }, "stop": "8s" }],
        "consumers": [group],
        "faults": faults
    }))
}

/// A paused member stays in the group (no rebalance) but fetches nothing, so
/// its partition's lag grows; resumed, it catches up.
#[test]
fn a_paused_member_stays_in_the_group_and_falls_behind() {
    let faults = json!([
        { "at": "2s", "action": { "pause_consumer": { "consumer": "g", "instance": 0 } } },
        { "at": "5s", "action": { "resume_consumer": { "consumer": "g", "instance": 0 } } }
    ]);
    let (sim, s) = run(base(json!({ "kafka": { "commit": "after_processing" } }), faults));
    assert_eq!(group(&s, "g").stats.rebalances, 1, "only the initial assignment");
    assert!(sample_at(&sim, "lag.g.t-0", 4_900.0) > 200.0);
    assert!(sample_at(&sim, "lag.g.t-1", 4_900.0) < 10.0, "the other member kept up");
    assert_eq!(sample_at(&sim, "active.g", 4_000.0), 1.0);
    assert_eq!(group(&s, "g").lag, 0);
}

/// A member slowed down tenfold (2 ms → 20 ms per record) cannot keep up
/// with its partition: lag builds only there.
#[test]
fn a_slow_member_builds_lag_on_its_partitions() {
    let faults = json!([{ "at": "1s", "action": { "slow_consumer": { "consumer": "g", "instance": 1, "factor": 10 } } }]);
    let (sim, _) = run(base(json!({ "kafka": { "commit": "after_processing" } }), faults));
    assert!(sample_at(&sim, "lag.g.t-1", 8_000.0) > 100.0);
    assert!(sample_at(&sim, "lag.g.t-0", 8_000.0) < 10.0);
}

/// Failed attempts are retried in place: every record is eventually
/// processed exactly once, and the failures are counted.
#[test]
fn failed_processing_is_retried_in_place() {
    let (_, s) = run(base(json!({ "failure_probability": 0.2 }), json!([])));
    let g = group(&s, "g");
    assert!(g.stats.failures > 200, "{}", g.stats.failures);
    assert_eq!(g.stats.processed, s.published);
    assert_eq!(g.stats.duplicates, 0);
}

/// Service times come from the group's distribution: constant 2 ms with
/// concurrency 1 caps a member at 500 records/s.
#[test]
fn service_time_caps_a_members_throughput() {
    let s = scenario(json!({
        "name": "cap", "seed": 1, "duration": "4s",
        "topics": [{ "name": "t" }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 1000 } } }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "2ms" } }]
    }));
    let (sim, _) = run(s);
    assert_eq!(sample_at(&sim, "consume_rate", 3_000.0), 500.0);
    let s = scenario(json!({
        "name": "cap", "seed": 1, "duration": "4s",
        "topics": [{ "name": "t" }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 1000 } } }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "2ms" }, "kafka": { "concurrency": 4 } }]
    }));
    let (sim, _) = run(s);
    assert_eq!(sample_at(&sim, "consume_rate", 3_000.0), 1_000.0, "four at once keep up");
}

/// A group that joins late with auto.offset.reset=latest starts at the high
/// watermark: what was produced before is skipped (dropped), never read.
/// With earliest it reads everything.
#[test]
fn latest_offset_reset_skips_earlier_records() {
    let late = |reset: &str| {
        base(
            json!({ "count": 1, "kafka": { "initial_members": 0, "auto_offset_reset": reset } }),
            json!([{ "at": "3s", "action": { "join_group": { "consumer": "g", "instance": 0 } } }]),
        )
    };
    let (_, s) = run(late("latest"));
    let skipped = group(&s, "g").stats.skipped;
    assert!((500..=700).contains(&skipped), "about 3 s at 200/s: {skipped}");
    assert_eq!(s.states.dropped, skipped);
    assert_eq!(group(&s, "g").stats.processed + skipped, s.published);
    let (_, s) = run(late("earliest"));
    assert_eq!((group(&s, "g").stats.skipped, group(&s, "g").stats.processed), (0, s.published));
}

/// Retention deletes records a slow group has not read yet: they expire.
#[test]
fn retention_expires_what_a_slow_group_has_not_read() {
    let s = scenario(json!({
        "name": "retention", "seed": 1, "duration": "10s",
        "cluster": { "retention_check_interval": "100ms" },
        "topics": [{ "name": "t", "retention": { "time": "2s", "records": 300 } }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 200 } }, "stop": "8s" }],
        "consumers": [
            { "name": "slow", "topic": "t", "service": { "constant": "10ms" } },
            { "name": "fast", "topic": "t", "service": { "constant": "1ms" } }
        ]
    }));
    let (_, s) = run(s);
    let t = topic(&s, "t");
    assert!(t.stats.expired > 500, "{}", t.stats.expired);
    assert_eq!(s.states.expired, t.stats.expired);
    assert_eq!(group(&s, "fast").stats.processed, 1_600, "the fast group read everything in time");
    // What the slow member holds it still processes; the rest expired.
    assert_eq!(group(&s, "slow").stats.processed + s.states.in_flight + t.stats.expired, 1_600);
    assert!(t.partitions[0].log_start > 1_000, "the log head was deleted");
    assert!(kafka(&s).topics[0].partitions[0].leo - t.partitions[0].log_start <= 300);
}

/// A poison record fails every attempt: retried in place forever, it blocks
/// its partition while the other partition flows.
#[test]
fn a_poison_record_blocks_its_partition() {
    let s = scenario(json!({
        "name": "poison", "seed": 4, "duration": "5s",
        "topics": [{ "name": "t", "partitions": 2 }],
        "producers": [{ "name": "p", "topic": "t", "keys": 10, "poison_fraction": 0.002, "arrivals": { "constant": { "rate": 200 } } }],
        "consumers": [{ "name": "g", "topic": "t", "count": 2, "service": { "constant": "1ms" } }]
    }));
    let (sim, s) = run(s);
    assert!(group(&s, "g").stats.failures > 1_000, "{}", group(&s, "g").stats.failures);
    let (a, b) = (sample_at(&sim, "lag.g.t-0", 5_000.0), sample_at(&sim, "lag.g.t-1", 5_000.0));
    assert!(a.max(b) > 100.0, "one partition is stuck: lags {a} and {b}");
}

/// A topic no group reads still keeps its records (one ledger copy each,
/// owed to nobody) until retention deletes them.
#[test]
fn a_topic_nobody_reads_keeps_records_until_retention() {
    let s = scenario(json!({
        "name": "unread", "seed": 1, "duration": "5s",
        "cluster": { "retention_check_interval": "100ms" },
        "topics": [{ "name": "t", "retention": { "time": "1s" } }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 100 } }, "count": 300 }]
    }));
    let (_, s) = run(s);
    assert_eq!(s.produced, 300);
    assert_eq!(s.states.expired, 300, "kept for 1 s, then deleted");
    let mut kept = scenario(json!({
        "name": "unread", "seed": 1, "duration": "5s",
        "topics": [{ "name": "t" }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 100 } }, "count": 300 }]
    }));
    kept.duration.0 = 5_000_000_000;
    let (_, s) = run(kept);
    assert_eq!(s.states.stored, 300, "the default retention (7 days) keeps them all");
}
