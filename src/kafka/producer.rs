//! The Kafka producer: a record accumulator that batches records per
//! partition, a sender bounded by `max.in.flight`, acknowledgements (`acks`
//! 0, 1 or all), retries with backoff, request and delivery timeouts, and
//! the idempotent producer's sequence numbers.
//!
//! The rules follow Apache Kafka's Java client (`clients/…/producer/internals`):
//!
//! - A batch is sent when it is full (`batch.size`) or has lingered for
//!   `linger.ms`; until the sender takes it, it keeps accepting records.
//! - At most `max.in.flight.requests.per.connection` requests wait for an
//!   answer; mqsim counts them per partition (Kafka counts per broker
//!   connection, which carries many partitions).
//! - A failed batch goes back into its partition's queue at once
//!   (`Sender.completeBatch` → `reenqueueBatch` → `RecordAccumulator.reenqueue`):
//!   a plain producer's at the head (`deque.addFirst`), an idempotent one's
//!   in sequence order (`insertInSequenceOrder`). While the head of a
//!   partition's queue waits out `retry.backoff.ms`, the sender takes
//!   nothing from that partition (`RecordAccumulator.ready` and
//!   `drainBatchesForOneNode` skip it: `shouldBackoff`; upstream's
//!   `RecordAccumulatorTest.testRetryBackoff`). So with one request in
//!   flight a plain producer keeps its order through retries; with several
//!   that fail, each failure puts its batch in front of the ones that failed
//!   before it, and the retries go out in reverse: reordering.
//! - A batch is retried until its `delivery.timeout.ms` (counted from its
//!   first record) has passed (`Sender.canRetry`).
//! - When a connection closes, every request in flight on it fails at
//!   once, oldest first (`NetworkClient.processDisconnection` →
//!   `cancelInFlightRequests`, which walks `InFlightRequests.clearAll` from
//!   the oldest), each with NETWORK_EXCEPTION; a request timeout closes the
//!   connection the same way (`handleTimedOutRequests`), failing every
//!   request on it with REQUEST_TIMED_OUT. A crashed broker's connections
//!   close one network delay after the crash (its FIN or RST reaches the
//!   producer); until it restarts, a connection to it is refused, so the
//!   sender sends it nothing (`Sender.sendProducerData` drops nodes that
//!   are not `client.ready`) and the batches wait in their queues.
//! - The idempotent producer numbers its batches per partition; the leader
//!   appends a batch only if it is the next in sequence, answers a batch it
//!   already has with success (no duplicate), and refuses one that comes
//!   early (OutOfOrderSequence, retried). A retried batch is sent only once
//!   it is the first of its partition's unfinished sequence numbers
//!   (`RecordAccumulator.shouldStopDrainBatchesForPartition`; upstream's
//!   `SenderTest.testIdempotenceWithMultipleInflightsRetriedInOrder`).

use std::collections::VecDeque;

use super::partitioner::{RoundRobin, Sticky, partition_for_key};
use super::replication::Outcome;
use super::topic::PendingAck;
use super::{Event, NO_COPY, World};
use crate::context::Ctx;
use crate::message::Meta;
use crate::ledger::MsgState;
use crate::message::Slot;
use crate::observe::{Fact, LifeKind};
use crate::scenario::{Acks, PartitionerKind, ProducerKafka, Scenario, ScenarioError};
use crate::time::SimTime;

/// Where a batch is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BatchState {
    /// The slab slot is unused.
    Free,
    /// In its partition's queue, waiting to be sent (and, while `open`,
    /// accepting records; after a failure, until `retry_at`).
    Queued,
    /// Sent; waiting for the broker's answer.
    InFlight,
    /// Sent with acks=0: on the wire, and already forgotten by the producer.
    Transit,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Rec {
    pub msg: u64,
    pub key: u32,
    pub poison: bool,
    pub non_critical: bool,
}

/// A producer batch: records bound for one partition, sent together.
pub(crate) struct Batch {
    /// Tells this batch from earlier ones that used the same slab slot.
    pub serial: u32,
    /// The partition's number within the topic.
    pub partition: u32,
    /// The idempotent producer's sequence number, fixed at the first send.
    pub seq: u32,
    pub has_seq: bool,
    pub records: Vec<Rec>,
    /// The ledger entries the batch holds: `stride` per record (one before
    /// the first append, one per copy after), `NO_COPY` where the copy is in
    /// the log (or gone).
    pub slots: Vec<Slot>,
    pub stride: u32,
    pub deadline: SimTime,
    /// A failed batch is not sent again before this time (its retry
    /// backoff); while it is the head of its partition's queue, nothing of
    /// the partition is sent. 0 for a batch that never failed.
    pub retry_at: SimTime,
    /// When the latest attempt was sent (which connection it went out on).
    pub sent_at: SimTime,
    pub sends: u32,
    /// The attempt token of the latest send; a request or answer carrying
    /// another token is stale.
    pub attempt: u32,
    pub state: BatchState,
    pub open: bool,
    pub ready: bool,
    /// Its delivery timeout passed while it was in flight.
    pub expired: bool,
    /// The broker the latest attempt went to, and the answer it gave.
    pub broker: u32,
    pub response: Outcome,
    /// The acks the latest attempt was sent with: the broker answers a
    /// request by the acks it carries, even if the producer's setting has
    /// changed since (a live `set_acks`).
    pub acks: Acks,
}

/// The producer's per-partition sender state.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProducerPartition {
    /// Batch slots waiting to be sent, in send order.
    pub queue: VecDeque<u32>,
    pub in_flight: u32,
    pub next_seq: u32,
}

/// What a producer did, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProducerStats {
    pub records: u64,
    pub batches: u64,
    pub requests: u64,
    pub retries: u64,
    /// Records whose batch was acknowledged.
    pub acked_records: u64,
    /// Records the producer gave up on (retries or delivery timeout exhausted).
    pub failed_records: u64,
    /// Retried batches the leader already had (idempotent producers only).
    pub deduplicated: u64,
    pub not_leader: u64,
    pub not_enough_replicas: u64,
    pub not_enough_replicas_after_append: u64,
    pub out_of_order_sequence: u64,
    /// Sequence gaps that could never be filled, after which the idempotent
    /// producer started afresh (KIP-360).
    pub sequence_resets: u64,
    pub disconnected: u64,
    pub timeouts: u64,
}

/// A producer writing to a topic.
pub struct KafkaProducer {
    pub name: String,
    pub topic: u32,
    /// It keys its records (the scenario's `keys` is above 0).
    pub keyed: bool,
    pub settings: ProducerKafka,
    pub idempotent: bool,
    sticky: Sticky,
    round_robin: RoundRobin,
    pub(crate) parts: Vec<ProducerPartition>,
    pub(crate) batches: Vec<Batch>,
    free: Vec<u32>,
    next_serial: u32,
    next_attempt: u32,
    /// (due, batch, attempt) request timeouts and (due, batch, serial)
    /// delivery deadlines; each is pushed in due order, so one timer event
    /// (at `timer_at`) covers them all.
    timeouts: VecDeque<(SimTime, u32, u32)>,
    deadlines: VecDeque<(SimTime, u32, u32)>,
    timer_at: Option<SimTime>,
    pub stats: ProducerStats,
}

impl KafkaProducer {
    pub(crate) fn build_all(scenario: &Scenario, world: &World) -> Result<Vec<KafkaProducer>, ScenarioError> {
        let mut producers = Vec::new();
        for (i, spec) in scenario.producers.iter().enumerate() {
            let Some(topic) = &spec.topic else { continue };
            let t = scenario.topic_index(topic, &format!("producers[{i}].topic"))?;
            let settings = spec.kafka.clone().unwrap_or_default();
            producers.push(KafkaProducer {
                name: spec.name.clone(),
                topic: t,
                keyed: spec.keys > 0,
                idempotent: settings.is_idempotent(),
                sticky: Sticky::new(settings.batch_size),
                round_robin: RoundRobin::new(),
                parts: vec![ProducerPartition::default(); world.topics[t as usize].partitions.len()],
                batches: Vec::new(),
                free: Vec::new(),
                next_serial: 0,
                next_attempt: 0,
                timeouts: VecDeque::new(),
                deadlines: VecDeque::new(),
                timer_at: None,
                stats: ProducerStats::default(),
                settings,
            });
        }
        Ok(producers)
    }

    /// Ledger entries its batches hold (records not in any log).
    pub fn live_slots(&self) -> u64 {
        self.batches
            .iter()
            .filter(|b| b.state != BatchState::Free)
            .map(|b| b.slots.iter().filter(|&&s| s != NO_COPY).count() as u64)
            .sum()
    }

    /// The index of record `msg` in batch `b`, if that batch (serial
    /// `serial`) is still waiting for an answer, so that the producer will
    /// send it again.
    pub(crate) fn pending_record(&self, b: u32, serial: u32, msg: u64) -> Option<usize> {
        let batch = self.batches.get(b as usize)?;
        let waiting = matches!(batch.state, BatchState::Queued | BatchState::InFlight);
        if batch.serial != serial || !waiting {
            return None;
        }
        batch.records.iter().position(|r| r.msg == msg)
    }

    /// Some batch the producer still holds for partition `p` has a sequence
    /// number between `last` and `seq`: a batch arriving with `seq` is
    /// merely early, and the gap will be filled.
    fn can_fill_gap(&self, p: u32, last: i64, seq: u32) -> bool {
        self.batches.iter().any(|b| {
            b.partition == p
                && b.has_seq
                && i64::from(b.seq) > last
                && b.seq < seq
                && matches!(b.state, BatchState::Queued | BatchState::InFlight)
        })
    }

    /// A batch of partition `p` with a sequence number below `seq` is in
    /// flight: a retried batch numbered `seq` is not yet the first of the
    /// partition's unfinished sequence numbers.
    fn earlier_in_flight(&self, p: u32, seq: u32) -> bool {
        self.batches.iter().any(|b| b.partition == p && b.state == BatchState::InFlight && b.has_seq && b.seq < seq)
    }

    pub(crate) fn grow_partitions(&mut self, total: u32) {
        self.parts.resize(total as usize, ProducerPartition::default());
    }

    fn new_batch(&mut self, partition: u32, now: SimTime) -> u32 {
        let serial = self.next_serial;
        self.next_serial = self.next_serial.wrapping_add(1);
        let batch = Batch {
            serial,
            partition,
            seq: 0,
            has_seq: false,
            records: Vec::new(),
            slots: Vec::new(),
            stride: 1,
            deadline: now.saturating_add(self.settings.delivery_timeout.0),
            retry_at: 0,
            sent_at: 0,
            sends: 0,
            attempt: 0,
            state: BatchState::Queued,
            open: true,
            ready: self.settings.linger.0 == 0,
            expired: false,
            broker: 0,
            response: Outcome::Ok,
            acks: self.settings.acks,
        };
        let b = match self.free.pop() {
            Some(b) => {
                let old = &mut self.batches[b as usize];
                let (mut records, mut slots) = (std::mem::take(&mut old.records), std::mem::take(&mut old.slots));
                records.clear();
                slots.clear();
                *old = Batch { records, slots, ..batch };
                b
            }
            None => {
                self.batches.push(batch);
                self.batches.len() as u32 - 1
            }
        };
        self.parts[partition as usize].queue.push_back(b);
        b
    }
}

/// A key as Kafka's `StringSerializer` would send it: the UTF-8 bytes of its
/// decimal form (key 17 is the string "17"; `mqsim partition 17 6` agrees).
fn key_bytes(key: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut n = key;
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

impl World {
    /// A producer hands a record to its accumulator: it picks the partition
    /// and joins (or opens) that partition's batch.
    pub(crate) fn kafka_publish<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, slot: Slot) {
        let now = cx.now();
        let message = cx.store.get(slot);
        let rec = Rec { msg: message.id, key: message.key, poison: message.poison, non_critical: message.non_critical };
        let producer = &mut self.producers[kp as usize];
        let n = self.topics[producer.topic as usize].partitions.len() as u32;
        let rng = &mut cx.rng;
        let p = match producer.settings.partitioner {
            PartitionerKind::Default if producer.keyed => partition_for_key(key_bytes(rec.key, &mut [0; 10]), n),
            PartitionerKind::Default => producer.sticky.next(n, || rng.next_u64()),
            PartitionerKind::RoundRobin => producer.round_robin.next(n),
        }
        .unwrap_or(0);
        producer.stats.records += 1;
        let tail = producer.parts[p as usize].queue.back().copied();
        let b = match tail {
            Some(b) if producer.batches[b as usize].open => b,
            _ => {
                let b = producer.new_batch(p, now);
                let (serial, deadline, linger) =
                    (producer.batches[b as usize].serial, producer.batches[b as usize].deadline, producer.settings.linger.0);
                producer.deadlines.push_back((deadline, b, serial));
                if linger > 0 {
                    self.kafka_after(cx, linger, Event::Linger { producer: kp, batch: b, serial });
                }
                self.arm_producer_timer(cx, kp);
                b
            }
        };
        let producer = &mut self.producers[kp as usize];
        let batch_size = producer.settings.batch_size as usize;
        let batch = &mut producer.batches[b as usize];
        batch.records.push(rec);
        batch.slots.push(slot);
        if batch.records.len() >= batch_size {
            batch.open = false;
            batch.ready = true;
        }
        self.drain(cx, kp, p);
    }

    /// The sender takes ready batches from the head of a partition's queue
    /// while the partition has a leader it can reach and in-flight requests
    /// are below `max_in_flight`. It stops at the head: a batch behind it
    /// never overtakes it.
    pub(crate) fn drain<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, p: u32) {
        let now = cx.now();
        loop {
            let producer = &self.producers[kp as usize];
            let pp = &producer.parts[p as usize];
            let Some(&b) = pp.queue.front() else { return };
            let batch = &producer.batches[b as usize];
            let acks0 = producer.settings.acks == Acks::Zero;
            if !batch.ready || (!acks0 && pp.in_flight >= producer.settings.max_in_flight) {
                return;
            }
            // `RecordAccumulator.shouldBackoff`: a head batch waiting out its
            // retry backoff holds back its whole partition (its
            // `RetryBackoff` event drains it when the backoff is over).
            if batch.retry_at > now {
                return;
            }
            // `shouldStopDrainBatchesForPartition`: an idempotent producer's
            // retried batch goes only once no earlier sequence number of its
            // partition is in flight.
            if producer.idempotent && batch.has_seq && producer.earlier_in_flight(p, batch.seq) {
                return;
            }
            let part = self.topics[producer.topic as usize].partitions[p as usize];
            let Some(broker) = self.partitions[part as usize].leader_broker() else { return };
            // A connection to a broker known to be down is refused: the
            // sender sends nothing there, and the batches wait for the
            // broker's return or a new leader.
            if self.brokers[broker as usize].refuses_connections {
                return;
            }
            self.producers[kp as usize].parts[p as usize].queue.pop_front();
            self.send_batch(cx, kp, b, broker);
        }
    }

    fn send_batch<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, broker: u32) {
        let now = cx.now();
        let producer = &mut self.producers[kp as usize];
        let attempt = producer.next_attempt;
        producer.next_attempt = producer.next_attempt.wrapping_add(1);
        let acks = producer.settings.acks;
        let request_timeout = producer.settings.request_timeout.0;
        let sticky_current = producer.sticky.current();
        let unkeyed_default = !producer.keyed && producer.settings.partitioner == PartitionerKind::Default;
        let batch = &mut producer.batches[b as usize];
        let p = batch.partition;
        batch.open = false;
        if !batch.has_seq {
            batch.seq = producer.parts[p as usize].next_seq;
            batch.has_seq = true;
            producer.parts[p as usize].next_seq = producer.parts[p as usize].next_seq.wrapping_add(1);
        }
        batch.attempt = attempt;
        batch.sent_at = now;
        batch.sends += 1;
        batch.broker = broker;
        batch.acks = acks;
        let first_send = batch.sends == 1;
        if acks == Acks::Zero {
            batch.state = BatchState::Transit;
        } else {
            batch.state = BatchState::InFlight;
            producer.parts[p as usize].in_flight += 1;
            producer.timeouts.push_back((now.saturating_add(request_timeout), b, attempt));
        }
        producer.stats.requests += 1;
        if first_send {
            producer.stats.batches += 1;
        } else {
            producer.stats.retries += 1;
        }
        // The sticky partitioner moves on once its batch is sent, even if
        // the batch lingered rather than filled.
        if unkeyed_default && sticky_current == Some(p) {
            producer.sticky.batch_sent();
        }
        if acks != Acks::Zero {
            self.arm_producer_timer(cx, kp);
        }
        let delay = self.cluster.network_delay;
        self.kafka_after(cx, delay, Event::ProduceArrive { producer: kp, batch: b, attempt });
    }

    /// A produce request reaches its broker, which appends it if it leads
    /// the partition and the request passes the acks=all and idempotence
    /// checks, and answers according to `acks`.
    pub(crate) fn produce_arrive<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, attempt: u32) {
        let producer = &self.producers[kp as usize];
        let batch = &producer.batches[b as usize];
        if !matches!(batch.state, BatchState::InFlight | BatchState::Transit) || batch.attempt != attempt {
            return;
        }
        let (broker, p, seq) = (batch.broker, batch.partition, batch.seq);
        let first_msg = batch.records.first().map_or(0, |r| r.msg);
        let (acks, idempotent, t) = (batch.acks, producer.idempotent, producer.topic);
        let part = self.topics[t as usize].partitions[p as usize];
        let sent_at = batch.sent_at;
        let delay = self.cluster.network_delay;
        let target = &self.brokers[broker as usize];
        // A request reaches no broker process if the broker is down, or if
        // it went out on a connection the broker's latest crash closed (sent
        // before the producer could know of the crash, one network delay
        // after it; a restarted broker never had that connection).
        let reached = target.alive && target.crashed_at.is_none_or(|c| sent_at >= c.saturating_add(delay));
        let partition = &self.partitions[part as usize];
        if !reached || partition.leader_broker() != Some(broker) {
            if acks == Acks::Zero {
                // Nobody will ever know: the records are gone.
                self.lose_batch(cx, kp, b, LifeKind::LostInTransit);
            } else if reached {
                self.respond(cx, kp, b, attempt, Outcome::NotLeader);
            }
            // Otherwise no answer comes: the closed connection fails the
            // request (`connections_closed`).
            return;
        }
        let min_insync = self.topics[t as usize].min_insync_replicas;
        if acks == Acks::All && partition.isr_size() < min_insync {
            self.topics[t as usize].stats.not_enough_replicas += 1;
            cx.record(LifeKind::NotEnoughReplicas, first_msg, part, partition.isr_size());
            self.respond(cx, kp, b, attempt, Outcome::NotEnoughReplicas);
            return;
        }
        if idempotent {
            let last = partition.producer_seq.get(kp as usize).copied().unwrap_or(-1);
            // A producer the partition has no state for (none appended yet,
            // or its state was truncated away) starts wherever it is.
            if last >= 0 && i64::from(seq) <= last {
                // `ProducerStateEntry.findDuplicateBatch`: a batch is a
                // duplicate only if it is one of the producer's last batches
                // in the log. One that is not (an election cut it away, and
                // later batches were appended since) fails the sequence check
                // (`ProducerAppendInfo.checkSequence`): answering it with
                // success would acknowledge records no log holds.
                let original = partition.producer_batches.get(kp as usize).and_then(|batches| batches.iter().find(|&&(s, _)| s == seq));
                let Some(&(_, end)) = original else {
                    self.respond(cx, kp, b, attempt, Outcome::OutOfOrderSequence);
                    return;
                };
                self.producers[kp as usize].stats.deduplicated += 1;
                cx.record(LifeKind::Deduplicated, first_msg, part, seq);
                // The duplicate is answered as its original would be: with
                // acks=all, once the high watermark passes the original's
                // last record (ReplicaManager's delayed produce waits for
                // the offsets `UnifiedLog` returns for a duplicate).
                let p = &mut self.partitions[part as usize];
                if acks == Acks::All && p.hw < end {
                    let at = p.pending_acks.partition_point(|a| a.end <= end);
                    p.pending_acks.insert(at, PendingAck { end, producer: kp, batch: b, attempt });
                } else {
                    self.respond(cx, kp, b, attempt, Outcome::Ok);
                }
                return;
            }
            if last >= 0 && i64::from(seq) > last + 1 {
                if self.producers[kp as usize].can_fill_gap(p, last, seq) {
                    self.respond(cx, kp, b, attempt, Outcome::OutOfOrderSequence);
                    return;
                }
                // KIP-360 (Kafka 2.5): when the missing batches can never
                // arrive — they were acknowledged and then truncated away, or
                // given up — an idempotent producer bumps its epoch, resets
                // its sequence numbers and goes on. mqsim lets the batch in.
                self.producers[kp as usize].stats.sequence_resets += 1;
            }
            let producers = self.producers.len();
            let partition = &mut self.partitions[part as usize];
            if partition.producer_seq.len() < producers {
                partition.producer_seq.resize(producers, -1);
                partition.producer_batches.resize(producers, VecDeque::new());
            }
            partition.producer_seq[kp as usize] = i64::from(seq);
        }
        let end = self.append_batch(cx, part, kp, b);
        if idempotent {
            let batches = &mut self.partitions[part as usize].producer_batches[kp as usize];
            if batches.len() == 5 {
                batches.pop_front();
            }
            batches.push_back((seq, end));
        }
        self.wake_followers(cx, part);
        self.advance_hw(cx, part);
        match acks {
            Acks::Zero => self.free_batch(kp, b),
            Acks::One => self.respond(cx, kp, b, attempt, Outcome::Ok),
            Acks::All => {
                if self.partitions[part as usize].hw >= end {
                    self.respond(cx, kp, b, attempt, Outcome::Ok);
                } else {
                    self.partitions[part as usize].pending_acks.push_back(PendingAck { end, producer: kp, batch: b, attempt });
                }
            }
        }
    }

    /// The broker answers attempt `attempt` of a batch; the answer reaches
    /// the producer one network delay later. An answer to an attempt the
    /// producer already gave up on is not sent.
    pub(crate) fn respond<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, attempt: u32, outcome: Outcome) {
        let batch = &mut self.producers[kp as usize].batches[b as usize];
        if batch.state != BatchState::InFlight || batch.attempt != attempt {
            return;
        }
        batch.response = outcome;
        let delay = self.cluster.network_delay;
        self.kafka_after(cx, delay, Event::ProduceResponse { producer: kp, batch: b, attempt });
    }

    pub(crate) fn produce_response<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, attempt: u32) {
        let producer = &mut self.producers[kp as usize];
        let batch = &producer.batches[b as usize];
        if batch.state != BatchState::InFlight || batch.attempt != attempt {
            return;
        }
        let outcome = batch.response;
        let p = batch.partition;
        producer.parts[p as usize].in_flight -= 1;
        self.end_attempt(cx, kp, b, outcome);
        self.drain(cx, kp, p);
    }

    /// The connection from producer `kp` to `broker` closed: every request
    /// in flight on it fails with `outcome`, oldest first
    /// (`NetworkClient.cancelInFlightRequests`), each answered before the
    /// sender sends again; then the partitions they were for are drained.
    fn close_connection<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, broker: u32, outcome: Outcome) {
        let producer = &self.producers[kp as usize];
        let mut cut: Vec<(SimTime, u32, u32)> = (0..producer.batches.len() as u32)
            .filter(|&b| {
                let batch = &producer.batches[b as usize];
                batch.state == BatchState::InFlight && batch.broker == broker
            })
            .map(|b| (producer.batches[b as usize].sent_at, producer.batches[b as usize].attempt, b))
            .collect();
        if cut.is_empty() {
            return;
        }
        // Send order: by send time, then by attempt token (given in send order).
        cut.sort_unstable();
        let mut partitions: Vec<u32> = Vec::new();
        for &(_, _, b) in &cut {
            let p = self.producers[kp as usize].batches[b as usize].partition;
            self.producers[kp as usize].parts[p as usize].in_flight -= 1;
            self.end_attempt(cx, kp, b, outcome);
            if !partitions.contains(&p) {
                partitions.push(p);
            }
        }
        for p in partitions {
            self.drain(cx, kp, p);
        }
    }

    /// A crashed broker's connections have closed, one network delay after
    /// the crash: each producer's requests in flight to it fail, and while
    /// it stays down no producer can connect to it.
    pub(crate) fn connections_closed<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, broker: u32) {
        let target = &mut self.brokers[broker as usize];
        if !target.alive {
            target.refuses_connections = true;
        }
        for kp in 0..self.producers.len() as u32 {
            self.close_connection(cx, kp, broker, Outcome::Disconnected);
        }
    }

    /// An attempt ended: success completes the batch; an error puts it back
    /// into its partition's queue, unless its retries are used up or its
    /// delivery timeout has passed (`Sender.canRetry`), when it fails for
    /// good. The caller drains the partition.
    fn end_attempt<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, outcome: Outcome) {
        let now = cx.now();
        let producer = &mut self.producers[kp as usize];
        let batch = &producer.batches[b as usize];
        if outcome == Outcome::Ok {
            self.complete_batch(cx, kp, b);
            return;
        }
        let stats = &mut producer.stats;
        match outcome {
            Outcome::NotLeader => stats.not_leader += 1,
            Outcome::NotEnoughReplicas => stats.not_enough_replicas += 1,
            Outcome::NotEnoughReplicasAfterAppend => stats.not_enough_replicas_after_append += 1,
            Outcome::OutOfOrderSequence => stats.out_of_order_sequence += 1,
            Outcome::Disconnected => stats.disconnected += 1,
            Outcome::Timeout => stats.timeouts += 1,
            Outcome::Ok => {}
        }
        let retries_left = batch.sends <= producer.settings.retries;
        let in_time = !batch.expired && now < batch.deadline;
        let (serial, first_msg) = (batch.serial, batch.records.first().map_or(0, |r| r.msg));
        if retries_left && in_time {
            let backoff = producer.settings.retry_backoff.0;
            self.reenqueue(kp, b, now.saturating_add(backoff));
            cx.record(LifeKind::ProduceRetried, first_msg, kp, outcome as u32);
            self.kafka_after(cx, backoff, Event::RetryBackoff { producer: kp, batch: b, serial });
        } else {
            self.lose_batch(cx, kp, b, LifeKind::DeliveryFailed);
        }
    }

    /// `RecordAccumulator.reenqueue`: a failed batch goes back into its
    /// partition's queue at once, to wait out its backoff there — at the
    /// head for a plain producer (`deque.addFirst`), in sequence order for
    /// an idempotent one (`insertInSequenceOrder`: after the queued batches
    /// with lower sequence numbers, before any without one).
    fn reenqueue(&mut self, kp: u32, b: u32, retry_at: SimTime) {
        let producer = &mut self.producers[kp as usize];
        let batch = &mut producer.batches[b as usize];
        batch.state = BatchState::Queued;
        batch.ready = true;
        batch.retry_at = retry_at;
        let (p, seq) = (batch.partition, batch.seq);
        if producer.idempotent {
            let queue = &producer.parts[p as usize].queue;
            let at = queue
                .iter()
                .position(|&q| {
                    let other = &producer.batches[q as usize];
                    !other.has_seq || other.seq > seq
                })
                .unwrap_or(queue.len());
            producer.parts[p as usize].queue.insert(at, b);
        } else {
            producer.parts[p as usize].queue.push_front(b);
        }
    }

    /// The producer has its acknowledgement. A copy still held here was
    /// truncated away after the broker acknowledged it (an unclean
    /// election): the producer believes it written, and it is lost.
    fn complete_batch<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32) {
        let n = self.producers[kp as usize].batches[b as usize].records.len() as u64;
        self.producers[kp as usize].stats.acked_records += n;
        if cx.history.enabled() {
            let batch = &self.producers[kp as usize].batches[b as usize];
            let (acks, msgs): (Acks, Vec<u64>) = (batch.acks, batch.records.iter().map(|r| r.msg).collect());
            for msg in msgs {
                cx.note(Fact::Acked { producer: kp, msg, acks });
            }
        }
        self.release_batch_slots(cx, kp, b, LifeKind::Truncated);
        self.free_batch(kp, b);
    }

    /// The producer gives up on a batch (or, with acks=0, it vanished):
    /// every record not in a log is lost.
    fn lose_batch<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, kind: LifeKind) {
        let batch = &self.producers[kp as usize].batches[b as usize];
        let stride = batch.stride.max(1) as usize;
        let failed = batch.slots.chunks(stride).filter(|c| c.iter().any(|&s| s != NO_COPY)).count() as u64;
        self.producers[kp as usize].stats.failed_records += failed;
        self.release_batch_slots(cx, kp, b, kind);
        self.free_batch(kp, b);
    }

    fn release_batch_slots<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, kind: LifeKind) {
        let t = self.producers[kp as usize].topic;
        let slots = std::mem::take(&mut self.producers[kp as usize].batches[b as usize].slots);
        for &slot in slots.iter().filter(|&&s| s != NO_COPY) {
            cx.set_state(slot, MsgState::Lost, kind, kp);
            self.topics[t as usize].stats.lost += 1;
        }
        self.producers[kp as usize].batches[b as usize].slots = slots;
    }

    fn free_batch(&mut self, kp: u32, b: u32) {
        let producer = &mut self.producers[kp as usize];
        let batch = &mut producer.batches[b as usize];
        batch.state = BatchState::Free;
        batch.records.clear();
        batch.slots.clear();
        producer.free.push(b);
    }

    /// A failed batch's retry backoff is over: if it still waits in its
    /// queue, the partition may send again.
    pub(crate) fn retry_backoff<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, serial: u32) {
        let batch = &self.producers[kp as usize].batches[b as usize];
        if batch.serial != serial || batch.state != BatchState::Queued {
            return;
        }
        let p = batch.partition;
        self.drain(cx, kp, p);
    }

    pub(crate) fn linger_expired<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, serial: u32) {
        let batch = &mut self.producers[kp as usize].batches[b as usize];
        if batch.serial != serial || batch.state != BatchState::Queued {
            return;
        }
        batch.ready = true;
        let p = batch.partition;
        self.drain(cx, kp, p);
    }

    /// Request timeouts and delivery deadlines that are due.
    pub(crate) fn producer_timer<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32) {
        let now = cx.now();
        if self.producers[kp as usize].timer_at != Some(now) {
            return;
        }
        self.producers[kp as usize].timer_at = None;
        while let Some(&(due, b, attempt)) = self.producers[kp as usize].timeouts.front() {
            if due > now {
                break;
            }
            let producer = &mut self.producers[kp as usize];
            producer.timeouts.pop_front();
            let batch = &producer.batches[b as usize];
            if batch.state == BatchState::InFlight && batch.attempt == attempt {
                // `NetworkClient.handleTimedOutRequests`: a request timeout
                // closes its connection, failing every request on it.
                let broker = batch.broker;
                self.close_connection(cx, kp, broker, Outcome::Timeout);
            }
        }
        while let Some(&(due, b, serial)) = self.producers[kp as usize].deadlines.front() {
            if due > now {
                break;
            }
            let producer = &mut self.producers[kp as usize];
            producer.deadlines.pop_front();
            let batch = &mut producer.batches[b as usize];
            if batch.serial != serial {
                continue;
            }
            match batch.state {
                BatchState::Queued => {
                    let p = batch.partition;
                    producer.parts[p as usize].queue.retain(|&q| q != b);
                    self.lose_batch(cx, kp, b, LifeKind::DeliveryFailed);
                    // It may have held the partition back (a retry backing off).
                    self.drain(cx, kp, p);
                }
                // An in-flight batch fails at its answer unless that is a success.
                BatchState::InFlight => batch.expired = true,
                BatchState::Transit | BatchState::Free => {}
            }
        }
        self.arm_producer_timer(cx, kp);
    }

    /// Makes sure a timer event is pending for the earliest due timeout or deadline.
    fn arm_producer_timer<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32) {
        let now = cx.now();
        let producer = &mut self.producers[kp as usize];
        let next = [producer.timeouts.front(), producer.deadlines.front()].into_iter().flatten().map(|&(due, _, _)| due).min();
        let Some(next) = next else { return };
        if producer.timer_at.is_some_and(|at| at <= next) {
            return;
        }
        producer.timer_at = Some(next);
        self.kafka_after(cx, next.saturating_sub(now), Event::ProducerTimer { producer: kp });
    }

    /// Sends whatever every producer of the partition's topic has waiting for it.
    pub(crate) fn drain_partition<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32) {
        let (t, p) = (self.partitions[part as usize].topic, self.partitions[part as usize].index);
        for kp in 0..self.producers.len() as u32 {
            if self.producers[kp as usize].topic == t && (p as usize) < self.producers[kp as usize].parts.len() {
                self.drain(cx, kp, p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key_bytes;

    /// Keys are hashed as the decimal strings the CLI's `partition` command takes.
    #[test]
    fn keys_are_their_decimal_strings() {
        assert_eq!(key_bytes(0, &mut [0; 10]), b"0");
        assert_eq!(key_bytes(17, &mut [0; 10]), b"17");
        assert_eq!(key_bytes(u32::MAX, &mut [0; 10]), b"4294967295");
    }
}
