//! Delayed messages: held by the broker (state `delayed`, due time in the
//! journal) and delivered no earlier than their due time; RocketMQ's 18 levels.

mod amqp_support;

use std::collections::BTreeMap;

use amqp_support::{S, of_kind, run, sim};
use mqsim::ledger::MsgState;
use mqsim::observe::LifeKind;
use mqsim::scenario::presets;
use serde_json::json;

/// RocketMQ's levels, in seconds.
const LEVELS: [u64; 18] = [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200];

fn preset() -> serde_json::Value {
    serde_json::from_str(presets::find("rocketmq-delay-levels").unwrap().json).unwrap()
}

/// Every delayed message is delivered at or after the due time its
/// `delayed` event announced.
#[test]
fn delayed_messages_are_never_delivered_before_their_due_time() {
    let (summary, events) = run(preset());
    let due: BTreeMap<u64, u64> = of_kind(&events, LifeKind::Delayed).iter().map(|e| (e.msg, e.due.unwrap())).collect();
    assert_eq!(due.len() as u64, summary.published);
    for delivered in of_kind(&events, LifeKind::Delivered) {
        assert!(delivered.t >= due[&delivered.msg], "message {} delivered before its due time", delivered.msg);
    }
    assert_eq!(summary.states.processed, summary.published, "all delivered by the end");
}

/// The level producer's message i is due exactly level (i mod 18) + 1 after
/// it was sent, and with an idle consumer it is delivered then.
#[test]
fn rocketmq_levels_delay_by_exactly_their_level() {
    let (_, events) = run(preset());
    let levels: Vec<_> = of_kind(&events, LifeKind::Delayed).into_iter().filter(|e| e.node == 0).collect();
    assert_eq!(levels.len(), 36);
    for (i, e) in levels.iter().enumerate() {
        assert_eq!(e.due.unwrap() - e.t, LEVELS[i % 18] * S, "message {i}");
        let delivered = events.iter().find(|d| d.kind == LifeKind::Delivered && d.msg == e.msg).unwrap();
        assert_eq!(delivered.t, e.due.unwrap(), "message {i} is delivered at its due time");
    }
}

/// While held, messages are `delayed` in the ledger, the recount finds them
/// in the timers, and inspection lists them by due time.
#[test]
fn held_messages_are_delayed_in_the_ledger_and_listed_by_due_time() {
    let mut sim = sim(preset());
    sim.run_until(40 * S);
    let held = sim.ledger().count(MsgState::Delayed);
    assert!(held > 30, "{held} held");
    assert!(sim.ledger_matches_world());
    let listed = sim.delayed_messages(usize::MAX);
    assert_eq!(listed.len() as u64, held);
    assert!(listed.windows(2).all(|w| w[0].due_ms <= w[1].due_ms));
    assert_eq!(listed.last().unwrap().due_ms, (35 + 7200) as f64 * 1000.0, "the second level-18 message");
}

/// A delayed message is routed when it is released, so an exchange's
/// copies appear at the due time, each in its queue.
#[test]
fn a_delayed_message_is_routed_and_copied_at_its_due_time() {
    let doc = json!({
        "name": "delayed-fanout", "seed": 1, "duration": "10s",
        "queues": [{ "name": "a" }, { "name": "b" }],
        "exchanges": [{ "name": "x", "type": "fanout", "bindings": [{ "queue": "a" }, { "queue": "b" }] }],
        "producers": [{ "name": "p", "exchange": "x", "arrivals": { "constant": { "rate": 1 } }, "count": 1,
                        "delay": { "fixed": "3s" } }]
    });
    let (summary, events) = run(doc);
    let released = of_kind(&events, LifeKind::Released);
    let copied = of_kind(&events, LifeKind::Copied);
    assert_eq!((released.len(), copied.len()), (1, 1));
    assert_eq!((released[0].t, copied[0].t), (3 * S, 3 * S));
    assert_eq!(summary.produced, 2);
}
