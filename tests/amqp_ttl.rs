//! Time to live: per-queue and per-message TTL, expiry at the head of the
//! queue, dead-lettering with reason `expired`, or discarding as expired.

mod amqp_support;

use std::collections::BTreeMap;

use amqp_support::{MS, S, of_kind, run};
use mqsim::observe::LifeKind;
use mqsim::scenario::presets;
use serde_json::json;

fn preset() -> serde_json::Value {
    serde_json::from_str(presets::find("ttl-expiry").unwrap().json).unwrap()
}

/// When each message was published.
fn published_at(events: &[mqsim::observe::LifeEvent]) -> BTreeMap<u64, u64> {
    of_kind(events, LifeKind::Published).iter().map(|e| (e.msg, e.t)).collect()
}

/// A queue TTL of 2 s dead-letters each expired message exactly 2 s after
/// it was enqueued, with reason `expired`, and never delivers one later.
#[test]
fn queue_ttl_dead_letters_exactly_at_expiry() {
    let (summary, events) = run(preset());
    let born = published_at(&events);
    let expired = of_kind(&events, LifeKind::DeadLetteredExpired);
    assert!(expired.len() > 50, "the backlog must make messages expire");
    for e in &expired {
        assert_eq!(e.t - born[&e.msg], 2 * S, "message {}", e.msg);
    }
    for d in of_kind(&events, LifeKind::Delivered).iter().filter(|d| d.node == 0) {
        assert!(d.t - born[&d.msg] < 2 * S, "message {} was delivered after it expired", d.msg);
    }
    let dlq = &summary.amqp.dead_letter_queues[0];
    assert_eq!((dlq.depth, dlq.by_reason.expired), (expired.len() as u64, expired.len() as u64));
}

/// A per-message TTL with no dead-letter queue discards the message as expired.
#[test]
fn per_message_ttl_without_a_dead_letter_queue_expires() {
    let (summary, events) = run(preset());
    let born = published_at(&events);
    let expired = of_kind(&events, LifeKind::Expired);
    assert_eq!(expired.len() as u64, summary.states.expired);
    assert!(summary.states.expired > 50);
    assert!(expired.iter().all(|e| e.t - born[&e.msg] == 500 * MS && e.node == 2));
    assert_eq!(summary.amqp.dead_lettered_by_reason.expired, summary.states.dead_lettered);
}

/// RabbitMQ classic queues expire messages at the head: a message with a
/// 1 s expiration behind one with 10 s waits for it, then expires at once.
#[test]
fn a_short_ttl_behind_a_long_one_expires_when_it_reaches_the_head() {
    let doc = json!({
        "name": "head", "seed": 1, "duration": "20s",
        "queues": [{ "name": "q" }],
        "producers": [
            { "name": "long", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1, "ttl": "10s" },
            { "name": "short", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1, "ttl": "1s",
              "start": "1ms" }
        ]
    });
    let (_, events) = run(doc);
    let expired: Vec<(u64, u64)> = of_kind(&events, LifeKind::Expired).iter().map(|e| (e.msg, e.t)).collect();
    assert_eq!(expired, [(0, 10 * S), (1, 10 * S)]);
}

/// The lower of the queue's TTL and the message's own applies.
#[test]
fn the_lower_of_queue_and_message_ttl_applies() {
    let doc = json!({
        "name": "lower", "seed": 1, "duration": "20s",
        "queues": [{ "name": "q", "message_ttl": "3s" }],
        "producers": [
            { "name": "a", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1, "ttl": "5s" },
            { "name": "b", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1, "ttl": "1s", "start": "5s" }
        ]
    });
    let (_, events) = run(doc);
    let expired: Vec<u64> = of_kind(&events, LifeKind::Expired).iter().map(|e| e.t).collect();
    assert_eq!(expired, [3 * S, 6 * S]);
}
