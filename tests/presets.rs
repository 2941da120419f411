//! Each bundled preset shows what its description promises.

mod common;

use common::run_preset;
use mqsim::engine::Sim;
use mqsim::scenario::presets::{self, PRESETS};

/// The ledger agrees with the queues and consumers at every sample of every preset.
#[test]
fn every_preset_keeps_the_ledger_balanced() {
    for preset in PRESETS {
        let s = run_preset(preset.name);
        assert!(s.ledger_balanced, "{}", preset.name);
        let st = &s.states;
        let sum = st.producing + st.stored + st.delayed + st.in_flight + st.processed + st.dead_lettered + st.expired
            + st.dropped + st.lost;
        assert_eq!(sum, s.produced, "{}", preset.name);
    }
}

/// Peak shaving (seed 002 §3.3): 100,000 messages in the first second, drained at
/// 1,000/s by a token bucket. The backlog peaks at 100,000 − 1,000 = 99,000 as
/// the spike ends, and the queue is empty 99 s later.
#[test]
fn peak_shaving_backlog_is_99_000_and_drains_in_99_s() {
    let mut sim = Sim::new(presets::load("peak-shaving").unwrap()).unwrap();
    sim.run_until(999_999_999);
    let s = mqsim::summary::Summary::of(&sim);
    assert_eq!(s.produced, 100_000);
    assert_eq!(s.states.processed, 1_000, "one permit per millisecond, from t = 0");
    assert_eq!(s.states.stored + s.states.in_flight, 99_000);
    assert_eq!((s.peak_backlog.messages, s.peak_backlog.at_ms), (99_000, 999.99), "at the last arrival");
    // The last permit is at 99.999 s: the discrete drain ends a permit
    // interval before the fluid model's t = 100 s.
    sim.run_until(99_998_999_999);
    assert_eq!(mqsim::summary::Summary::of(&sim).states.processed, 99_999);
    sim.run_until(99_999_000_000);
    let s = mqsim::summary::Summary::of(&sim);
    assert_eq!(s.states.processed, 100_000, "empty 99 s after the spike");
    assert_eq!(s.peak_backlog.messages, 99_000);
}

/// Manual ack: a crashed consumer's unacknowledged messages are redelivered
/// (flagged), and nothing is lost.
#[test]
fn manual_ack_crash_redelivers_and_loses_nothing() {
    let s = run_preset("consumer-crash-manual-ack");
    assert_eq!(s.states.lost, 0);
    assert_eq!(s.redeliveries, 10, "the crashed consumer held a full prefetch of 10");
    assert_eq!(s.states.processed, s.produced);
}

/// Auto ack: the same crash loses what the consumer held.
#[test]
fn auto_ack_crash_loses_what_the_consumer_held() {
    let s = run_preset("consumer-crash-auto-ack");
    assert!(s.states.lost > 100, "lost {}", s.states.lost);
    assert_eq!(s.redeliveries, 0);
    assert_eq!(s.states.processed + s.states.lost, s.produced);
}

/// Poison messages end in the dead-letter queue after exactly three deliveries.
#[test]
fn poison_messages_are_dead_lettered_after_the_delivery_limit() {
    let mut sim = Sim::new(presets::load("poison-message-dlq").unwrap()).unwrap();
    sim.run_to_end();
    let s = mqsim::summary::Summary::of(&sim);
    assert!(s.states.dead_lettered > 0);
    assert_eq!(s.states.dead_lettered, s.queues[1].depth, "dead letters sit in payments.dlq");
    let journal = sim.drain_journal();
    for event in journal.iter().filter(|e| e.kind == mqsim::observe::LifeKind::DeadLetteredDeliveryLimit) {
        let deliveries = journal
            .iter()
            .filter(|d| d.msg == event.msg && d.kind == mqsim::observe::LifeKind::Delivered)
            .count();
        assert_eq!(deliveries, 3, "message {} was delivered {deliveries} times", event.msg);
    }
}
