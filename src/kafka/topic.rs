//! Topics and their partitions: append-only logs with a log start offset, a
//! log end offset (LEO) and a high watermark (HW), and the copies each
//! consumer group is owed.
//!
//! mqsim keeps one log per partition, the leader's; a replica is described by
//! its LEO, the length of the prefix of that log it holds. That is exact as
//! long as every replica's log is a prefix of the leader's, which Kafka
//! guarantees by truncating a replica that rejoins to the point where its log
//! diverges from the leader's (KIP-101, KIP-279). mqsim applies that
//! truncation at the election that creates the divergence rather than when
//! the deposed replica comes back; a dead replica serves nothing in between.

use std::collections::VecDeque;

use super::Event;
use super::replication::Replica;
use super::{NO_COPY, World};
use crate::context::Ctx;
use crate::message::Meta;
use crate::ledger::MsgState;
use crate::message::Slot;
use crate::observe::{Fact, LifeKind};
use crate::scenario::TopicSpec;
use crate::time::SimTime;

/// A topic: its partitions and what it keeps.
pub struct Topic {
    pub name: String,
    /// Global partition indices, in partition order (partition `p` is `partitions[p]`).
    pub partitions: Vec<u32>,
    pub replication_factor: u32,
    pub min_insync_replicas: u32,
    pub unclean_leader_election: bool,
    pub retention_time: Option<SimTime>,
    pub retention_records: Option<u64>,
    /// The consumer groups that read it; each record becomes one copy per group.
    pub groups: Vec<u32>,
    /// The partition count after every scheduled `add_partitions` fault.
    pub max_partitions: u32,
    pub stats: TopicStats,
}

/// What happened to a topic's records, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct TopicStats {
    /// Records appended with copies owed to groups (a record truncated away
    /// and appended again by its producer's retry counts again).
    pub appended: u64,
    /// Records cut from a log at a leader election (an un-replicated tail,
    /// or more at an unclean election).
    pub truncated: u64,
    /// Appends of a record already in the log (a non-idempotent retry after
    /// a lost answer): every group will process it twice.
    pub duplicate_appends: u64,
    /// Copies lost: truncated away at an election, sent with acks=0 to a
    /// broker that was gone, or given up by their producer.
    pub lost: u64,
    /// Copies deleted by retention before their group read them.
    pub expired: u64,
    /// Records below the high watermark (committed) that an unclean leader
    /// election truncated away.
    pub truncated_committed: u64,
    /// Produce requests refused with NotEnoughReplicas.
    pub not_enough_replicas: u64,
}

impl Topic {
    pub(crate) fn new(spec: &TopicSpec, groups: Vec<u32>, max_partitions: u32) -> Topic {
        Topic {
            name: spec.name.clone(),
            partitions: Vec::new(),
            replication_factor: spec.replication_factor,
            min_insync_replicas: spec.min_insync_replicas,
            unclean_leader_election: spec.unclean_leader_election,
            retention_time: spec.retention.time.map(|d| d.0),
            retention_records: spec.retention.records,
            groups,
            max_partitions,
            stats: TopicStats::default(),
        }
    }

    /// Copies per record: one per group, or one owed to nobody when no group
    /// reads the topic (kept until retention deletes it).
    pub fn copies(&self) -> usize {
        self.groups.len().max(1)
    }
}

/// One record in a partition's log.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The record's id (its message id, shared by its copies).
    pub msg: u64,
    /// When the leader appended it (time-based retention counts from here).
    pub appended: SimTime,
    pub key: u32,
    /// The record has a key (its producer keys its records).
    pub keyed: bool,
    /// Processing it always fails.
    pub poison: bool,
    /// It may be skipped in a backlog emergency.
    pub non_critical: bool,
    /// The log-family producer, its batch slot and the batch's serial (to
    /// find a batch that is still in flight when the entry is truncated).
    pub producer: u32,
    pub batch: u32,
    pub serial: u32,
    /// The batch's sequence number (the idempotent producer's).
    pub seq: u32,
}

/// A produce request (acks=all) appended and waiting for the high watermark
/// to pass its last offset before it is answered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PendingAck {
    pub end: u64,
    pub producer: u32,
    pub batch: u32,
    pub attempt: u32,
}

/// One partition of a topic.
pub struct Partition {
    pub topic: u32,
    /// Its number within the topic.
    pub index: u32,
    /// Replicas in assignment order; the first is the preferred leader.
    pub replicas: Vec<Replica>,
    /// The leading replica (an index into `replicas`), or none while offline.
    pub leader: Option<u32>,
    /// The leader epoch, bumped at every election.
    pub epoch: u32,
    /// The first offset still retained.
    pub log_start: u64,
    /// The high watermark: every in-sync replica has the records below it,
    /// and only those are visible to consumers.
    pub hw: u64,
    /// The records from `log_start` to the log end offset.
    pub log: VecDeque<Entry>,
    /// The group-partition records (`World::gps`) of this partition, in the
    /// order of the topic's `groups`.
    pub gps: Vec<u32>,
    pub(crate) pending_acks: VecDeque<PendingAck>,
    /// The last batch sequence appended per log-family producer (-1: none),
    /// the state an idempotent producer's duplicates are detected with.
    pub(crate) producer_seq: Vec<i64>,
    /// Each log-family producer's last batches in the log, newest last: the
    /// batch's sequence number and the offset after its last record. Kafka's
    /// broker keeps the metadata of a producer's last five batches
    /// (`ProducerStateEntry.NUM_BATCHES_TO_RETAIN`), treats a batch as a
    /// duplicate only if it is one of them, and answers the duplicate with
    /// that batch's offsets.
    pub(crate) producer_batches: Vec<VecDeque<(u32, u64)>>,
    /// Since when the partition has had no leader, and the time offline so far.
    pub offline_since: Option<SimTime>,
    pub offline_ns: u64,
}

impl Partition {
    /// The log end offset: the offset the next record will get.
    pub fn leo(&self) -> u64 {
        self.log_start + self.log.len() as u64
    }

    /// The broker of the leading replica.
    pub fn leader_broker(&self) -> Option<u32> {
        self.leader.map(|r| self.replicas[r as usize].broker)
    }

    /// The brokers of the in-sync replicas, in assignment order.
    pub fn isr(&self) -> Vec<u32> {
        self.replicas.iter().filter(|r| r.in_isr).map(|r| r.broker).collect()
    }

    pub fn isr_size(&self) -> u32 {
        self.replicas.iter().filter(|r| r.in_isr).count() as u32
    }

    /// The record at `offset`, if the log holds it.
    pub fn entry(&self, offset: u64) -> Option<&Entry> {
        offset.checked_sub(self.log_start).and_then(|i| self.log.get(i as usize))
    }
}

/// A consumer group's view of one partition: its committed offset, the
/// member that owns the partition and its position, and the copies of the
/// partition's records that the group is still owed.
pub struct GroupPartition {
    /// The group, or none for the copies of a topic no group reads.
    pub group: Option<u32>,
    pub partition: u32,
    /// The next offset the group will read after a restart; none before the
    /// first commit (the group then starts at its `auto_offset_reset`).
    pub committed: Option<u64>,
    /// The member the partition is assigned to.
    pub owner: Option<u32>,
    /// The member that owned it last (the sticky assignors keep it there).
    pub last_owner: Option<u32>,
    /// The owner's position: the next offset it will fetch.
    pub position: u64,
    /// `owed[i]` is the group's copy of the record at offset `owed_base + i`,
    /// or `NO_COPY` once that copy is terminal (or was never owed, for a
    /// duplicate append). It always ends at the log end offset, and its
    /// terminal head is trimmed, so it holds only what the group still owes.
    pub owed_base: u64,
    pub owed: VecDeque<Slot>,
    /// Since when nobody owns the partition, and the unowned time so far
    /// (a rebalance's pause).
    pub unowned_since: Option<SimTime>,
    pub unowned_ns: u64,
}

impl GroupPartition {
    /// The live copy owed for `offset`, or `NO_COPY`.
    pub fn copy_at(&self, offset: u64) -> Slot {
        offset.checked_sub(self.owed_base).and_then(|i| self.owed.get(i as usize)).copied().unwrap_or(NO_COPY)
    }

    /// The log still owes `slot` at `offset` (it was not truncated or deleted).
    pub fn owes(&self, offset: u64, slot: Slot) -> bool {
        slot != NO_COPY && self.copy_at(offset) == slot
    }

    /// Forgets the copy at `offset` (it became terminal) and trims the
    /// terminal head.
    pub(crate) fn settle(&mut self, offset: u64) {
        if let Some(i) = offset.checked_sub(self.owed_base) {
            if let Some(s) = self.owed.get_mut(i as usize) {
                *s = NO_COPY;
            }
        }
        self.trim();
    }

    /// Drops the terminal head, so that `owed` starts at the oldest copy
    /// still owed.
    pub(crate) fn trim(&mut self) {
        while self.owed.front() == Some(&NO_COPY) {
            self.owed.pop_front();
            self.owed_base += 1;
        }
    }
}

impl World {
    /// Creates the next partition of topic `t`, its replicas (partition `p`
    /// on brokers `p, p+1, …` modulo the broker count: Kafka's round-robin
    /// assignment with a fixed starting broker) and its group records.
    pub(crate) fn add_partition(&mut self, t: u32, now: SimTime) -> u32 {
        let topic = &self.topics[t as usize];
        let index = topic.partitions.len() as u32;
        let brokers = self.brokers.len() as u32;
        let replicas: Vec<Replica> =
            (0..topic.replication_factor).map(|i| Replica::new((index + i) % brokers, self.brokers[((index + i) % brokers) as usize].alive)).collect();
        let leader = replicas.iter().position(|r| self.brokers[r.broker as usize].alive).map(|r| r as u32);
        let part = self.partitions.len() as u32;
        let groups = topic.groups.clone();
        let mut gps = Vec::new();
        let owners: Vec<Option<u32>> = if groups.is_empty() { vec![None] } else { groups.iter().map(|&g| Some(g)).collect() };
        for group in owners {
            let gp = self.gps.len() as u32;
            self.gps.push(GroupPartition {
                group,
                partition: part,
                committed: None,
                owner: None,
                last_owner: None,
                position: 0,
                owed_base: 0,
                owed: VecDeque::new(),
                unowned_since: Some(now),
                unowned_ns: 0,
            });
            if let Some(g) = group {
                self.groups[g as usize].gps.push(gp);
            }
            gps.push(gp);
        }
        self.partitions.push(Partition {
            topic: t,
            index,
            replicas,
            leader,
            epoch: 0,
            log_start: 0,
            hw: 0,
            log: VecDeque::new(),
            gps,
            pending_acks: VecDeque::new(),
            producer_seq: vec![-1; self.producers.len()],
            producer_batches: vec![VecDeque::new(); self.producers.len()],
            offline_since: if leader.is_none() { Some(now) } else { None },
            offline_ns: 0,
        });
        self.topics[t as usize].partitions.push(part);
        part
    }
}

impl World {
    /// Appends batch `batch` of log-family producer `kp` to the leader's log
    /// of partition `part`. The first append of a record turns its one ledger
    /// entry into one copy per group; a record whose copies are already in
    /// the log (a non-idempotent retry) is appended again with no copies,
    /// and every group will process it twice. Returns the offset after the
    /// batch's last record.
    pub(crate) fn append_batch<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32, kp: u32, b: u32) -> u64 {
        let t = self.partitions[part as usize].topic;
        let copies = self.topics[t as usize].copies();
        self.expand_copies(cx, kp, b, copies);
        let now = cx.now();
        let n = self.producers[kp as usize].batches[b as usize].records.len();
        for i in 0..n {
            let batch = &self.producers[kp as usize].batches[b as usize];
            let rec = batch.records[i];
            let entry = Entry {
                msg: rec.msg,
                appended: now,
                key: rec.key,
                keyed: self.producers[kp as usize].keyed,
                poison: rec.poison,
                non_critical: rec.non_critical,
                producer: kp,
                batch: b,
                serial: batch.serial,
                seq: batch.seq,
            };
            self.partitions[part as usize].log.push_back(entry);
            let offset = self.partitions[part as usize].leo() - 1;
            cx.note(Fact::Appended { partition: part, offset, msg: rec.msg, producer: kp });
            let mut owed_any = false;
            for j in 0..copies {
                let slot = std::mem::replace(&mut self.producers[kp as usize].batches[b as usize].slots[i * copies + j], NO_COPY);
                let gp = self.partitions[part as usize].gps[j];
                if slot != NO_COPY {
                    owed_any = true;
                    cx.set_state(slot, MsgState::Stored, LifeKind::Appended, part);
                    self.wait_enter(cx, gp, slot);
                }
                self.gps[gp as usize].owed.push_back(slot);
            }
            let stats = &mut self.topics[t as usize].stats;
            if owed_any {
                stats.appended += 1;
            } else {
                stats.duplicate_appends += 1;
                cx.record(LifeKind::DuplicateAppended, rec.msg, part, rec.key);
            }
        }
        cx.note_backlog();
        // The leader's own replica holds the whole log.
        let p = &mut self.partitions[part as usize];
        let leo = p.leo();
        if let Some(leader) = p.leader {
            p.replicas[leader as usize].leo = leo;
        }
        leo
    }

    /// Before a batch's first append, each record is one ledger entry; make
    /// it `copies` (the original plus copies − 1 new entries, as the ledger
    /// counts copies owed to destinations).
    fn expand_copies<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, kp: u32, b: u32, copies: usize) {
        let batch = &self.producers[kp as usize].batches[b as usize];
        if batch.stride as usize == copies {
            return;
        }
        let originals = batch.slots.clone();
        let mut slots = Vec::with_capacity(originals.len() * copies);
        for original in originals {
            slots.push(original);
            for _ in 1..copies {
                if original == NO_COPY {
                    slots.push(NO_COPY);
                    continue;
                }
                let copy = cx.store.get(original).clone();
                slots.push(cx.store.insert(copy));
                cx.ledger.enter(MsgState::Producing);
            }
        }
        let batch = &mut self.producers[kp as usize].batches[b as usize];
        batch.slots = slots;
        batch.stride = copies as u32;
    }

    /// Cuts partition `part`'s log back to `new_leo` (an election chose a
    /// leader with a shorter log). A truncated copy whose producer still
    /// holds the batch unanswered goes back to `producing`, to be appended
    /// again when the producer retries; any other stored copy is lost. A
    /// copy a consumer is processing stays with the consumer.
    pub(crate) fn truncate_log<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32, new_leo: u64) {
        let t = self.partitions[part as usize].topic as usize;
        while self.partitions[part as usize].leo() > new_leo {
            let p = &mut self.partitions[part as usize];
            let Some(entry) = p.log.pop_back() else { break };
            let offset = p.leo();
            self.topics[t].stats.truncated += 1;
            let p = &mut self.partitions[part as usize];
            // The idempotent producer's state comes from the log, so it is
            // truncated with it: the producer's last sequence is now the one
            // before this batch's.
            if let Some(seq) = p.producer_seq.get_mut(entry.producer as usize) {
                *seq = i64::from(entry.seq) - 1;
            }
            if let Some(batches) = p.producer_batches.get_mut(entry.producer as usize) {
                if batches.back().is_some_and(|&(seq, _)| seq == entry.seq) {
                    batches.pop_back();
                }
            }
            let gps = p.gps.clone();
            for (j, &gp) in gps.iter().enumerate() {
                let g = &mut self.gps[gp as usize];
                let slot = if offset >= g.owed_base && g.owed_base + (g.owed.len() as u64) > offset {
                    g.owed.pop_back().unwrap_or(NO_COPY)
                } else {
                    NO_COPY
                };
                if g.owed_base > offset {
                    g.owed_base = offset;
                }
                if slot == NO_COPY || cx.store.get(slot).state != MsgState::Stored {
                    continue;
                }
                self.wait_leave(cx, gp, slot);
                match self.producers[entry.producer as usize].pending_record(entry.batch, entry.serial, entry.msg) {
                    Some(i) => {
                        let copies = self.producers[entry.producer as usize].batches[entry.batch as usize].stride as usize;
                        cx.set_state(slot, MsgState::Producing, LifeKind::Reverted, part);
                        self.producers[entry.producer as usize].batches[entry.batch as usize].slots[i * copies + j] = slot;
                    }
                    None => {
                        cx.set_state(slot, MsgState::Lost, LifeKind::Truncated, part);
                        self.topics[t].stats.lost += 1;
                        if let Some(g) = self.gps[gp as usize].group {
                            self.groups[g as usize].stats.lost += 1;
                        }
                    }
                }
            }
        }
        let p = &mut self.partitions[part as usize];
        if new_leo < p.log_start {
            // The new leader (an unclean election's) ends before the old
            // log's start: retention deleted everything it lacks. Its log is
            // empty and starts at its own end, so its next append gets
            // `new_leo` again, as Kafka's would: offsets are reused.
            p.log_start = new_leo;
            for &gp in &p.gps {
                let g = &mut self.gps[gp as usize];
                if g.owed.is_empty() && g.owed_base > new_leo {
                    g.owed_base = new_leo;
                }
            }
        }
        p.hw = p.hw.min(new_leo);
        p.pending_acks.retain(|a| a.end <= new_leo);
    }

    /// Applies every topic's retention: records older than the retention
    /// time, or beyond the retained record count, are deleted from the head
    /// of the log — but only below the high watermark, as Kafka deletes only
    /// segments that are fully committed. Kafka deletes whole segments;
    /// mqsim deletes record by record.
    pub(crate) fn retention_check<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>) {
        let now = cx.now();
        for part in 0..self.partitions.len() as u32 {
            let t = self.partitions[part as usize].topic as usize;
            let (time, records) = (self.topics[t].retention_time, self.topics[t].retention_records);
            loop {
                let p = &self.partitions[part as usize];
                let Some(head) = p.log.front() else { break };
                let too_old = time.is_some_and(|limit| now.saturating_sub(head.appended) > limit);
                let too_many = records.is_some_and(|limit| p.log.len() as u64 > limit);
                if !(too_old || too_many) || p.log_start >= p.hw {
                    break;
                }
                self.delete_head(cx, part);
            }
        }
        let every = self.cluster.retention_check_interval;
        self.kafka_after(cx, every, super::Event::RetentionCheck);
    }

    /// Deletes the first record of a partition's log; a copy still stored
    /// there expires (its group never read it).
    fn delete_head<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32) {
        let t = self.partitions[part as usize].topic as usize;
        let p = &mut self.partitions[part as usize];
        let offset = p.log_start;
        let Some(entry) = p.log.pop_front() else { return };
        p.log_start += 1;
        let gps = p.gps.clone();
        cx.note(Fact::Deleted { partition: part, offset });
        for gp in gps {
            let g = &mut self.gps[gp as usize];
            if g.owed_base != offset {
                continue;
            }
            let slot = g.owed.pop_front().unwrap_or(NO_COPY);
            g.owed_base += 1;
            if slot != NO_COPY && cx.store.get(slot).state == MsgState::Stored {
                self.wait_leave(cx, gp, slot);
                cx.set_state(slot, MsgState::Expired, LifeKind::RetentionDeleted, part);
                self.topics[t].stats.expired += 1;
            }
            self.gps[gp as usize].trim();
        }
        let _ = entry;
    }

    /// Grows topic `t` to `total` partitions (Kafka can only add). Producers
    /// see the new count at once, so keyed records map anew, and every group
    /// reading the topic rebalances.
    pub(crate) fn add_partitions<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, t: u32, total: u32) {
        let Some(topic) = self.topics.get(t as usize) else { return };
        if total <= topic.partitions.len() as u32 {
            return;
        }
        while (self.topics[t as usize].partitions.len() as u32) < total {
            let part = self.add_partition(t, cx.sched.now());
            cx.record(LifeKind::PartitionAdded, 0, part, t);
        }
        for kp in 0..self.producers.len() {
            if self.producers[kp].topic == t {
                self.producers[kp].grow_partitions(total);
            }
        }
        let groups = self.topics[t as usize].groups.clone();
        for g in groups {
            self.start_rebalance(cx, g);
        }
    }
}
