//! The pending-event set, ordered by (simulated time, scheduling sequence).
//!
//! Two events at the same instant run in the order they were scheduled. That
//! rule, together with integer time, is what makes a run reproducible: no
//! ordering ever depends on a hash, an address or a float comparison.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// One scheduled event. Ordered by time, then by the sequence number handed
/// out when it was scheduled; the payload never takes part in the order.
struct Entry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that the max-heap `BinaryHeap` pops the earliest entry.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// The clock and the future-event list.
pub struct Scheduler<E> {
    now: SimTime,
    next_seq: u64,
    heap: BinaryHeap<Entry<E>>,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Scheduler<E> {
    pub fn new() -> Self {
        Scheduler { now: 0, next_seq: 0, heap: BinaryHeap::new() }
    }

    /// The current simulated time: the time of the event last popped.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at absolute time `at`. An instant in the past is
    /// clamped to now, so that time can never run backwards.
    pub fn at(&mut self, at: SimTime, event: E) {
        let time = at.max(self.now);
        self.heap.push(Entry { time, seq: self.next_seq, event });
        self.next_seq += 1;
    }

    /// Schedules `event` after `delay`, saturating at the end of representable time.
    pub fn after(&mut self, delay: SimTime, event: E) {
        self.at(self.now.saturating_add(delay), event);
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|entry| entry.time)
    }

    /// Removes the next event and advances the clock to its time.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let entry = self.heap.pop()?;
        self.now = entry.time;
        Some((entry.time, entry.event))
    }

    /// Advances the clock to `time` without running anything (used by "run
    /// until T" when nothing is due before T).
    pub fn advance_to(&mut self, time: SimTime) {
        self.now = self.now.max(time);
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Events come out in time order whatever order they went in.
    #[test]
    fn pops_in_time_order() {
        let mut s = Scheduler::new();
        for t in [30, 10, 20] {
            s.at(t, t);
        }
        let times: Vec<_> = std::iter::from_fn(|| s.pop().map(|(t, _)| t)).collect();
        assert_eq!(times, [10, 20, 30]);
    }

    /// Simultaneous events run in the order they were scheduled.
    #[test]
    fn ties_break_by_scheduling_order() {
        let mut s = Scheduler::new();
        for name in ["a", "b", "c", "d"] {
            s.at(5, name);
        }
        let order: Vec<_> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }

    /// Scheduling into the past lands at now, so the clock never goes backwards.
    #[test]
    fn the_past_is_clamped_to_now() {
        let mut s = Scheduler::new();
        s.at(100, "first");
        s.pop();
        s.at(40, "late");
        assert_eq!(s.pop(), Some((100, "late")));
        assert_eq!(s.now(), 100);
    }
}
