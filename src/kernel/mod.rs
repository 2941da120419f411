//! The simulation kernel: a clock, an ordered event queue, one seeded random
//! stream and the distributions sampled from it.
//!
//! The kernel knows nothing about brokers or messages. Like SimPy's core it
//! offers only "now", "schedule at", and "pop the next event"; the engine in
//! `crate::engine` gives the events meaning.

pub mod arrivals;
pub mod dist;
pub mod profile;
pub mod rate_limit;
pub mod rng;
pub mod scheduler;
pub mod ziggurat;

pub use arrivals::ArrivalProcess;
pub use dist::Dist;
pub use rng::SimRng;
pub use scheduler::Scheduler;

/// Sorts triples ascending, lexicographically. The sort that the few sorts
/// outside the hot loop share: each element type and order would otherwise
/// bring its own copy of the algorithm (2 to 3 KB of the wasm module). It is
/// unstable: callers' triples are distinct, or equal ones interchangeable.
#[inline(never)]
pub fn sort_triples(triples: &mut [(u64, u64, u64)]) {
    triples.sort_unstable();
}
