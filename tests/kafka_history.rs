//! The log family's history, checked as Jepsen checks a Kafka cluster's:
//! every Kafka preset keeps the promises `kafka_support::history` lists, and
//! each check catches the violation it is for.

mod kafka_support;

use kafka_support::history::{Checker, Report, run_checked};
use kafka_support::{preset, scenario};
use mqsim::engine::Sim;
use mqsim::observe::{Fact, HistoryEvent};
use mqsim::scenario::presets::PRESETS;
use mqsim::scenario::{Acks, CommitMode};
use serde_json::json;

/// The presets with topics: every Kafka preset, and those that mix a log in.
fn kafka_presets() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.name).filter(|&name| !preset(name).topics.is_empty()).collect()
}

fn assert_clean(name: &str, report: &Report) {
    if let Some(violations) = report.describe() {
        panic!("{name} breaks its history's promises:\n{violations}\n{:?}", report.counts);
    }
}

/// Every Kafka preset: no acknowledged write lost but by an unclean
/// election, no offset given twice, commits never going back, nothing
/// skipped by a group committing after processing, the ordering detector
/// right — and the facts add up to the engine's logs.
#[test]
fn every_kafka_preset_keeps_its_history_promises() {
    let names = kafka_presets();
    assert!(names.len() >= 10, "the Kafka presets: {names:?}");
    for name in names {
        let (_, _, report) = run_checked(preset(name));
        assert_clean(name, &report);
        assert!(report.counts.appends > 0 && report.counts.processed > 0 && report.counts.commits > 0, "{name}: {:?}", report.counts);
    }
}

/// kafka-unclean-election: records acknowledged with acks=all are lost, and
/// the checker traces every one to the unclean election.
#[test]
fn an_unclean_election_is_how_acknowledged_writes_are_lost() {
    let (_, _, report) = run_checked(preset("kafka-unclean-election"));
    assert_clean("kafka-unclean-election", &report);
    assert!(report.counts.unclean_truncations > 0, "{:?}", report.counts);
    assert!(report.counts.acked_lost_unclean > 0, "{:?}", report.counts);
}

/// kafka-clean-election: a leader crashes, and not one record acknowledged
/// with acks=all is lost.
#[test]
fn a_clean_election_loses_no_acknowledged_write() {
    let (_, _, report) = run_checked(preset("kafka-clean-election"));
    assert_clean("kafka-clean-election", &report);
    assert!(report.counts.acked_all > 0, "{:?}", report.counts);
    assert_eq!(report.counts.unclean_truncations, 0);
    assert_eq!(report.counts.acked_lost_unclean, 0);
}

/// kafka-key-ordering: the records the detector counts out of order are
/// exactly those the journal shows processed after a later one of their key.
#[test]
fn the_ordering_detector_counts_what_the_journal_shows() {
    let (_, summary, report) = run_checked(preset("kafka-key-ordering"));
    assert_clean("kafka-key-ordering", &report);
    assert!(report.counts.out_of_order > 0, "the preset shows reordering");
    assert_eq!(report.counts.out_of_order, summary.out_of_order);
}

// Each check catches what it is for. A small simulation supplies the
// producers (one plain, one idempotent); the facts are written by hand.

fn two_producers() -> Sim {
    let s = scenario(json!({
        "name": "facts",
        "seed": 1,
        "duration": "1s",
        "topics": [{ "name": "t", "partitions": 1 }],
        "producers": [
            { "name": "plain", "topic": "t", "arrivals": { "constant": { "rate": 1 } }, "kafka": { "idempotent": false } },
            { "name": "idempotent", "topic": "t", "arrivals": { "constant": { "rate": 1 } }, "kafka": { "idempotent": true } }
        ],
        "consumers": [{ "name": "g", "topic": "t", "service": { "constant": "1ms" } }]
    }));
    Sim::new(s).unwrap()
}

fn check(facts: &[Fact]) -> Vec<&'static str> {
    let sim = two_producers();
    let mut checker = Checker::default();
    let events: Vec<HistoryEvent> = facts.iter().enumerate().map(|(i, &fact)| HistoryEvent { t: i as u64, fact }).collect();
    checker.feed_history(&sim, &events);
    let mut report = checker.into_report();
    report.violations.drain(..).map(|v| v.check).collect()
}

fn append(offset: u64, msg: u64) -> Fact {
    Fact::Appended { partition: 0, offset, msg, producer: 0 }
}

fn commit(offset: u64) -> Fact {
    Fact::Committed { group: 0, partition: 0, offset, mode: CommitMode::AfterProcessing }
}

fn processed(offset: u64, msg: u64) -> Fact {
    Fact::Processed { group: 0, partition: 0, offset, msg, member: 0, again: false }
}

/// A record acknowledged with acks=all and then cut by a clean election is a lost write.
#[test]
fn a_clean_truncation_of_an_acknowledged_write_is_reported() {
    let acked = Fact::Acked { producer: 0, msg: 7, acks: Acks::All };
    assert_eq!(check(&[append(0, 7), acked, Fact::Truncated { partition: 0, leo: 0, unclean: false }]), ["lost-write"]);
    assert!(check(&[append(0, 7), acked, Fact::Truncated { partition: 0, leo: 0, unclean: true }]).is_empty());
    let acks_one = Fact::Acked { producer: 0, msg: 7, acks: Acks::One };
    assert!(check(&[append(0, 7), acks_one, Fact::Truncated { partition: 0, leo: 0, unclean: false }]).is_empty());
}

/// An offset given while the log already holds it, or past the log end, is reported.
#[test]
fn an_offset_given_twice_is_reported() {
    assert_eq!(check(&[append(0, 1), append(0, 2)]), ["offset-reused"]);
    assert_eq!(check(&[append(0, 1), append(2, 2)]), ["offset-reused"]);
    assert!(check(&[append(0, 1), Fact::Truncated { partition: 0, leo: 0, unclean: false }, append(0, 2)]).is_empty());
}

/// An idempotent producer's record in the log twice is a duplicate; a plain producer's is allowed.
#[test]
fn an_idempotent_duplicate_is_reported() {
    let twice = |producer| [Fact::Appended { partition: 0, offset: 0, msg: 1, producer }, Fact::Appended { partition: 0, offset: 1, msg: 1, producer }];
    assert_eq!(check(&twice(1)), ["duplicate"]);
    assert!(check(&twice(0)).is_empty());
}

/// An idempotent producer's record landing after a later one of its own is reported; a plain producer's is not checked.
#[test]
fn an_idempotent_producer_out_of_order_is_reported() {
    let landing = |producer| [Fact::Appended { partition: 0, offset: 0, msg: 5, producer }, Fact::Appended { partition: 0, offset: 1, msg: 3, producer }];
    assert_eq!(check(&landing(1)), ["producer-order"]);
    assert!(check(&landing(0)).is_empty());
}

/// A committed offset going back is reported, unless an unclean election moved it.
#[test]
fn a_commit_going_back_is_reported() {
    let log = [append(0, 1), append(1, 2), processed(0, 1), processed(1, 2)];
    assert_eq!(check(&[&log[..], &[commit(2), commit(1)]].concat()), ["commit-backwards"]);
    let moved = Fact::CommitMoved { group: 0, partition: 0, offset: 1 };
    let cut = Fact::Truncated { partition: 0, leo: 1, unclean: true };
    assert!(check(&[&log[..], &[commit(2), cut, moved, commit(1)]].concat()).is_empty());
}

/// Committing after processing past a record the group never processed is reported, unless a reset skipped it.
#[test]
fn a_commit_past_an_unprocessed_record_is_reported() {
    assert_eq!(check(&[append(0, 1), append(1, 2), processed(1, 2), commit(2)]), ["commit-skip"]);
    let reset = Fact::PositionReset { group: 0, partition: 0, offset: 1 };
    assert!(check(&[append(0, 1), append(1, 2), reset, processed(1, 2), commit(2)]).is_empty());
}

/// Processing at an offset a record never had is reported.
#[test]
fn a_record_processed_at_the_wrong_offset_is_reported() {
    assert_eq!(check(&[append(0, 1), append(1, 2), processed(0, 2)]), ["inconsistent-offsets"]);
}
