//! Helpers shared by the queue-family tests (`tests/amqp_*.rs`).
#![allow(dead_code)]

use mqsim::engine::Sim;
use mqsim::observe::{LifeEvent, LifeKind};
use mqsim::scenario::Scenario;
use mqsim::summary::Summary;
use serde_json::Value;

/// Builds a simulation from a scenario written as JSON, panicking with the
/// scenario error if it is rejected.
pub fn sim(doc: Value) -> Sim {
    let scenario = Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"));
    Sim::with_journal(scenario, 1 << 20).unwrap()
}

/// Runs a scenario to its end; returns its summary and every journal event.
pub fn run(doc: Value) -> (Summary, Vec<LifeEvent>) {
    let mut sim = sim(doc);
    sim.run_to_end();
    let summary = Summary::of(&sim);
    assert!(summary.ledger_balanced, "the ledger must balance");
    (summary, sim.drain_journal())
}

/// The events of one kind, in order.
pub fn of_kind(events: &[LifeEvent], kind: LifeKind) -> Vec<LifeEvent> {
    events.iter().filter(|e| e.kind == kind).copied().collect()
}

/// The events of one message, in order.
pub fn of_msg(events: &[LifeEvent], msg: u64) -> Vec<LifeEvent> {
    events.iter().filter(|e| e.msg == msg).copied().collect()
}

/// Nanoseconds in a second and a millisecond, for reading journal times.
pub const S: u64 = 1_000_000_000;
pub const MS: u64 = 1_000_000;

/// The index of queue `name` in the scenario.
pub fn queue(summary: &Summary, name: &str) -> usize {
    summary.queues.iter().position(|q| q.name == name).unwrap_or_else(|| panic!("no queue {name}"))
}
