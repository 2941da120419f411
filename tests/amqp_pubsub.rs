//! Publish-subscribe with a queue per subscriber: a NATS-core-like
//! subscription misses what is published while it is offline; a durable one
//! keeps it.

mod amqp_support;

use amqp_support::{MS, S, of_kind, run};
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

/// mqsim stands for a JetStream durable consumer with a durable queue, but
/// a subscriber that goes away gives its unacked messages back at once, as
/// a RabbitMQ channel does, not after `ack_wait` (its `ack_timeout`, here
/// 3 s) as JetStream does: it holds m0 and m1 when it crashes at 150 ms, and
/// gets both back, flagged, the moment it returns at 600 ms. nats-server
/// gives it nothing before 3 s (docs/semantics.md, "A subscriber that goes
/// away returns its unacked messages at once"; tests/broker/, case
/// `nats-unacked-held-until-ack-wait`).
#[test]
fn a_durable_subscriber_that_goes_away_returns_its_unacked_messages_at_once() {
    let doc = json!({
        "name": "away", "seed": 1, "duration": "1.5s",
        "queues": [{ "name": "jobs" }],
        "producers": [
            { "name": "first", "queue": "jobs", "arrivals": { "constant": { "rate": 20 } }, "count": 2 },
            { "name": "later", "queue": "jobs", "arrivals": { "constant": { "rate": 20 } }, "count": 2, "start": "250ms" }
        ],
        "consumers": [{ "name": "holder", "queue": "jobs", "service": { "constant": "300ms" }, "prefetch": 2,
                        "ack_timeout": "3s" }],
        "faults": [
            { "at": "150ms", "action": { "crash_consumer": { "consumer": "holder" } } },
            { "at": "600ms", "action": { "restart_consumer": { "consumer": "holder" } } }
        ]
    });
    let (_, events) = run(doc);
    let mut requeued: Vec<(u64, u64)> = of_kind(&events, LifeKind::Requeued).iter().map(|e| (e.t, e.msg)).collect();
    requeued.sort();
    assert_eq!(requeued, [(150 * MS, 0), (150 * MS, 1)], "given back when the subscriber goes");
    let delivered: Vec<(u64, u64, bool)> =
        of_kind(&events, LifeKind::Delivered).iter().map(|e| (e.t, e.msg, e.redelivered)).collect();
    assert_eq!(
        delivered,
        [
            (0, 0, false),
            (50 * MS, 1, false),
            (600 * MS, 0, true),
            (600 * MS, 1, true),
            (900 * MS, 2, false),
            (1200 * MS, 3, false)
        ]
    );
}

/// Competing consumers of one queue stand for a NATS queue group. Each
/// message goes to exactly one member, as in NATS, but mqsim deals them in
/// turn where nats-server picks a member at random (docs/semantics.md, "A
/// queue group is dealt in turn, not at random"; tests/broker/, case
/// `nats-queue-group-core`).
#[test]
fn a_queue_group_deals_its_members_in_turn() {
    let doc = json!({
        "name": "group", "seed": 1, "duration": "500ms",
        "queues": [{ "name": "work", "exclusive": true }],
        "producers": [{ "name": "p", "queue": "work", "arrivals": { "constant": { "rate": 1000 } }, "count": 12 }],
        "consumers": [{ "name": "member", "queue": "work", "service": { "constant": "10ms" }, "ack": "auto", "count": 3 }]
    });
    let (_, events) = run(doc);
    let members: Vec<(u64, u32)> = of_kind(&events, LifeKind::Delivered).iter().map(|e| (e.msg, e.node)).collect();
    let in_turn: Vec<(u64, u32)> = (0..12).map(|m| (m, (m % 3) as u32)).collect();
    assert_eq!(members, in_turn);
}
