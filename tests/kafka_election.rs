//! Clean and unclean leader election (presets `kafka-clean-election` and
//! `kafka-unclean-election`): the same failures, opposite trade-offs.

mod kafka_support;

use kafka_support::{group, preset, run, scenario, topic};
use mqsim::engine::Sim;
use mqsim::observe::Fact;
use serde_json::json;

/// An unclean election makes the stale follower leader and truncates
/// records that were committed (below the high watermark, acknowledged to
/// acks=all producers); the slow group loses those it had not read.
#[test]
fn unclean_election_loses_committed_records() {
    let (_, s) = run(preset("kafka-unclean-election"));
    let t = topic(&s, "payments");
    // Broker 1 missed t = 3 s to 8 s at 200 records/s.
    assert!((950..=1_050).contains(&t.stats.truncated_committed), "committed records lost: {}", t.stats.truncated_committed);
    assert!(t.stats.lost > 0);
    assert_eq!(group(&s, "reports").stats.lost, t.stats.lost);
    assert_eq!(s.states.lost, t.stats.lost);
}

/// A clean election never truncates a committed record: the partition waits
/// offline for the last in-sync replica, and every record is processed.
#[test]
fn clean_election_loses_nothing_and_waits_offline() {
    let (_, s) = run(preset("kafka-clean-election"));
    let t = topic(&s, "payments");
    assert_eq!((t.stats.truncated, t.stats.truncated_committed, t.stats.lost), (0, 0, 0));
    assert_eq!(s.states.lost, 0);
    assert_eq!(group(&s, "reports").stats.processed, 4_000);
    // Fenced at t = 9 s, back at t = 15 s.
    assert_eq!(t.partitions[0].offline_ms, 6_000.0);
}

/// Unclean election trades data for availability: it is offline only from
/// the fencing (t = 9 s) until the stale follower returns (t = 10 s).
#[test]
fn unclean_election_is_offline_for_less_time() {
    let (_, s) = run(preset("kafka-unclean-election"));
    assert_eq!(topic(&s, "payments").partitions[0].offline_ms, 1_000.0);
}

/// The follower is down while retention deletes the leader's old records;
/// then the leader dies and the follower comes back. The unclean election
/// makes it leader with a log that ends before the old log's start: its log
/// starts over at its own end, and its first append gets offset 0 again, as
/// a Kafka leader's would (the old offsets are given anew).
#[test]
fn an_unclean_leader_behind_the_log_start_gives_its_offsets_again() {
    let s = scenario(json!({
        "name": "behind-log-start", "seed": 1, "duration": "2s",
        "cluster": { "brokers": 2, "network_delay": "0ms", "broker_session_timeout": "10ms", "retention_check_interval": "10ms" },
        "topics": [{ "name": "t", "replication_factor": 2, "unclean_leader_election": true, "retention": { "time": "20ms" } }],
        "producers": [{ "name": "p", "topic": "t", "arrivals": { "constant": { "rate": 20 } }, "stop": "1.8s" }],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "1ms" } }],
        "faults": [
            { "at": "0s", "action": { "crash_broker": { "broker": 1 } } },
            { "at": "500ms", "action": { "crash_broker": { "broker": 0 } } },
            { "at": "1s", "action": { "restart_broker": { "broker": 1 } } }
        ]
    }));
    let mut sim = Sim::with_history(s, 0).unwrap();
    sim.run_until(999_999_999);
    let before = &sim.kafka().partitions[0];
    assert!(before.log_start > 0 && before.log.is_empty(), "retention emptied the old leader's log up to {}", before.log_start);
    sim.run_to_end();
    let facts = sim.drain_history();
    let cut = facts.iter().find_map(|e| match e.fact {
        Fact::Truncated { leo, unclean: true, .. } => Some((e.t, leo)),
        _ => None,
    });
    assert_eq!(cut.map(|(t, leo)| (t / 1_000_000, leo)), Some((1_000, 0)), "the returning follower leads from offset 0");
    let first = facts.iter().find_map(|e| match e.fact {
        Fact::Appended { offset, .. } if e.t >= 1_000_000_000 => Some(offset),
        _ => None,
    });
    assert_eq!(first, Some(0));
    let summary = mqsim::summary::Summary::of(&sim);
    let p = &topic(&summary, "t").partitions[0];
    assert!(p.log_start <= p.hw && p.hw <= p.leo, "log start {}, high watermark {}, log end {}", p.log_start, p.hw, p.leo);
}
