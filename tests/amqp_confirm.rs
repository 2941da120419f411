//! Publisher confirms, persistent and transient messages, and a broker crash.

mod amqp_support;

use std::collections::BTreeSet;

use amqp_support::{MS, S, of_kind, run};
use mqsim::observe::{LifeEvent, LifeKind};
use mqsim::scenario::presets;
use mqsim::summary::Summary;
use serde_json::json;

fn preset() -> serde_json::Value {
    serde_json::from_str(presets::find("publisher-confirms-broker-crash").unwrap().json).unwrap()
}

fn ids(events: &[LifeEvent], kind: LifeKind) -> BTreeSet<u64> {
    of_kind(events, kind).iter().map(|e| e.msg).collect()
}

fn publisher<'a>(summary: &'a Summary, name: &str) -> &'a mqsim::amqp::inspect::PublisherSummary {
    summary.amqp.publishers.iter().find(|p| p.name == name).unwrap()
}

/// A confirmed message is never lost to the crash, and every one is
/// processed in the end.
#[test]
fn confirmed_messages_survive_a_broker_crash() {
    let (summary, events) = run(preset());
    let confirmed = ids(&events, LifeKind::Confirmed);
    let lost = ids(&events, LifeKind::Lost);
    let acked = ids(&events, LifeKind::Acked);
    assert_eq!(confirmed.len() as u64, publisher(&summary, "checkout").confirmed);
    assert!(confirmed.len() > 1000);
    assert!(confirmed.is_disjoint(&lost), "a confirmed message was lost");
    assert!(confirmed.is_subset(&acked), "every confirmed message is processed");
}

/// The crash loses every transient page view the broker held, and only the
/// payments written since the last flush (at most 100 ms of them).
#[test]
fn a_crash_loses_transient_messages_and_persistent_ones_not_yet_on_disk() {
    let (summary, events) = run(preset());
    let at_crash: Vec<LifeEvent> = of_kind(&events, LifeKind::Lost).into_iter().filter(|e| e.t == 5 * S).collect();
    let a = &summary.amqp;
    assert_eq!(at_crash.len() as u64, a.crash_lost_transient + a.crash_lost_unflushed);
    assert!(a.crash_lost_transient > 200, "the page-view backlog: {}", a.crash_lost_transient);
    assert!((1..=40).contains(&a.crash_lost_unflushed), "about 100 ms of payments: {}", a.crash_lost_unflushed);
    // Every payment the producer sent was processed, lost before it reached
    // the disk, or refused while the broker was down.
    let checkout = publisher(&summary, "checkout");
    let stored = of_kind(&events, LifeKind::Published).iter().filter(|e| e.node == 0).count() as u64;
    let processed: u64 =
        summary.consumers.iter().filter(|c| c.name.starts_with("payment-worker")).map(|c| c.processed).sum();
    assert_eq!(processed + a.crash_lost_unflushed, stored);
    assert!(checkout.confirmed <= processed);
}

/// While the broker is down every publish fails, and only then.
#[test]
fn publishing_fails_while_the_broker_is_down() {
    let (summary, events) = run(preset());
    let failed = of_kind(&events, LifeKind::PublishFailed);
    assert!(failed.iter().all(|e| (5 * S..7 * S).contains(&e.t)));
    assert_eq!(failed.len() as u64, summary.amqp.publish_failed);
    let per_producer: u64 = summary.amqp.publishers.iter().map(|p| p.failed).sum();
    assert_eq!(per_producer, summary.amqp.publish_failed);
    assert!(summary.amqp.publish_failed > 600, "2 s at 400/s: {}", summary.amqp.publish_failed);
    assert!(summary.amqp.broker_up);
}

/// Payments a consumer was working on at the crash survive on disk and are
/// redelivered after the restart; the consumer finished them anyway, so
/// each was charged twice.
#[test]
fn unacked_persistent_deliveries_are_redelivered_after_the_restart() {
    let (summary, events) = run(preset());
    let redelivered: Vec<LifeEvent> =
        events.iter().filter(|e| e.kind == LifeKind::Requeued && e.t == 5 * S).copied().collect();
    assert_eq!(redelivered.len(), 20, "two payment workers with a full prefetch of 10");
    assert_eq!(summary.redeliveries, 20);
    let group = summary.amqp.groups.iter().find(|g| g.name == "payment-worker").unwrap();
    assert_eq!(group.duplicates, 20);
    let first_redelivery = events.iter().find(|e| e.kind == LifeKind::Delivered && e.t >= 5 * S).unwrap();
    assert_eq!(first_redelivery.t, 7 * S, "nothing is delivered while the broker is down");
}

/// A full `reject-publish` queue nacks a publisher that uses confirms.
#[test]
fn reject_publish_nacks_a_confirming_publisher() {
    let doc = json!({
        "name": "nack", "seed": 1, "duration": "2s",
        "queues": [{ "name": "q", "max_length": 5, "overflow": "reject_publish" }],
        "producers": [
            { "name": "confirming", "queue": "q", "arrivals": { "constant": { "rate": 100 } }, "count": 8, "confirm": true },
            { "name": "plain", "queue": "q", "arrivals": { "constant": { "rate": 100 } }, "count": 2, "start": "500ms" }
        ]
    });
    let (summary, events) = run(doc);
    let confirming = publisher(&summary, "confirming");
    assert_eq!((confirming.confirmed, confirming.nacked), (5, 3));
    assert_eq!(of_kind(&events, LifeKind::PublishNacked).len(), 3);
    assert_eq!(of_kind(&events, LifeKind::Dropped).len(), 2, "the plain publisher is not told");
    assert_eq!(summary.states.dropped, 5);
    assert!(of_kind(&events, LifeKind::Confirmed).iter().all(|e| e.t < 50 * MS), "transient: confirmed on enqueue");
}

/// Held messages: a crash loses the transient ones; a persistent one due
/// while the broker is down is released as soon as it restarts.
#[test]
fn held_messages_survive_a_crash_only_if_persistent() {
    let doc = json!({
        "name": "held", "seed": 1, "duration": "10s",
        "queues": [{ "name": "q" }],
        "producers": [
            { "name": "transient", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1,
              "delay": { "fixed": "3s" } },
            { "name": "persistent", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1,
              "delay": { "fixed": "3s" }, "persistent": true }
        ],
        "faults": [
            { "at": "2s", "action": { "crash_amqp_broker": {} } },
            { "at": "5s", "action": { "restart_amqp_broker": {} } }
        ]
    });
    let (summary, events) = run(doc);
    let lost: Vec<(u64, u64)> = of_kind(&events, LifeKind::Lost).iter().map(|e| (e.msg, e.t)).collect();
    assert_eq!(lost, [(0, 2 * S)]);
    let released: Vec<(u64, u64)> = of_kind(&events, LifeKind::Released).iter().map(|e| (e.msg, e.t)).collect();
    assert_eq!(released, [(1, 5 * S)], "due at 3 s, released at the 5 s restart");
    assert_eq!((summary.states.stored, summary.amqp.crash_lost_transient), (1, 1));
}

/// A message no queue takes is confirmed all the same, once routing has
/// found nowhere for it, and a mandatory one is returned first: RabbitMQ
/// 3.10 does both (tests/broker/, cases `confirms-routed-and-unroutable` and
/// `confirms-return-before-ack`).
#[test]
fn unroutable_messages_are_confirmed_after_any_return() {
    let doc = |mandatory: bool| {
        json!({
            "name": "unroutable-confirm", "seed": 1, "duration": "1s",
            "queues": [{ "name": "known" }],
            "exchanges": [{ "name": "x", "type": "direct", "bindings": [{ "queue": "known", "key": "known" }] }],
            "producers": [{ "name": "p", "exchange": "x", "routing_keys": ["known", "nowhere"], "confirm": true,
                            "mandatory": mandatory, "arrivals": { "constant": { "rate": 10 } }, "count": 2 }]
        })
    };
    let (summary, events) = run(doc(false));
    assert_eq!(ids(&events, LifeKind::Confirmed), BTreeSet::from([0, 1]));
    assert_eq!(summary.amqp.unroutable, 1);

    let (_, events) = run(doc(true));
    let of_m1: Vec<LifeKind> = events.iter().filter(|e| e.msg == 1).map(|e| e.kind).collect();
    assert_eq!(of_m1, [LifeKind::Returned, LifeKind::Confirmed]);
}
