//! A lesson's measure: a number read off a run, from its summary (a field by
//! path) or its time series (a column and an aggregate).
//!
//! `www/lib/lesson-measure.js` evaluates the same measures from the wasm's
//! `summary()` and `series()`; `tests/e2e/lessons.test.mjs` checks that the
//! two agree on every step of every lesson. A change here is a change there.

use serde_json::Value;

use super::{LessonError, invalid};
use crate::engine::Sim;
use crate::json::{read_enum, read_struct};
use crate::observe::Series;
use crate::summary::Summary;
use crate::time::{Duration, NANOS_PER_MILLI};

/// `{"summary": "peak_backlog.messages"}`, or
/// `{"series": "backlog", "aggregate": "max"}` (with `at` for "at", and
/// `value` and `after` for "first_at_most" / "first_at_least").
#[derive(Clone, Debug)]
pub struct Measure {
    /// A path into the summary: keys joined by `.`, an array element by
    /// `[index]` or by `[name=…]` (the element whose `name` is …).
    pub summary: Option<String>,
    /// With `summary`: summary paths whose sum divides the value (a share:
    /// one consumer's processed messages per all the consumers' of a queue).
    pub per: Vec<String>,
    /// A series column.
    pub series: Option<String>,
    pub aggregate: Option<Aggregate>,
    /// For "at": the instant whose sample is read (the last at or before it).
    pub at: Option<Duration>,
    /// For "first_at_most" / "first_at_least": the threshold.
    pub value: Option<f64>,
    /// For "first_at_most" / "first_at_least": samples before this are ignored.
    pub after: Duration,
    /// How the reveal writes the value's unit ("ms", "s"), when the
    /// question does not say it. Display only.
    pub unit: Option<super::Text>,
}

read_struct!(Measure {
    summary = Default::default,
    per = Default::default,
    series = Default::default,
    aggregate = Default::default,
    at = Default::default,
    value = Default::default,
    after = Default::default,
    unit = Default::default,
});

/// How a column becomes one number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Aggregate {
    /// The largest value (samples without a value skipped).
    Max,
    /// The smallest value.
    Min,
    /// The last sample's value.
    Last,
    /// The value of the last sample at or before `at`.
    At,
    /// The time, in seconds, of the first sample at or after `after` whose
    /// value is at most `value` (none if no sample is).
    FirstAtMost,
    /// The same, for at least `value`.
    FirstAtLeast,
}

read_enum!(Aggregate {
    "max" => Max,
    "min" => Min,
    "last" => Last,
    "at" => At,
    "first_at_most" => FirstAtMost,
    "first_at_least" => FirstAtLeast,
});

/// One segment of a summary path.
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
    Named(&'a str),
}

/// Splits `a.b[0].c[name=x.y]` into segments; None if it is malformed.
fn segments(path: &str) -> Option<Vec<Seg<'_>>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            let sel = &inner[..end];
            out.push(match sel.strip_prefix("name=") {
                Some(name) if !name.is_empty() => Seg::Named(name),
                Some(_) => return None,
                None => Seg::Index(sel.parse().ok()?),
            });
            rest = &inner[end + 1..];
            rest = rest.strip_prefix('.').unwrap_or(rest);
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            out.push(Seg::Key(&rest[..end]));
            rest = &rest[end..];
            rest = rest.strip_prefix('.').unwrap_or(rest);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The value at `path` in `root`, or why there is none (what is allowed there).
pub fn lookup<'a>(root: &'a Value, path: &str) -> Result<&'a Value, String> {
    let segs = segments(path).ok_or_else(|| {
        format!("\"{path}\" is not a path like `peak_backlog.messages` or `queues[name=orders].depth`")
    })?;
    let mut here = root;
    for seg in segs {
        here = match (seg, here) {
            (Seg::Key(k), Value::Object(map)) => map.get(k).ok_or_else(|| {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                format!("the summary has no field `{k}` in \"{path}\"; expected one of {}", keys.join(", "))
            })?,
            (Seg::Index(i), Value::Array(items)) => items
                .get(i)
                .ok_or_else(|| format!("\"{path}\": index {i} is past the {} elements there", items.len()))?,
            (Seg::Named(n), Value::Array(items)) => {
                items.iter().find(|v| v.get("name").and_then(Value::as_str) == Some(n)).ok_or_else(|| {
                    let names: Vec<&str> = items.iter().filter_map(|v| v.get("name").and_then(Value::as_str)).collect();
                    format!("\"{path}\": nothing named \"{n}\" there; expected one of {}", names.join(", "))
                })?
            }
            _ => {
                return Err(format!("\"{path}\" goes into a value that is not an object or array as the path expects"));
            }
        };
    }
    Ok(here)
}

/// A summary value as a number: a boolean is 1 or 0; null is none.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        v => v.as_f64(),
    }
}

/// Checks that `path` names a number (or a boolean, or null: a value not
/// there yet) in the summary, and says what is there otherwise.
fn number_at(summary: &Value, path: &str) -> Result<(), String> {
    match lookup(summary, path)? {
        Value::Number(_) | Value::Null | Value::Bool(_) => Ok(()),
        Value::Object(map) => Err(format!(
            "\"{path}\" is an object, not a number; expected one of its fields: {}",
            map.keys().cloned().collect::<Vec<_>>().join(", ")
        )),
        _ => Err(format!("\"{path}\" is not a number")),
    }
}

pub(super) fn unknown_column(column: &str, names: &[String]) -> String {
    format!("the series has no column \"{column}\"; expected one of {}", names.join(", "))
}

/// The summary of `sim` as JSON, as the wasm's `summary()` gives it to JS.
pub fn summary_value(sim: &Sim) -> Value {
    serde_json::to_value(Summary::of(sim)).unwrap_or(Value::Null)
}

impl Measure {
    pub(super) fn validate(&self, summary: &Value, series: &[String]) -> Result<(), LessonError> {
        match (&self.summary, &self.series) {
            (Some(path), None) => {
                if self.aggregate.is_some() || self.at.is_some() || self.value.is_some() {
                    return Err(invalid("", "a summary measure takes no aggregate, at or value"));
                }
                for (i, per) in self.per.iter().enumerate() {
                    number_at(summary, per).map_err(|m| invalid(format!("per[{i}]"), m))?;
                }
                number_at(summary, path).map_err(|m| invalid("summary", m))
            }
            (None, Some(column)) => {
                if !self.per.is_empty() {
                    return Err(invalid("per", "only a summary measure is divided by another summary field"));
                }
                if !series.contains(column) {
                    return Err(invalid("series", unknown_column(column, series)));
                }
                match self.aggregate {
                    None => Err(invalid(
                        "aggregate",
                        format!("a series measure needs one of {}", Aggregate::JSON_NAMES.join(", ")),
                    )),
                    Some(Aggregate::At) if self.at.is_none() => {
                        Err(invalid("at", "aggregate \"at\" needs the instant, e.g. \"5s\""))
                    }
                    Some(Aggregate::FirstAtMost | Aggregate::FirstAtLeast) if self.value.is_none() => {
                        Err(invalid("value", "this aggregate needs the threshold value"))
                    }
                    _ => Ok(()),
                }
            }
            _ => Err(invalid("", "a measure names exactly one of summary (a field path) and series (a column)")),
        }
    }

    /// The measure's value in a run's summary and series; None when it has
    /// none (a percentile of nothing, a threshold never crossed).
    pub fn eval(&self, summary: &Value, series: &Series) -> Option<f64> {
        if let Some(path) = &self.summary {
            let value = number(lookup(summary, path).ok()?)?;
            if self.per.is_empty() {
                return Some(value);
            }
            let mut whole = 0.0;
            for per in &self.per {
                whole += number(lookup(summary, per).ok()?)?;
            }
            return Some(value / whole).filter(|v| v.is_finite());
        }
        let column = series.column(self.series.as_deref()?)?;
        let times = series.column("t_ms")?;
        let values = column.iter().copied().filter(|v| !v.is_nan());
        let ms = |d: Duration| d.0 as f64 / NANOS_PER_MILLI as f64;
        let first = |keep: &dyn Fn(f64) -> bool| {
            let after = ms(self.after);
            times.iter().zip(column).find(|(t, v)| **t >= after && !v.is_nan() && keep(**v)).map(|(t, _)| t / 1000.0)
        };
        match self.aggregate? {
            Aggregate::Max => values.reduce(f64::max),
            Aggregate::Min => values.reduce(f64::min),
            Aggregate::Last => column.last().copied().filter(|v| !v.is_nan()),
            Aggregate::At => {
                let at = ms(self.at?);
                let i = times.iter().rposition(|t| *t <= at)?;
                Some(column[i]).filter(|v| !v.is_nan())
            }
            Aggregate::FirstAtMost => {
                let limit = self.value?;
                first(&|v| v <= limit)
            }
            Aggregate::FirstAtLeast => {
                let limit = self.value?;
                first(&|v| v >= limit)
            }
        }
    }
}
