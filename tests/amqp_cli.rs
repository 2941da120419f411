//! The queue-family presets run from the `mqsim` command line, and the text
//! summary shows what each is about.

use std::process::Command;

fn run(preset: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mqsim")).args(["run", preset]).output().expect("the binary runs");
    assert!(out.status.success(), "{preset}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Each preset runs with a balanced ledger and prints its telling line.
#[test]
fn queue_family_presets_run_from_the_cli() {
    let cases = [
        ("exchange-routing", "via alternate exchange"),
        ("poison-requeue-forever", "redeliveries"),
        ("retry-backoff", "dlq emails.dlq"),
        ("idempotent-consumer", "group dedup"),
        ("rocketmq-delay-levels", "held"),
        ("ttl-expiry", "(expired "),
        ("dlq-replay", "replayed"),
        ("publisher-confirms-broker-crash", "not on disk"),
        ("request-reply", "timed out"),
        ("nats-core-vs-durable", "missed           500"),
    ];
    for (preset, needle) in cases {
        let out = run(preset);
        assert!(out.contains("ledger           balanced"), "{preset}:\n{out}");
        assert!(out.contains(needle), "{preset} should print {needle:?}:\n{out}");
    }
}

/// `--format json` carries the queue family's summary.
#[test]
fn json_summary_has_the_queue_family_section() {
    let out = Command::new(env!("CARGO_BIN_EXE_mqsim"))
        .args(["run", "idempotent-consumer", "--format", "json"])
        .output()
        .expect("the binary runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = doc["summary"]["amqp"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[1]["duplicates"], 0);
    assert!(doc["series"]["side_effects"].is_array());
    assert!(doc["series"]["dedup_hits"].is_array());
}
