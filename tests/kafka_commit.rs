//! Offset commit modes and a consumer crash mid-batch (preset
//! `kafka-commit-modes-crash`, crash moved to other instants).

mod kafka_support;

use kafka_support::{group, move_faults, preset, run, run_with_journal};

const CRASH: &str = "10.05s";

fn crash_at(t: &str) -> mqsim::summary::Summary {
    run(move_faults(preset("kafka-commit-modes-crash"), CRASH, t)).1
}

/// Commit after processing (at-least-once): a crash repeats processed but
/// uncommitted records and never loses one, wherever the crash falls.
#[test]
fn commit_after_processing_duplicates_and_never_loses() {
    for t in ["10.05s", "10.5s", "10.95s", "11.7s"] {
        let g = crash_at(t);
        let g = group(&g, "at-least-once");
        assert!(g.stats.duplicates > 0, "crash at {t}");
        assert_eq!(g.stats.lost, 0, "crash at {t}");
        assert_eq!(g.stats.processed, 10_000, "crash at {t}");
    }
}

/// Commit before processing (at-most-once): a crash skips the committed but
/// unprocessed rest of the batch and never repeats a record.
#[test]
fn commit_before_processing_loses_and_never_duplicates() {
    for t in ["10.05s", "10.5s", "10.95s", "11.7s"] {
        let s = crash_at(t);
        let g = group(&s, "at-most-once");
        assert!(g.stats.lost > 0, "crash at {t}");
        assert_eq!(g.stats.duplicates, 0, "crash at {t}");
        assert_eq!(g.stats.processed + g.stats.lost, 10_000, "crash at {t}");
    }
}

/// Auto-commit, crash 50 ms after a commit: the commit covered the batch in
/// hand, so its unprocessed records are lost (and nothing is repeated).
#[test]
fn auto_commit_crash_just_after_a_commit_loses_records() {
    let s = crash_at("10.05s");
    let g = group(&s, "auto-commit");
    assert!(g.stats.lost > 0);
    assert_eq!(g.stats.duplicates, 0);
}

/// Auto-commit, crash 50 ms before a commit: what was processed since the
/// last commit is processed again, and nothing is lost.
#[test]
fn auto_commit_crash_just_before_a_commit_duplicates_records() {
    let s = crash_at("10.95s");
    let g = group(&s, "auto-commit");
    assert!(g.stats.duplicates > 0);
    assert_eq!(g.stats.lost, 0);
}

/// Losses are ledger entries: the summary's lost count is the groups' losses.
#[test]
fn consumer_losses_are_counted_in_the_ledger() {
    let (_, s) = run(preset("kafka-commit-modes-crash"));
    let lost: u64 = ["auto-commit", "at-least-once", "at-most-once"].iter().map(|g| group(&s, g).stats.lost).sum();
    assert!(lost > 0);
    assert_eq!(s.states.lost, lost);
    assert_eq!(s.duplicates, group(&s, "at-least-once").stats.duplicates + group(&s, "auto-commit").stats.duplicates);
}

/// The crashed member's partitions stay unread until its session times out
/// (3 s), then move to the survivor; the restarted member rejoins.
#[test]
fn a_crashed_members_partitions_wait_for_the_session_timeout() {
    let (_, _, journal) = run_with_journal(preset("kafka-commit-modes-crash"));
    let expired: Vec<_> = journal.into_iter().filter(|e| e.kind == mqsim::observe::LifeKind::SessionExpired).collect();
    assert_eq!(expired.len(), 3, "one per group");
    assert!(expired.iter().all(|e| e.t == 13_050_000_000));
}

/// Each group reading a topic gets its own copy of every record: three
/// groups make three ledger copies per record, each processed independently.
#[test]
fn every_group_gets_its_own_copy_of_every_record() {
    let (_, s) = run(preset("kafka-commit-modes-crash"));
    assert_eq!(s.published, 10_000);
    assert_eq!(s.produced, 3 * s.published);
    assert_eq!(group(&s, "at-least-once").stats.processed, s.published);
}
