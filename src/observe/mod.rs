//! What the simulation lets you see: the journal of lifecycle events, the
//! trace hash over them, the markers kept for the whole run, the sampled time
//! series, latency statistics, the vocabulary of keys it all uses, and (for
//! history checkers) the log family's history of offsets.
//!
//! Observation never changes the simulation: nothing here draws from the
//! random stream or schedules an event.

pub mod history;
pub mod journal;
pub mod kinds;
pub mod latency;
pub mod markers;
pub mod series;
pub mod topology;
pub mod trace;
pub mod watch;
pub mod vocabulary;
pub mod wait;

pub use history::{Fact, History, HistoryEvent};
pub use journal::{Cause, Journal, LifeEvent, LifeKind};
pub use latency::LatencyStats;
pub use markers::{Marker, Markers};
pub use series::Series;
pub use topology::Topology;
pub use trace::TraceHash;
pub use vocabulary::{Vocabulary, vocabulary};
pub use wait::WaitStats;
