//! The simulation kernel: a clock, an ordered event queue, one seeded random
//! stream and the distributions sampled from it.
//!
//! The kernel knows nothing about brokers or messages. Like SimPy's core it
//! offers only "now", "schedule at", and "pop the next event"; the engine in
//! `crate::engine` gives the events meaning.

pub mod dist;
pub mod profile;
pub mod rate_limit;
pub mod rng;
pub mod scheduler;
pub mod ziggurat;

pub use dist::Dist;
pub use rng::SimRng;
pub use scheduler::Scheduler;
