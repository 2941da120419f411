//! The journal: a bounded ring of the most recent lifecycle events, which the
//! page drains every frame to animate messages.
//!
//! The ring is bounded so that memory does not grow with the length of a run;
//! a reader that falls behind loses the oldest entries, and the journal counts
//! how many it dropped so that the page can switch to aggregate drawing.

use std::collections::VecDeque;

use serde::Serialize;

use crate::time::SimTime;

/// What happened to a message (or, for the fault kinds, to a node).
/// Serialized as its snake_case name (`LifeKind::name`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifeKind {
    /// A producer published it into a queue.
    Published,
    /// The broker delivered it to a consumer.
    Delivered,
    /// The consumer processed and acknowledged it.
    Acked,
    /// It went back to its place in its queue (nack with requeue, or its
    /// consumer crashed before acking).
    Requeued,
    /// Moved to a dead-letter queue because it was rejected too many times.
    DeadLetteredDeliveryLimit,
    /// Moved to a dead-letter queue because its queue was full (drop-head).
    DeadLetteredMaxLength,
    /// Discarded by configuration (overflow, or a dead letter with nowhere to go).
    Dropped,
    /// Lost by accident (auto-ack consumer crashed or failed while holding it).
    Lost,
    /// A consumer instance crashed (`msg` is unused).
    ConsumerCrashed,
    /// A consumer instance came back (`msg` is unused).
    ConsumerRestarted,
    /// A new ledger copy of a message, stored in one more queue its exchange
    /// routed it to (`origin` is the original's id).
    Copied,
    /// No queue took it, and it was dropped.
    Unroutable,
    /// No queue took it, and it went back to its mandatory publisher (`basic.return`).
    Returned,
    /// An exclusive queue's subscriber was offline, so that queue got no copy
    /// (no state change; `node` is the queue).
    Missed,
    /// The broker holds it until `due` before routing it (a delayed message;
    /// `node` is the producer).
    Delayed,
    /// A delayed message's due time came and it was routed.
    Released,
    /// Processing failed and it is held until `due` for a retry (`node` is its queue).
    RetryScheduled,
    /// Its retry time came and it went back to the tail of its queue.
    Retried,
    /// Moved to a dead-letter queue because a consumer rejected it without
    /// requeue, or its retries ran out (reason `rejected`).
    DeadLetteredRejected,
    /// Moved to a dead-letter queue because its TTL ran out (reason `expired`).
    DeadLetteredExpired,
    /// Its TTL ran out and it was discarded (no dead-letter queue).
    Expired,
    /// Moved from a dead-letter queue back to the queue it came from.
    Replayed,
    /// Its ack did not come within the ack timeout, so the broker took it
    /// back to its place in the queue.
    AckTimedOut,
    /// The consumer did the work and acked, but the ack never reached the
    /// broker (no state change).
    AckLost,
    /// The consumer did the work after the broker had taken the delivery
    /// back; its ack went nowhere (no state change).
    StaleAck,
    /// A side effect ran for a message whose side effect had already run (no state change).
    DuplicateEffect,
    /// An idempotent consumer recognised the id and skipped the side effect (no state change).
    DedupHit,
    /// A full `reject-publish` queue refused it and nacked its confirming publisher.
    PublishNacked,
    /// The broker confirmed it to its publisher (`basic.ack`): it is enqueued,
    /// and on disk if persistent (`node` is the producer; no state change).
    Confirmed,
    /// The broker was down, so publishing it failed (`node` is the producer).
    PublishFailed,
    /// The queue family's broker crashed (`msg` is unused).
    BrokerCrashed,
    /// The broker came back (`msg` is unused).
    BrokerRestarted,
    /// A server published this reply to a request (`origin` is the request's id).
    Replied,
    /// A reply reached its requester in time (`msg` is the request's id; no state change).
    RequestCompleted,
    /// A requester gave up waiting (`msg` is the request's id, `node` the
    /// producer; no state change).
    RequestTimedOut,
    /// A reply arrived for a request nobody waits for any more (no state change).
    LateReply,
    /// A publish into a full queue with `overflow: block` waits for room.
    Blocked,
    /// The autoscaler added a consumer instance, now taking work.
    ConsumerStarted,
    /// A consumer instance the autoscaler removed has finished and left.
    ConsumerStopped,
    /// A choreographed step was declined (a business outcome): the consumer
    /// publishes the decline event that starts the compensations.
    Declined,

    // The log family (Kafka). Their discriminants are fixed, from 100, so
    // that the trace hashes of Kafka presets do not depend on how many
    // kinds other families add above. `node` is a partition index (in
    // `Sim::kafka().partitions`) for record events at a partition, a group
    // member index for consumer events, a log-family producer index for
    // producer events, a broker for broker events and a group index for
    // rebalance events; `key` carries the record key or the detail named.
    /// A leader appended the record; this copy is stored for its group.
    Appended = 100,
    /// A leader appended a record it already had (a non-idempotent retry); no copy is added.
    DuplicateAppended = 101,
    /// The copy's log entry was truncated while its producer still awaits an
    /// answer: it is the producer's again, to be retried.
    Reverted = 102,
    /// Lost to a log truncation at a leader election (an un-replicated tail,
    /// or an unclean election), or acknowledged and then truncated.
    Truncated = 103,
    /// Deleted by retention before its group read it.
    RetentionDeleted = 104,
    /// A topic gained a partition (`node` is the partition, `key` the topic).
    PartitionAdded = 105,
    /// A broker crashed (`node` is the broker).
    KafkaBrokerCrashed = 106,
    /// A broker restarted.
    KafkaBrokerRestarted = 107,
    /// The controller fenced a broker whose session expired.
    BrokerFenced = 108,
    /// A replica left a partition's ISR (`key` is its broker).
    IsrShrunk = 109,
    /// A replica rejoined a partition's ISR (`key` is its broker).
    IsrExpanded = 110,
    /// A partition has no leader: no live replica may lead it.
    PartitionOffline = 111,
    /// A clean election gave a partition a leader (`key` is its broker).
    LeaderElected = 112,
    /// An unclean election gave a partition an out-of-sync leader (`key` is its broker).
    UncleanLeaderElected = 113,
    /// Sent with acks=0 to a broker that was gone or no longer the leader: lost.
    LostInTransit = 114,
    /// A produce request was refused with NotEnoughReplicas (`msg` is the
    /// batch's first record, `key` the ISR size).
    NotEnoughReplicas = 115,
    /// A leader recognised a retried batch it already had (`msg` is the
    /// batch's first record, `key` its sequence number).
    Deduplicated = 116,
    /// A producer will retry a batch (`msg` is its first record, `key` the error).
    ProduceRetried = 117,
    /// Its producer gave up (retries or delivery timeout exhausted): lost.
    DeliveryFailed = 118,
    /// A group began a rebalance (`key` is the generation).
    RebalanceStarted = 119,
    /// A group's assignment arrived (`key` is the generation).
    RebalanceCompleted = 120,
    /// The coordinator removed a member that stopped heartbeating (`key` is the group).
    SessionExpired = 121,
    /// A member joined its group (`key` is the group).
    MemberJoined = 122,
    /// A member left its group gracefully (`key` is the group).
    MemberLeft = 123,
    /// A member crashed (`key` is the group).
    MemberCrashed = 124,
    /// A member paused fetching.
    MemberPaused = 125,
    /// A member resumed fetching.
    MemberResumed = 126,
    /// A member gave up partitions a cooperative rebalance moved (`key` is how many).
    PartitionsRevoked = 127,
    /// Skipped by an offset reset to the latest offset: dropped.
    OffsetReset = 128,
    /// A member fetched the copy.
    Fetched = 129,
    /// Processing failed; the member retries it in place.
    ProcessingFailed = 130,
    /// A member processed the copy.
    Processed = 131,
    /// Processed after a later record with the same key.
    OutOfOrder = 132,
    /// Processed again: its group had processed this record before (a duplicate).
    ProcessedAgain = 133,
    /// Its member crashed before processing it; the log still has it for the group.
    ReturnedToLog = 134,
    /// Its member crashed before processing it, and the group had already
    /// committed past it: lost.
    SkippedByCommit = 135,
}

impl LifeKind {
    /// Every kind's name in declaration order (`LIFE_KINDS`' order): the
    /// variant's name in snake_case, as JSON, the topology's event table and
    /// `vocabulary()` write it. A table rather than serde's derive (or a
    /// match), so that the wasm module holds the names as data, once;
    /// `observe::vocabulary`'s tests check each against the variant's name.
    const NAMES: [&'static str; 76] = [
        "published", "delivered", "acked", "requeued", "dead_lettered_delivery_limit",
        "dead_lettered_max_length", "dropped", "lost", "consumer_crashed", "consumer_restarted", "copied",
        "unroutable", "returned", "missed", "delayed", "released", "retry_scheduled", "retried",
        "dead_lettered_rejected", "dead_lettered_expired", "expired", "replayed", "ack_timed_out", "ack_lost",
        "stale_ack", "duplicate_effect", "dedup_hit", "publish_nacked", "confirmed", "publish_failed",
        "broker_crashed", "broker_restarted", "replied", "request_completed", "request_timed_out", "late_reply",
        "blocked", "consumer_started", "consumer_stopped", "declined", "appended", "duplicate_appended",
        "reverted", "truncated", "retention_deleted", "partition_added", "kafka_broker_crashed",
        "kafka_broker_restarted", "broker_fenced", "isr_shrunk", "isr_expanded", "partition_offline",
        "leader_elected", "unclean_leader_elected", "lost_in_transit", "not_enough_replicas", "deduplicated",
        "produce_retried", "delivery_failed", "rebalance_started", "rebalance_completed", "session_expired",
        "member_joined", "member_left", "member_crashed", "member_paused", "member_resumed",
        "partitions_revoked", "offset_reset", "fetched", "processing_failed", "processed", "out_of_order",
        "processed_again", "returned_to_log", "skipped_by_commit",
    ];

    /// Its place in declaration order: the queue family's kinds are codes
    /// 0 to 39 and the log family's 100 to 135 (see the enum).
    fn ordinal(self) -> usize {
        let code = self as usize;
        if code >= 100 { code - 60 } else { code }
    }

    /// Its name (see `NAMES`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self.ordinal()]
    }
}

impl Serialize for LifeKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Why a message was put back — requeued, taken back at an ack timeout,
/// returned to its log, or held for a retry: what the journal says besides
/// the event's kind. Only the journal carries it (the page's event log and
/// inspector show it); the trace hash does not, so golden hashes do not
/// depend on it. Its code (`as u8`) is the wasm API's `reason` column, where
/// 0 means none; `vocabulary().reasons` lists the names by code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Cause {
    /// The consumer instance (or Kafka group member) holding it crashed: a
    /// scheduled `crash_consumer` fault or the live command.
    ConsumerCrash = 1,
    /// A live `set_consumers` scaled the group in, stopping the instance
    /// that held it as abruptly as a crash.
    ScaledIn = 2,
    /// Its processing failed: the consumer rejected it with requeue
    /// (`basic.reject`/`basic.nack` with `requeue=true`), or holds it for a
    /// retry after a backoff and then requeues it.
    ProcessingFailed = 3,
    /// The consumer did not ack it within its group's ack timeout (still
    /// working on it, or holding it behind a slow one), so the broker took
    /// it back.
    AckTimeout = 4,
    /// The consumer processed and acked it, but the ack was lost on its
    /// way, so the ack timeout took it back: it will be processed twice.
    LostAck = 5,
    /// The queue family's broker crashed while it was delivered and not yet
    /// acked; it survived (persistent, on disk) and is delivered again.
    BrokerCrash = 6,
}

impl Cause {
    /// Every cause, in code order (the code of `ALL[i]` is `i + 1`).
    pub const ALL: [Cause; 6] =
        [Cause::ConsumerCrash, Cause::ScaledIn, Cause::ProcessingFailed, Cause::AckTimeout, Cause::LostAck, Cause::BrokerCrash];

    /// The name of code 0 in `vocabulary().reasons`: no reason.
    pub const NONE: &'static str = "none";

    /// Its name, as JSON and `vocabulary().reasons` write it.
    pub fn name(self) -> &'static str {
        match self {
            Cause::ConsumerCrash => "consumer_crash",
            Cause::ScaledIn => "scaled_in",
            Cause::ProcessingFailed => "processing_failed",
            Cause::AckTimeout => "ack_timeout",
            Cause::LostAck => "lost_ack",
            Cause::BrokerCrash => "broker_crash",
        }
    }

    /// Its code in the wasm API's `reason` column: 0 for none.
    pub fn code(reason: Option<Cause>) -> u8 {
        reason.map_or(0, |c| c as u8)
    }

    /// The reason an event of `kind` always has, whatever put the message
    /// back: a retry is held and requeued because processing failed, and a
    /// Kafka record goes back to its log only when its member crashed.
    /// Kinds whose cause varies (`Requeued`, `AckTimedOut`) are given it by
    /// the code that records them.
    pub fn implied_by(kind: LifeKind) -> Option<Cause> {
        match kind {
            LifeKind::RetryScheduled | LifeKind::Retried => Some(Cause::ProcessingFailed),
            LifeKind::ReturnedToLog => Some(Cause::ConsumerCrash),
            _ => None,
        }
    }
}

impl Serialize for Cause {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One journal entry. `node` is a queue index for queue events and a consumer
/// instance index for delivery, ack and consumer events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LifeEvent {
    pub t: SimTime,
    pub msg: u64,
    pub kind: LifeKind,
    pub node: u32,
    pub key: u32,
    /// When a message going into `delayed` will be released.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<SimTime>,
    /// The message this one derives from: the original of a copy, or the
    /// request a reply answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<u64>,
    /// Why the message was put back, on the events that put one back
    /// (`Requeued`, `AckTimedOut`, `RetryScheduled`, `Retried`,
    /// `ReturnedToLog`); none on every other event. Not in the trace hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Cause>,
    /// A `Delivered` or `Fetched` event of a message (or a group's copy of a
    /// record) that had been delivered before: a redelivery. Written only
    /// when true. Not in the trace hash.
    #[serde(skip_serializing_if = "is_false")]
    pub redelivered: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

pub struct Journal {
    ring: VecDeque<LifeEvent>,
    capacity: usize,
    overwritten: u64,
}

impl Journal {
    /// A journal that keeps the latest `capacity` events (0 keeps none, for
    /// headless runs that only want the numbers).
    pub fn new(capacity: usize) -> Self {
        Journal { ring: VecDeque::with_capacity(capacity.min(1 << 16)), capacity, overwritten: 0 }
    }

    /// The journal keeps events (its capacity is not 0).
    #[inline]
    pub fn enabled(&self) -> bool {
        self.capacity != 0
    }

    #[inline]
    pub fn push(&mut self, event: LifeEvent) {
        if self.capacity == 0 {
            return;
        }
        if self.ring.len() == self.capacity {
            self.ring.pop_front();
            self.overwritten += 1;
        }
        self.ring.push_back(event);
    }

    /// Takes every event recorded since the last drain.
    pub fn drain(&mut self) -> Vec<LifeEvent> {
        self.ring.drain(..).collect()
    }

    /// Events lost because nobody drained the ring in time.
    pub fn overwritten(&self) -> u64 {
        self.overwritten
    }

    pub fn len(&self) -> usize {
        self.ring.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ring.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(msg: u64) -> LifeEvent {
        LifeEvent { t: 0, msg, kind: LifeKind::Published, node: 0, key: 0, due: None, origin: None, reason: None, redelivered: false }
    }

    /// A full ring forgets its oldest events and counts them.
    #[test]
    fn full_ring_drops_the_oldest() {
        let mut j = Journal::new(3);
        (0..5).for_each(|m| j.push(event(m)));
        assert_eq!(j.overwritten(), 2);
        assert_eq!(j.drain().iter().map(|e| e.msg).collect::<Vec<_>>(), [2, 3, 4]);
        assert!(j.is_empty());
    }
}
