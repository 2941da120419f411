//! Lessons: the design documents' chapters as guided walkthroughs, one file
//! per lesson in `lessons/`, read with the same strict reader as scenarios.
//!
//! A lesson is data. Each step has narrative text (English and Chinese), a
//! scenario (a preset or inline) with optional timed live commands, what to
//! run (to the end, to an instant, or until a series column crosses a
//! value), an optional question (a number, a choice, or a "try": a number
//! the learner picks that is put into a live command), the measure whose
//! value the reveal shows, the reveal's explanation, and the values the
//! text promises. The measured value is always read off the run (a summary
//! field or a series column, see `measure.rs`); it is never typed in.
//!
//! `check.rs` runs every step and checks every promise, and that every
//! number the text states is either promised or a parameter of the step's
//! scenario: a lesson cannot drift from the engine. `docs/lessons.md` is the
//! format's reference.
//!
//! Native only (its `mod` line in lib.rs): the page evaluates the same
//! measures in JavaScript (`www/lib/lesson-measure.js`) from the wasm's
//! `summary()` and `series()`, so the wasm module does not grow.

pub mod check;
pub mod measure;

use serde_json::Value;

use crate::engine::{Command, Sim, TimedCommand};
use crate::json::{FromJson, ReadError, read_enum, read_struct};
use crate::scenario::{Scenario, ScenarioError, presets};
use crate::time::Duration;

pub use check::{LessonReport, StepReport, check};
pub use measure::{Aggregate, Measure};

/// A text in both of the page's languages.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

read_struct!(Text { en, zh });

/// One lesson: `lessons/<name>.json`.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The file's name without `.json`; the widget's `name` attribute.
    pub name: String,
    pub title: Text,
    /// One or two sentences for the lesson list.
    pub summary: Text,
    pub steps: Vec<Step>,
}

read_struct!(Lesson { name, title, summary, steps });

#[derive(Clone, Debug)]
pub struct Step {
    pub title: Text,
    /// What the learner reads before running.
    pub text: Text,
    pub scenario: ScenarioRef,
    /// Live commands applied at given instants, as the page's controls send them.
    pub commands: Vec<TimedCommand>,
    pub run: Run,
    pub question: Option<Question>,
    /// The value the reveal shows next to the prediction. Required when
    /// there is a question.
    pub measure: Option<Measure>,
    /// Shown after the run, next to the measured value.
    pub reveal: Text,
    /// The values the texts promise, each checked against the run.
    pub promises: Vec<Promise>,
}

read_struct!(Step {
    title,
    text,
    scenario,
    commands = Default::default,
    run = default_run,
    question = Default::default,
    measure = Default::default,
    reveal,
    promises = Default::default,
});

fn default_run() -> Run {
    Run::End
}

/// Which scenario a step runs.
#[derive(Clone, Debug)]
pub enum ScenarioRef {
    /// A bundled preset by name (`scenarios/<name>.json`).
    Preset(String),
    /// A scenario written into the lesson.
    Inline(Value),
}

read_enum!(ScenarioRef { "preset" => Preset(_), "inline" => Inline(_) });

impl FromJson for Value {
    fn read(value: &Value) -> Result<Value, ReadError> {
        Ok(value.clone())
    }
}

/// How far a step runs.
#[derive(Clone, Debug)]
pub enum Run {
    /// To the scenario's duration.
    End,
    /// To this instant.
    Until(Duration),
    /// Sample by sample until `column` is at most / at least a value at some
    /// sample at or after `after`, or to the end if it never is.
    UntilSeries(Condition),
}

read_enum!(Run { "end" => End, "until" => Until(_), "until_series" => UntilSeries(_) });

#[derive(Clone, Debug)]
pub struct Condition {
    pub column: String,
    pub at_most: Option<f64>,
    pub at_least: Option<f64>,
    pub after: Duration,
}

read_struct!(Condition { column, at_most = Default::default, at_least = Default::default, after = Default::default });

/// What the learner is asked before the run.
#[derive(Clone, Debug)]
pub struct Question {
    pub prompt: Text,
    pub answer: Answer,
}

read_struct!(Question { prompt, answer });

#[derive(Clone, Debug)]
pub enum Answer {
    /// A number; it is right within `tolerance` (a fraction of the measured value).
    Number(NumberAnswer),
    /// One of several ranges of the measured value; the right one is the
    /// range the run's value falls in (the checker proves exactly one does).
    Choice(Vec<ChoiceOption>),
    /// A number the learner picks that goes into `command` (where it says
    /// "$input") at `at`; the run succeeds when the measure meets `goal`.
    Try(TryAnswer),
}

read_enum!(Answer { "number" => Number(_), "choice" => Choice(_), "try" => Try(_) });

#[derive(Clone, Debug)]
pub struct NumberAnswer {
    pub unit: Text,
    pub tolerance: f64,
}

read_struct!(NumberAnswer { unit, tolerance = default_tolerance });

fn default_tolerance() -> f64 {
    0.1
}

#[derive(Clone, Debug)]
pub struct ChoiceOption {
    pub text: Text,
    pub range: Range,
}

read_struct!(ChoiceOption { text, range });

/// `at_least ≤ value ≤ at_most`, either bound optional.
#[derive(Clone, Debug, Default)]
pub struct Range {
    pub at_least: Option<f64>,
    pub at_most: Option<f64>,
}

read_struct!(Range { at_least = Default::default, at_most = Default::default });

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        self.at_least.is_none_or(|lo| v >= lo) && self.at_most.is_none_or(|hi| v <= hi)
    }
}

#[derive(Clone, Debug)]
pub struct TryAnswer {
    pub unit: Text,
    pub min: u32,
    pub max: u32,
    pub at: Duration,
    /// A live command with the string "$input" where the learner's number goes.
    pub command: Value,
    pub goal: Range,
}

read_struct!(TryAnswer { unit, min, max, at, command, goal });

impl TryAnswer {
    /// The command with the learner's number in it.
    pub fn command_for(&self, input: u32) -> Result<TimedCommand, ReadError> {
        let command = Command::read(&substitute(&self.command, input))?;
        Ok(TimedCommand { at: self.at, command })
    }
}

fn substitute(value: &Value, input: u32) -> Value {
    match value {
        Value::String(s) if s == "$input" => Value::from(input),
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, input)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), substitute(v, input))).collect()),
        other => other.clone(),
    }
}

/// A value the text promises: the measure (the step's own unless given),
/// for a "try" step the learner's `input`, and what the run must give.
#[derive(Clone, Debug)]
pub struct Promise {
    pub measure: Option<Measure>,
    pub input: Option<u32>,
    pub equals: Option<f64>,
    pub at_least: Option<f64>,
    pub at_most: Option<f64>,
    /// The measure has no value (a backlog that never drains).
    pub none: bool,
}

read_struct!(Promise {
    measure = Default::default,
    input = Default::default,
    equals = Default::default,
    at_least = Default::default,
    at_most = Default::default,
    none = Default::default,
});

impl Promise {
    /// Whether `value` (None: the measure has none) keeps the promise.
    pub fn kept_by(&self, value: Option<f64>) -> bool {
        match value {
            None => self.none,
            Some(v) => {
                !self.none
                    && self.equals.is_none_or(|e| (v - e).abs() <= 1e-9 * e.abs().max(1.0))
                    && Range { at_least: self.at_least, at_most: self.at_most }.contains(v)
            }
        }
    }
}

/// Why a lesson was refused: the JSON path of the problem ("" for the
/// document) and what is allowed there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "lesson: {}", self.message)
        } else {
            write!(f, "lesson at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for LessonError {}

impl From<ScenarioError> for LessonError {
    fn from(err: ScenarioError) -> Self {
        match err {
            ScenarioError::Invalid { path, message } => LessonError { path, message },
            ScenarioError::Syntax { line, column, message } => LessonError {
                path: String::new(),
                message: format!("not valid JSON (line {line}, column {column}): {message}"),
            },
            other => LessonError { path: String::new(), message: other.to_string() },
        }
    }
}

impl From<crate::json::JsonError> for LessonError {
    fn from(err: crate::json::JsonError) -> Self {
        ScenarioError::from(err).into()
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> LessonError {
    LessonError { path: path.into(), message: message.into() }
}

/// A problem inside a nested document (an inline scenario, a command, a
/// step), moved below `prefix`.
fn below(prefix: &str, err: impl Into<LessonError>) -> LessonError {
    let LessonError { path, message } = err.into();
    match path {
        p if p.is_empty() => invalid(prefix, message),
        p if p.starts_with('[') => invalid(format!("{prefix}{p}"), message),
        p => invalid(format!("{prefix}.{p}"), message),
    }
}

fn read_error(prefix: &str, err: ReadError) -> LessonError {
    let (path, message) = err.into_parts();
    below(prefix, LessonError { path, message })
}

impl Lesson {
    /// Reads and checks a lesson without running it: every field known,
    /// every preset, command, series column and summary field resolvable.
    pub fn from_json(text: &str) -> Result<Lesson, LessonError> {
        let lesson: Lesson = crate::json::parse(text)?;
        lesson.validate()?;
        Ok(lesson)
    }

    fn validate(&self) -> Result<(), LessonError> {
        if self.steps.is_empty() {
            return Err(invalid("steps", "a lesson needs at least one step"));
        }
        for (i, step) in self.steps.iter().enumerate() {
            step.validate(&format!("steps[{i}]"))?;
        }
        Ok(())
    }
}

impl Step {
    /// The step's scenario, read and checked.
    pub fn scenario(&self) -> Result<Scenario, LessonError> {
        match &self.scenario {
            ScenarioRef::Preset(name) => {
                presets::find(name).and_then(|p| Scenario::from_json(p.json)).map_err(|e| match e {
                    ScenarioError::UnknownPreset { name, known } => invalid(
                        "scenario.preset",
                        format!("no preset named \"{name}\"; expected one of {}", known.join(", ")),
                    ),
                    other => below("scenario.preset", other),
                })
            }
            ScenarioRef::Inline(value) => {
                let scenario = Scenario::read(value).map_err(|e| read_error("scenario.inline", e))?;
                scenario.validate().map_err(|e| below("scenario.inline", e))?;
                Ok(scenario)
            }
        }
    }

    /// The commands a run applies: the step's own, and for a "try" the
    /// learner's `input` in its command.
    pub fn commands_for(&self, input: Option<u32>) -> Result<Vec<TimedCommand>, LessonError> {
        let mut commands = self.commands.clone();
        if let (Some(Question { answer: Answer::Try(t), .. }), Some(input)) = (&self.question, input) {
            commands.push(t.command_for(input).map_err(|e| read_error("question.answer.try.command", e))?);
            commands.sort_by_key(|c| c.at);
        }
        Ok(commands)
    }

    /// A simulation of the step, commands scheduled, not yet run.
    pub fn sim(&self, input: Option<u32>) -> Result<Sim, LessonError> {
        let scenario = self.scenario()?;
        let mut sim = Sim::new(scenario).map_err(|e| below("scenario", e))?;
        let commands = self.commands_for(input)?;
        sim.schedule_commands(&commands).map_err(|e| {
            let path = if self.commands.len() < commands.len() { "question.answer.try.command" } else { "commands" };
            invalid(if e.path.is_empty() { path.to_string() } else { format!("{path}{}", e.path) }, e.message)
        })?;
        Ok(sim)
    }

    fn validate(&self, at: &str) -> Result<(), LessonError> {
        self.validate_here().map_err(|e| below(at, e))
    }

    fn validate_here(&self) -> Result<(), LessonError> {
        let try_answer = match &self.question {
            Some(Question { answer: Answer::Try(t), .. }) => Some(t),
            _ => None,
        };
        if let Some(t) = try_answer {
            if t.min > t.max {
                return Err(invalid("question.answer.try.min", "min must not be above max"));
            }
            if t.goal.at_least.is_none() && t.goal.at_most.is_none() {
                return Err(invalid("question.answer.try.goal", "a goal needs at_least or at_most"));
            }
        }
        // Every input a promise names, or the smallest allowed: the sim
        // checks the command against the scenario's names.
        let sim = self.sim(try_answer.map(|t| t.min))?;
        let series = sim.series().names().to_vec();
        let summary = measure::summary_value(&sim);
        if let Run::UntilSeries(c) = &self.run {
            if !series.contains(&c.column) {
                return Err(invalid("run.until_series.column", measure::unknown_column(&c.column, &series)));
            }
            if c.at_most.is_some() == c.at_least.is_some() {
                return Err(invalid("run.until_series", "give exactly one of at_most and at_least"));
            }
        }
        if let Some(m) = &self.measure {
            m.validate(&summary, &series).map_err(|e| below("measure", e))?;
        } else if self.question.is_some() {
            return Err(invalid("measure", "a step with a question needs a measure: the value its reveal shows"));
        }
        match &self.question {
            Some(Question { answer: Answer::Choice(options), .. }) if options.len() < 2 => {
                return Err(invalid("question.answer.choice", "a choice needs at least two options"));
            }
            Some(Question { answer: Answer::Number(n), .. }) if !(n.tolerance >= 0.0 && n.tolerance < 1.0) => {
                return Err(invalid("question.answer.number.tolerance", "a fraction from 0 to below 1"));
            }
            _ => {}
        }
        for (j, p) in self.promises.iter().enumerate() {
            let at = format!("promises[{j}]");
            match (&p.measure, &self.measure) {
                (Some(m), _) => m.validate(&summary, &series).map_err(|e| below(&format!("{at}.measure"), e))?,
                (None, None) => {
                    return Err(invalid(at, "the step has no measure, so the promise needs its own"));
                }
                (None, Some(_)) => {}
            }
            if p.equals.is_none() && p.at_least.is_none() && p.at_most.is_none() && !p.none {
                return Err(invalid(at, "a promise needs equals, at_least, at_most or none: true"));
            }
            match (p.input, try_answer) {
                (Some(_), None) => {
                    return Err(invalid(format!("{at}.input"), "only a \"try\" question takes an input"));
                }
                (Some(i), Some(t)) if i < t.min || i > t.max => {
                    return Err(invalid(format!("{at}.input"), format!("the question allows {} to {}", t.min, t.max)));
                }
                (Some(i), Some(_)) => {
                    self.sim(Some(i))?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A lesson bundled into the native binary: its name and JSON text.
pub struct Bundled {
    pub name: &'static str,
    pub json: &'static str,
}

macro_rules! lessons {
    ($($name:literal),* $(,)?) => {
        &[$(Bundled { name: $name, json: include_str!(concat!("../../lessons/", $name, ".json")) }),*]
    };
}

/// Every lesson, in the order the page lists them (the design documents'
/// order). `scripts/bundle-lessons.mjs` reads this list; `tests/lessons.rs`
/// checks it names every file in `lessons/`.
pub const LESSONS: &[Bundled] = lessons![
    "why-queues",
    "decoupling",
    "peak-shaving",
    "message-loss",
    "duplicates",
    "ordering",
    "retries-dlq",
    "consumer-groups",
    "backlog-emergency",
    "queue-or-log",
];

/// A bundled lesson by name, read and checked.
pub fn load(name: &str) -> Result<Lesson, LessonError> {
    let bundled = LESSONS.iter().find(|l| l.name == name).ok_or_else(|| {
        let names: Vec<&str> = LESSONS.iter().map(|l| l.name).collect();
        invalid("", format!("no lesson named \"{name}\"; the lessons are: {}", names.join(", ")))
    })?;
    Lesson::from_json(bundled.json)
}
