//! Running a lesson's steps and checking what its texts promise.
//!
//! For each step: run it (for a "try" question once per learner input a
//! promise names), read its measure and every promise's measure, and check
//! - every promise against the run;
//! - a choice question: exactly one option's range holds the measured value
//!   (else the page could not say which answer is right);
//! - every number written in any of the step's texts, in either language,
//!   is either a promised value (or inside a promised range) or a parameter
//!   of the step (a number in its scenario, commands or question): a text
//!   cannot state a result the engine does not give.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::{Answer, Lesson, LessonError, Promise, Question, Run, ScenarioRef, Step, Text};
use crate::engine::Sim;
use crate::observe::Series;
use crate::scenario::presets;

/// What checking a lesson found: each step's runs, and the broken promises.
#[derive(Debug, Serialize)]
pub struct LessonReport {
    pub lesson: String,
    pub steps: Vec<StepReport>,
    /// Everything that is wrong, each naming its step; empty when the lesson holds.
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct StepReport {
    pub runs: Vec<RunReport>,
}

/// One run of a step: the learner's input (for a "try"), the step measure's
/// value and each promise's, in the order the promises are written.
#[derive(Debug, Serialize)]
pub struct RunReport {
    pub input: Option<u32>,
    /// Where the run stopped, in ms.
    pub now_ms: f64,
    pub value: Option<f64>,
    pub promises: Vec<PromiseReport>,
}

#[derive(Debug, Serialize)]
pub struct PromiseReport {
    /// The promise's index in the step's `promises`.
    pub index: usize,
    pub value: Option<f64>,
    pub kept: bool,
}

impl LessonReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Runs `sim` as `run` says.
pub fn run_step(sim: &mut Sim, run: &Run) {
    match run {
        Run::End => sim.run_to_end(),
        Run::Until(t) => sim.run_until(t.0),
        Run::UntilSeries(c) => {
            let every = sim.scenario().sample_every.0;
            while !sim.finished() && sim.now() < sim.end() {
                let next = (sim.now() / every + 1) * every;
                sim.run_until(next);
                let series = sim.series();
                let (Some(t), Some(v)) =
                    (series.column("t_ms").and_then(|c| c.last()), series.column(&c.column).and_then(|c| c.last()))
                else {
                    continue;
                };
                let after = c.after.0 as f64 / crate::time::NANOS_PER_MILLI as f64;
                let met = c.at_most.is_some_and(|m| *v <= m) || c.at_least.is_some_and(|m| *v >= m);
                if *t >= after && met {
                    break;
                }
            }
        }
    }
}

/// Runs every step of `lesson` and checks every promise. An `Err` is a step
/// that cannot run at all.
pub fn check(lesson: &Lesson) -> Result<LessonReport, LessonError> {
    let mut report = LessonReport { lesson: lesson.name.clone(), steps: Vec::new(), problems: Vec::new() };
    for (i, step) in lesson.steps.iter().enumerate() {
        let at = format!("steps[{i}]");
        let step_report = check_step(step, &at, &mut report.problems).map_err(|e| super::below(&at, e))?;
        report.steps.push(step_report);
    }
    Ok(report)
}

fn check_step(step: &Step, at: &str, problems: &mut Vec<String>) -> Result<StepReport, LessonError> {
    let inputs: Vec<Option<u32>> = match &step.question {
        Some(Question { answer: Answer::Try(_), .. }) => {
            let inputs: BTreeSet<u32> = step.promises.iter().filter_map(|p| p.input).collect();
            if inputs.is_empty() {
                problems
                    .push(format!("{at}: a \"try\" step needs promises with inputs (what happens for some choices)"));
            }
            if step.promises.iter().any(|p| p.input.is_none()) {
                problems.push(format!("{at}: in a \"try\" step every promise names its input"));
            }
            inputs.into_iter().map(Some).collect()
        }
        _ => vec![None],
    };
    let mut runs = Vec::new();
    for input in inputs {
        let mut sim = step.sim(input)?;
        run_step(&mut sim, &step.run);
        let summary = super::measure::summary_value(&sim);
        let series: &Series = sim.series();
        let value = step.measure.as_ref().and_then(|m| m.eval(&summary, series));
        let mut promises = Vec::new();
        for (index, p) in step.promises.iter().enumerate().filter(|(_, p)| p.input == input) {
            let measure = p.measure.as_ref().or(step.measure.as_ref()).expect("validated: a promise has a measure");
            let v = measure.eval(&summary, series);
            let kept = p.kept_by(v);
            if !kept {
                problems.push(format!(
                    "{at}.promises[{index}]: the run gives {}, the lesson promises {}",
                    show(v),
                    describe(p)
                ));
            }
            promises.push(PromiseReport { index, value: v, kept });
        }
        if let Some(Question { answer: Answer::Choice(options), .. }) = &step.question {
            let right = value.map(|v| options.iter().filter(|o| o.range.contains(v)).count());
            if right != Some(1) {
                problems.push(format!(
                    "{at}.question: the run measures {}, which {} of the choices' ranges hold (exactly one must)",
                    show(value),
                    right.unwrap_or(0)
                ));
            }
        }
        runs.push(RunReport { input, now_ms: sim.now() as f64 / 1e6, value, promises });
    }
    let allowed = allowed_numbers(step)?;
    for (text, lang, what) in texts(step) {
        for n in numbers_in(text) {
            if !allowed.covers(n) {
                problems.push(format!(
                    "{at}.{what}.{lang}: the text says {} but no promise checks it and the step's scenario does not contain it",
                    show(Some(n))
                ));
            }
        }
    }
    Ok(StepReport { runs })
}

fn show(v: Option<f64>) -> String {
    v.map_or("no value".into(), |v| crate::json::Num(v).to_string())
}

fn describe(p: &Promise) -> String {
    let mut parts = Vec::new();
    if let Some(e) = p.equals {
        parts.push(format!("= {}", show(Some(e))));
    }
    if let Some(lo) = p.at_least {
        parts.push(format!(">= {}", show(Some(lo))));
    }
    if let Some(hi) = p.at_most {
        parts.push(format!("<= {}", show(Some(hi))));
    }
    if p.none {
        parts.push("no value".into());
    }
    parts.join(" and ")
}

/// Every text of a step, with its language and field name.
fn texts(step: &Step) -> Vec<(&str, &'static str, String)> {
    fn add<'a>(out: &mut Vec<(&'a str, &'static str, String)>, t: &'a Text, what: &str) {
        out.push((t.en.as_str(), "en", what.to_string()));
        out.push((t.zh.as_str(), "zh", what.to_string()));
    }
    let mut out = Vec::new();
    add(&mut out, &step.title, "title");
    add(&mut out, &step.text, "text");
    add(&mut out, &step.reveal, "reveal");
    if let Some(q) = &step.question {
        add(&mut out, &q.prompt, "question.prompt");
        match &q.answer {
            Answer::Number(n) => add(&mut out, &n.unit, "question.answer.number.unit"),
            Answer::Try(t) => add(&mut out, &t.unit, "question.answer.try.unit"),
            Answer::Choice(options) => {
                for (k, o) in options.iter().enumerate() {
                    add(&mut out, &o.text, &format!("question.answer.choice[{k}].text"));
                }
            }
        }
    }
    out
}

/// The numbers a step's texts may state.
#[derive(Default)]
struct Allowed {
    values: Vec<f64>,
    /// Fractions written in the scenario (0.02), which a text may give as a
    /// percentage (2 %).
    fractions: Vec<f64>,
    ranges: Vec<(f64, f64)>,
}

impl Allowed {
    fn covers(&self, n: f64) -> bool {
        let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        self.values.iter().any(|v| same(*v, n))
            || self.fractions.iter().any(|f| same(*f * 100.0, n))
            || self.ranges.iter().any(|(lo, hi)| n >= *lo && n <= *hi)
    }
}

fn allowed_numbers(step: &Step) -> Result<Allowed, LessonError> {
    let mut allowed = Allowed::default();
    let Allowed { values, fractions, ranges } = &mut allowed;
    let scenario: Value = match &step.scenario {
        ScenarioRef::Preset(name) => serde_json::from_str(presets::find(name)?.json).unwrap_or(Value::Null),
        ScenarioRef::Inline(v) => v.clone(),
    };
    harvest(&scenario, values, fractions);
    for c in &step.commands {
        values.extend(numbers_in(&c.at.to_string()));
        harvest(&serde_json::to_value(&c.command).unwrap_or(Value::Null), values, fractions);
    }
    if let Some(q) = &step.question {
        match &q.answer {
            Answer::Try(t) => {
                values.extend([t.min as f64, t.max as f64]);
                values.extend(numbers_in(&t.at.to_string()));
                harvest(&t.command, values, fractions);
                values.extend(t.goal.at_least.into_iter().chain(t.goal.at_most));
            }
            Answer::Choice(options) => {
                for o in options {
                    values.extend(o.range.at_least.into_iter().chain(o.range.at_most));
                }
            }
            Answer::Number(_) => {}
        }
    }
    if let Run::Until(t) = &step.run {
        values.extend(numbers_in(&t.to_string()));
    }
    // What a measure reads at (t = 25 s) and its threshold.
    for m in step.measure.iter().chain(step.promises.iter().filter_map(|p| p.measure.as_ref())) {
        values.extend(m.at.iter().chain([&m.after]).flat_map(|d| numbers_in(&d.to_string())));
        values.extend(m.value);
    }
    for p in &step.promises {
        values.extend(p.equals.into_iter().chain(p.input.map(f64::from)));
        match (p.at_least, p.at_most) {
            (Some(lo), Some(hi)) => ranges.push((lo, hi)),
            (lo, hi) => values.extend(lo.into_iter().chain(hi)),
        }
    }
    Ok(allowed)
}

/// Every number in a scenario's values (durations' too), except in its
/// description and names, which are prose.
fn harvest(value: &Value, out: &mut Vec<f64>, fractions: &mut Vec<f64>) {
    match value {
        Value::Number(n) => {
            out.extend(n.as_f64());
            fractions.extend(n.as_f64().filter(|f| *f > 0.0 && *f < 1.0));
        }
        Value::String(s) => {
            out.extend(numbers_in(s));
            // A service time is also a rate: 5 ms of work is 200 a second.
            if let Ok(nanos) = crate::time::parse_duration(s).map(|n| n as f64) {
                out.extend(Some(1e9 / nanos).filter(|r| r.is_finite()));
            }
        }
        Value::Array(items) => items.iter().for_each(|v| harvest(v, out, fractions)),
        Value::Object(map) => {
            for (k, v) in map {
                if k != "description" && k != "name" {
                    harvest(v, out, fractions);
                }
            }
        }
        _ => {}
    }
}

/// The numbers written in `text`: digits with thousands commas and a
/// decimal part ("100,000", "5.045"), not those glued to a word before them
/// ("p99", "M/M/10", "KIP-429").
pub fn numbers_in(text: &str) -> Vec<f64> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let glued = i > 0 && (chars[i - 1].is_ascii_alphabetic() || matches!(chars[i - 1], '/' | '-' | '_' | '.'));
        let mut digits = String::new();
        while i < chars.len() {
            let c = chars[i];
            let next_digit = chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            if c.is_ascii_digit() {
                digits.push(c);
            } else if c == ','
                && next_digit
                && chars.get(i + 1..i + 4).is_some_and(|g| g.iter().all(|c| c.is_ascii_digit()))
            {
                // a thousands separator: skip it
            } else if c == '.' && next_digit && !digits.contains('.') {
                digits.push('.');
            } else {
                break;
            }
            i += 1;
        }
        if !glued {
            out.extend(digits.parse::<f64>().ok());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbers_in;

    #[test]
    fn numbers_in_text_read_thousands_and_decimals_but_not_names() {
        assert_eq!(numbers_in("100,000 orders, 99 s, t = 5.045 s, p99, M/M/10, KIP-429"), vec![100_000.0, 99.0, 5.045]);
        assert_eq!(numbers_in("1, 2 and 3"), vec![1.0, 2.0, 3.0]);
    }
}
