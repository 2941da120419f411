//! Helpers shared by the log-family (Kafka) tests.
#![allow(dead_code)]

use mqsim::engine::Sim;
use mqsim::kafka::view::{GroupSummary, KafkaSummary, TopicSummary};
use mqsim::scenario::{Scenario, presets};
use mqsim::summary::Summary;
use mqsim::time::NANOS_PER_MILLI;

/// A preset's scenario, to run as is or change before running.
pub fn preset(name: &str) -> Scenario {
    presets::load(name).unwrap()
}

/// A scenario written as JSON in a test.
pub fn scenario(value: serde_json::Value) -> Scenario {
    Scenario::from_json(&value.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a scenario to its end; returns the simulation and its summary.
pub fn run(scenario: Scenario) -> (Sim, Summary) {
    let mut sim = Sim::new(scenario).unwrap();
    sim.run_to_end();
    let summary = Summary::of(&sim);
    assert!(summary.ledger_balanced, "the ledger must balance");
    (sim, summary)
}

pub fn kafka(s: &Summary) -> &KafkaSummary {
    s.kafka.as_ref().expect("a scenario with topics has a Kafka summary")
}

pub fn topic<'a>(s: &'a Summary, name: &str) -> &'a TopicSummary {
    kafka(s).topics.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no topic {name}"))
}

pub fn group<'a>(s: &'a Summary, name: &str) -> &'a GroupSummary {
    kafka(s).groups.iter().find(|g| g.name == name).unwrap_or_else(|| panic!("no group {name}"))
}

/// Moves every fault scheduled at `from` to `to` (durations as written, e.g. "10.05s").
pub fn move_faults(mut scenario: Scenario, from: &str, to: &str) -> Scenario {
    let (from, to) = (mqsim::time::parse_duration(from).unwrap(), mqsim::time::parse_duration(to).unwrap());
    for fault in &mut scenario.faults {
        if fault.at.0 == from {
            fault.at.0 = to;
        }
    }
    scenario
}

pub fn ms(n: u64) -> u64 {
    n * NANOS_PER_MILLI
}

/// The value of series column `name` in the sample taken at `t_ms`.
pub fn sample_at(sim: &Sim, name: &str, t_ms: f64) -> f64 {
    let series = sim.series();
    let t = series.column("t_ms").unwrap();
    let i = t.iter().position(|&x| x == t_ms).unwrap_or_else(|| panic!("no sample at {t_ms} ms"));
    series.column(name).unwrap_or_else(|| panic!("no column {name}"))[i]
}

/// The samples of column `name` taken from `from_ms` to `to_ms`, inclusive.
pub fn samples(sim: &Sim, name: &str, from_ms: f64, to_ms: f64) -> Vec<f64> {
    let series = sim.series();
    let t = series.column("t_ms").unwrap();
    let column = series.column(name).unwrap_or_else(|| panic!("no column {name}"));
    t.iter().zip(column).filter(|(t, _)| **t >= from_ms && **t <= to_ms).map(|(_, v)| *v).collect()
}

/// Runs a scenario to its end keeping its whole journal (up to 2^21 events).
pub fn run_with_journal(scenario: Scenario) -> (Sim, Summary, Vec<mqsim::observe::LifeEvent>) {
    let mut sim = Sim::with_journal(scenario, 1 << 21).unwrap();
    sim.run_to_end();
    let summary = Summary::of(&sim);
    assert!(summary.ledger_balanced, "the ledger must balance");
    let journal = sim.drain_journal();
    assert!(journal.len() < 1 << 21, "the journal overflowed");
    (sim, summary, journal)
}

pub mod history;
