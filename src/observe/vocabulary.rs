//! The vocabulary: every key the engine can put on a screen, by kind, so
//! that the page's strings can be checked against the engine rather than
//! against a list someone keeps by hand (the wasm API's `vocabulary()`, and
//! `mqsim vocabulary` for tests that run without a browser).
//!
//! Each list comes from the engine's own tables: `LIFE_KINDS` (which the
//! topology's event table uses), `MsgState::ALL`, the JSON readers' variant
//! tables (`read_enum!`'s `JSON_NAMES`, which cannot miss a variant), and
//! each enum's `ALL`. The tests below match on every variant of each enum,
//! so a variant added to one is a compile error there until its list has
//! it too.

use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::amqp::DeadReason;
use crate::scenario::Command;
use crate::ledger::MsgState;
use crate::observe::markers::{MarkerKind, Source, is_marker};
use crate::observe::topology::LIFE_KINDS;
use crate::observe::{Cause, LifeKind};
use crate::scenario::{AssignorKind, CommitMode, FaultAction};
use crate::theory::{Model, TheoryNote};

/// Every key the engine can show, grouped: named lists of names, in this
/// order (each list is described where `vocabulary` builds it).
/// Serialized as `{event_kinds: [...], states: [...], ...}`.
#[derive(Clone, Debug)]
pub struct Vocabulary {
    pub lists: Vec<(&'static str, Vec<&'static str>)>,
}

impl Vocabulary {
    /// The list called `name` (empty if there is none).
    pub fn list(&self, name: &str) -> &[&'static str] {
        self.lists.iter().find(|(n, _)| *n == name).map_or(&[], |(_, list)| list.as_slice())
    }
}

// One loop, so that the wasm module has one copy of the code that writes a list.
impl Serialize for Vocabulary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Vocabulary", self.lists.len())?;
        for (name, list) in &self.lists {
            out.serialize_field(name, list)?;
        }
        out.end()
    }
}

/// The names of `all`, in order.
fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| name(v)).collect()
}

/// The engine's vocabulary.
pub fn vocabulary() -> Vocabulary {
    // A marker's kind is a fault's name, a command's (a scheduled outage is
    // marked as the `service_down`/`service_up` command) or an event kind's.
    let mut marker_kinds: Vec<&'static str> = Vec::new();
    for &name in FaultAction::JSON_NAMES.iter().chain(Command::JSON_NAMES) {
        if !marker_kinds.contains(&name) {
            marker_kinds.push(name);
        }
    }
    for &kind in LIFE_KINDS {
        if is_marker(kind) {
            marker_kinds.push(MarkerKind::Event(kind).name());
        }
    }
    let mut reasons = vec![Cause::NONE];
    reasons.extend(names(&Cause::ALL, Cause::name));
    let lists = vec![
        // Journal event kinds (`LifeKind`), in declaration order. (The wasm
        // API's `kind` column is a code: `topology().events[code].kind` names it.)
        ("event_kinds", names(LIFE_KINDS, LifeKind::name)),
        // Message states (`MsgState`), the ledger's order.
        ("states", names(&MsgState::ALL, MsgState::name)),
        // Why a message was put back, indexed by the `reason` column's code:
        // `reasons[0]` is "none" (no reason), then each `Cause` at its code.
        ("reasons", reasons),
        // Live commands and scenario fault actions, as JSON names them.
        ("commands", Command::JSON_NAMES.to_vec()),
        ("faults", FaultAction::JSON_NAMES.to_vec()),
        // Every marker `kind`, and a marker's `source`.
        ("marker_kinds", marker_kinds),
        ("marker_sources", names(&Source::ALL, Source::name)),
        // The summary's `model` and theory `note` of a queue or Kafka group.
        ("models", names(&Model::ALL, Model::name)),
        ("theory_notes", names(&TheoryNote::ALL, TheoryNote::name)),
        // Why a message was dead-lettered (RabbitMQ's `x-death` reasons), as
        // the summary's `by_reason` and `deadLetters()` name them.
        ("dead_letter_reasons", names(&DeadReason::ALL, DeadReason::name)),
        // A Kafka group's commit mode (summary, commands) and assignor (summary).
        ("commit_modes", CommitMode::JSON_NAMES.to_vec()),
        ("assignors", AssignorKind::JSON_NAMES.to_vec()),
    ];
    Vocabulary { lists }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::topology::describe;

    /// `list` holds every value exactly once, at the place `ordinal` gives it.
    fn complete<T: Copy + PartialEq + std::fmt::Debug>(list: &[T], ordinal: fn(T) -> usize) {
        for (i, &value) in list.iter().enumerate() {
            assert_eq!(ordinal(value), i, "{value:?} is listed at {i}");
        }
    }

    /// Every `LifeKind` is in `LIFE_KINDS`: the match gives each variant its
    /// place, so a new variant fails to compile here, and once it has a
    /// place, the list must hold it there.
    #[test]
    fn every_event_kind_is_listed() {
        use LifeKind::*;
        fn ordinal(kind: LifeKind) -> usize {
            match kind {
                Published => 0, Delivered => 1, Acked => 2, Requeued => 3, DeadLetteredDeliveryLimit => 4,
                DeadLetteredMaxLength => 5, Dropped => 6, Lost => 7, ConsumerCrashed => 8, ConsumerRestarted => 9,
                Copied => 10, Unroutable => 11, Returned => 12, Missed => 13, Delayed => 14, Released => 15,
                RetryScheduled => 16, Retried => 17, DeadLetteredRejected => 18, DeadLetteredExpired => 19,
                Expired => 20, Replayed => 21, AckTimedOut => 22, AckLost => 23, StaleAck => 24,
                DuplicateEffect => 25, DedupHit => 26, PublishNacked => 27, Confirmed => 28, PublishFailed => 29,
                BrokerCrashed => 30, BrokerRestarted => 31, Replied => 32, RequestCompleted => 33,
                RequestTimedOut => 34, LateReply => 35, Blocked => 36, ConsumerStarted => 37, ConsumerStopped => 38,
                Declined => 39, Appended => 40, DuplicateAppended => 41, Reverted => 42, Truncated => 43,
                RetentionDeleted => 44, PartitionAdded => 45, KafkaBrokerCrashed => 46, KafkaBrokerRestarted => 47,
                BrokerFenced => 48, IsrShrunk => 49, IsrExpanded => 50, PartitionOffline => 51, LeaderElected => 52,
                UncleanLeaderElected => 53, LostInTransit => 54, NotEnoughReplicas => 55, Deduplicated => 56,
                ProduceRetried => 57, DeliveryFailed => 58, RebalanceStarted => 59, RebalanceCompleted => 60,
                SessionExpired => 61, MemberJoined => 62, MemberLeft => 63, MemberCrashed => 64, MemberPaused => 65,
                MemberResumed => 66, PartitionsRevoked => 67, OffsetReset => 68, Fetched => 69,
                ProcessingFailed => 70, Processed => 71, OutOfOrder => 72, ProcessedAgain => 73,
                ReturnedToLog => 74, SkippedByCommit => 75,
            }
        }
        complete(LIFE_KINDS, ordinal);
        assert_eq!(LIFE_KINDS.len(), 76);
        for &kind in LIFE_KINDS {
            assert_eq!(kind.name(), snake_case(&format!("{kind:?}")));
        }
    }

    /// `DeadLetteredMaxLength` → `dead_lettered_max_length`: what serde's
    /// `rename_all = "snake_case"` writes, which the hand-written name
    /// tables must match.
    fn snake_case(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    /// Every `MsgState` is in `MsgState::ALL`, and every state an event
    /// leaves a message in is one of them.
    #[test]
    fn every_state_is_listed() {
        use MsgState::*;
        complete(&MsgState::ALL, |s| match s {
            Producing => 0, Stored => 1, Delayed => 2, InFlight => 3, Processed => 4, DeadLettered => 5,
            Expired => 6, Dropped => 7, Lost => 8,
        });
        assert!(LIFE_KINDS.iter().filter_map(|&k| describe(k).state).all(|s| MsgState::ALL.contains(&s)));
    }

    /// Every cause is listed at its code, after "none" at 0.
    #[test]
    fn every_reason_is_listed_at_its_code() {
        complete(&Cause::ALL, |c| match c {
            Cause::ConsumerCrash => 0, Cause::ScaledIn => 1, Cause::ProcessingFailed => 2, Cause::AckTimeout => 3,
            Cause::LostAck => 4, Cause::BrokerCrash => 5,
        });
        let v = vocabulary();
        assert_eq!(v.list("reasons")[0], "none");
        for cause in Cause::ALL {
            assert_eq!(v.list("reasons")[cause as usize], cause.name());
            assert_eq!(serde_json::to_value(cause).unwrap(), cause.name());
        }
    }

    /// Every model, note, source and dead-letter reason is listed.
    #[test]
    fn every_small_enum_is_listed() {
        complete(&Model::ALL, |m| match m {
            Model::Mmc => 0, Model::Burst => 1, Model::None => 2,
        });
        for (name, debug) in TheoryNote::ALL.iter().map(|n| (n.name(), format!("{n:?}")))
            .chain(Model::ALL.iter().map(|m| (m.name(), format!("{m:?}"))))
            .chain(Source::ALL.iter().map(|s| (s.name(), format!("{s:?}"))))
            .chain(MsgState::ALL.iter().map(|s| (s.name(), format!("{s:?}"))))
        {
            assert_eq!(name, snake_case(&debug));
        }
        complete(&TheoryNote::ALL, |n| match n {
            TheoryNote::NotMarkovian => 0, TheoryNote::OneOffBurst => 1, TheoryNote::ConsumersChanged => 2,
            TheoryNote::RateChanged => 3, TheoryNote::ArrivalsVary => 4, TheoryNote::QueueLimits => 5,
            TheoryNote::BrokerCrashed => 6, TheoryNote::ServiceOutage => 7, TheoryNote::NoConsumers => 8,
            TheoryNote::NoData => 9, TheoryNote::KafkaPartitioned => 10, TheoryNote::KafkaMembersChanged => 11,
        });
        complete(&Source::ALL, |s| match s {
            Source::Fault => 0, Source::Action => 1, Source::Engine => 2,
        });
        complete(&DeadReason::ALL, |r| match r {
            DeadReason::Rejected => 0, DeadReason::Expired => 1, DeadReason::MaxLen => 2, DeadReason::DeliveryLimit => 3,
        });
    }

    /// The vocabulary is JSON lists of distinct strings; marker kinds hold
    /// each fault, each command and the event kinds the engine marks.
    #[test]
    fn the_vocabulary_is_lists_of_distinct_names() {
        let v = serde_json::to_value(vocabulary()).unwrap();
        for (list, names) in v.as_object().unwrap() {
            let names: Vec<&str> = names.as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{list} repeats a name");
            assert!(names.iter().all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_')), "{list}: {names:?}");
        }
        let markers = &v["marker_kinds"];
        for name in ["crash_consumer", "set_rate", "join_group", "service_down", "member_joined", "rebalance_started"] {
            assert!(markers.as_array().unwrap().iter().any(|m| m == name), "{name}");
        }
        assert_eq!(v["commands"][0], "set_rate");
        assert_eq!(v["event_kinds"].as_array().unwrap().len(), 76);
    }
}
