//! Clean and unclean leader election (presets `kafka-clean-election` and
//! `kafka-unclean-election`): the same failures, opposite trade-offs.

mod kafka_support;

use kafka_support::{group, preset, run, topic};

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
