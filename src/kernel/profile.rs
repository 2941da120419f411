//! Time-varying arrival rates: constant, step, spike, ramp, a daily sine, or
//! a replayed table, all compiled to one piecewise-linear rate function λ(t).
//!
//! Arrivals follow from the cumulative rate Λ(t) = ∫λ: evenly spaced arrivals
//! happen where Λ crosses 1, 2, 3…, and Poisson arrivals where it crosses the
//! running sum of Exp(1) draws (the time-transformation method, exact for any
//! λ(t)). Solving Λ(x) − Λ(t) = Δ within a linear piece is a quadratic, solved
//! with IEEE arithmetic and `libm::sqrt`, so results are the same everywhere.

use serde::Serialize;

use crate::json::Num;
use crate::time::{Duration, NANOS_PER_SEC, SimTime, parse_duration};

/// A rate shape as written in a scenario; rates are per second.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateShape {
    /// The same rate throughout.
    Constant(f64),
    /// `before` until `at`, then `after`.
    Step { before: f64, after: f64, at: Duration },
    /// `base`, except `peak` from `start` for `duration` (a flash sale).
    Spike { base: f64, peak: f64, start: Duration, duration: Duration },
    /// `from` until `start`, rising (or falling) linearly to `to` at `end`, then `to`.
    Ramp { from: f64, to: f64, start: Duration, end: Duration },
    /// `mean + amplitude · sin(2π t / period)`: a daily cycle.
    Sine { mean: f64, amplitude: f64, period: Duration },
    /// A replayed table of (time, count): `count` arrivals spread evenly
    /// until the next row's time; the last row lasts one more interval of
    /// the same length as the one before it (or one second when alone).
    Replay(Vec<(Duration, f64)>),
    /// The same table as CSV text, one `time,count` row per line: a time
    /// with a unit ("1.5s") or in plain seconds ("1.5"), then a count. An
    /// optional header line, blank lines and `#` comments are skipped. (The
    /// command-line tool also takes `"@file.csv"`, which it replaces with
    /// the file's text before the scenario is read.)
    ReplayCsv(String),
}

crate::json::read_enum!(RateShape {
    "constant" => Constant(_),
    "step" => Step { before, after, at },
    "spike" => Spike { base, peak, start, duration },
    "ramp" => Ramp { from, to, start, end },
    "sine" => Sine { mean, amplitude, period },
    "replay" => Replay(_),
    "replay_csv" => ReplayCsv(_),
});

/// Reads a replay table from CSV text (see `RateShape::ReplayCsv`); an
/// error names the line and says what it should hold.
pub fn parse_csv(text: &str) -> Result<Vec<(Duration, f64)>, String> {
    if text.starts_with('@') {
        return Err(format!(
            "\"{text}\" names a file, and only the command-line tool reads files; here, give the CSV text itself"
        ));
    }
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let row = line.split_once(',').and_then(|(time, count)| {
            let time = time.trim();
            let time = if time.ends_with(|c: char| c.is_ascii_digit()) { parse_duration(&format!("{time}s")) } else { parse_duration(time) };
            // The count is read as a JSON number through `json::parse`, the scenario's own
            // reader: core's `str::parse::<f64>` would add about 13 KB (gzipped) to the wasm,
            // and `serde_json::from_str::<f64>` a second instance of the parser with core's
            // float formatting (6 KB).
            Some((time, crate::json::parse::<f64>(count.trim()).ok()?))
        });
        match row {
            Some((Ok(time), count)) => rows.push((Duration(time), count)),
            // A first line that is not a row is a header ("time,count").
            None if rows.is_empty() && !line.starts_with(|c: char| c.is_ascii_digit() || c == '.') => continue,
            Some((Err(e), _)) => return Err(format!("line {}: {e}", i + 1)),
            None => return Err(format!("line {}: expected \"time,count\" (for example \"1.5s,300\" or \"1.5,300\"), got \"{line}\"", i + 1)),
        }
    }
    Ok(rows)
}

/// Straight-line pieces of a sine per period: enough that the piecewise
/// rate is within 0.2 % of the true sine's amplitude.
const SINE_PIECES: u32 = 64;

/// The most pieces a compiled profile may have.
pub const MAX_PIECES: usize = 100_000;

impl RateShape {
    /// Checks the parameters; `Err` says what is allowed.
    pub fn check(&self, run_length: SimTime) -> Result<(), String> {
        let rate_ok = |r: f64| r.is_finite() && (0.0..=1e9).contains(&r);
        let rates: Vec<f64> = match self {
            RateShape::Constant(r) => vec![*r],
            RateShape::Step { before, after, .. } => vec![*before, *after],
            RateShape::Spike { base, peak, .. } => vec![*base, *peak],
            RateShape::Ramp { from, to, start, end } => {
                if end <= start {
                    return Err(format!("a ramp must end after it starts, got start {start} and end {end}"));
                }
                vec![*from, *to]
            }
            RateShape::Sine { mean, amplitude, period } => {
                if period.0 == 0 {
                    return Err("a sine needs a period above 0s".into());
                }
                if !(amplitude.is_finite() && *amplitude >= 0.0 && amplitude <= mean) {
                    return Err(format!("a sine's amplitude must be from 0 to its mean ({}), got {}", Num(*mean), Num(*amplitude)));
                }
                if run_length / period.0 * SimTime::from(SINE_PIECES) > MAX_PIECES as SimTime {
                    return Err(format!("a period of {period} is too short for this run; it needs more than {MAX_PIECES} pieces"));
                }
                vec![*mean]
            }
            RateShape::ReplayCsv(text) => return RateShape::Replay(parse_csv(text)?).check(run_length),
            RateShape::Replay(rows) => {
                if rows.is_empty() || rows.len() > MAX_PIECES / 2 {
                    return Err(format!("a replay needs from 1 to {} rows", MAX_PIECES / 2));
                }
                if rows.windows(2).any(|w| w[1].0 <= w[0].0) {
                    return Err("a replay's times must strictly increase".into());
                }
                rows.iter().map(|(_, count)| *count).collect()
            }
        };
        match rates.iter().find(|r| !rate_ok(**r)) {
            Some(bad) => Err(format!("rates must be finite numbers from 0 to 1e9 per second, got {}", Num(*bad))),
            None => Ok(()),
        }
    }

    /// Compiles the shape to a piecewise-linear profile over `[0, run_length]`.
    pub fn compile(&self, run_length: SimTime) -> Profile {
        let secs = |d: &Duration| d.0 as f64 / NANOS_PER_SEC as f64;
        let points = match self {
            RateShape::Constant(r) => vec![(0.0, *r)],
            RateShape::Step { before, after, at } => vec![(0.0, *before), (secs(at), *before), (secs(at), *after)],
            RateShape::Spike { base, peak, start, duration } => {
                let (a, b) = (secs(start), secs(start) + secs(duration));
                vec![(0.0, *base), (a, *base), (a, *peak), (b, *peak), (b, *base)]
            }
            RateShape::Ramp { from, to, start, end } => vec![(0.0, *from), (secs(start), *from), (secs(end), *to)],
            RateShape::Sine { mean, amplitude, period } => sine_points(*mean, *amplitude, secs(period), run_length),
            // `check` has parsed it already; a table it refused never gets here.
            RateShape::ReplayCsv(text) => return RateShape::Replay(parse_csv(text).unwrap_or_default()).compile(run_length),
            RateShape::Replay(rows) => {
                let mut points = Vec::with_capacity(rows.len() * 2);
                for (i, (at, count)) in rows.iter().enumerate() {
                    let start = secs(at);
                    let length = match (rows.get(i + 1), i) {
                        (Some((next, _)), _) => secs(next) - start,
                        (None, 0) => 1.0,
                        (None, _) => start - secs(&rows[i - 1].0),
                    };
                    let rate = count / length;
                    points.push((start, rate));
                    points.push((start + length, rate));
                }
                // After the table ends, nothing more arrives.
                let end = points.last().map_or(0.0, |p| p.0);
                points.push((end, 0.0));
                if points[0].0 > 0.0 {
                    points.insert(0, (points[0].0, 0.0));
                    points.insert(0, (0.0, 0.0));
                }
                points
            }
        };
        Profile { points }
    }
}

/// A sine sampled at `SINE_PIECES` points per period over the whole run.
fn sine_points(mean: f64, amplitude: f64, period: f64, run_length: SimTime) -> Vec<(f64, f64)> {
    let run = run_length as f64 / NANOS_PER_SEC as f64;
    let step = period / f64::from(SINE_PIECES);
    let count = libm::ceil(run / step) as usize + 1;
    (0..=count)
        .map(|i| {
            let t = i as f64 * step;
            (t, mean + amplitude * libm::sin(2.0 * std::f64::consts::PI * t / period))
        })
        .collect()
}

/// A piecewise-linear rate: λ is linear between consecutive points (two
/// points at one time make a jump) and constant after the last.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// (time in seconds, rate per second), times non-decreasing, first at 0.
    points: Vec<(f64, f64)>,
}

impl Profile {
    /// The rate at time `t` (seconds): the right-hand value at a jump.
    pub fn rate_at(&self, t: f64) -> f64 {
        let i = self.points.partition_point(|p| p.0 <= t);
        if i == self.points.len() {
            return self.points[i - 1].1;
        }
        let (t0, r0) = self.points[i - 1];
        let (t1, r1) = self.points[i];
        r0 + (r1 - r0) * (t - t0) / (t1 - t0)
    }

    /// The first time x ≥ t (seconds) at which the rate is above zero, or None
    /// if it never is again.
    pub fn first_positive(&self, t: f64) -> Option<f64> {
        if self.rate_at(t) > 0.0 {
            return Some(t);
        }
        let i = self.points.partition_point(|p| p.0 <= t);
        // The rate is zero at t, so it can only become positive at a later
        // point (a jump) or just after one (a rising line).
        self.points[i.saturating_sub(1)..]
            .windows(2)
            .find(|w| w[0].1 > 0.0 || w[1].1 > 0.0)
            .map(|w| if w[0].1 > 0.0 { w[0].0 } else { w[0].0.max(t) })
            .or_else(|| (self.points[self.points.len() - 1].1 > 0.0).then(|| self.points[self.points.len() - 1].0.max(t)))
    }

    /// Λ(b) − Λ(a): the expected number of arrivals between a and b seconds.
    pub fn integral(&self, a: f64, b: f64) -> f64 {
        let mut total = 0.0;
        let mut now = a;
        let mut i = self.points.partition_point(|p| p.0 <= a);
        while now < b {
            let (end, rate_end) = match self.points.get(i) {
                Some(&(t1, _)) if t1 < b => (t1, self.rate_at_left(i)),
                _ => (b, self.rate_at(b)),
            };
            total += 0.5 * (self.rate_at(now) + rate_end) * (end - now);
            now = end;
            i += 1;
        }
        total
    }

    /// The rate just before point i (the left-hand value at a jump).
    fn rate_at_left(&self, i: usize) -> f64 {
        let (t0, r0) = self.points[i - 1];
        let (t1, r1) = self.points[i];
        if t1 > t0 { r1 } else { r0 }
    }

    /// The time x ≥ t (seconds) at which Λ(x) − Λ(t) = `work` expected
    /// arrivals, or None if the rate stays zero forever after.
    pub fn advance(&self, t: f64, mut work: f64) -> Option<f64> {
        let mut i = self.points.partition_point(|p| p.0 <= t);
        let mut now = t;
        loop {
            if i == self.points.len() {
                let rate = self.points[i - 1].1;
                return (rate > 0.0).then(|| now + work / rate);
            }
            let (t1, r1) = self.points[i];
            let (t0, r0) = self.points[i - 1];
            let slope = if t1 > t0 { (r1 - r0) / (t1 - t0) } else { 0.0 };
            let r_now = r0 + slope * (now - t0);
            let span = t1 - now;
            let area = r_now * span + 0.5 * slope * span * span;
            if area >= work && span > 0.0 {
                return Some(now + solve_quadratic(r_now, slope, work).min(span));
            }
            work -= area.max(0.0);
            now = t1;
            i += 1;
        }
    }
}

/// The smallest y ≥ 0 with r·y + s/2·y² = w, for r ≥ 0 and r + s·y ≥ 0
/// along the way. Written in the cancellation-free form 2w / (r + √(r² + 2sw)).
fn solve_quadratic(r: f64, s: f64, w: f64) -> f64 {
    if s == 0.0 {
        return if r > 0.0 { w / r } else { 0.0 };
    }
    let disc = (r * r + 2.0 * s * w).max(0.0);
    2.0 * w / (r + libm::sqrt(disc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> Duration {
        Duration(secs * NANOS_PER_SEC)
    }

    /// Counts evenly spaced arrivals in [0, until) seconds.
    fn count_even(profile: &Profile, until: f64) -> usize {
        let mut t = 0.0;
        let mut n = 0;
        while let Some(next) = profile.advance(t, if n == 0 { 0.0 } else { 1.0 }) {
            if next >= until {
                break;
            }
            t = next;
            n += 1;
        }
        n
    }

    /// A constant rate puts arrivals exactly 1/rate apart.
    #[test]
    fn constant_rate_spaces_arrivals_evenly() {
        let p = RateShape::Constant(4.0).compile(10 * NANOS_PER_SEC);
        assert_eq!(p.advance(1.0, 1.0), Some(1.25));
        assert_eq!(count_even(&p, 10.0), 40);
    }

    /// A spike sends peak × duration arrivals in its window, on top of the base.
    #[test]
    fn spike_sends_its_volume() {
        let shape = RateShape::Spike { base: 10.0, peak: 1000.0, start: s(5), duration: s(2) };
        let p = shape.compile(20 * NANOS_PER_SEC);
        assert_eq!(p.rate_at(4.999), 10.0);
        assert_eq!(p.rate_at(5.0), 1000.0);
        assert_eq!(p.rate_at(7.0), 10.0);
        assert_eq!(count_even(&p, 20.0), 10 * 18 + 1000 * 2);
    }

    /// A ramp's arrivals equal the area under it.
    #[test]
    fn ramp_integrates_to_its_area() {
        let p = RateShape::Ramp { from: 0.0, to: 100.0, start: s(0), end: s(10) }.compile(10 * NANOS_PER_SEC);
        // ∫0..10 of 10t dt = 500.
        let x = p.advance(0.0, 500.0).unwrap();
        assert!((x - 10.0).abs() < 1e-9, "{x}");
        assert!((p.advance(0.0, 125.0).unwrap() - 5.0).abs() < 1e-9);
    }

    /// A sine averages to its mean over whole periods.
    #[test]
    fn sine_averages_to_its_mean() {
        let shape = RateShape::Sine { mean: 100.0, amplitude: 80.0, period: s(60) };
        let p = shape.compile(120 * NANOS_PER_SEC);
        let x = p.advance(0.0, 100.0 * 120.0).unwrap();
        assert!((x - 120.0).abs() < 0.01, "{x}");
        assert!((p.rate_at(15.0) - 180.0).abs() < 0.5);
    }

    /// The integral of a shape is the number of arrivals it sends.
    #[test]
    fn integral_counts_expected_arrivals() {
        let spike = RateShape::Spike { base: 10.0, peak: 1000.0, start: s(5), duration: s(2) }.compile(20 * NANOS_PER_SEC);
        assert!((spike.integral(0.0, 20.0) - 2180.0).abs() < 1e-9);
        assert!((spike.integral(4.0, 6.0) - 1010.0).abs() < 1e-9);
        let ramp = RateShape::Ramp { from: 0.0, to: 100.0, start: s(0), end: s(10) }.compile(10 * NANOS_PER_SEC);
        assert!((ramp.integral(0.0, 10.0) - 500.0).abs() < 1e-9);
    }

    /// Arrivals begin where the rate first rises above zero.
    #[test]
    fn first_arrival_waits_for_a_positive_rate() {
        let spike = RateShape::Spike { base: 0.0, peak: 100.0, start: s(5), duration: s(1) }.compile(20 * NANOS_PER_SEC);
        assert_eq!(spike.first_positive(0.0), Some(5.0));
        assert_eq!(spike.first_positive(5.5), Some(5.5));
        assert_eq!(spike.first_positive(7.0), None);
    }

    /// A replayed table sends exactly its counts, then nothing.
    #[test]
    fn replay_sends_its_counts_then_stops() {
        let shape = RateShape::Replay(vec![(s(0), 10.0), (s(1), 30.0), (s(3), 5.0)]);
        let p = shape.compile(60 * NANOS_PER_SEC);
        assert_eq!(count_even(&p, 60.0), 45);
        assert_eq!(p.advance(5.5, 1.0), None, "the last row lasts as long as the one before (2 s), so arrivals end at 5 s");
    }

    /// A CSV table replays exactly like the same JSON table; a header,
    /// blank lines and comments are skipped, and times may be plain seconds.
    #[test]
    fn csv_replay_is_the_same_table() {
        let text = "time,count\n# the morning burst\n0s,10\n\n1,30\n3.0, 5\n";
        assert_eq!(parse_csv(text).unwrap(), vec![(s(0), 10.0), (s(1), 30.0), (s(3), 5.0)]);
        let run = 60 * NANOS_PER_SEC;
        let csv = RateShape::ReplayCsv(text.to_string());
        assert_eq!(csv.check(run), Ok(()));
        assert_eq!(count_even(&csv.compile(run), 60.0), 45);
    }

    /// A bad CSV row is refused with its line number and the expected form;
    /// a file reference is refused where no file can be read.
    #[test]
    fn bad_csv_names_the_line() {
        let err = parse_csv("time,count\n0s,10\n1s;30\n").unwrap_err();
        assert!(err.starts_with("line 3: expected \"time,count\""), "{err}");
        let err = parse_csv("0s,10\n2parsecs,1\n").unwrap_err();
        assert!(err.starts_with("line 2: ") && err.contains("unknown unit"), "{err}");
        assert!(RateShape::ReplayCsv("1s,-4".into()).check(100 * NANOS_PER_SEC).unwrap_err().contains("from 0 to 1e9"));
        assert!(RateShape::ReplayCsv("2s,1\n1s,1".into()).check(100 * NANOS_PER_SEC).unwrap_err().contains("strictly increase"));
        assert!(parse_csv("@traffic.csv").unwrap_err().contains("only the command-line tool reads files"));
    }

    /// Bad shapes are rejected with what is allowed.
    #[test]
    fn bad_shapes_are_rejected() {
        let run = 100 * NANOS_PER_SEC;
        assert!(RateShape::Constant(-1.0).check(run).unwrap_err().contains("from 0 to 1e9"));
        assert!(RateShape::Ramp { from: 1.0, to: 2.0, start: s(5), end: s(5) }.check(run).is_err());
        assert!(RateShape::Sine { mean: 10.0, amplitude: 20.0, period: s(1) }.check(run).is_err());
        assert!(RateShape::Replay(vec![(s(2), 1.0), (s(1), 1.0)]).check(run).is_err());
        assert!(RateShape::Sine { mean: 10.0, amplitude: 5.0, period: Duration(1000) }.check(run).is_err());
    }
}
