//! Dead-letter queues: inspection by reason, and replay back to the source,
//! as a scheduled fault and as a method the page can call.

mod amqp_support;

use amqp_support::{S, of_kind, run, sim};
use mqsim::amqp::DeadReason;
use mqsim::observe::LifeKind;
use mqsim::scenario::presets;
use mqsim::summary::Summary;

fn preset() -> serde_json::Value {
    serde_json::from_str(presets::find("dlq-replay").unwrap().json).unwrap()
}

/// Before the replay, the dead letters can be listed with their reason and
/// the queue they came from.
#[test]
fn dead_letters_are_listed_with_reason_and_source() {
    let mut sim = sim(preset());
    sim.run_until(14 * S);
    let letters = sim.dead_letters("orders.dlq", usize::MAX).unwrap();
    assert!(letters.len() > 30, "{} dead letters", letters.len());
    assert!(letters.iter().all(|d| d.reason == DeadReason::Expired && d.from == "orders"));
    let summary = Summary::of(&sim);
    assert_eq!(summary.amqp.dead_letter_queues[0].by_reason.expired, letters.len() as u64);
    assert!(sim.dead_letters("orders", 1).is_err(), "orders is not a dead-letter queue");
}

/// The scheduled replay moves every dead letter back, and all are processed.
#[test]
fn replay_fault_moves_dead_letters_back_and_they_are_processed() {
    let (summary, events) = run(preset());
    let replayed = of_kind(&events, LifeKind::Replayed);
    assert_eq!(replayed.len() as u64, summary.amqp.replayed);
    assert_eq!(summary.amqp.replayed, summary.amqp.dead_lettered_by_reason.expired);
    assert!(replayed.iter().all(|e| e.t == 15 * S && e.node == 0));
    assert_eq!(summary.states.processed, summary.published);
    assert_eq!(summary.amqp.dead_letter_queues[0].depth, 0);
}

/// `Sim::replay_dead_letters` replays on demand, at most `limit` at a time.
#[test]
fn replay_method_moves_up_to_the_limit() {
    let mut doc = preset();
    doc["faults"].as_array_mut().unwrap().pop();
    let mut sim = sim(doc);
    sim.run_until(14 * S);
    let before = sim.dead_letters("orders.dlq", usize::MAX).unwrap().len() as u64;
    assert_eq!(sim.replay_dead_letters("orders.dlq", Some(10)), Ok(10));
    assert_eq!(sim.dead_letters("orders.dlq", usize::MAX).unwrap().len() as u64, before - 10);
    assert_eq!(sim.replay_dead_letters("orders.dlq", None), Ok(before - 10));
    assert!(sim.replay_dead_letters("nope", None).is_err());
    sim.run_to_end();
    let summary = Summary::of(&sim);
    assert!(summary.ledger_balanced);
    assert_eq!(summary.states.processed, summary.published);
}
