//! The ledger: how many messages are in each state, right now.
//!
//! Every message is in exactly one state at every instant. The ledger counts
//! them by state and checks the one identity a learner can always rely on:
//! **produced = the sum over all states**. A message can never vanish from
//! the books; loss is a state ("lost"), not an absence.

use serde::Serialize;

/// Where a message is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MsgState {
    /// Created by a producer, on its way to the broker.
    Producing,
    /// In a queue, ready to be delivered.
    Stored,
    /// Held back until a due time (a delayed message or a retry backoff).
    Delayed,
    /// Delivered to a consumer and not yet acknowledged.
    InFlight,
    /// Processed and acknowledged: done. (Terminal.)
    Processed,
    /// Moved to a dead-letter queue after it could not be processed.
    DeadLettered,
    /// Its time-to-live ran out before anyone consumed it. (Terminal.)
    Expired,
    /// Discarded by a rule the system was configured with, such as a full
    /// queue's overflow policy. (Terminal.)
    Dropped,
    /// Gone by accident: a crash took it. (Terminal.)
    Lost,
}

impl MsgState {
    pub const ALL: [MsgState; 9] = [
        MsgState::Producing,
        MsgState::Stored,
        MsgState::Delayed,
        MsgState::InFlight,
        MsgState::Processed,
        MsgState::DeadLettered,
        MsgState::Expired,
        MsgState::Dropped,
        MsgState::Lost,
    ];

    /// A terminal message will never change state again, so its slot can be freed.
    pub fn is_terminal(self) -> bool {
        matches!(self, MsgState::Processed | MsgState::Expired | MsgState::Dropped | MsgState::Lost)
    }

    pub fn name(self) -> &'static str {
        match self {
            MsgState::Producing => "producing",
            MsgState::Stored => "stored",
            MsgState::Delayed => "delayed",
            MsgState::InFlight => "in_flight",
            MsgState::Processed => "processed",
            MsgState::DeadLettered => "dead_lettered",
            MsgState::Expired => "expired",
            MsgState::Dropped => "dropped",
            MsgState::Lost => "lost",
        }
    }
}

/// Counts of messages by state, plus the total ever produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    produced: u64,
    counts: [u64; MsgState::ALL.len()],
}

impl Ledger {
    /// A new message enters the books in `state`.
    pub fn enter(&mut self, state: MsgState) {
        self.produced += 1;
        self.counts[state as usize] += 1;
    }

    /// A message moves from one state to another.
    pub fn transition(&mut self, from: MsgState, to: MsgState) {
        self.counts[from as usize] -= 1;
        self.counts[to as usize] += 1;
    }

    pub fn produced(&self) -> u64 {
        self.produced
    }

    pub fn count(&self, state: MsgState) -> u64 {
        self.counts[state as usize]
    }

    /// Messages not yet in a terminal state.
    pub fn live(&self) -> u64 {
        MsgState::ALL.iter().filter(|s| !s.is_terminal()).map(|s| self.count(*s)).sum()
    }

    /// The books balance: every message produced is counted in exactly one state.
    pub fn balances(&self) -> bool {
        self.counts.iter().sum::<u64>() == self.produced
    }

    /// (state name, count) for every state, in a fixed order.
    pub fn by_state(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        MsgState::ALL.iter().map(|s| (s.name(), self.count(*s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Moving messages between states keeps produced = sum of states.
    #[test]
    fn transitions_keep_the_books_balanced() {
        let mut ledger = Ledger::default();
        for _ in 0..3 {
            ledger.enter(MsgState::Stored);
        }
        ledger.transition(MsgState::Stored, MsgState::InFlight);
        ledger.transition(MsgState::InFlight, MsgState::Processed);
        ledger.transition(MsgState::Stored, MsgState::Lost);
        assert!(ledger.balances());
        assert_eq!(ledger.produced(), 3);
        assert_eq!(ledger.count(MsgState::Stored), 1);
        assert_eq!(ledger.live(), 1);
    }
}
