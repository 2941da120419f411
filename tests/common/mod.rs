//! Helpers shared by the integration tests (compiled into each test crate).
#![allow(dead_code)]

use mqsim::engine::Sim;
use mqsim::scenario::{Scenario, presets};
use mqsim::summary::Summary;

/// Runs a bundled preset to its end and returns its summary.
pub fn run_preset(name: &str) -> Summary {
    run(presets::load(name).unwrap())
}

/// Runs a scenario to its end and returns its summary.
pub fn run(scenario: Scenario) -> Summary {
    let mut sim = Sim::new(scenario).unwrap();
    sim.run_to_end();
    Summary::of(&sim)
}

pub mod bad_input;

/// Parses a scenario given as a `serde_json::Value`, returning the error text.
pub fn error_of(value: serde_json::Value) -> String {
    Scenario::from_json(&value.to_string()).err().map(|e| e.to_string()).unwrap_or_else(|| "accepted".into())
}

/// Every case is refused, natively, with one line naming its path.
pub fn assert_all_refused(cases: &[bad_input::BadInput]) {
    assert!(!cases.is_empty());
    for case in cases {
        match Scenario::from_json(&case.text) {
            Ok(_) => panic!("{}: accepted", case.name),
            Err(err) => case.check(&err.to_string()),
        }
    }
}
