//! Whole-system presets reproduce the seeds' numbers: response times of the
//! synchronous and queued designs, and what a downstream outage does to each.

mod common;

use common::run_preset;
use mqsim::engine::Sim;
use mqsim::scenario::presets;

/// Seed 000 §1: synchronous 100 + 50 + 100 + 100 = 350 ms; asynchronous
/// 100 + 50 + 5 = 155 ms — for every request, not just on average.
#[test]
fn async_path_answers_in_155_ms_and_sync_in_350_ms() {
    let s = run_preset("async-response-time");
    let sync = &s.requests[0];
    let queued = &s.requests[1];
    assert_eq!((sync.name.as_str(), queued.name.as_str()), ("sync-order", "async-order"));
    for (flow, ms) in [(sync, 350.0), (queued, 155.0)] {
        let r = &flow.response_ms;
        assert_eq!((r.mean, r.p50, r.p99, r.max), (ms, ms, ms, ms), "{}", flow.name);
        assert_eq!(flow.completed, flow.arrived);
        assert_eq!(flow.failed, 0);
    }
    assert_eq!(s.states.processed, s.published, "every notification is still sent, later");
}

/// Seed 002 §1.1: the synchronous chain takes 200 + 500 + 300 = 1,000 ms; the
/// queued design answers in 50 ms.
#[test]
fn order_chain_takes_1000_ms_sync_and_50_ms_queued() {
    let s = run_preset("order-decoupling");
    assert_eq!(s.requests[0].response_ms.max, 1000.0);
    assert_eq!(s.requests[0].response_ms.mean, 1000.0);
    assert_eq!(s.requests[1].response_ms.max, 50.0);
}

/// While inventory is down (20 s – 40 s) synchronous orders fail, and only then.
#[test]
fn inventory_outage_fails_sync_orders_only_during_the_outage() {
    let mut sim = Sim::new(presets::load("order-decoupling").unwrap()).unwrap();
    sim.run_to_end();
    let t = sim.series().column("t_ms").unwrap();
    let failed = sim.series().column("requests_failed.sync-checkout").unwrap();
    let first = failed.iter().position(|&f| f > 0.0).unwrap();
    let last = failed.iter().position(|&f| f == failed[failed.len() - 1]).unwrap();
    assert!(t[first] > 20_000.0 && t[first] <= 20_500.0, "first failure sampled at {}", t[first]);
    assert!(t[last] > 39_500.0 && t[last] <= 40_500.0, "last failure sampled at {}", t[last]);
    let s = mqsim::summary::Summary::of(&sim);
    let failures = s.requests[0].failed;
    assert!((150..=250).contains(&failures), "about 10/s for 20 s fail: {failures}");
}

/// The queued design loses no order to the outage: every order's three tasks
/// complete once inventory is back, and only the inventory queue backs up.
#[test]
fn inventory_outage_only_delays_queued_orders() {
    let s = run_preset("order-decoupling");
    let queued = &s.requests[1];
    assert_eq!((queued.failed, queued.completed), (0, queued.arrived));
    assert_eq!(s.produced, 3 * s.published, "one copy per service queue");
    assert_eq!(s.states.processed, s.produced, "all tasks done by the end");
    let peak = |name: &str| s.queues.iter().find(|q| q.name == name).unwrap().peak.messages;
    assert!(peak("inventory-tasks") >= 150, "the backlog builds during the outage");
    assert!(peak("payment-tasks") < 20 && peak("logistics-tasks") < 20, "other services are unaffected");
    let inventory = s.queues.iter().find(|q| q.name == "inventory-tasks").unwrap();
    assert!(inventory.peak.at_ms >= 39_000.0 && inventory.peak.at_ms <= 41_000.0, "peaks when inventory returns");
}

/// Seed 000 §6: crashes between the database commit and the publish lose the
/// dual-write service's events; the outbox service, whose event is committed
/// with the order and relayed later, loses none — though its users see the
/// same failed requests during each crash.
#[test]
fn outbox_loses_nothing_where_dual_write_loses_events() {
    let s = run_preset("outbox-vs-dual-write");
    let (dual, outbox) = (&s.requests[0], &s.requests[1]);
    assert_eq!((dual.name.as_str(), outbox.name.as_str()), ("dual-write", "outbox"));
    assert!(dual.lost_messages > 0, "a crash mid-publish loses the event");
    assert_eq!(outbox.lost_messages, 0);
    assert_eq!(s.states.lost, dual.lost_messages, "every lost message is a dual-write event");
    assert!(dual.failed > 0 && outbox.failed > 0, "both designs fail the requests caught in a crash");
    let processed = |queue: &str| s.queues.iter().find(|q| q.name == queue).map(|q| q.depth).unwrap();
    assert_eq!(processed("outbox-events") + processed("dual-write-events"), 0, "everything published was consumed");
    assert_eq!(outbox.outbox_pending, 0, "the relay emptied the table");
    assert!(s.ledger_balanced);
}
