//! Why a message was put back: every requeue, ack-timeout take-back, retry
//! and return to a Kafka log carries its reason in the journal, and every
//! delivery or fetch of a message delivered before is flagged as a
//! redelivery. One scenario per reason.

mod amqp_support;

use amqp_support::{S, of_kind, run, sim};
use mqsim::engine::Command;
use mqsim::observe::{Cause, LifeEvent, LifeKind};
use serde_json::{Value, json};

/// The reasons of the events of `kind`, in order.
fn reasons(events: &[LifeEvent], kind: LifeKind) -> Vec<Option<Cause>> {
    of_kind(events, kind).iter().map(|e| e.reason).collect()
}

fn preset(name: &str) -> Value {
    serde_json::from_str(mqsim::scenario::presets::find(name).unwrap().json).unwrap()
}

/// Only the events that put a message back carry a reason.
fn only_put_backs_have_reasons(events: &[LifeEvent]) {
    use LifeKind::*;
    for e in events.iter().filter(|e| e.reason.is_some()) {
        assert!(matches!(e.kind, Requeued | AckTimedOut | RetryScheduled | Retried | ReturnedToLog), "{e:?}");
    }
}

/// A manual-ack consumer crashes holding messages: each goes back to the
/// queue "because the consumer crashed", and each is redelivered, flagged.
#[test]
fn a_consumer_crash_requeues_with_reason_consumer_crash() {
    let (summary, events) = run(preset("consumer-crash-manual-ack"));
    let requeued = reasons(&events, LifeKind::Requeued);
    assert!(!requeued.is_empty());
    assert!(requeued.iter().all(|&r| r == Some(Cause::ConsumerCrash)), "{requeued:?}");
    let redelivered = of_kind(&events, LifeKind::Delivered).iter().filter(|e| e.redelivered).count() as u64;
    assert_eq!(redelivered, summary.redeliveries);
    assert_eq!(redelivered as usize, requeued.len(), "each message put back is delivered once more");
    only_put_backs_have_reasons(&events);
}

/// Scaling a group in with `set_consumers` stops instances as a crash does;
/// what they held goes back "because the group was scaled in".
#[test]
fn scaling_in_requeues_with_reason_scaled_in() {
    let mut sim = sim(json!({
        "name": "scale-in", "seed": 1, "duration": "10s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 100 } }, "count": 100 }],
        "consumers": [{ "name": "c", "queue": "q", "count": 2, "prefetch": 5, "service": { "constant": "100ms" } }]
    }));
    sim.run_until(S / 2);
    sim.command(Command::SetConsumers { consumer: "c".into(), count: 1 }).unwrap();
    let events = sim.drain_journal();
    let requeued = reasons(&events, LifeKind::Requeued);
    assert_eq!(requeued, vec![Some(Cause::ScaledIn); 5], "the stopped instance held a full prefetch of 5");
}

/// A poison message rejected with requeue goes back "because processing
/// failed", and every delivery after the first is a redelivery.
#[test]
fn a_rejected_message_requeues_with_reason_processing_failed() {
    let (summary, events) = run(json!({
        "name": "reject", "seed": 1, "duration": "1s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1, "poison_fraction": 1.0 }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "100ms" }, "on_failure": "requeue" }]
    }));
    let requeued = reasons(&events, LifeKind::Requeued);
    assert_eq!(requeued, vec![Some(Cause::ProcessingFailed); 10], "an attempt every 100 ms, failing at 0.1 s … 1 s");
    let flags: Vec<bool> = of_kind(&events, LifeKind::Delivered).iter().map(|e| e.redelivered).collect();
    assert_eq!(flags.len(), 11, "delivered at 0, 0.1 s … 1 s");
    assert!(!flags[0] && flags[1..].iter().all(|&f| f));
    assert_eq!(summary.redeliveries, 10);
}

/// A retry policy holds a failed message for its backoff and then requeues
/// it: both steps say "processing failed".
#[test]
fn a_retry_is_scheduled_and_requeued_with_reason_processing_failed() {
    let (_, events) = run(json!({
        "name": "retry", "seed": 1, "duration": "10s",
        "queues": [{ "name": "q", "dead_letter": "dlq" }, { "name": "dlq" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1, "poison_fraction": 1.0 }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "10ms" },
                        "on_failure": { "retry": { "backoff": ["1s", "2s"] } } }]
    }));
    assert_eq!(reasons(&events, LifeKind::RetryScheduled), vec![Some(Cause::ProcessingFailed); 2]);
    assert_eq!(reasons(&events, LifeKind::Retried), vec![Some(Cause::ProcessingFailed); 2]);
    assert_eq!(of_kind(&events, LifeKind::DeadLetteredRejected)[0].reason, None, "a dead letter has its own reason");
}

/// A consumer slower than its ack timeout: the broker takes the message
/// back "because the ack timed out" (the consumer was still working).
#[test]
fn a_slow_consumer_is_timed_out_with_reason_ack_timeout() {
    let (_, events) = run(json!({
        "name": "timeout", "seed": 1, "duration": "3500ms",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1 }],
        "consumers": [{ "name": "c", "queue": "q", "count": 2, "service": { "constant": "2s" }, "ack_timeout": "1s" }]
    }));
    assert_eq!(reasons(&events, LifeKind::AckTimedOut), vec![Some(Cause::AckTimeout); 3]);
    let flags: Vec<(u64, bool)> = of_kind(&events, LifeKind::Delivered).iter().map(|e| (e.t, e.redelivered)).collect();
    assert_eq!(flags, [(0, false), (S, true), (2 * S, true), (3 * S, true)]);
}

/// The consumer did the work and acked, but the ack was lost: the ack
/// timeout takes the message back "because its ack was lost".
#[test]
fn a_lost_ack_is_taken_back_with_reason_lost_ack() {
    let (summary, events) = run(json!({
        "name": "lost-ack", "seed": 1, "duration": "2500ms",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1 }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "10ms" },
                        "ack_loss_probability": 1.0, "ack_timeout": "1s" }]
    }));
    assert_eq!(summary.amqp.acks_lost, 3, "acked at 10 ms, 1.01 s and 2.01 s, each ack lost");
    assert_eq!(reasons(&events, LifeKind::AckTimedOut), vec![Some(Cause::LostAck); 2]);
}

/// The queue family's broker crashes while deliveries await acks: the
/// persistent ones on disk come back "because the broker crashed".
#[test]
fn a_broker_crash_requeues_with_reason_broker_crash() {
    let (summary, events) = run(preset("publisher-confirms-broker-crash"));
    let requeued = reasons(&events, LifeKind::Requeued);
    assert_eq!(requeued, vec![Some(Cause::BrokerCrash); 20], "two payment workers with a full prefetch of 10");
    let redelivered = of_kind(&events, LifeKind::Delivered).iter().filter(|e| e.redelivered).count() as u64;
    assert_eq!((redelivered, summary.redeliveries), (20, 20));
}

/// A Kafka group member crashes holding fetched records: its group's copies
/// go back to the log "because the consumer crashed", and the next fetch
/// of each is flagged as a redelivery and counted in the group's
/// `redelivered`.
#[test]
fn a_kafka_member_crash_returns_records_with_reason_consumer_crash() {
    let (summary, events) = run(preset("kafka-commit-modes-crash"));
    let returned = of_kind(&events, LifeKind::ReturnedToLog);
    assert!(!returned.is_empty());
    assert!(returned.iter().all(|e| e.reason == Some(Cause::ConsumerCrash)));
    let refetched: std::collections::BTreeSet<u64> =
        of_kind(&events, LifeKind::Fetched).iter().filter(|e| e.redelivered).map(|e| e.msg).collect();
    let back: std::collections::BTreeSet<u64> = returned.iter().map(|e| e.msg).collect();
    assert_eq!(refetched, back, "exactly the copies returned to the log are fetched again, flagged");
    let kafka = summary.kafka.as_ref().unwrap();
    let counted: u64 = kafka.groups.iter().map(|g| g.stats.redelivered).sum();
    assert_eq!(counted, of_kind(&events, LifeKind::Fetched).iter().filter(|e| e.redelivered).count() as u64);
    only_put_backs_have_reasons(&events);
}

/// Reasons and flags are for the journal only: a run with the journal off
/// has the same trace hash as one with it on.
#[test]
fn reasons_do_not_change_the_trace() {
    let scenario = mqsim::scenario::presets::load("consumer-crash-manual-ack").unwrap();
    let mut quiet = mqsim::engine::Sim::with_journal(scenario.clone(), 0).unwrap();
    let mut loud = mqsim::engine::Sim::with_journal(scenario, 1 << 20).unwrap();
    quiet.run_to_end();
    loud.run_to_end();
    assert_eq!(quiet.trace_hash(), loud.trace_hash());
}
