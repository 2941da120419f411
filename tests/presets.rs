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

/// The order system: one event per order, fanned out to four services'
/// queues. Every order is processed once by each of inventory, payment,
/// logistics and notification (copies = 4 × orders, nothing lost); payment
/// is the busiest (about three quarters utilised) and builds the longest
/// queue; and M/M/c applies to every queue, as its description says.
#[test]
fn order_system_fans_every_order_out_to_four_services() {
    let s = run_preset("order-system");
    assert!(s.published > 1_000, "40 orders/s for 30 s: {}", s.published);
    assert_eq!(s.produced, 4 * s.published);
    assert_eq!((s.states.processed, s.states.lost, s.states.dropped), (4 * s.published, 0, 0));
    let services = ["inventory-service", "payment-service", "logistics-service", "notification-service"];
    for service in services {
        let processed: u64 = s.consumers.iter().filter(|c| c.name.starts_with(&format!("{service}#"))).map(|c| c.processed).sum();
        assert_eq!(processed, s.published, "{service} processed every order once");
    }
    let queue = |name: &str| s.queues.iter().find(|q| q.name == name).unwrap();
    let payment = queue("payment-events");
    for other in ["inventory-events", "logistics-events", "notification-events"] {
        assert!(payment.peak.messages > queue(other).peak.messages, "payment's queue is the longest, not {other}'s");
        assert!(payment.overlay.unwrap().rho > queue(other).overlay.unwrap().rho);
    }
    let rho = payment.overlay.unwrap().rho;
    assert!((0.7..0.8).contains(&rho), "payment is about three quarters utilised: {rho}");
    for q in &s.queues {
        let o = q.overlay.unwrap();
        assert!(o.markovian && !o.unstable, "{}", q.name);
        assert_eq!(serde_json::to_value(q.theory).unwrap()["model"], "mmc", "{}", q.name);
        assert_eq!(q.theory.note, None, "{}", q.name);
    }
}

/// The order system's topology is the architecture: a producer, a fanout
/// exchange, four queues and four consumer groups, one per service.
#[test]
fn order_system_topology_is_the_architecture() {
    let sim = Sim::new(presets::load("order-system").unwrap()).unwrap();
    let t = mqsim::observe::Topology::of(&sim);
    let kinds: Vec<String> = t.nodes.iter().map(|n| serde_json::to_value(&n.kind).unwrap()["kind"].as_str().unwrap().to_string()).collect();
    let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
    assert_eq!((count("producer"), count("exchange"), count("queue"), count("consumer")), (1, 1, 4, 4));
    let fanout = t.edges.iter().filter(|e| e.from == "exchange:order-events").count();
    assert_eq!(fanout, 4, "the exchange feeds each service's queue");
}
