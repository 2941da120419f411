//! Publish-subscribe with a queue per subscriber: a NATS-core-like
//! subscription misses what is published while it is offline; a durable one
//! keeps it.

mod amqp_support;

use amqp_support::{S, of_kind, run};
use mqsim::observe::LifeKind;
use mqsim::scenario::presets;
use mqsim::summary::Summary;
use serde_json::json;

fn preset() -> serde_json::Value {
    serde_json::from_str(presets::find("nats-core-vs-durable").unwrap().json).unwrap()
}

fn processed_by(summary: &Summary, name: &str) -> u64 {
    summary.consumers.iter().filter(|c| c.name.starts_with(&format!("{name}#"))).map(|c| c.processed).sum()
}

/// The core subscriber misses exactly the messages published while it was
/// offline (5 s to 10 s at 100/s), and gets everything else.
#[test]
fn core_subscriber_misses_what_was_published_while_offline() {
    let (summary, events) = run(preset());
    let missed = of_kind(&events, LifeKind::Missed);
    assert_eq!(missed.len(), 500);
    assert!(missed.iter().all(|e| (5 * S..10 * S).contains(&e.t) && e.node == 0));
    assert_eq!(summary.amqp.missed, 500);
    assert_eq!(processed_by(&summary, "core"), summary.published - 500);
}

/// The durable subscriber's queue keeps what arrives while it is away, and
/// it processes every message.
#[test]
fn durable_subscriber_gets_every_message() {
    let (summary, _) = run(preset());
    assert_eq!(processed_by(&summary, "durable"), summary.published);
    assert_eq!(summary.queues[1].peak.messages, 500, "the backlog that waited for it");
    assert_eq!(summary.produced, summary.published + summary.amqp.copies);
}

/// An exclusive queue dies with its last subscriber: what it held and what
/// its subscriber had not processed are lost.
#[test]
fn an_exclusive_queue_dies_with_its_subscriber() {
    let doc = json!({
        "name": "exclusive", "seed": 1, "duration": "5s",
        "queues": [{ "name": "sub", "exclusive": true }],
        "producers": [{ "name": "p", "queue": "sub", "arrivals": { "constant": { "rate": 100 } }, "stop": "1s" }],
        "consumers": [{ "name": "slow", "queue": "sub", "service": { "constant": "50ms" }, "prefetch": 5 }],
        "faults": [{ "at": "500ms", "action": { "crash_consumer": { "consumer": "slow" } } }]
    });
    let (summary, events) = run(doc);
    let lost_at_crash = of_kind(&events, LifeKind::Lost).iter().filter(|e| e.t == S / 2).count() as u64;
    assert!(lost_at_crash > 30, "the backlog and the unacked deliveries: {lost_at_crash}");
    assert_eq!(summary.states.lost, lost_at_crash);
    assert_eq!(summary.states.dropped, 50, "published after the crash: unroutable");
    assert_eq!(summary.states.processed + summary.states.lost + summary.states.dropped, summary.produced);
}
