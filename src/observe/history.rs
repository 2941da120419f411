//! The log family's history: facts about offsets that the journal's events
//! do not carry — which offset a leader gave each record, where an election
//! cut a log back and whether it was unclean, which records a producer was
//! told were written, which offsets groups committed and where their
//! positions were reset, and at which offset each record was processed.
//!
//! History checkers in the spirit of Jepsen's and Maelstrom's Kafka
//! workloads (`tests/kafka_support/history.rs`) replay these facts against
//! a model of each partition's log to check what Kafka promises: no
//! acknowledged write lost but by an unclean election, no offset given to
//! two records, committed offsets that never go back unless a reset says
//! so, no record skipped by a group that commits after processing.
//!
//! Facts are kept only when a caller asks for them (`Sim::with_history`),
//! never by the page or a headless run. Like the journal they are
//! observation: recording them draws nothing from the random stream,
//! schedules nothing, and is not part of the trace hash.

use serde::Serialize;

use crate::scenario::{Acks, CommitMode};
use crate::time::SimTime;

/// One fact. `partition` is a global partition index (into
/// `Sim::kafka().partitions`), `group` a consumer group index, `producer` a
/// log-family producer index and `member` a group member index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Fact {
    /// The leader appended record `msg` of `producer` at `offset` (a
    /// non-idempotent retry appends a record it already has again, at a
    /// new offset).
    Appended { partition: u32, offset: u64, msg: u64, producer: u32 },
    /// An election cut the log back to `leo`: every offset from `leo` on is
    /// gone, and the next append gets `leo`. `unclean`: the new leader was
    /// not in sync.
    Truncated { partition: u32, leo: u64, unclean: bool },
    /// Retention deleted the record at `offset`, the head of the log.
    Deleted { partition: u32, offset: u64 },
    /// The producer received a success for record `msg`'s batch, sent with
    /// `acks`: the record is acknowledged.
    Acked { producer: u32, msg: u64, acks: Acks },
    /// Group `group` committed `offset` for `partition` (the next offset it
    /// will read), committing as `mode` says.
    Committed { group: u32, partition: u32, offset: u64, mode: CommitMode },
    /// An unclean election left `partition` shorter than the group's
    /// committed offset, which moved down to the new log end `offset`.
    CommitMoved { group: u32, partition: u32, offset: u64 },
    /// The group's position for `partition` had no committed offset or one
    /// out of the log's range, and `auto_offset_reset` set it to `offset`:
    /// with `latest`, the group skips every record before it.
    PositionReset { group: u32, partition: u32, offset: u64 },
    /// Member `member` of `group` processed record `msg` at `offset`: the
    /// group's first processing of that copy, or (`again`) a record the
    /// group had processed before.
    Processed { group: u32, partition: u32, offset: u64, msg: u64, member: u32, again: bool },
}

/// A fact and when it became true.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEvent {
    pub t: SimTime,
    #[serde(flatten)]
    pub fact: Fact,
}

/// The facts recorded since the last drain, if anyone asked for them.
#[derive(Default)]
pub struct History {
    on: bool,
    events: Vec<HistoryEvent>,
}

impl History {
    /// From now on, keep facts.
    pub fn enable(&mut self) {
        self.on = true;
    }

    /// Facts are being kept.
    #[inline(always)]
    pub fn enabled(&self) -> bool {
        self.on
    }

    pub fn push(&mut self, t: SimTime, fact: Fact) {
        if self.on {
            self.events.push(HistoryEvent { t, fact });
        }
    }

    /// Takes every fact recorded since the last drain.
    pub fn drain(&mut self) -> Vec<HistoryEvent> {
        std::mem::take(&mut self.events)
    }
}
