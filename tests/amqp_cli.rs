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

/// `--format events` writes every journal event as a JSON line, naming what
/// its node is, and ends with each queue's ready messages head first: a
/// message rejected without requeue shows up in the dead-letter queue with
/// its reason and source.
#[test]
fn events_format_writes_the_journal_and_the_queues_at_the_end() {
    let scenario = serde_json::json!({
        "name": "events", "seed": 1, "duration": "1s",
        "queues": [{ "name": "jobs", "dead_letter": "jobs.dlq" }, { "name": "jobs.dlq" }],
        "producers": [{ "name": "p", "queue": "jobs", "arrivals": { "constant": { "rate": 10 } }, "count": 2,
                        "poison_fraction": 1.0 }],
        "consumers": [{ "name": "worker", "queue": "jobs", "service": { "constant": "10ms" }, "on_failure": "dead_letter" }]
    });
    let dir = std::env::temp_dir().join(format!("mqsim-events-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("events.json");
    std::fs::write(&file, scenario.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mqsim"))
        .args(["run", file.to_str().unwrap(), "--format", "events"])
        .output()
        .expect("the binary runs");
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (end, events) = lines.split_last().unwrap();
    let kinds: Vec<&str> = events.iter().filter(|e| e["msg"] == 0).map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["published", "delivered", "dead_lettered_rejected"]);
    assert_eq!(events[1]["at"], serde_json::json!({ "consumer": "worker", "instance": 0 }));
    assert_eq!(events[2]["at"], serde_json::json!({ "queue": "jobs.dlq" }));
    assert_eq!(end["end"], 1_000_000_000u64);
    let dlq = &end["queues"][1];
    assert_eq!(dlq["name"], "jobs.dlq");
    let ready: Vec<(u64, &str, &str)> = dlq["ready"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["msg"].as_u64().unwrap(), m["dead_reason"].as_str().unwrap(), m["dead_from"].as_str().unwrap()))
        .collect();
    assert_eq!(ready, [(0, "rejected", "jobs"), (1, "rejected", "jobs")]);
}
