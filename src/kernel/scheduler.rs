//! The pending-event set, ordered by (simulated time, scheduling sequence).
//!
//! Two events at the same instant run in the order they were scheduled. That
//! rule, together with integer time, is what makes a run reproducible: no
//! ordering ever depends on a hash, an address or a float comparison.
//!
//! # Why a radix heap
//!
//! A discrete-event simulation never schedules into the past: every new event
//! is due at or after the last one popped. A *monotone* priority queue can use
//! that. The radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) files each
//! event in one of 64 buckets by the highest bit in which its time differs
//! from `last`, the time of the last event popped. An event only ever moves
//! to a lower bucket, so it is touched at most 64 times in its life however
//! many others are pending, and all the work is appends to `Vec`s and linear
//! scans, which caches love. A binary heap instead pays a cache miss per level
//! of a tree that, with a million pending timers, no longer fits in cache: the
//! issue that motivated this measured a binary heap falling from about 15 M to
//! 0.9 M events/s between 10 and 1 M pending, and a radix heap keeping about
//! 5.7 M. `BENCHMARKS.md` has this machine's figures.
//!
//! # Why ties need no sequence number
//!
//! Events due at the same instant must come out in scheduling order. Here
//! that order is kept by construction rather than by storing a sequence
//! number: every bucket is a list in scheduling order. An event scheduled now
//! is the newest of all, so appending it keeps its bucket in order; and when
//! the lowest non-empty bucket is split into the (then empty) buckets below
//! it, walking it front to back gives each of them a subsequence of an
//! ordered list, which is ordered. Events due exactly at `last` are split
//! into `current`, a FIFO, and popped from its front. The randomized test at
//! the end of this file checks the claim against a binary heap on
//! (time, sequence).

use std::collections::VecDeque;

use crate::time::SimTime;

/// One bucket per bit of a `SimTime`.
const BUCKETS: usize = 64;

/// The clock and the future-event list.
pub struct Scheduler<E> {
    now: SimTime,
    /// The radix heap's reference point: the time of the events in `current`,
    /// and of the event last popped. Never after `now`, so every event that
    /// can still be scheduled is due at or after it.
    last: SimTime,
    /// Events due exactly at `last`, in scheduling order.
    current: VecDeque<E>,
    /// `buckets[i]` holds the events whose time first differs from `last` at
    /// bit `i` (counting from the least significant), in scheduling order.
    buckets: [Vec<(SimTime, E)>; BUCKETS],
    /// The earliest time in each bucket (`SimTime::MAX` when it is empty), so
    /// that `peek_time` is O(1) and splitting a bucket needs no separate pass
    /// to find its minimum.
    mins: [SimTime; BUCKETS],
    /// Bit `i` is set exactly when `buckets[i]` is not empty.
    occupied: u64,
    len: usize,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Scheduler<E> {
    pub fn new() -> Self {
        Scheduler {
            now: 0,
            last: 0,
            current: VecDeque::new(),
            buckets: std::array::from_fn(|_| Vec::new()),
            mins: [SimTime::MAX; BUCKETS],
            occupied: 0,
            len: 0,
        }
    }

    /// The current simulated time: the time of the event last popped.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at absolute time `at`. An instant in the past is
    /// clamped to now, so that time can never run backwards.
    #[inline]
    pub fn at(&mut self, at: SimTime, event: E) {
        let time = at.max(self.now);
        // `last <= now <= time`: the radix heap's monotonicity holds.
        self.file(time, event);
        self.len += 1;
    }

    /// Schedules `event` after `delay`, saturating at the end of representable time.
    #[inline]
    pub fn after(&mut self, delay: SimTime, event: E) {
        self.at(self.now.saturating_add(delay), event);
    }

    /// The time of the next event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        if !self.current.is_empty() {
            Some(self.last)
        } else if self.occupied != 0 {
            Some(self.mins[self.occupied.trailing_zeros() as usize])
        } else {
            None
        }
    }

    /// Removes the next event and advances the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_due(SimTime::MAX)
    }

    /// `pop`, if the next event is due at or before `limit`: what `peek_time`
    /// and then `pop` do, without finding the next event twice.
    #[inline]
    pub fn pop_due(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        if self.current.is_empty() {
            if self.occupied == 0 {
                return None;
            }
            let i = self.occupied.trailing_zeros() as usize;
            if self.mins[i] > limit {
                return None;
            }
            if self.buckets[i].len() == 1 {
                // The lowest bucket holds just the next event: it can be taken
                // out directly, with nothing to redistribute. With few pending
                // events, times rarely tie, and this is the common case.
                let (time, event) = self.buckets[i].pop()?;
                self.occupied &= !(1u64 << i);
                self.mins[i] = SimTime::MAX;
                self.last = time;
                self.now = time;
                self.len -= 1;
                return Some((time, event));
            }
            let event = self.split_bucket(i);
            self.len -= 1;
            self.now = self.last;
            return Some((self.last, event));
        } else if self.last > limit {
            return None;
        }
        let event = self.current.pop_front()?;
        self.len -= 1;
        self.now = self.last;
        Some((self.last, event))
    }

    /// Advances the clock to `time` without running anything (used by "run
    /// until T" when nothing is due before T).
    pub fn advance_to(&mut self, time: SimTime) {
        self.now = self.now.max(time);
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Puts an event due at `time` (not before `last`) where it belongs.
    #[inline]
    fn file(&mut self, time: SimTime, event: E) {
        debug_assert!(time >= self.last, "a radix heap cannot take an event before its last pop");
        if time == self.last {
            self.current.push_back(event);
            return;
        }
        let i = bucket_of(time, self.last);
        // Branch-free: an empty bucket's minimum is `SimTime::MAX`.
        self.occupied |= 1u64 << i;
        self.mins[i] = self.mins[i].min(time);
        self.buckets[i].push((time, event));
    }

    /// Makes the earliest pending time the new `last`, takes the next event
    /// out of the lowest non-empty bucket, `i`, and redistributes the rest
    /// below it: other events due at `last` into `current`, the others into
    /// lower buckets. Called only when `current` is empty. Kept out of line so
    /// that `pop`'s common cases inline.
    #[inline(never)]
    fn split_bucket(&mut self, i: usize) -> E {
        let last = std::mem::replace(&mut self.mins[i], SimTime::MAX);
        self.last = last;
        self.occupied &= !(1u64 << i);
        // Taken out and put back so that the bucket keeps its allocation.
        let mut bucket = std::mem::take(&mut self.buckets[i]);
        let mut events = bucket.drain(..);
        // Every event of bucket i shares the bits above i with the new
        // `last`, so it lands in `current` or a bucket below i. The bucket is
        // in scheduling order, so its first event due at `last` is the next
        // of all; it is returned rather than passed through `current`.
        let next = loop {
            let Some((time, event)) = events.next() else {
                unreachable!("a bucket holds an event due at its minimum");
            };
            if time == last {
                break event;
            }
            self.file(time, event);
        };
        for (time, event) in events {
            self.file(time, event);
        }
        self.buckets[i] = bucket;
        next
    }
}

/// The bucket of an event due at `time` when the last pop was at `last`:
/// the index of the highest bit in which the two differ.
#[inline]
fn bucket_of(time: SimTime, last: SimTime) -> usize {
    // The mask is a no-op for `time != last`; it lets the compiler see that
    // the index is in bounds.
    ((BUCKETS - 1) - (time ^ last).leading_zeros() as usize) & (BUCKETS - 1)
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    use super::*;
    use crate::kernel::SimRng;

    fn drain<E>(s: &mut Scheduler<E>) -> Vec<(SimTime, E)> {
        std::iter::from_fn(|| s.pop()).collect()
    }

    /// Events come out in time order whatever order they went in.
    #[test]
    fn pops_in_time_order() {
        let mut s = Scheduler::new();
        for t in [30, 10, 20] {
            s.at(t, t);
        }
        let times: Vec<_> = drain(&mut s).into_iter().map(|(t, _)| t).collect();
        assert_eq!(times, [10, 20, 30]);
    }

    /// Simultaneous events run in the order they were scheduled.
    #[test]
    fn ties_break_by_scheduling_order() {
        let mut s = Scheduler::new();
        for name in ["a", "b", "c", "d"] {
            s.at(5, name);
        }
        let order: Vec<_> = drain(&mut s).into_iter().map(|(_, e)| e).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }

    /// Tied events scheduled at different moments, via different buckets, keep scheduling order.
    #[test]
    fn ties_scheduled_at_different_moments_keep_their_order() {
        let mut s = Scheduler::new();
        s.at(1000, "early");
        s.at(3, "step");
        assert_eq!(s.pop(), Some((3, "step")));
        s.at(1000, "later");
        s.at(999, "before");
        assert_eq!(s.pop(), Some((999, "before")));
        s.at(1000, "latest");
        assert_eq!(drain(&mut s), [(1000, "early"), (1000, "later"), (1000, "latest")]);
    }

    /// An event scheduled for now, while others are due now, runs after them.
    #[test]
    fn scheduling_for_now_queues_behind_what_is_already_due() {
        let mut s = Scheduler::new();
        s.at(10, "a");
        s.at(10, "b");
        assert_eq!(s.pop(), Some((10, "a")));
        s.after(0, "c");
        assert_eq!(drain(&mut s), [(10, "b"), (10, "c")]);
    }

    /// Pushes and pops interleave as in a simulation, with `len`, `peek_time` and `now` following.
    #[test]
    fn interleaved_pushes_and_pops() {
        let mut s = Scheduler::new();
        s.at(50, 'a');
        s.at(20, 'b');
        assert_eq!((s.len(), s.peek_time()), (2, Some(20)));
        assert_eq!(s.pop(), Some((20, 'b')));
        assert_eq!(s.now(), 20);
        s.after(5, 'c');
        s.after(100, 'd');
        assert_eq!((s.len(), s.peek_time()), (3, Some(25)));
        assert_eq!(s.pop(), Some((25, 'c')));
        assert_eq!(s.pop(), Some((50, 'a')));
        s.at(60, 'e');
        assert_eq!(drain(&mut s), [(60, 'e'), (120, 'd')]);
        assert!(s.is_empty());
        assert_eq!((s.pop(), s.peek_time(), s.now()), (None, None, 120));
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

    /// After `advance_to`, the past is clamped to the advanced clock.
    #[test]
    fn advancing_the_clock_moves_the_clamp() {
        let mut s = Scheduler::new();
        s.advance_to(500);
        s.at(40, "late");
        s.at(600, "later");
        assert_eq!(drain(&mut s), [(500, "late"), (600, "later")]);
    }

    /// A delay past the end of representable time saturates instead of wrapping.
    #[test]
    fn delays_saturate_at_the_end_of_time() {
        let mut s = Scheduler::new();
        s.at(SimTime::MAX - 1, "almost");
        s.pop();
        s.after(10, "never");
        s.after(0, "now");
        assert_eq!(drain(&mut s), [(SimTime::MAX - 1, "now"), (SimTime::MAX, "never")]);
    }

    /// `pop_due` pops what is due by its limit and nothing else, whether the
    /// next event is alone in its bucket or waits in `current`.
    #[test]
    fn pop_due_stops_at_the_limit() {
        let mut s = Scheduler::new();
        s.at(10, 'a');
        s.at(10, 'b');
        s.at(30, 'c');
        assert_eq!(s.pop_due(9), None);
        assert_eq!(s.pop_due(10), Some((10, 'a')));
        assert_eq!(s.pop_due(9), None, "'b' waits in current, due at 10");
        assert_eq!(s.pop_due(10), Some((10, 'b')));
        assert_eq!(s.pop_due(29), None);
        assert_eq!((s.now(), s.len()), (10, 1));
        assert_eq!(s.pop_due(30), Some((30, 'c')));
        assert_eq!(s.pop_due(SimTime::MAX), None);
    }

    /// Random schedules, pops and advances agree step for step with a binary heap on (time, seq).
    #[test]
    fn agrees_with_a_binary_heap_over_random_operations() {
        for seed in 0..20 {
            let mut rng = SimRng::new(seed);
            let mut s = Scheduler::new();
            let mut reference = BinaryHeap::new();
            let (mut now, mut seq) = (0u64, 0u64);
            for _ in 0..20_000 {
                let roll = rng.next_u64() % 100;
                if roll < 55 {
                    // Delays from "now" to "a long time", many of them equal,
                    // so that ties and every bucket get exercised.
                    let delay = match rng.next_u64() % 5 {
                        0 => 0,
                        1 => rng.next_u64() % 4,
                        2 => rng.next_u64() % 1_000,
                        3 => rng.next_u64() % 1_000_000_000,
                        _ => rng.next_u64() >> (rng.next_u64() % 64),
                    };
                    // Sometimes ask for an instant in the past, to be clamped.
                    let at = if roll < 5 { now.saturating_sub(delay) } else { now.saturating_add(delay) };
                    s.at(at, seq);
                    reference.push(Reverse((at.max(now), seq)));
                    seq += 1;
                } else if roll < 97 {
                    let want = reference.pop().map(|Reverse((t, q))| (t, q));
                    if let Some((t, _)) = want {
                        now = t;
                    }
                    assert_eq!(s.pop(), want, "seed {seed}");
                } else {
                    // Advance only to before the next event, as `run_until` does.
                    let limit = reference.peek().map_or(u64::MAX, |Reverse((t, _))| *t);
                    let to = now.saturating_add(rng.next_u64() % 1_000).min(limit);
                    now = now.max(to);
                    s.advance_to(to);
                }
                assert_eq!(s.len(), reference.len(), "seed {seed}");
                assert_eq!(s.peek_time(), reference.peek().map(|Reverse((t, _))| *t), "seed {seed}");
                assert_eq!(s.now(), now, "seed {seed}");
            }
            while let Some(Reverse(want)) = reference.pop() {
                assert_eq!(s.pop(), Some(want), "seed {seed}");
            }
            assert!(s.is_empty());
        }
    }
}
