//! Simulated time: integer nanoseconds, and the human-written durations of
//! scenario files ("350ms", "1.5s", "2h").
//!
//! Time is an integer so that two runs of the same scenario order their events
//! identically on every platform; floating-point time would let rounding
//! differences between hosts reorder simultaneous events.

use std::fmt;

use crate::json::fixed;

/// An instant or a span of simulated time, in nanoseconds since the run began.
///
/// `u64` nanoseconds reach about 584 years, far beyond any scenario.
pub type SimTime = u64;

pub const NANOS_PER_MICRO: SimTime = 1_000;
pub const NANOS_PER_MILLI: SimTime = 1_000_000;
pub const NANOS_PER_SEC: SimTime = 1_000_000_000;

/// The units a scenario duration may carry, longest suffix first so that "ms"
/// is not read as "m" followed by junk.
const UNITS: [(&str, SimTime); 7] = [
    ("ns", 1),
    ("us", NANOS_PER_MICRO),
    ("ms", NANOS_PER_MILLI),
    ("s", NANOS_PER_SEC),
    ("m", 60 * NANOS_PER_SEC),
    ("h", 3_600 * NANOS_PER_SEC),
    ("d", 86_400 * NANOS_PER_SEC),
];

/// What a duration string may look like, quoted in every parse error.
pub const DURATION_FORMS: &str =
    "a duration such as \"250us\", \"5ms\", \"1.5s\", \"2m\" or \"1h\" (units ns, us, ms, s, m, h, d)";

/// Parses "1.5s" into nanoseconds exactly, without going through floating point.
///
/// The decimal digits are scaled by the unit with integer arithmetic, so
/// "0.1s" is exactly 100,000,000 ns on every platform. A fraction finer than
/// one nanosecond is an error rather than a silent rounding.
pub fn parse_duration(text: &str) -> Result<SimTime, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("\"{text}\" has no unit; expected {DURATION_FORMS}"))?;
    let (number, unit) = text.split_at(split);
    let scale = UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|(_, scale)| *scale)
        .ok_or_else(|| format!("\"{text}\" has an unknown unit \"{unit}\"; expected {DURATION_FORMS}"))?;
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return Err(format!("\"{text}\" is not a number with a unit; expected {DURATION_FORMS}"));
    }
    let too_long = || format!("\"{text}\" is longer than simulated time can hold (about 584 years)");
    let whole: SimTime = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_long())? };
    let mut nanos = whole.checked_mul(scale).ok_or_else(too_long)?;
    let mut place = scale;
    for digit in fraction.bytes() {
        if place % 10 != 0 {
            return Err(format!("\"{text}\" is finer than one nanosecond"));
        }
        place /= 10;
        nanos = nanos.checked_add(SimTime::from(digit - b'0') * place).ok_or_else(too_long)?;
    }
    Ok(nanos)
}

/// Formats nanoseconds in the largest unit that keeps it readable ("1.5s", "350ms").
pub fn format_duration(nanos: SimTime) -> String {
    let (unit, scale) = match nanos {
        0 => return "0s".to_string(),
        n if n >= NANOS_PER_SEC => ("s", NANOS_PER_SEC),
        n if n >= NANOS_PER_MILLI => ("ms", NANOS_PER_MILLI),
        n if n >= NANOS_PER_MICRO => ("us", NANOS_PER_MICRO),
        _ => ("ns", 1),
    };
    let whole = nanos / scale;
    let rest = nanos % scale;
    if rest == 0 {
        return format!("{whole}{unit}");
    }
    let digits = scale.ilog10() as usize;
    let fraction = format!("{rest:0digits$}");
    format!("{whole}.{}{unit}", fraction.trim_end_matches('0'))
}

/// Converts nanoseconds to seconds for display and rates; never used to order events.
pub fn as_secs_f64(nanos: SimTime) -> f64 {
    nanos as f64 / NANOS_PER_SEC as f64
}

/// Converts nanoseconds to milliseconds for display, charts and the JS API.
pub fn as_millis_f64(nanos: SimTime) -> f64 {
    nanos as f64 / NANOS_PER_MILLI as f64
}

/// A duration as it appears in a scenario file: written as a string with a unit,
/// held as integer nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub SimTime);

impl Duration {
    pub fn nanos(self) -> SimTime {
        self.0
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_duration(self.0))
    }
}

impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_duration(self.0))
    }
}

/// A duration is a string with a unit ("1.5s"); a string that does not
/// parse is refused with `parse_duration`'s message, anything else as serde's
/// visitor for it did (expecting `DURATION_FORMS`).
impl crate::json::FromJson for Duration {
    fn read(value: &serde_json::Value) -> Result<Duration, crate::json::ReadError> {
        match value {
            serde_json::Value::String(text) => parse_duration(text).map(Duration).map_err(crate::json::ReadError::custom),
            _ => Err(crate::json::read::invalid_type(value, DURATION_FORMS)),
        }
    }
}

/// `parse_duration`'s form in a JSON Schema: digits with an optional
/// fraction, and a unit, around which it trims whitespace. (That the value
/// fits simulated time, and has no digit finer than a nanosecond, the reader
/// checks.)
#[cfg(not(target_arch = "wasm32"))]
impl crate::json::schema::JsonSchema for Duration {
    fn schema(defs: &mut crate::json::schema::Definitions) -> serde_json::Value {
        defs.define("mqsim::time", "Duration", |_| {
            serde_json::json!({
                "type": "string",
                "pattern": r"^\s*([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|ms|s|m|h|d)\s*$",
                "examples": ["250us", "5ms", "1.5s", "2m", "1h"],
            })
        })
    }
}

/// Milliseconds as a person reads them: "99.5s", "6.69ms", "350ms", "12us",
/// with at most three decimals and no trailing zeros.
pub fn readable_ms(ms: f64) -> String {
    let (value, unit) = match ms.abs() {
        v if v >= 1000.0 => (ms / 1000.0, "s"),
        v if v >= 1.0 || v == 0.0 => (ms, "ms"),
        _ => (ms * 1000.0, "us"),
    };
    let text = fixed(value, 3);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every unit scales its number exactly.
    #[test]
    fn units_scale_exactly() {
        assert_eq!(parse_duration("7ns"), Ok(7));
        assert_eq!(parse_duration("250us"), Ok(250_000));
        assert_eq!(parse_duration("5ms"), Ok(5_000_000));
        assert_eq!(parse_duration("2m"), Ok(120 * NANOS_PER_SEC));
        assert_eq!(parse_duration("1h"), Ok(3_600 * NANOS_PER_SEC));
        assert_eq!(parse_duration("1d"), Ok(86_400 * NANOS_PER_SEC));
    }

    /// Decimal fractions are exact integers of nanoseconds, with no float rounding.
    #[test]
    fn fractions_are_exact() {
        assert_eq!(parse_duration("0.1s"), Ok(100_000_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_duration(".5ms"), Ok(500_000));
        assert_eq!(parse_duration("0.000000001s"), Ok(1));
    }

    /// Malformed durations are errors that say what is allowed.
    #[test]
    fn malformed_durations_are_rejected() {
        for bad in ["", "5", "ms", "5 parsecs", "1.2.3s", "-5ms", "0.5ns", "99999999999999999999s", "1e3ms"] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.contains('"'), "{bad}: {err}");
        }
        assert!(parse_duration("5").unwrap_err().contains("no unit"));
        assert!(parse_duration("600000d").unwrap_err().contains("584 years"));
    }

    /// Formatting picks the largest readable unit and round-trips through parsing.
    #[test]
    fn formatting_round_trips() {
        for text in ["0s", "1s", "1.5s", "350ms", "12.5ms", "250us", "7ns", "120s"] {
            assert_eq!(format_duration(parse_duration(text).unwrap()), text);
        }
    }

    /// Durations print with at most three decimals in the largest fitting unit.
    #[test]
    fn milliseconds_read_naturally() {
        assert_eq!(readable_ms(350.0), "350ms");
        assert_eq!(readable_ms(6.68734), "6.687ms");
        assert_eq!(readable_ms(99_500.0), "99.5s");
        assert_eq!(readable_ms(0.012), "12us");
        assert_eq!(readable_ms(0.0), "0ms");
    }
}
