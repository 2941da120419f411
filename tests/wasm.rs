//! The wasm API, run under node and in headless Chromium by
//! wasm-bindgen-test: the same golden traces as natively, and the same error
//! text reaching JS as an `Error`.
#![cfg(target_arch = "wasm32")]

use mqsim::scenario::presets::PRESETS;
use mqsim::wasm::{Simulation, validate_scenario};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const GOLDEN: &str = include_str!("golden/presets.json");

fn error_message(err: wasm_bindgen::JsError) -> String {
    let value = JsValue::from(err);
    assert!(value.is_instance_of::<js_sys::Error>(), "a JS Error is thrown");
    String::from(js_sys::Error::from(value).message())
}

/// Every preset's trace hash and counts in wasm equal the native golden record.
#[wasm_bindgen_test]
fn every_preset_matches_the_native_golden_trace() {
    let golden: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    for preset in PRESETS {
        let mut sim = Simulation::from_preset(preset.name, None).map_err(error_message).unwrap();
        sim.run_to_end();
        let want = &golden[preset.name];
        assert_eq!(sim.trace_hash(), want["trace_hash"].as_str().unwrap(), "{}", preset.name);
        let summary: serde_json::Value = serde_wasm_bindgen::from_value(sim.summary().map_err(error_message).unwrap()).unwrap();
        for field in ["events", "produced", "redeliveries"] {
            assert_eq!(summary[field], want[field], "{} {field}", preset.name);
        }
        assert_eq!(summary["states"]["processed"], want["processed"], "{}", preset.name);
        assert_eq!(summary["states"]["lost"], want["lost"], "{}", preset.name);
        assert_eq!(summary["ledger_balanced"], true, "{}", preset.name);
    }
}

/// A bad scenario throws a JS `Error` with the CLI's one-line text.
#[wasm_bindgen_test]
fn bad_scenario_throws_an_error_naming_the_path() {
    let text = mqsim::scenario::presets::find("mmc-erlang-c").unwrap().json.replace("\"rate\": 900", "\"rate\": -900");
    let native = mqsim::scenario::Scenario::from_json(&text).unwrap_err().to_string();
    let thrown = error_message(Simulation::new(&text).err().unwrap());
    assert_eq!(thrown, native);
    assert!(thrown.contains("`producers[0].arrivals.poisson.rate`"), "{thrown}");
    assert_eq!(error_message(validate_scenario(&text).unwrap_err()), native);
}

/// Running in slices from JS gives the same run as running to the end.
#[wasm_bindgen_test]
fn slices_from_js_give_the_same_run() {
    let mut whole = Simulation::from_preset("poison-message-dlq", None).unwrap();
    whole.run_to_end();
    let mut sliced = Simulation::from_preset("poison-message-dlq", None).unwrap();
    let mut t = 0.0;
    while !sliced.finished() {
        t += 16.6;
        sliced.run_until(t);
    }
    assert_eq!(whole.trace_hash(), sliced.trace_hash());
}

/// The wasm partitioner agrees with Apache Kafka's (see tests/cli.rs).
#[wasm_bindgen_test]
fn partition_for_matches_kafka() {
    assert_eq!(mqsim::wasm::partition_for("foobar", 12).unwrap(), 6);
    assert!(mqsim::wasm::partition_for("foobar", 0).is_err());
}

/// Dead letters can be listed and replayed from JS, and held messages listed
/// with their due times.
#[wasm_bindgen_test]
fn dead_letters_and_delayed_messages_from_js() {
    let mut sim = Simulation::from_preset("dlq-replay", None).unwrap();
    sim.run_until(14_000.0);
    let letters: serde_json::Value = serde_wasm_bindgen::from_value(sim.dead_letters("orders.dlq", Some(5)).unwrap()).unwrap();
    assert_eq!(letters.as_array().unwrap().len(), 5);
    assert_eq!(letters[0]["reason"], "expired");
    assert_eq!(letters[0]["from"], "orders");
    assert_eq!(sim.replay_dead_letters("orders.dlq", Some(3)).unwrap(), 3);
    assert!(sim.replay_dead_letters("orders", None).is_err());

    let mut delayed = Simulation::from_preset("rocketmq-delay-levels", None).unwrap();
    delayed.run_until(40_000.0);
    let held: serde_json::Value = serde_wasm_bindgen::from_value(delayed.delayed_messages(Some(3)).unwrap()).unwrap();
    assert_eq!(held.as_array().unwrap().len(), 3);
    assert!(held[0]["due_ms"].as_f64().unwrap() <= held[1]["due_ms"].as_f64().unwrap());
    assert_eq!(held[0]["hold"], "delay");
}
