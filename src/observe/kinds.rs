//! How to read each kind of journal event: what its `node` refers to,
//! whether it is about a message, and the state it leaves the message in.
//! A table of the observation vocabulary, below the families, so that the
//! recorder (the watch list, the markers) can use it; the topology and the
//! page read it too (`observe::topology` re-exports it).

use serde::Serialize;

use crate::ledger::MsgState;
use crate::observe::LifeKind;

/// What the `node` index of a journal event refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A queue's index.
    Queue,
    /// A consumer instance's index.
    Consumer,
    /// A producer's index.
    Producer,
    /// A Kafka partition's index (in `Sim::kafka().partitions`, the
    /// `index` of a topic node's `PartitionView`).
    Partition,
    /// A Kafka group member's index (a consumer group node's `MemberView`).
    Member,
    /// A Kafka consumer group's index.
    Group,
    /// A log-family producer's index (a producer node's `kafka_index`).
    KafkaProducer,
    /// A Kafka broker's id.
    Broker,
    /// Something the drawing does not locate (the AMQP broker, or a record
    /// truncated either at its partition or in its producer's batch); the
    /// event is counted but not animated.
    Other,
}

/// How to read one kind of journal event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EventInfo {
    pub kind: LifeKind,
    /// What `node` refers to.
    pub at: Subject,
    /// The event is about a message (`msg` is its id); otherwise about a node.
    pub message: bool,
    /// The state the message is in right after the event.
    pub state: Option<MsgState>,
}

/// Every `LifeKind`. A new kind must be added here and in [`describe`]
/// (whose match the compiler checks).
pub const LIFE_KINDS: &[LifeKind] = {
    use LifeKind::*;
    &[
        Published, Delivered, Acked, Requeued, DeadLetteredDeliveryLimit, DeadLetteredMaxLength, Dropped, Lost,
        ConsumerCrashed, ConsumerRestarted, Copied, Unroutable, Returned, Missed, Delayed, Released, RetryScheduled,
        Retried, DeadLetteredRejected, DeadLetteredExpired, Expired, Replayed, AckTimedOut, AckLost, StaleAck,
        DuplicateEffect, DedupHit, PublishNacked, Confirmed, PublishFailed, BrokerCrashed, BrokerRestarted, Replied,
        RequestCompleted, RequestTimedOut, LateReply, Blocked, ConsumerStarted, ConsumerStopped, Declined, Appended,
        DuplicateAppended, Reverted, Truncated, RetentionDeleted, PartitionAdded, KafkaBrokerCrashed,
        KafkaBrokerRestarted, BrokerFenced, IsrShrunk, IsrExpanded, PartitionOffline, LeaderElected,
        UncleanLeaderElected, LostInTransit, NotEnoughReplicas, Deduplicated, ProduceRetried, DeliveryFailed,
        RebalanceStarted, RebalanceCompleted, SessionExpired, MemberJoined, MemberLeft, MemberCrashed, MemberPaused,
        MemberResumed, PartitionsRevoked, OffsetReset, Fetched, ProcessingFailed, Processed, OutOfOrder,
        ProcessedAgain, ReturnedToLog, SkippedByCommit,
    ]
};

/// What a journal event of this kind refers to and leaves its message in.
pub fn describe(kind: LifeKind) -> EventInfo {
    use LifeKind::*;
    use MsgState as S;
    use Subject::{Broker, Consumer, Group, KafkaProducer, Member, Other, Partition, Producer, Queue};
    // (what `node` is, the state the message is left in, it is about a message)
    let (at, state, message) = match kind {
        Published | Requeued | Copied | Released | Retried | Replayed | AckTimedOut | Replied => {
            (Queue, Some(S::Stored), true)
        }
        Delivered => (Consumer, Some(S::InFlight), true),
        Acked => (Consumer, Some(S::Processed), true),
        // `node` is the dead-letter queue the message moved into.
        DeadLetteredDeliveryLimit | DeadLetteredMaxLength | DeadLetteredRejected | DeadLetteredExpired => {
            (Queue, Some(S::DeadLettered), true)
        }
        Dropped | Unroutable | PublishNacked => (Queue, Some(S::Dropped), true),
        Returned => (Producer, Some(S::Dropped), true),
        Lost => (Consumer, Some(S::Lost), true),
        Expired => (Queue, Some(S::Expired), true),
        Delayed => (Producer, Some(S::Delayed), true),
        RetryScheduled => (Queue, Some(S::Delayed), true),
        PublishFailed => (Producer, Some(S::Lost), true),
        Blocked => (Queue, Some(S::Producing), true),
        Missed => (Queue, None, true),
        AckLost | StaleAck | DuplicateEffect | DedupHit | Declined => (Consumer, None, true),
        Confirmed | RequestCompleted | RequestTimedOut | LateReply => (Producer, None, true),
        ConsumerCrashed | ConsumerRestarted | ConsumerStarted | ConsumerStopped => (Consumer, None, false),
        BrokerCrashed | BrokerRestarted => (Other, None, false),
        // The log family.
        Appended | ReturnedToLog => (Partition, Some(S::Stored), true),
        // Truncated before its producer's answer: the producer holds it again.
        Reverted => (Partition, Some(S::Producing), true),
        RetentionDeleted => (Partition, Some(S::Expired), true),
        OffsetReset => (Partition, Some(S::Dropped), true),
        SkippedByCommit => (Partition, Some(S::Lost), true),
        DuplicateAppended | NotEnoughReplicas | Deduplicated => (Partition, None, true),
        Fetched => (Member, Some(S::InFlight), true),
        Processed => (Member, Some(S::Processed), true),
        ProcessingFailed | OutOfOrder | ProcessedAgain => (Member, None, true),
        LostInTransit | DeliveryFailed => (KafkaProducer, Some(S::Lost), true),
        ProduceRetried => (KafkaProducer, None, true),
        // A truncated record's `node` is its partition when the log lost it
        // and its producer when the batch did, so it is not located.
        Truncated => (Other, Some(S::Lost), true),
        PartitionAdded | IsrShrunk | IsrExpanded | PartitionOffline | LeaderElected | UncleanLeaderElected => {
            (Partition, None, false)
        }
        KafkaBrokerCrashed | KafkaBrokerRestarted | BrokerFenced => (Broker, None, false),
        RebalanceStarted | RebalanceCompleted => (Group, None, false),
        SessionExpired | MemberJoined | MemberLeft | MemberCrashed | MemberPaused | MemberResumed | PartitionsRevoked => {
            (Member, None, false)
        }
    };
    EventInfo { kind, at, message, state }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind is listed once and described as itself.
    #[test]
    fn every_life_kind_is_listed_once() {
        let mut codes: Vec<usize> = LIFE_KINDS.iter().map(|&k| k as usize).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), LIFE_KINDS.len());
        assert!(LIFE_KINDS.iter().all(|&k| describe(k).kind == k));
        assert!(!describe(LifeKind::MemberJoined).message && describe(LifeKind::Processed).message);
    }
}
