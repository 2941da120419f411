//! The Kafka presets from the command line.

use std::process::{Command, Output};

fn mqsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mqsim")).args(args).output().expect("the binary runs")
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
