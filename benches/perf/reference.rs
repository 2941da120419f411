//! Minimal hand-written event loops, the yardsticks mqsim is measured against.
//!
//! They do the least a correct simulation of the same model can do: a
//! `BinaryHeap` of (time, sequence, event), one Xoshiro256++ stream (mqsim's
//! `SimRng`, which is nothing more) and exponential samples, with no ledger,
//! journal, trace hash or sampling. Time is integer nanoseconds, as in mqsim,
//! so both loops round the same way.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use mqsim::kernel::SimRng;
use mqsim::kernel::ziggurat::standard_exponential;

/// How a reference loop draws its exponentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Draw {
    /// By inversion, `-ln(u)`, with the pure-Rust `libm::log`: the minimal
    /// loop issue 7 describes, and the portable logarithm mqsim would have to
    /// use for inversion (ARCHITECTURE.md, rule 4).
    InverseLibm,
    /// By inversion with the platform's `f64::ln` (glibc's, with FMA here):
    /// faster, but not bit-identical across platforms, so not an option for mqsim.
    InversePlatform,
    /// By mqsim's own ziggurat (`kernel::ziggurat`), as the engine draws. With
    /// it the loop differs from the engine only by what the engine does
    /// besides sampling.
    Ziggurat,
}

/// One exponential draw with the given mean in nanoseconds.
#[inline]
pub fn exp_nanos(rng: &mut SimRng, mean: f64, draw: Draw) -> u64 {
    let unit = match draw {
        Draw::InverseLibm => -libm::log(rng.unit_open_zero()),
        Draw::InversePlatform => -rng.unit_open_zero().ln(),
        Draw::Ziggurat => standard_exponential(rng),
    };
    (unit * mean).round() as u64
}

/// What a reference M/M/c run did.
pub struct MmcOutcome {
    /// Arrivals plus departures.
    pub events: u64,
    pub served: u64,
    /// Mean time in the queue before service, in milliseconds (a sanity
    /// check against Erlang C, so that the loop is known to model the same
    /// system).
    pub mean_wait_ms: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Arrival,
    Departure,
}

/// An M/M/c queue: `customers` Poisson arrivals at `lambda` per second,
/// `servers` servers each serving at `mu` per second, FIFO, run until every
/// customer has been served.
pub fn mmc(lambda: f64, mu: f64, servers: u32, customers: u64, seed: u64, ln: Draw) -> MmcOutcome {
    let mut rng = SimRng::new(seed);
    let (gap_mean, service_mean) = (1e9 / lambda, 1e9 / mu);
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<_>, time: u64, kind: Kind| {
        heap.push(Reverse((time, seq, kind)));
        seq += 1;
    };
    push(&mut heap, 0, Kind::Arrival);
    let (mut arrived, mut served, mut busy, mut events) = (0u64, 0u64, 0u32, 0u64);
    let mut waiting: VecDeque<u64> = VecDeque::new();
    let mut total_wait = 0u64;
    while let Some(Reverse((now, _, kind))) = heap.pop() {
        events += 1;
        match kind {
            Kind::Arrival => {
                arrived += 1;
                if arrived < customers {
                    let next = now + exp_nanos(&mut rng, gap_mean, ln);
                    push(&mut heap, next, Kind::Arrival);
                }
                if busy < servers {
                    busy += 1;
                    let done = now + exp_nanos(&mut rng, service_mean, ln);
                    push(&mut heap, done, Kind::Departure);
                } else {
                    waiting.push_back(now);
                }
            }
            Kind::Departure => {
                served += 1;
                match waiting.pop_front() {
                    Some(since) => {
                        total_wait += now - since;
                        let done = now + exp_nanos(&mut rng, service_mean, ln);
                        push(&mut heap, done, Kind::Departure);
                    }
                    None => busy -= 1,
                }
            }
        }
    }
    MmcOutcome { events, served, mean_wait_ms: total_wait as f64 / served as f64 / 1e6 }
}

/// The hold model on a `BinaryHeap` of (time, sequence, payload): `pending`
/// timers, each rescheduled an exponential delay later when it fires, for
/// `events` pops. Returns a checksum of the popped times so that the work
/// cannot be optimised away.
pub fn hold_binary_heap(pending: usize, events: u64, seed: u64, timed: &mut dyn FnMut(bool)) -> u64 {
    let mut rng = SimRng::new(seed);
    let mean = super::HOLD_MEAN_NANOS;
    let mut heap = BinaryHeap::with_capacity(pending + 1);
    let mut seq = 0u64;
    for i in 0..pending as u64 {
        heap.push(Reverse((exp_nanos(&mut rng, mean, Draw::InversePlatform), seq, i)));
        seq += 1;
    }
    timed(true);
    let mut checksum = 0u64;
    for _ in 0..events {
        let Reverse((now, _, payload)) = heap.pop().expect("the hold model never runs dry");
        checksum = checksum.wrapping_add(now ^ payload);
        heap.push(Reverse((now + exp_nanos(&mut rng, mean, Draw::InversePlatform), seq, payload)));
        seq += 1;
    }
    timed(false);
    checksum
}
