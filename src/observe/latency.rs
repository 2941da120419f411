//! End-to-end latency: exact percentiles per sample interval (from the
//! interval's own values) and whole-run percentiles from a histogram, so that
//! memory does not grow with the number of messages.

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::time::{SimTime, as_millis_f64};

/// Percentiles of a set of latencies, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub count: u64,
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

pub struct LatencyStats {
    /// Latencies of the current sample interval, cleared at every sample.
    interval: Vec<SimTime>,
    /// Every latency of the run, at three significant digits.
    whole_run: Histogram<u64>,
    sum: u128,
    /// Exact extremes; the histogram only knows them to three digits.
    min: SimTime,
    max: SimTime,
}

impl Default for LatencyStats {
    fn default() -> Self {
        LatencyStats {
            interval: Vec::new(),
            whole_run: Histogram::new(3).expect("3 significant digits is a valid precision"),
            sum: 0,
            min: SimTime::MAX,
            max: 0,
        }
    }
}

impl LatencyStats {
    pub fn record(&mut self, latency: SimTime) {
        self.interval.push(latency);
        // An auto-resizing histogram grows to fit any u64, so this cannot fail.
        let _ = self.whole_run.record(latency);
        self.sum += u128::from(latency);
        self.min = self.min.min(latency);
        self.max = self.max.max(latency);
    }

    /// Exact percentiles of the interval just ended (None when nothing
    /// finished in it), then starts a new interval.
    pub fn take_interval(&mut self) -> Option<Percentiles> {
        if self.interval.is_empty() {
            return None;
        }
        let values = &mut self.interval;
        values.sort_unstable();
        let at = |q: f64| as_millis_f64(values[nearest_rank(q, values.len())]);
        let mean = values.iter().map(|&v| v as f64).sum::<f64>() / values.len() as f64;
        let p = Percentiles {
            count: values.len() as u64,
            mean: mean / 1e6,
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: at(1.0),
        };
        values.clear();
        Some(p)
    }

    /// Percentiles over the whole run. The mean, minimum and maximum are exact;
    /// a percentile is the middle of its histogram bucket (within 0.05 %, as
    /// the histogram keeps three significant digits), clamped to the exact
    /// extremes so that a constant latency reports exactly that constant.
    pub fn whole_run(&self) -> Percentiles {
        let h = &self.whole_run;
        let count = h.len();
        if count == 0 {
            return Percentiles::default();
        }
        let at = |q: f64| as_millis_f64(h.median_equivalent(h.value_at_quantile(q)).clamp(self.min, self.max));
        Percentiles {
            count,
            mean: self.sum as f64 / count as f64 / 1e6,
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: as_millis_f64(self.max),
        }
    }
}

/// The nearest-rank percentile's index: the smallest value with at least a
/// fraction q of the values at or below it.
fn nearest_rank(q: f64, len: usize) -> usize {
    ((q * len as f64).ceil() as usize).clamp(1, len) - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::NANOS_PER_MILLI;

    /// Interval percentiles are exact nearest-rank values.
    #[test]
    fn interval_percentiles_are_exact() {
        let mut s = LatencyStats::default();
        (1..=100).for_each(|ms| s.record(ms * NANOS_PER_MILLI));
        let p = s.take_interval().unwrap();
        assert_eq!((p.p50, p.p95, p.p99, p.max, p.count), (50.0, 95.0, 99.0, 100.0, 100));
        assert!(s.take_interval().is_none(), "a new interval starts empty");
    }

    /// Whole-run percentiles of a constant latency report that latency.
    #[test]
    fn whole_run_of_a_constant_is_that_constant() {
        let mut s = LatencyStats::default();
        (0..1000).for_each(|_| s.record(350 * NANOS_PER_MILLI));
        let p = s.whole_run();
        assert_eq!((p.mean, p.p50, p.p99, p.max), (350.0, 350.0, 350.0, 350.0));
    }
}

#[cfg(test)]
mod spread_tests {
    use super::*;

    /// Whole-run percentiles of a spread of values are within 0.05 % of exact.
    #[test]
    fn whole_run_percentiles_are_within_half_a_per_mille() {
        let mut s = LatencyStats::default();
        (1..=10_000u64).for_each(|v| s.record(v * 1_000));
        let p = s.whole_run();
        for (got, want) in [(p.p50, 5.0), (p.p95, 9.5), (p.p99, 9.9)] {
            assert!((got - want).abs() / want < 5e-4, "{got} vs {want}");
        }
        assert_eq!(p.max, 10.0);
    }
}
