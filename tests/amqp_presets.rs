//! Each queue-family preset shows what its description promises (the
//! dedup, delay, TTL, replay, confirm, RPC and pub/sub presets have their
//! own test files).

mod amqp_support;

use std::collections::BTreeMap;

use amqp_support::{S, of_kind, run};
use mqsim::engine::Sim;
use mqsim::observe::LifeKind;
use mqsim::scenario::presets;
use mqsim::summary::Summary;

fn preset(name: &str) -> serde_json::Value {
    serde_json::from_str(presets::find(name).unwrap().json).unwrap()
}

fn processed_by(summary: &Summary, name: &str) -> u64 {
    summary.consumers.iter().filter(|c| c.name.starts_with(&format!("{name}#"))).map(|c| c.processed).sum()
}

/// How many of the first `n` messages of a producer cycling through 5 keys used key `k`.
fn with_key(n: u64, k: u64) -> u64 {
    (n + 4 - k) / 5
}

/// exchange-routing: every key reaches exactly the queues its bindings
/// select, the audit cycle gives one copy, refunds go to the alternate
/// exchange, half the invoices come back to their mandatory publisher, and
/// PDF reports match the headers binding.
#[test]
fn exchange_routing_sends_each_key_to_its_queues() {
    let (summary, events) = run(preset("exchange-routing"));
    let (billing, reporting) = (100, 50);
    let shop = summary.published - billing - reporting;
    // Keys in turn: orders.eu.new, orders.eu.paid, orders.us.new, orders.us.paid, refunds.eu.new.
    let k = |key| with_key(shop, key);
    assert_eq!(processed_by(&summary, "eu-worker"), k(0) + k(1));
    assert_eq!(processed_by(&summary, "payments-worker"), k(1) + k(3));
    assert_eq!(processed_by(&summary, "auditor"), shop - k(4), "every order, once, despite the cycle");
    assert_eq!(processed_by(&summary, "inspector"), k(4));
    assert_eq!(summary.amqp.alternate_routed, k(4));
    assert_eq!(processed_by(&summary, "invoicer"), billing / 2);
    assert_eq!(summary.amqp.returned, billing / 2);
    assert_eq!(of_kind(&events, LifeKind::Returned).len() as u64, billing / 2);
    assert_eq!(processed_by(&summary, "reporter"), reporting);
    assert_eq!(summary.produced, summary.published + summary.amqp.copies);
}

/// poison-requeue-forever: redeliveries keep growing to the end, and once
/// the poison messages hold all 15 prefetch slots the queue stops draining.
#[test]
fn poison_requeue_forever_redelivers_without_bound() {
    let mut sim = Sim::new(presets::load("poison-requeue-forever").unwrap()).unwrap();
    sim.run_to_end();
    let summary = Summary::of(&sim);
    let redelivered = sim.series().column("redelivered").unwrap();
    let at = |seconds: usize| redelivered[seconds * 10];
    assert!(at(20) - at(15) > 1_000.0, "still climbing at the end: {} -> {}", at(15), at(20));
    assert!(at(10) > at(5) && at(15) > at(10));
    assert_eq!(summary.states.in_flight, 15, "every slot holds a poison message");
    let processed = sim.series().column("processed").unwrap();
    assert_eq!(processed[15 * 10], processed[20 * 10], "nothing was processed in the last 5 s");
    assert!(summary.states.stored > 100, "while {} messages wait", summary.states.stored);
    assert_eq!(summary.states.dead_lettered, 0);
}

/// retry-backoff: a message that exhausts its retries is dead-lettered
/// (reason rejected) at least 1 + 5 + 30 s after its first attempt; every
/// other message is processed.
#[test]
fn retry_backoff_dead_letters_after_three_retries() {
    let (summary, events) = run(preset("retry-backoff"));
    let mut first_delivery = BTreeMap::new();
    for e in of_kind(&events, LifeKind::Delivered) {
        first_delivery.entry(e.msg).or_insert(e.t);
    }
    let dead = of_kind(&events, LifeKind::DeadLetteredRejected);
    assert!(!dead.is_empty());
    for e in &dead {
        let delivered = events.iter().filter(|d| d.msg == e.msg && d.kind == LifeKind::Delivered).count();
        assert_eq!(delivered, 4, "message {}: the first attempt and three retries", e.msg);
        assert!(e.t - first_delivery[&e.msg] >= 36 * S);
    }
    assert_eq!(summary.amqp.dead_letter_queues[0].by_reason.rejected, dead.len() as u64);
    assert_eq!(summary.states.processed + summary.states.dead_lettered, summary.published);
    for e in of_kind(&events, LifeKind::RetryScheduled) {
        let wait = e.due.unwrap() - e.t;
        assert!([S, 5 * S, 30 * S].contains(&wait), "a backoff of {wait} ns");
    }
}

/// poison-message-dlq: its dead letters are listed by reason, all `delivery_limit`.
#[test]
fn poison_message_dlq_records_the_delivery_limit_reason() {
    let (summary, _) = run(preset("poison-message-dlq"));
    let dlq = &summary.amqp.dead_letter_queues[0];
    assert_eq!(dlq.depth, summary.states.dead_lettered);
    assert_eq!(dlq.by_reason.delivery_limit, dlq.depth);
    assert_eq!(summary.amqp.dead_lettered_by_reason.delivery_limit, summary.dead_lettered_total);
}

/// Running a queue-family preset in awkward slices gives exactly the run of
/// one slice: timers, expiry, ack timeouts and flushes do not depend on how
/// time is chopped up.
#[test]
fn slicing_time_does_not_change_queue_family_runs() {
    for name in [
        "idempotent-consumer",
        "retry-backoff",
        "ttl-expiry",
        "dlq-replay",
        "publisher-confirms-broker-crash",
        "request-reply",
        "nats-core-vs-durable",
    ] {
        let scenario = presets::load(name).unwrap();
        let mut whole = Sim::new(scenario.clone()).unwrap();
        whole.run_to_end();
        let mut sliced = Sim::new(scenario).unwrap();
        let mut t = 0;
        while !sliced.finished() {
            t += 7_777_777;
            sliced.run_until(t);
        }
        assert_eq!(whole.trace_hash(), sliced.trace_hash(), "{name}");
        assert_eq!(whole.series().to_csv(), sliced.series().to_csv(), "{name}");
    }
}
