//! Same scenario + same seed ⇒ the same run, event for event.
//!
//! `golden/presets.json` records each preset's trace hash and headline counts.
//! The same file is checked natively here and in wasm by `tests/wasm.rs`, so a
//! platform difference in ordering or sampling fails one of them. After an
//! intended change to the engine, regenerate it with
//! `MQSIM_BLESS=1 cargo test --test determinism` and review the counts in the diff.

mod common;

use std::collections::BTreeMap;

use mqsim::engine::Sim;
use mqsim::scenario::presets::{self, PRESETS};
use serde_json::{Value, json};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/presets.json");

/// The record kept per preset: the hash, and counts a person can check.
fn record(name: &str) -> Value {
    let s = common::run_preset(name);
    json!({
        "trace_hash": s.trace_hash,
        "events": s.events,
        "produced": s.produced,
        "processed": s.states.processed,
        "dead_lettered": s.states.dead_lettered,
        "lost": s.states.lost,
        "redeliveries": s.redeliveries,
        "peak_backlog": s.peak_backlog.messages,
    })
}

/// Every preset reproduces its recorded trace hash and counts.
#[test]
fn every_preset_matches_its_golden_trace() {
    let actual: BTreeMap<&str, Value> = PRESETS.iter().map(|p| (p.name, record(p.name))).collect();
    if std::env::var_os("MQSIM_BLESS").is_some() {
        std::fs::write(GOLDEN, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
        return;
    }
    let golden: BTreeMap<String, Value> = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    assert_eq!(golden.len(), actual.len(), "golden/presets.json lists a different set of presets");
    for (name, value) in actual {
        assert_eq!(golden.get(name), Some(&value), "preset {name} changed; bless it if that was intended");
    }
}

/// Two runs of one scenario and seed give the same hash and the same series.
#[test]
fn same_seed_gives_the_same_run() {
    let run = || {
        let mut sim = Sim::new(presets::load("mmc-erlang-c").unwrap()).unwrap();
        sim.run_to_end();
        (sim.trace_hash(), sim.series().to_csv())
    };
    assert_eq!(run(), run());
}

/// Another seed gives another run.
#[test]
fn another_seed_gives_another_run() {
    let hash = |seed| {
        let mut scenario = presets::load("mmc-erlang-c").unwrap();
        scenario.seed = seed;
        common::run(scenario).trace_hash
    };
    assert_ne!(hash(1), hash(2));
}

/// Running in many small slices gives exactly the run of one big slice: how
/// the page or CLI chops up time cannot change what happens.
#[test]
fn slicing_time_does_not_change_the_run() {
    let scenario = presets::load("consumer-crash-manual-ack").unwrap();
    let mut whole = Sim::new(scenario.clone()).unwrap();
    whole.run_to_end();
    let mut sliced = Sim::new(scenario).unwrap();
    let mut t = 0;
    while !sliced.finished() {
        t += 7_777_777; // an awkward 7.8 ms slice
        sliced.run_until(t);
    }
    assert_eq!(whole.trace_hash(), sliced.trace_hash());
    assert_eq!(whole.series().to_csv(), sliced.series().to_csv());
}

/// Simulated time never runs backwards: samples are strictly increasing.
#[test]
fn sample_times_increase() {
    for preset in PRESETS {
        let mut sim = Sim::new(presets::load(preset.name).unwrap()).unwrap();
        sim.run_to_end();
        let t = sim.series().column("t_ms").unwrap();
        assert!(t.windows(2).all(|w| w[0] < w[1]), "{}", preset.name);
    }
}
