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
    /// Every latency of earlier intervals, at three significant digits.
    ///
    /// A latency reaches the histogram when its interval ends, not when it
    /// is recorded. The histogram's counts span hundreds of kilobytes, and
    /// one increment per finished message, between everything else a
    /// handler touches, missed the cache often enough to cost 7 % of the
    /// M/M/10 benchmark; a whole interval's increments in one loop overlap
    /// their misses.
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
    /// Notes one message's end-to-end latency. Inlined: it runs for
    /// every message (see `engine`'s module docs).
    #[inline(always)]
    pub fn record(&mut self, latency: SimTime) {
        self.interval.push(latency);
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
        let n = values.len();
        // Four order statistics do not need a full sort. Select the median
        // first; the higher ranks are then among the values right of it, and
        // each later selection works on a shrinking tail (n, n/2, n/20 values
        // instead of n log n). The values are exactly those a sort would give.
        let (r50, r95, r99) = (nearest_rank(0.50, n), nearest_rank(0.95, n), nearest_rank(0.99, n));
        let p50 = *values.select_nth_unstable(r50).1;
        let p95 = if r95 == r50 { p50 } else { *values[r50 + 1..].select_nth_unstable(r95 - r50 - 1).1 };
        let p99 = if r99 == r95 { p95 } else { *values[r95 + 1..].select_nth_unstable(r99 - r95 - 1).1 };
        let max = values[r99..].iter().copied().max().unwrap_or(p99);
        let sum: u128 = values.iter().map(|&v| u128::from(v)).sum();
        record_all(&mut self.whole_run, values);
        let p = Percentiles {
            count: n as u64,
            // An integer sum, so that the mean does not depend on the order
            // the selections left the values in.
            mean: sum as f64 / n as f64 / 1e6,
            p50: as_millis_f64(p50),
            p95: as_millis_f64(p95),
            p99: as_millis_f64(p99),
            max: as_millis_f64(max),
        };
        values.clear();
        Some(p)
    }

    /// Percentiles over the whole run. The mean, minimum and maximum are exact;
    /// a percentile is the middle of its histogram bucket (within 0.05 %, as
    /// the histogram keeps three significant digits), clamped to the exact
    /// extremes so that a constant latency reports exactly that constant.
    pub fn whole_run(&self) -> Percentiles {
        // The current interval's latencies are not in the histogram yet.
        let with_current;
        let h = if self.interval.is_empty() {
            &self.whole_run
        } else {
            let mut h = self.whole_run.clone();
            record_all(&mut h, &self.interval);
            with_current = h;
            &with_current
        };
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

/// Adds latencies to a histogram.
fn record_all(histogram: &mut Histogram<u64>, latencies: &[SimTime]) {
    for &latency in latencies {
        // An auto-resizing histogram grows to fit any u64, so this cannot fail.
        let _ = histogram.record(latency);
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

    /// Interval percentiles by selection equal nearest-rank values of the sorted interval, at any size.
    #[test]
    fn interval_percentiles_match_a_sort_for_any_order() {
        let mut rng = crate::kernel::SimRng::new(5);
        for n in [1usize, 2, 3, 7, 20, 99, 100, 101, 1000] {
            let values: Vec<SimTime> = (0..n).map(|_| rng.next_u64() % 50_000_000).collect();
            let mut s = LatencyStats::default();
            values.iter().for_each(|&v| s.record(v));
            let p = s.take_interval().unwrap();
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let at = |q: f64| as_millis_f64(sorted[nearest_rank(q, n)]);
            assert_eq!((p.p50, p.p95, p.p99, p.max), (at(0.5), at(0.95), at(0.99), at(1.0)), "n = {n}");
        }
    }

    /// Whole-run percentiles count the current interval too, and ending the
    /// interval does not change them.
    #[test]
    fn whole_run_includes_the_interval_in_progress() {
        let mut s = LatencyStats::default();
        (1..=50).for_each(|ms| s.record(ms * NANOS_PER_MILLI));
        s.take_interval();
        (51..=100).for_each(|ms| s.record(ms * NANOS_PER_MILLI));
        let before = s.whole_run();
        assert_eq!((before.count, before.max), (100, 100.0));
        assert!((before.p50 - 50.0).abs() < 0.05, "p50 {}", before.p50);
        s.take_interval();
        assert_eq!(s.whole_run(), before);
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
