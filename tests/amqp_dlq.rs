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

/// RabbitMQ drops a message dead-lettered round a cycle of queues with no
/// rejection in the cycle (found by the property tests: `q0` pushes its head
/// into `q1`, whose TTL sends it back into `q0`).
#[test]
fn a_dead_letter_cycle_without_rejections_drops_the_message() {
    let scenario = serde_json::json!({
        "name": "dead-letter-cycle", "seed": 0, "duration": "10s",
        "queues": [
            { "name": "q0", "max_length": 1, "dead_letter": "q1" },
            { "name": "q1", "message_ttl": "1ms", "dead_letter": "q0" }
        ],
        "producers": [{ "name": "p0", "queue": "q0", "arrivals": { "constant": { "rate": 164.8 } }, "stop": "13ms" }]
    });
    let mut sim = mqsim::engine::Sim::new(mqsim::scenario::Scenario::from_json(&scenario.to_string()).unwrap()).unwrap();
    sim.run_to_end();
    let s = Summary::of(&sim);
    assert_eq!(s.produced, 3);
    assert_eq!(s.states.stored + s.states.dead_lettered, 1, "the last message waits in q0");
    assert_eq!(s.states.dropped, 2, "the two pushed out are dropped when they come round to q0 again");
    assert!(s.events < 1_000, "{} events: messages kept circulating", s.events);
    assert!(s.ledger_balanced);
}

/// A cycle with a zero TTL would go round at one instant; a TTL must be above
/// zero, so a dead-letter cycle always moves simulated time forward.
#[test]
fn a_zero_ttl_is_refused() {
    let scenario = serde_json::json!({
        "name": "instant-cycle", "seed": 0, "duration": "1s",
        "queues": [
            { "name": "a", "message_ttl": "0s", "dead_letter": "b" },
            { "name": "b", "message_ttl": "1ms", "dead_letter": "a" }
        ],
        "producers": [{ "name": "p", "queue": "a", "arrivals": { "constant": { "rate": 10 } } }]
    });
    let err = mqsim::scenario::Scenario::from_json(&scenario.to_string()).unwrap_err().to_string();
    assert!(err.contains("`queues[0].message_ttl`: must be above 0s"), "{err}");
}
