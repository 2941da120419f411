//! The `mqsim` command line, run as a user would run it.

mod common;

use std::process::{Command, Output};

fn mqsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mqsim")).args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `mqsim run <preset> --seed 7` twice prints byte-identical output.
#[test]
fn run_twice_prints_identical_bytes() {
    let first = mqsim(&["run", "consumer-crash-manual-ack", "--seed", "7"]);
    let second = mqsim(&["run", "consumer-crash-manual-ack", "--seed", "7"]);
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
    assert!(stdout(&first).contains("ledger           balanced"));
}

/// `--seed` changes the run.
#[test]
fn seed_flag_changes_the_run() {
    let a = mqsim(&["run", "mmc-erlang-c", "--seed", "1", "--until", "2s"]);
    let b = mqsim(&["run", "mmc-erlang-c", "--seed", "2", "--until", "2s"]);
    assert_ne!(a.stdout, b.stdout);
}

/// The summary reports counts by state, latency percentiles and the peak backlog.
#[test]
fn summary_reports_states_latency_and_peak() {
    let out = stdout(&mqsim(&["run", "peak-shaving"]));
    for needle in ["published        100000", "  processed      100000", "  lost           0", "p99", "peak backlog     99000 at 999.99ms"] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
}

/// `--until` stops early and says how far the run got.
#[test]
fn until_stops_early() {
    let out = stdout(&mqsim(&["run", "peak-shaving", "--until", "1s"]));
    assert!(out.contains("simulated        1s of 102s"), "{out}");
}

/// `--format csv --out FILE` writes the series with a header row.
#[test]
fn csv_series_is_written_to_a_file() {
    let dir = std::env::temp_dir().join(format!("mqsim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("series.csv");
    let out = mqsim(&["run", "peak-shaving", "--format", "csv", "--out", file.to_str().unwrap()]);
    assert!(out.status.success());
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("t_ms,produce_rate,consume_rate,backlog,"), "{}", &csv[..80]);
    assert_eq!(csv.lines().count(), 1 + 1021, "a header and one row per 100 ms over 102 s, from t = 0");
    std::fs::remove_dir_all(dir).unwrap();
}

/// `--format json` prints the summary and the series as one JSON document.
#[test]
fn json_output_has_summary_and_series() {
    let out = stdout(&mqsim(&["run", "poison-message-dlq", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["scenario"], "poison-message-dlq");
    assert!(doc["series"]["depth.payments.dlq"].is_array());
}

/// A malformed scenario exits non-zero with one line naming the JSON path.
#[test]
fn bad_scenario_exits_non_zero_naming_the_path() {
    let dir = std::env::temp_dir().join(format!("mqsim-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.json");
    let text = mqsim::scenario::presets::find("mmc-erlang-c").unwrap().json.replace("\"rate\": 900", "\"rate\": -900");
    std::fs::write(&file, text).unwrap();
    for command in ["validate", "run"] {
        let out = mqsim(&[command, file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("`producers[0].arrivals.poisson.rate`: must be a rate above 0"), "{err}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Every case of the bad-input catalogue: `validate` and `run` exit 1 with
/// the same one line the library gives, on stderr.
#[test]
fn every_bad_input_is_refused_by_the_cli() {
    let dir = std::env::temp_dir().join(format!("mqsim-bad-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, case) in common::bad_input::catalogue().iter().enumerate() {
        let file = dir.join(format!("{i}.json"));
        std::fs::write(&file, &case.text).unwrap();
        let native = mqsim::scenario::Scenario::from_json(&case.text).unwrap_err().to_string();
        for command in ["validate", "run"] {
            let out = mqsim(&[command, file.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(1), "{}: {command}", case.name);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.lines().count(), 1, "{}: {err}", case.name);
            let err = err.trim_end();
            case.check(err);
            assert!(err.ends_with(&native), "{}: the CLI says {err}, the library {native}", case.name);
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// `presets` lists every bundled scenario; `presets NAME` prints its JSON.
#[test]
fn presets_lists_and_prints() {
    let list = stdout(&mqsim(&["presets"]));
    for preset in mqsim::scenario::presets::PRESETS {
        assert!(list.contains(preset.name));
    }
    let json = stdout(&mqsim(&["presets", "peak-shaving"]));
    assert!(mqsim::scenario::Scenario::from_json(&json).is_ok());
    assert_eq!(mqsim(&["presets", "no-such"]).status.code(), Some(1));
}

/// `partition KEY N` answers as Apache Kafka's default partitioner would
/// (murmur2("foobar") = -790332482 in Kafka's own test; made positive, mod 12 = 6).
#[test]
fn partition_answers_like_kafka() {
    assert_eq!(stdout(&mqsim(&["partition", "foobar", "12"])).trim(), "6");
    assert_eq!(mqsim(&["partition", "foobar", "0"]).status.code(), Some(1));
}

/// A shaped producer may replay a CSV file: `"replay_csv": "@traffic.csv"`
/// is read relative to the scenario file, and exactly its counts are sent.
#[test]
fn a_replay_csv_file_next_to_the_scenario_is_read() {
    let dir = std::env::temp_dir().join(format!("mqsim-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("traffic.csv"), "time,count\n0s,100\n1s,300\n2s,50\n").unwrap();
    let scenario = serde_json::json!({
        "name": "csv", "seed": 1, "duration": "10s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "shaped": { "process": "even", "rate": { "replay_csv": "@traffic.csv" } } } }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "1ms" } }]
    });
    let path = dir.join("scenario.json");
    std::fs::write(&path, scenario.to_string()).unwrap();
    let out = mqsim(&["run", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("published        450"), "{}", stdout(&out));

    std::fs::remove_file(dir.join("traffic.csv")).unwrap();
    let missing = mqsim(&["validate", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&missing.stderr).into_owned();
    assert!(!missing.status.success());
    assert!(err.contains("`producers[0].arrivals.shaped.rate.replay_csv`: cannot read the CSV file"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `mqsim vocabulary` prints the engine's keys as JSON, for tests that
/// check the page's strings without a browser: the same lists the wasm
/// API's `vocabulary()` returns.
#[test]
fn vocabulary_prints_every_key_as_json() {
    let out = mqsim(&["vocabulary"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v, serde_json::to_value(mqsim::observe::vocabulary()).unwrap());
    assert_eq!(v["event_kinds"].as_array().unwrap().len(), 76);
    assert_eq!(v["reasons"][0], "none");
    assert!(v["states"].as_array().unwrap().iter().any(|s| s == "in_flight"));
    assert!(v["faults"].as_array().unwrap().iter().any(|s| s == "crash_amqp_broker"));
}

/// `mqsim completions bash` prints a bash completion script that knows the
/// subcommands; an unknown shell is refused with the ones there are.
#[test]
fn completions_are_printed_for_a_shell() {
    let out = mqsim(&["completions", "bash"]);
    assert!(out.status.success());
    let script = stdout(&out);
    assert!(script.contains("complete -F _mqsim"), "not a bash completion script:\n{script}");
    for subcommand in ["run", "validate", "presets", "vocabulary", "partition", "completions"] {
        assert!(script.contains(&format!("mqsim,{subcommand})")), "bash completion lacks `{subcommand}`");
    }
    let zsh = stdout(&mqsim(&["completions", "zsh"]));
    assert!(zsh.starts_with("#compdef mqsim"), "{}", &zsh[..zsh.len().min(80)]);
    let refused = mqsim(&["completions", "tcsh"]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("bash") && err.contains("zsh"), "{err}");
}

/// A reader that stops early (`mqsim run … --format events | head -1`)
/// closes the pipe: mqsim stops quietly and successfully, with no panic and
/// no error message.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    for args in [&["run", "peak-shaving", "--format", "events"][..], &["presets"], &["vocabulary"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mqsim"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        // The reader is dropped here: the pipe is closed after one line.
        let output = child.wait_with_output().unwrap();
        assert!(!first.is_empty(), "{args:?} printed a line first");
        assert!(output.status.success(), "{args:?}: {:?}", output.status);
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?} wrote to stderr");
    }
}
