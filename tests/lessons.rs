//! Lessons (lessons/*.json): every step of every lesson runs, every promise
//! its text makes is kept by the simulation, and a lesson file with a
//! mistake is refused with the JSON path of the mistake and what is allowed.
//! Native only, as the lesson module is (the page measures in JS; see
//! tests/e2e/lessons.test.mjs for the two agreeing).
#![cfg(not(target_arch = "wasm32"))]

use mqsim::lesson::{LESSONS, Lesson, check, load};

fn lesson_with(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Lesson, String> {
    let mut doc: serde_json::Value = serde_json::from_str(include_str!("../lessons/peak-shaving.json")).unwrap();
    edit(&mut doc);
    Lesson::from_json(&doc.to_string()).map_err(|e| e.to_string())
}

#[test]
fn every_lesson_keeps_every_promise_its_text_makes() {
    let mut problems = Vec::new();
    for bundled in LESSONS {
        let lesson = load(bundled.name).unwrap_or_else(|e| panic!("{}: {e}", bundled.name));
        let report = check(&lesson).unwrap_or_else(|e| panic!("{}: {e}", bundled.name));
        problems.extend(report.problems.iter().map(|p| format!("{}: {p}", bundled.name)));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_lesson_file_is_bundled_and_named_after_its_file() {
    let mut files: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_string))
        .collect();
    files.sort();
    let mut bundled: Vec<String> = LESSONS.iter().map(|l| l.name.to_string()).collect();
    bundled.sort();
    assert_eq!(files, bundled, "lessons/ and lesson::LESSONS list the same lessons");
    for l in LESSONS {
        assert_eq!(load(l.name).unwrap().name, l.name);
    }
}

#[test]
fn the_issue_asks_for_ten_lessons_with_promises_in_every_step_with_a_question() {
    assert_eq!(LESSONS.len(), 10);
    for bundled in LESSONS {
        let lesson = load(bundled.name).unwrap();
        for (i, step) in lesson.steps.iter().enumerate() {
            assert!(
                step.question.is_none() || !step.promises.is_empty(),
                "{} step {i}: a question without a promise",
                lesson.name
            );
        }
    }
}

#[test]
fn peak_shaving_lesson_measures_the_99_000_backlog_and_the_drain_at_100_s() {
    let report = check(&load("peak-shaving").unwrap()).unwrap();
    assert_eq!(report.steps[0].runs[0].value, Some(99_000.0));
    assert_eq!(report.steps[1].runs[0].value, Some(100.0));
    // That step runs until the backlog is empty: it stops at that sample.
    assert_eq!(report.steps[1].runs[0].now_ms, 100_000.0);
    // The "try" step: three writers from t = 1 s empty the queue too late, four in time.
    let drained = |input| report.steps[2].runs.iter().find(|r| r.input == Some(input)).unwrap().value;
    assert_eq!(drained(3), Some(34.0));
    assert_eq!(drained(4), Some(25.8));
}

#[test]
fn a_broken_promise_is_reported_with_its_step_and_the_measured_value() {
    let lesson = lesson_with(|doc| doc["steps"][0]["promises"][0]["equals"] = 98_000.into()).unwrap();
    let report = check(&lesson).unwrap();
    assert!(!report.ok());
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("steps[0].promises[0]") && p.contains("99000") && p.contains("98000")),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_number_in_the_text_that_no_promise_checks_is_reported() {
    let lesson = lesson_with(|doc| doc["steps"][0]["reveal"]["en"] = "98,500 wait in the queue.".into()).unwrap();
    let problems = check(&lesson).unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("steps[0].reveal.en") && p.contains("98500")), "{problems:?}");
}

#[test]
fn a_choice_whose_ranges_do_not_hold_the_measured_value_is_reported() {
    let lesson =
        lesson_with(|doc| doc["steps"][1]["question"]["answer"]["choice"][2]["range"]["at_least"] = 200.into())
            .unwrap();
    let problems = check(&lesson).unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("steps[1].question") && p.contains("0 of the choices")), "{problems:?}");
}

#[test]
fn an_unknown_field_is_refused_with_its_path_and_the_fields_allowed() {
    let err = lesson_with(|doc| doc["steps"][0]["hint"] = "x".into()).unwrap_err();
    assert!(err.contains("steps[0].hint") && err.contains("expected one of `title`, `text`"), "{err}");
}

#[test]
fn an_unknown_preset_is_refused_with_the_presets_allowed() {
    let err = lesson_with(|doc| doc["steps"][0]["scenario"]["preset"] = "peak-shave".into()).unwrap_err();
    assert!(err.contains("steps[0].scenario.preset") && err.contains("no preset named \"peak-shave\""), "{err}");
    assert!(err.contains("async-response-time"), "{err}");
}

#[test]
fn an_unknown_command_is_refused_with_the_commands_allowed() {
    let err = lesson_with(|doc| {
        doc["steps"][0]["commands"] =
            serde_json::json!([{"at": "1s", "command": {"add_consumer": {"consumer": "order-writer"}}}]);
    })
    .unwrap_err();
    assert!(err.contains("steps[0].commands[0].command") && err.contains("unknown variant `add_consumer`"), "{err}");
    assert!(err.contains("set_consumers"), "{err}");
}

#[test]
fn a_command_naming_a_consumer_the_scenario_lacks_is_refused() {
    let err = lesson_with(|doc| {
        doc["steps"][0]["commands"] =
            serde_json::json!([{"at": "1s", "command": {"set_consumers": {"consumer": "writer", "count": 2}}}]);
    })
    .unwrap_err();
    assert!(err.contains("steps[0].commands[0]"), "{err}");
}

#[test]
fn an_unknown_summary_field_is_refused_with_the_fields_there() {
    let err = lesson_with(|doc| doc["steps"][0]["measure"]["summary"] = "peak_backlog.size".into()).unwrap_err();
    assert!(
        err.contains("steps[0].measure.summary") && err.contains("no field `size`") && err.contains("at_ms, messages"),
        "{err}"
    );
}

#[test]
fn a_measure_naming_an_object_cannot_be_checked_and_is_refused() {
    let err = lesson_with(|doc| doc["steps"][0]["measure"]["summary"] = "peak_backlog".into()).unwrap_err();
    assert!(err.contains("steps[0].measure.summary") && err.contains("is an object, not a number"), "{err}");
}

#[test]
fn an_unknown_series_column_or_aggregate_is_refused() {
    let err = lesson_with(|doc| doc["steps"][1]["measure"]["series"] = "backlogs".into()).unwrap_err();
    assert!(err.contains("steps[1].measure.series") && err.contains("no column \"backlogs\""), "{err}");
    let err = lesson_with(|doc| doc["steps"][1]["measure"]["aggregate"] = "mean".into()).unwrap_err();
    assert!(err.contains("steps[1].measure.aggregate") && err.contains("expected one of `max`"), "{err}");
}

#[test]
fn a_promise_without_a_value_cannot_be_checked_and_is_refused() {
    let err = lesson_with(|doc| doc["steps"][0]["promises"][0] = serde_json::json!({})).unwrap_err();
    assert!(err.contains("steps[0].promises[0]") && err.contains("needs equals, at_least, at_most or none"), "{err}");
}

#[test]
fn an_inline_scenario_is_read_strictly_with_its_path_in_the_lesson() {
    let err = lesson_with(|doc| {
        doc["steps"][0]["scenario"] =
            serde_json::json!({"inline": {"name": "x", "seed": 1, "duration": "1s", "queus": []}});
    })
    .unwrap_err();
    assert!(err.contains("steps[0].scenario.inline.queus"), "{err}");
}

#[test]
fn the_cli_checks_a_lesson_file_and_fails_on_a_broken_promise() {
    let mqsim = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_mqsim")).args(args).output().unwrap();
    let ok = mqsim(&["lesson", "check", "peak-shaving"]);
    assert!(ok.status.success());
    assert_eq!(String::from_utf8_lossy(&ok.stdout), "peak-shaving: ok (3 steps, 5 runs, every promise kept)\n");

    let mut doc: serde_json::Value = serde_json::from_str(include_str!("../lessons/peak-shaving.json")).unwrap();
    doc["steps"][0]["promises"][0]["equals"] = 98_000.into();
    let file = std::env::temp_dir().join(format!("mqsim-lesson-{}.json", std::process::id()));
    std::fs::write(&file, doc.to_string()).unwrap();
    let broken = mqsim(&["lesson", "check", file.to_str().unwrap()]);
    std::fs::remove_file(&file).ok();
    assert!(!broken.status.success());
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains("steps[0].promises[0]: the run gives 99000, the lesson promises = 98000"), "{err}");
}
