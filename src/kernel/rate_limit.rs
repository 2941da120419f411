//! A token bucket, as Go's `rate.NewLimiter(r, b)` in the seeds: on average
//! `rate` permits per second, with bursts of up to `burst`.
//!
//! Implemented as the generic cell rate algorithm (GCRA), the integer form of
//! a token bucket: it keeps one "theoretical arrival time" instead of a
//! fractional token count, so it needs no floating point and is exact.

use crate::kernel::dist::rate_to_gap;
use crate::time::SimTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimiter {
    /// Nanoseconds between permits at the sustained rate.
    interval: SimTime,
    /// How far ahead of schedule a burst may run: (burst − 1) intervals.
    tolerance: SimTime,
    /// When the next permit would be due if permits were taken evenly.
    theoretical: SimTime,
}

impl RateLimiter {
    pub fn new(rate_per_sec: f64, burst: u32) -> Self {
        let interval = rate_to_gap(rate_per_sec);
        RateLimiter { interval, tolerance: interval * SimTime::from(burst.max(1) - 1), theoretical: 0 }
    }

    /// Seconds between permits at the sustained rate.
    pub fn interval_secs(&self) -> f64 {
        self.interval as f64 / crate::time::NANOS_PER_SEC as f64
    }

    /// The earliest instant at or after `now` when a permit is available.
    pub fn ready_at(&self, now: SimTime) -> SimTime {
        now.max(self.theoretical.saturating_sub(self.tolerance))
    }

    /// Takes a permit at `now`, which must be at or after `ready_at(now)`.
    pub fn take(&mut self, now: SimTime) {
        self.theoretical = self.theoretical.max(now) + self.interval;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::NANOS_PER_MILLI;

    /// Without burst, permits are spaced exactly 1/rate apart.
    #[test]
    fn permits_are_spaced_at_the_rate() {
        let mut limiter = RateLimiter::new(1000.0, 1);
        let mut t = 0;
        let mut times = Vec::new();
        for _ in 0..4 {
            t = limiter.ready_at(t);
            limiter.take(t);
            times.push(t);
        }
        assert_eq!(times, [0, NANOS_PER_MILLI, 2 * NANOS_PER_MILLI, 3 * NANOS_PER_MILLI]);
    }

    /// A rested bucket lets a burst through at once, then settles to the rate.
    #[test]
    fn a_burst_passes_then_the_rate_holds() {
        let mut limiter = RateLimiter::new(10.0, 3);
        let start = 5_000 * NANOS_PER_MILLI;
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = limiter.ready_at(start);
            limiter.take(t);
            times.push((t - start) / NANOS_PER_MILLI);
        }
        assert_eq!(times, [0, 0, 0, 100, 200]);
    }
}
