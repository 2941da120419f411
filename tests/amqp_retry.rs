//! Retry with backoff: a failed message is held until its retry time, then
//! requeued; after the last retry it is dead-lettered with reason `rejected`.

mod amqp_support;

use amqp_support::{MS, S, of_kind, of_msg, run, sim};
use mqsim::ledger::MsgState;
use mqsim::observe::LifeKind;
use serde_json::{Value, json};

/// One poison message (every attempt fails) and a consumer that retries
/// after 1 s, 5 s and 30 s (the seeds' schedule), taking 10 ms per attempt.
fn poison_with_backoff() -> Value {
    json!({
        "name": "retry", "seed": 1, "duration": "2m",
        "queues": [{ "name": "work", "dead_letter": "work.dlq" }, { "name": "work.dlq" }],
        "producers": [{ "name": "p", "queue": "work", "arrivals": { "constant": { "rate": 1 } },
                        "count": 1, "poison_fraction": 1.0 }],
        "consumers": [{ "name": "c", "queue": "work", "service": { "constant": "10ms" },
                        "on_failure": { "retry": { "backoff": ["1s", "5s", "30s"] } } }]
    })
}

/// Each redelivery comes exactly its backoff after the failure before it:
/// delivered at 0, failed at 10 ms, redelivered at 1.01 s, and so on.
#[test]
fn retry_delivery_times_follow_the_backoff_schedule_exactly() {
    let (_, events) = run(poison_with_backoff());
    let delivered: Vec<u64> = of_kind(&events, LifeKind::Delivered).iter().map(|e| e.t).collect();
    let service = 10 * MS;
    let mut expected = vec![0];
    for backoff in [S, 5 * S, 30 * S] {
        let failed_at = expected.last().unwrap() + service;
        expected.push(failed_at + backoff);
    }
    assert_eq!(delivered, expected);
    assert_eq!(delivered, [0, 1_010 * MS, 6_020 * MS, 36_030 * MS]);
}

/// The journal says when each held message is due, at the moment it is held.
#[test]
fn retry_events_carry_their_due_time() {
    let (_, events) = run(poison_with_backoff());
    let scheduled = of_kind(&events, LifeKind::RetryScheduled);
    let due: Vec<(u64, u64)> = scheduled.iter().map(|e| (e.t, e.due.unwrap())).collect();
    assert_eq!(due, [(10 * MS, 1_010 * MS), (1_020 * MS, 6_020 * MS), (6_030 * MS, 36_030 * MS)]);
    let retried: Vec<u64> = of_kind(&events, LifeKind::Retried).iter().map(|e| e.t).collect();
    assert_eq!(retried, [1_010 * MS, 6_020 * MS, 36_030 * MS]);
}

/// After three retries the fourth failure dead-letters the message with reason `rejected`.
#[test]
fn exhausted_retries_dead_letter_with_reason_rejected() {
    let (summary, events) = run(poison_with_backoff());
    let story: Vec<LifeKind> = of_msg(&events, 0).iter().map(|e| e.kind).collect();
    assert_eq!(story.last(), Some(&LifeKind::DeadLetteredRejected));
    assert_eq!(of_kind(&events, LifeKind::Delivered).len(), 4, "the first attempt and three retries");
    assert_eq!(summary.states.dead_lettered, 1);
    assert_eq!(summary.amqp.dead_lettered_by_reason.rejected, 1);
    assert_eq!(summary.amqp.dead_letter_queues[0].by_reason.rejected, 1);
    assert_eq!(summary.amqp.retries, 3);
}

/// While a message waits out its backoff the ledger counts it as delayed,
/// and the recount finds it in the timers.
#[test]
fn a_message_in_backoff_is_delayed_in_the_ledger() {
    let mut sim = sim(poison_with_backoff());
    sim.run_until(3 * S);
    assert_eq!(sim.ledger().count(MsgState::Delayed), 1);
    assert!(sim.ledger_matches_world());
    let held = sim.delayed_messages(10);
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].due_ms, 6_020.0);
}

/// A transient failure is retried and then succeeds: nothing is dead-lettered.
#[test]
fn a_transient_failure_succeeds_on_retry() {
    let mut doc = poison_with_backoff();
    doc["producers"][0]["poison_fraction"] = json!(0.0);
    doc["producers"][0]["count"] = json!(50);
    doc["producers"][0]["arrivals"] = json!({ "constant": { "rate": 10 } });
    doc["consumers"][0]["failure_probability"] = json!(0.3);
    let (summary, _) = run(doc);
    assert_eq!(summary.states.processed + summary.states.dead_lettered, 50);
    assert!(summary.amqp.retries > 5, "{} retries", summary.amqp.retries);
    assert!(summary.states.dead_lettered <= 2, "{} dead letters", summary.states.dead_lettered);
}
