//! Idempotent consumers: duplicates arise from redelivery after the work was
//! done, a dedup store keyed by message id removes them, and a dedup window
//! shorter than the redelivery delay does not.

mod amqp_support;

use amqp_support::{of_kind, run};
use mqsim::observe::LifeKind;
use mqsim::scenario::presets;
use mqsim::summary::Summary;
use serde_json::json;

/// The `idempotent-consumer` preset as JSON, to run or to vary.
fn preset() -> serde_json::Value {
    serde_json::from_str(presets::find("idempotent-consumer").unwrap().json).unwrap()
}

/// Messages the instances of group `name` acknowledged.
fn processed_by(summary: &Summary, name: &str) -> u64 {
    summary.consumers.iter().filter(|c| c.name.starts_with(&format!("{name}#"))).map(|c| c.processed).sum()
}

fn group<'a>(summary: &'a Summary, name: &str) -> &'a mqsim::amqp::inspect::GroupSummary {
    summary.amqp.groups.iter().find(|g| g.name == name).unwrap()
}

/// Without dedup, a message redelivered after a lost ack is charged twice:
/// side effects exceed processed messages by exactly the duplicates.
#[test]
fn without_dedup_redelivery_duplicates_side_effects() {
    let (summary, _) = run(preset());
    let plain = group(&summary, "plain");
    assert!(plain.duplicates > 0, "lost acks must cause duplicate charges");
    assert_eq!(plain.side_effects, processed_by(&summary, "plain") + plain.duplicates);
    assert_eq!(plain.dedup_hits, 0);
}

/// With dedup by message id, the same redeliveries are dedup hits: exactly
/// one side effect per message.
#[test]
fn with_dedup_every_message_has_exactly_one_side_effect() {
    let (summary, events) = run(preset());
    let dedup = group(&summary, "dedup");
    assert_eq!(dedup.duplicates, 0);
    assert!(dedup.dedup_hits > 0, "the redeliveries were recognised");
    assert_eq!(dedup.side_effects, processed_by(&summary, "dedup"));
    assert_eq!(dedup.side_effects, summary.published, "one charge per payment");
    assert_eq!(of_kind(&events, LifeKind::DedupHit).len() as u64, dedup.dedup_hits);
}

/// A dedup window shorter than the redelivery delay (2 s < the 5 s ack
/// timeout) has forgotten the id when the redelivery comes: no hits, and
/// the duplicates get through.
#[test]
fn a_dedup_window_shorter_than_the_redelivery_delay_fails() {
    let (summary, _) = run(preset());
    let short = group(&summary, "short-window");
    assert_eq!(short.dedup_hits, 0);
    assert!(short.duplicates > 0);
    assert_eq!(short.side_effects, processed_by(&summary, "short-window") + short.duplicates);
}

/// The run-wide counters add up the groups' and agree with the journal.
#[test]
fn side_effect_counters_add_up() {
    let (summary, events) = run(preset());
    let groups = &summary.amqp.groups;
    assert_eq!(summary.amqp.side_effects, groups.iter().map(|g| g.side_effects).sum::<u64>());
    assert_eq!(summary.duplicates, groups.iter().map(|g| g.duplicates).sum::<u64>());
    assert_eq!(of_kind(&events, LifeKind::DuplicateEffect).len() as u64, summary.duplicates);
    assert_eq!(summary.amqp.acks_lost, summary.amqp.ack_timeouts, "every lost ack ends in a timeout");
}

/// The dedup store forgets ids as their window ends, so its size follows the
/// window, not the number of messages.
#[test]
fn the_dedup_store_holds_only_the_window() {
    let doc = json!({
        "name": "window", "seed": 1, "duration": "20s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 100 } }, "stop": "10s" }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "1ms" }, "idempotent": { "window": "1s" } }]
    });
    let mut sim = amqp_support::sim(doc);
    sim.run_until(5_000_000_000);
    let at_5s = group(&Summary::of(&sim), "c").dedup_store.unwrap();
    assert!((99..=101).contains(&at_5s), "about one second of ids: {at_5s}");
    sim.run_to_end();
    assert_eq!(group(&Summary::of(&sim), "c").dedup_store, Some(0), "all forgotten after the last window");
}
