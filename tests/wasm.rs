//! The wasm API, run under node and in headless Chromium by
//! wasm-bindgen-test: the same golden traces as natively, and the same error
//! text reaching JS as an `Error`.
#![cfg(target_arch = "wasm32")]

mod common;

use mqsim::scenario::presets::{self, PRESETS};
use mqsim::wasm::{Simulation, validate_scenario};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const GOLDEN: &str = include_str!("golden/presets.json");

fn error_message(err: wasm_bindgen::JsError) -> String {
    let value = JsValue::from(err);
    assert!(value.is_instance_of::<js_sys::Error>(), "a JS Error is thrown");
    String::from(js_sys::Error::from(value).message())
}

/// A bundled preset through the JS constructor, as the page builds it from
/// the preset's fetched text, optionally with another seed.
fn preset(name: &str, seed: Option<u64>) -> Simulation {
    let text = presets::find(name).unwrap().json;
    let text = match seed {
        None => text.to_string(),
        Some(seed) => {
            let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
            doc["seed"] = seed.into();
            doc.to_string()
        }
    };
    Simulation::new(&text).map_err(error_message).unwrap()
}

/// Every preset's trace hash and counts in wasm equal the native golden record.
#[wasm_bindgen_test]
fn every_preset_matches_the_native_golden_trace() {
    let golden: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    for bundled in PRESETS {
        let mut sim = preset(bundled.name, None);
        sim.run_to_end();
        let want = &golden[bundled.name];
        assert_eq!(sim.trace_hash(), want["trace_hash"].as_str().unwrap(), "{}", bundled.name);
        let summary: serde_json::Value = serde_wasm_bindgen::from_value(sim.summary().map_err(error_message).unwrap()).unwrap();
        for field in ["events", "produced", "redeliveries"] {
            assert_eq!(summary[field], want[field], "{} {field}", bundled.name);
        }
        assert_eq!(summary["states"]["processed"], want["processed"], "{}", bundled.name);
        assert_eq!(summary["states"]["lost"], want["lost"], "{}", bundled.name);
        assert_eq!(summary["ledger_balanced"], true, "{}", bundled.name);
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

/// Every case of the bad-input catalogue (tests/common/bad_input.rs, also
/// checked natively and through the CLI) makes the constructor and
/// `validateScenario` throw a JS `Error` with the native one-line text, which
/// names the JSON path (or, for a syntax error, the line and column).
#[wasm_bindgen_test]
fn every_bad_input_throws_an_error_naming_the_path() {
    let cases = common::bad_input::catalogue();
    assert!(cases.len() > 60, "{} cases", cases.len());
    for case in cases {
        let native = mqsim::scenario::Scenario::from_json(&case.text).unwrap_err().to_string();
        let Some(err) = Simulation::new(&case.text).err() else { panic!("{}: accepted in wasm", case.name) };
        let thrown = error_message(err);
        case.check(&thrown);
        assert_eq!(thrown, native, "{}", case.name);
        assert_eq!(error_message(validate_scenario(&case.text).unwrap_err()), native, "{}", case.name);
    }
}

/// Running in slices from JS gives the same run as running to the end.
#[wasm_bindgen_test]
fn slices_from_js_give_the_same_run() {
    let mut whole = preset("poison-message-dlq", None);
    whole.run_to_end();
    let mut sliced = preset("poison-message-dlq", None);
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
    let mut sim = preset("dlq-replay", None);
    sim.run_until(14_000.0);
    let letters: serde_json::Value = serde_wasm_bindgen::from_value(sim.dead_letters("orders.dlq", Some(5)).unwrap()).unwrap();
    assert_eq!(letters.as_array().unwrap().len(), 5);
    assert_eq!(letters[0]["reason"], "expired");
    assert_eq!(letters[0]["from"], "orders");
    assert_eq!(sim.replay_dead_letters("orders.dlq", Some(3)).unwrap(), 3);
    assert!(sim.replay_dead_letters("orders", None).is_err());

    let mut delayed = preset("rocketmq-delay-levels", None);
    delayed.run_until(40_000.0);
    let held: serde_json::Value = serde_wasm_bindgen::from_value(delayed.delayed_messages(Some(3)).unwrap()).unwrap();
    assert_eq!(held.as_array().unwrap().len(), 3);
    assert!(held[0]["due_ms"].as_f64().unwrap() <= held[1]["due_ms"].as_f64().unwrap());
    assert_eq!(held[0]["hold"], "delay");
}

fn js<T: serde::de::DeserializeOwned>(value: Result<JsValue, wasm_bindgen::JsError>) -> T {
    serde_wasm_bindgen::from_value(value.map_err(error_message).unwrap()).unwrap()
}

/// The topology reaches JS with its nodes, edges and the meaning of events.
#[wasm_bindgen_test]
fn topology_reaches_js() {
    let sim = preset("poison-message-dlq", None);
    let t: serde_json::Value = js(sim.topology());
    let kinds: Vec<&str> = t["nodes"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["producer", "queue", "queue", "consumer"]);
    assert_eq!(t["nodes"][2]["dead_letter_queue"], true);
    assert_eq!(t["nodes"][3]["instances"].as_array().unwrap().len(), 3);
    assert!(t["edges"].as_array().unwrap().iter().any(|e| e["kind"] == "dead_letter"));
    assert_eq!(t["events"][0], serde_json::json!({"kind": "published", "at": "queue", "message": true, "state": "stored"}));
}

/// Live commands given from JS (objects and JSON text) replay from the log
/// to the same trace hash, in node and in the browser alike.
#[wasm_bindgen_test]
fn live_commands_replay_from_the_log() {
    let mut live = preset("consumer-crash-manual-ack", Some(11));
    live.run_until(4_321.5);
    live.step();
    let crash = js_sys::JSON::parse(r#"{"crash_consumer": {"consumer": "worker", "instance": 1}}"#).unwrap();
    live.command(crash).map_err(error_message).unwrap();
    live.run_until(6_000.0);
    live.command(JsValue::from_str(r#"{"set_consumers": {"consumer": "worker", "count": 3}}"#)).map_err(error_message).unwrap();
    live.run_until(9_000.0);
    live.command(JsValue::from_str(r#"{"set_rate": {"producer": "app", "rate": 300}}"#)).map_err(error_message).unwrap();
    live.run_to_end();
    assert_eq!(live.commands_applied(), 3);
    let log = live.command_log().map_err(error_message).unwrap();
    let text = String::from(js_sys::JSON::stringify(&log).unwrap());
    // `step` ran the next event after 4.3215 s, and the crash applies at that
    // event's instant: at the latest the next arrival (the burst sends one
    // every ms), 4.322 s.
    let at = text.strip_prefix(r#"[{"at":""#).and_then(|rest| rest.split_once(r#"s","command":{"crash_consumer""#));
    let at: f64 = at.and_then(|(seconds, _)| seconds.parse().ok()).unwrap_or_else(|| panic!("{text}"));
    assert!(at > 4.3215 && at <= 4.322, "{text}");

    let mut replay = preset("consumer-crash-manual-ack", Some(11));
    replay.schedule_commands(JsValue::from_str(&text)).map_err(error_message).unwrap();
    let mut t = 0.0;
    while !replay.finished() {
        t += 33.3;
        replay.run_until(t);
    }
    assert_eq!(replay.trace_hash(), live.trace_hash());
    let (a, b): (serde_json::Value, serde_json::Value) = (js(live.summary()), js(replay.summary()));
    assert_eq!(a, b);

    // The same log, replayed natively, gives the same hash again.
    let mut native = mqsim::engine::Sim::new({
        let mut s = mqsim::scenario::presets::load("consumer-crash-manual-ack").unwrap();
        s.seed = 11;
        s
    })
    .unwrap();
    native.schedule_commands(&mqsim::engine::TimedCommand::log_from_json(&text).unwrap()).unwrap();
    native.run_to_end();
    assert_eq!(native.trace_hash().hex(), live.trace_hash());
}

/// A wrong command throws an Error naming the path.
#[wasm_bindgen_test]
fn a_wrong_command_throws_naming_the_path() {
    let mut sim = preset("peak-shaving", None);
    let err = error_message(sim.command(JsValue::from_str(r#"{"set_rate": {"producer": "flash-sale", "rate": -1}}"#)).unwrap_err());
    assert!(err.contains("`set_rate.rate`"), "{err}");
    let err = error_message(sim.command(JsValue::from_str(r#"{"reboot": {}}"#)).unwrap_err());
    assert!(err.starts_with("command"), "{err}");
}

/// A watched message's life comes back with its events; a live one with its place.
#[wasm_bindgen_test]
fn message_life_reaches_js() {
    let mut sim = preset("peak-shaving", None);
    sim.watch_message(3.0);
    sim.run_until(1_000.0);
    let life: serde_json::Value = js(sim.message_life(3.0));
    let kinds: Vec<&str> = life["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["published", "delivered", "acked"]);
    assert_eq!(life["live"], serde_json::Value::Null);
    let waiting: serde_json::Value = js(sim.message_life(60_000.0));
    assert_eq!(waiting["live"]["state"], "stored");
    assert_eq!(waiting["live"]["queue"], "orders");
    assert_eq!(waiting["watched"], false);
}

/// An editor gets the path of a wrong value, and the line of a syntax error.
#[wasm_bindgen_test]
fn scenario_problems_name_path_or_line() {
    let text = mqsim::scenario::presets::find("mmc-erlang-c").unwrap().json;
    assert!(mqsim::wasm::scenario_problem(text).unwrap().is_null());
    let bad: serde_json::Value = js(mqsim::wasm::scenario_problem(&text.replace("\"rate\": 900", "\"rate\": -900")));
    assert_eq!(bad["path"], "producers[0].arrivals.poisson.rate");
    let broken: serde_json::Value = js(mqsim::wasm::scenario_problem("{\n  \"name\": \"x\",\n  oops\n}"));
    assert_eq!(broken["line"], 3);
    assert_eq!(broken["path"], "");
}

/// The columnar drain carries the same events as `drainEvents`.
#[wasm_bindgen_test]
fn event_columns_match_drained_events() {
    let mut a = preset("poison-message-dlq", None);
    let mut b = preset("poison-message-dlq", None);
    a.run_until(500.0);
    b.run_until(500.0);
    let events: Vec<serde_json::Value> = js(a.drain_events());
    let columns = b.drain_event_columns().map_err(error_message).unwrap();
    let get = |name: &str| js_sys::Reflect::get(&columns, &JsValue::from_str(name)).unwrap();
    assert_eq!(get("length").as_f64().unwrap() as usize, events.len());
    let kinds = js_sys::Uint8Array::from(get("kind")).to_vec();
    let msgs = js_sys::Float64Array::from(get("msg")).to_vec();
    let order: Vec<serde_json::Value> =
        mqsim::observe::topology::LIFE_KINDS.iter().map(|k| serde_json::to_value(k).unwrap()).collect();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(order[kinds[i] as usize], e["kind"]);
        assert_eq!(msgs[i], e["msg"].as_f64().unwrap());
    }
}

/// `vocabulary()` reaches JS with the engine's own lists, the same as natively.
#[wasm_bindgen_test]
fn vocabulary_reaches_js() {
    let v: serde_json::Value = js(mqsim::wasm::vocabulary());
    assert_eq!(v, serde_json::to_value(mqsim::observe::vocabulary()).unwrap());
    assert_eq!(v["event_kinds"].as_array().unwrap().len(), mqsim::observe::topology::LIFE_KINDS.len());
    assert_eq!(v["reasons"][0], "none");
    assert!(v["commands"].as_array().unwrap().iter().any(|c| c == "set_consumers"));
}

/// The `reason` and `redelivered` columns say what `drainEvents` says: a
/// code indexing `vocabulary().reasons` (0 for none) and a 0/1 flag.
#[wasm_bindgen_test]
fn event_columns_carry_reasons_and_redeliveries() {
    let mut a = preset("consumer-crash-manual-ack", None);
    let mut b = preset("consumer-crash-manual-ack", None);
    a.run_until(12_000.0);
    b.run_until(12_000.0);
    let events: Vec<serde_json::Value> = js(a.drain_events());
    let columns = b.drain_event_columns().map_err(error_message).unwrap();
    let get = |name: &str| js_sys::Reflect::get(&columns, &JsValue::from_str(name)).unwrap();
    let reasons = js_sys::Uint8Array::from(get("reason")).to_vec();
    let redelivered = js_sys::Uint8Array::from(get("redelivered")).to_vec();
    let vocabulary: serde_json::Value = js(mqsim::wasm::vocabulary());
    assert_eq!(reasons.len(), events.len());
    let mut requeued = 0;
    for (i, e) in events.iter().enumerate() {
        let name = &vocabulary["reasons"][reasons[i] as usize];
        assert_eq!(e.get("reason").unwrap_or(&serde_json::json!("none")), name);
        assert_eq!(e.get("redelivered").is_some(), redelivered[i] == 1);
        if e["kind"] == "requeued" {
            assert_eq!(e["reason"], "consumer_crash");
            requeued += 1;
        }
    }
    assert!(requeued > 0 && redelivered.iter().filter(|&&r| r == 1).count() == requeued, "the crash at 10 s put messages back");
}

/// `markers(from)` and `markerCount` reach JS: a fault, the crash it caused
/// pointing back to it, and a live action, fetched incrementally.
#[wasm_bindgen_test]
fn markers_reach_js_incrementally() {
    let mut sim = preset("consumer-crash-manual-ack", None);
    sim.run_until(6_000.0);
    assert_eq!(sim.marker_count(), 2);
    let first: Vec<serde_json::Value> = js(sim.markers(None));
    assert_eq!(first[0]["kind"], "crash_consumer");
    assert_eq!(first[0]["source"], "fault");
    assert_eq!(first[0]["detail"]["command"]["crash_consumer"]["consumer"], "worker");
    assert_eq!(first[1]["t_ms"].as_f64(), Some(5_000.0));
    assert_eq!((&first[1]["kind"], &first[1]["subject"], &first[1]["source"], &first[1]["by"]), (&"consumer_crashed".into(), &"worker#0".into(), &"engine".into(), &0.into()));
    sim.command(JsValue::from_str(r#"{"set_rate": {"producer": "app", "rate": 10}}"#)).map_err(error_message).unwrap();
    let next: Vec<serde_json::Value> = js(sim.markers(Some(2)));
    assert_eq!(next.len(), 1);
    assert_eq!((next[0]["t_ms"].as_f64(), &next[0]["kind"], &next[0]["subject"], &next[0]["source"]), (Some(6_000.0), &serde_json::json!("set_rate"), &serde_json::json!("app"), &serde_json::json!("action")));
    assert_eq!(sim.markers_dropped(), 0.0);
}

/// The summary reaching JS says which model applies: peak shaving is a
/// burst, with its predicted and measured peak and drain.
#[wasm_bindgen_test]
fn the_summary_says_which_model_applies() {
    let mut sim = preset("peak-shaving", None);
    sim.run_to_end();
    let s: serde_json::Value = js(sim.summary());
    let q = &s["queues"][0];
    assert_eq!((&q["model"], &q["note"]), (&"burst".into(), &"one_off_burst".into()));
    let b = &q["burst"];
    assert_eq!((b["predicted_peak"].as_f64(), b["predicted_peak_at_ms"].as_f64(), b["predicted_drain_ms"].as_f64()), (Some(99_000.0), Some(1_000.0), Some(100_000.0)));
    assert_eq!((b["measured_peak"].as_f64(), b["measured_peak_at_ms"].as_f64(), b["measured_drain_ms"].as_f64()), (Some(99_000.0), Some(999.99), Some(99_999.0)));
}
