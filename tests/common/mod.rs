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

/// Parses a scenario given as a `serde_json::Value`, returning the error text.
pub fn error_of(value: serde_json::Value) -> String {
    Scenario::from_json(&value.to_string()).err().map(|e| e.to_string()).unwrap_or_else(|| "accepted".into())
}

/// `doc` with the value at `path` (object keys and array indices) replaced.
pub fn set(mut doc: serde_json::Value, path: &[&str], value: serde_json::Value) -> serde_json::Value {
    let mut at = &mut doc;
    for key in &path[..path.len() - 1] {
        at = match key.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*key],
        };
    }
    at[path[path.len() - 1]] = value;
    doc
}

/// The scenario is refused with one line that names `path` and says `says`.
pub fn assert_error(doc: serde_json::Value, path: &str, says: &str) {
    let err = error_of(doc);
    assert!(err.contains(&format!("`{path}`")), "expected path `{path}` in: {err}");
    assert!(err.contains(says), "expected \"{says}\" in: {err}");
    assert!(!err.contains('\n'), "errors are one line: {err}");
}
