//! A waiting line measured for the queueing-theory overlay: a queue's ready
//! list, or a Kafka consumer group's records that no worker has started.
//!
//! It keeps three things separately — the entries (λ), the waits of those
//! that left (W) and the exact time-integral of the line's length (L) — so
//! that Little's law, L = λ·W, is a check the overlay can show rather than a
//! formula it assumes. The line's length itself is kept by its owner (the
//! queue's ready list knows its own length); every change of it is reported
//! here with the length before the change.

use crate::time::SimTime;

#[derive(Clone, Debug, Default)]
pub struct WaitStats {
    pub entered: u64,
    pub left: u64,
    /// Total nanoseconds waited by entries that left.
    pub waited: u128,
    /// ∫ length dt, in entry-nanoseconds, up to `last_change`.
    pub area: u128,
    pub last_change: SimTime,
    /// The first and latest entries: the window in which entries arrived.
    pub first_entry: Option<SimTime>,
    pub last_entry: SimTime,
    /// Entries that were returns (a requeue), not arrivals: `entered −
    /// requeued` messages arrived, the latest at `last_arrival`.
    pub requeued: u64,
    pub last_arrival: SimTime,
}

impl WaitStats {
    /// Brings the length integral up to `now` for a line that has held `len`
    /// entries since the last change.
    #[inline]
    pub fn account(&mut self, now: SimTime, len: usize) {
        self.area += len as u128 * u128::from(now - self.last_change);
        self.last_change = now;
    }

    /// One entry joins a line that held `len`: an arrival.
    #[inline]
    pub fn enter(&mut self, now: SimTime, len: usize) {
        self.account(now, len);
        self.entered += 1;
        self.first_entry.get_or_insert(now);
        self.last_entry = now;
        self.last_arrival = now;
    }

    /// A message that had left the line comes back to it (a requeue): an
    /// entry, but not an arrival.
    #[inline]
    pub fn reenter(&mut self, now: SimTime, len: usize) {
        self.account(now, len);
        self.entered += 1;
        self.requeued += 1;
        self.first_entry.get_or_insert(now);
        self.last_entry = now;
    }

    /// One entry, waiting since `since`, leaves a line that held `len`.
    #[inline]
    pub fn leave(&mut self, now: SimTime, len: usize, since: SimTime) {
        self.account(now, len);
        self.left += 1;
        self.waited += u128::from(now - since);
    }

    /// The time-average length from t = 0 to `now`, the line holding `len` now.
    pub fn mean_length(&self, now: SimTime, len: usize) -> f64 {
        if now == 0 {
            return 0.0;
        }
        let area = self.area + len as u128 * u128::from(now - self.last_change);
        area as f64 / now as f64
    }

    /// Mean wait in seconds of the entries that left (0 before any has).
    pub fn mean_wait_secs(&self) -> f64 {
        if self.left == 0 { 0.0 } else { self.waited as f64 / self.left as f64 / 1e9 }
    }

    /// λ·W for Little's law, both over the same span as the measured L:
    /// entries per second over the whole run so far, times the mean wait.
    pub fn little_l(&self, now: SimTime) -> f64 {
        if now == 0 { 0.0 } else { self.entered as f64 / crate::time::as_secs_f64(now) * self.mean_wait_secs() }
    }

    /// Entries per second over the window in which they arrived, so that a
    /// drain after the producers stop does not dilute the arrival rate.
    pub fn arrival_rate(&self) -> f64 {
        let window = self.last_entry - self.first_entry.unwrap_or(0);
        if window == 0 { 0.0 } else { (self.entered - 1) as f64 / crate::time::as_secs_f64(window) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two entries waiting 1 s and 3 s in a line otherwise empty over 4 s:
    /// the area is their total wait, and L = λ·W over the whole span.
    #[test]
    fn area_is_the_sum_of_waits() {
        let s = 1_000_000_000;
        let mut w = WaitStats::default();
        w.enter(0, 0);
        w.enter(s, 1);
        w.leave(s, 2, 0);
        w.leave(4 * s, 1, s);
        assert_eq!(w.area, 4 * s as u128);
        assert_eq!(w.mean_length(4 * s, 0), 1.0);
        assert_eq!(w.mean_wait_secs(), 2.0);
        let lambda_over_run = w.entered as f64 / 4.0;
        assert_eq!(lambda_over_run * w.mean_wait_secs(), w.mean_length(4 * s, 0));
    }
}
