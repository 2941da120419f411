//! The Kafka presets from the command line.

use std::process::{Command, Output};

fn mqsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mqsim")).args(args).output().expect("the binary runs")
}

/// The bundled presets that use the log family: those with `topics`,
/// whether or not their name starts with "kafka-" (backlog-emergency and
/// queue-vs-log have topics too).
fn kafka_presets() -> Vec<&'static str> {
    mqsim::scenario::presets::PRESETS
        .iter()
        .filter(|p| !mqsim::scenario::Scenario::from_json(p.json).unwrap().topics.is_empty())
        .map(|p| p.name)
        .collect()
}

/// Every Kafka preset is listed, and runs with a balanced ledger and the
/// log family's summary lines.
#[test]
fn kafka_presets_run_from_the_cli() {
    let list = String::from_utf8(mqsim(&["presets"]).stdout).unwrap();
    let kafka: Vec<&str> = list.lines().filter_map(|l| l.split_whitespace().next()).filter(|n| n.starts_with("kafka-")).collect();
    assert_eq!(kafka.len(), 9, "{list}");
    let out = mqsim(&["run", "kafka-acks-leader-crash"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in ["ledger           balanced", "topic acks1", "  acks1-0", "producer leader-ack", "group read-acks1", "out of order"] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

/// The JSON output carries the Kafka summary and the lag columns.
#[test]
fn kafka_json_output_has_groups_and_lag_series() {
    let out = mqsim(&["run", "kafka-global-order", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["kafka"]["groups"][0]["name"], "ledger-workers");
    assert!(doc["series"]["lag.ledger-workers"].is_array());
    assert!(doc["series"]["lag.order-workers.orders-3"].is_array());
    assert!(doc["series"]["idle.ledger-workers"].is_array());
    assert!(doc["series"]["out_of_order"].is_array());
}

/// Every bundled preset with topics runs through `mqsim run --seed 7`,
/// exits 0 with a balanced ledger and a Kafka summary, and prints the same
/// bytes when run again.
#[test]
fn every_kafka_preset_runs_balanced_and_reproducibly_from_the_cli() {
    let kafka = kafka_presets();
    let list = String::from_utf8(mqsim(&["presets"]).stdout).unwrap();
    let listed: Vec<&str> = list.lines().filter_map(|l| l.split_whitespace().next()).collect();
    for name in listed.iter().filter(|n| n.starts_with("kafka-")) {
        assert!(kafka.contains(name), "{name} is listed as a Kafka preset but has no topics");
    }
    assert!(kafka.len() >= 9, "{kafka:?}");
    for name in &kafka {
        assert!(listed.contains(name), "{name} is not in `mqsim presets`:\n{list}");
        let first = mqsim(&["run", name, "--seed", "7"]);
        let text = String::from_utf8_lossy(&first.stdout);
        assert!(first.status.success(), "{name} exited with {}: {}", first.status, String::from_utf8_lossy(&first.stderr));
        assert!(text.contains("ledger           balanced"), "{name}'s ledger does not balance:\n{text}");
        assert!(text.starts_with(&format!("scenario         {name} (seed 7)\n")), "{name} did not run with seed 7:\n{text}");
        assert!(text.contains("\ntopic "), "{name} printed no topic summary:\n{text}");
        let second = mqsim(&["run", name, "--seed", "7"]);
        assert!(second.status.success(), "{name}, second run");
        assert!(first.stdout == second.stdout, "{name} printed different bytes with the same seed");
    }
}
