//! Brokers and replication: followers fetching from their leader, the high
//! watermark, the in-sync replica set (ISR), the controller's fencing of dead
//! brokers and its leader elections, and broker crashes and restarts.
//!
//! The rules follow Apache Kafka (KRaft mode):
//!
//! - A follower fetches from its leader in rounds of `replica_fetch_delay`.
//!   Each fetch request carries the follower's log end offset, and its
//!   response brings everything up to the leader's log end; the leader
//!   learns that the follower has those records only from its next fetch,
//!   a round later. The high watermark is the smallest log end offset the
//!   leader knows of in the ISR. So a record reaches the followers before it
//!   is committed, and a leader that dies in between leaves followers with
//!   records their producer was never told about.
//! - A follower is caught up when its fetch reaches the leader's log end as
//!   of its previous fetch (`Replica.updateFetchState`); the leader removes
//!   a follower from the ISR when it has not been caught up for
//!   `replica.lag.time.max.ms`, and adds it back once it reaches the high
//!   watermark.
//! - The controller fences a broker whose heartbeats stopped for
//!   `broker.session.timeout.ms`: it leaves every ISR, and each partition it
//!   led gets the first live in-sync replica in assignment order as leader
//!   (a clean election). The ISR never becomes empty: when its last member
//!   dies it stays the ISR, and the partition has no leader until it
//!   returns. With `unclean.leader.election.enable`, a partition with no
//!   live in-sync replica takes any live replica instead, losing what that
//!   replica lacked; without it the partition stays offline.
//!
//! Simplification: a broker's failure is a crash of the process; its log
//! survives on disk, so a broker that restarts before it is fenced resumes
//! leading with everything it had.

use super::{Event, NO_COPY};
use super::World;
use crate::context::Ctx;
use crate::message::Meta;
use crate::observe::{Fact, LifeKind};
use crate::time::SimTime;

/// One broker.
pub struct Broker {
    pub id: u32,
    pub alive: bool,
    /// The controller has fenced it (it died and its session expired).
    pub fenced: bool,
    /// Bumped at every crash, so that a fencing scheduled before a restart
    /// is recognised as stale.
    pub epoch: u32,
    /// How long one of its follower fetch rounds takes (a `slow_replication`
    /// fault changes it).
    pub fetch_delay: SimTime,
    /// When it last crashed: a request sent to it before the producer
    /// learned of that crash (one network delay later) went out on a
    /// connection the crash closed.
    pub crashed_at: Option<SimTime>,
    /// Producers have seen its connections close and it has not restarted:
    /// a connection to it is refused, so they send it nothing.
    pub refuses_connections: bool,
}

impl Broker {
    pub(crate) fn new(id: u32, fetch_delay: SimTime) -> Broker {
        Broker { id, alive: true, fenced: false, epoch: 0, fetch_delay, crashed_at: None, refuses_connections: false }
    }
}

/// One replica of a partition, on one broker.
pub struct Replica {
    pub broker: u32,
    /// How much of the partition's log it holds.
    pub leo: u64,
    pub in_isr: bool,
    /// The log end offset the leader last heard from this follower.
    pub reported: u64,
    /// Kafka's `lastCaughtUpTimeMs`.
    pub caught_up_at: SimTime,
    last_fetch_leader_leo: u64,
    last_fetch_at: SimTime,
    /// A fetch round is in progress (a `ReplicaFetch` event is pending).
    fetching: bool,
    /// Identifies the current fetch loop, so that a round scheduled before
    /// an election or a crash is recognised as stale.
    fetch_gen: u32,
}

impl Replica {
    pub(crate) fn new(broker: u32, alive: bool) -> Replica {
        Replica {
            broker,
            leo: 0,
            in_isr: alive,
            reported: 0,
            caught_up_at: 0,
            last_fetch_leader_leo: 0,
            last_fetch_at: 0,
            fetching: false,
            fetch_gen: 0,
        }
    }
}

/// How a produce request ended, as the broker answers it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Outcome {
    #[default]
    Ok,
    /// The broker is not (or no longer) the partition's leader.
    NotLeader,
    /// acks=all and the ISR is smaller than min.insync.replicas: refused.
    NotEnoughReplicas,
    /// acks=all: appended, but the ISR shrank below min.insync.replicas
    /// before the high watermark passed the batch.
    NotEnoughReplicasAfterAppend,
    /// An idempotent producer's batch arrived ahead of an earlier one.
    OutOfOrderSequence,
    /// The connection to the broker closed (it crashed): every request in
    /// flight on it failed at once.
    Disconnected,
    /// A request on the connection went unanswered for `request.timeout.ms`:
    /// the producer closed the connection, failing every request on it.
    Timeout,
}

impl World {
    /// A broker dies. The requests waiting at it for their acknowledgement
    /// are never answered, and requests on their way to it never arrive;
    /// its connections close, and one network delay later the producers see
    /// it (`ConnectionsClosed`: every request in flight to it fails at
    /// once). Its followers stop fetching, and the controller will fence it
    /// after the cluster's broker session timeout. The scheduled
    /// `crash_broker` fault calls this; so can the page.
    pub(crate) fn crash_broker<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, b: u32) {
        let now = cx.now();
        let Some(broker) = self.brokers.get_mut(b as usize) else { return };
        if !broker.alive {
            return;
        }
        broker.alive = false;
        broker.crashed_at = Some(now);
        broker.epoch = broker.epoch.wrapping_add(1);
        let epoch = broker.epoch;
        cx.record(LifeKind::KafkaBrokerCrashed, 0, b, 0);
        for part in 0..self.partitions.len() as u32 {
            if self.partitions[part as usize].leader_broker() == Some(b) {
                self.partitions[part as usize].pending_acks.clear();
            }
        }
        let delay = self.cluster.network_delay;
        self.kafka_after(cx, delay, Event::ConnectionsClosed { broker: b });
        let timeout = self.cluster.broker_session_timeout;
        self.kafka_after(cx, timeout, Event::Fence { broker: b, epoch });
    }

    /// A crashed broker comes back. A partition it still leads (it was not
    /// fenced yet) resumes; an offline partition may elect it; otherwise its
    /// replicas are followers that catch up (and rejoin the ISR once they
    /// reach the high watermark). The scheduled `restart_broker` fault calls
    /// this; so can the page.
    pub(crate) fn restart_broker<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, b: u32) {
        let Some(broker) = self.brokers.get_mut(b as usize) else { return };
        if broker.alive {
            return;
        }
        broker.alive = true;
        broker.fenced = false;
        // Producers connect again (mqsim leaves out `reconnect.backoff.ms`).
        broker.refuses_connections = false;
        cx.record(LifeKind::KafkaBrokerRestarted, 0, b, 0);
        for part in 0..self.partitions.len() as u32 {
            let p = &self.partitions[part as usize];
            let Some(r) = p.replicas.iter().position(|r| r.broker == b) else { continue };
            match p.leader {
                Some(leader) if leader as usize == r => {
                    self.wake_followers(cx, part);
                    self.partition_ready(cx, part);
                }
                None => self.elect(cx, part),
                Some(_) => self.start_fetch(cx, part, r as u32),
            }
        }
    }

    /// Sets how long broker `b`'s follower fetch rounds take.
    pub fn set_replication_delay(&mut self, b: u32, delay: SimTime) {
        if let Some(broker) = self.brokers.get_mut(b as usize) {
            broker.fetch_delay = delay.max(1);
        }
    }

    /// The controller fences a broker whose session expired: it leaves every
    /// ISR, and the partitions it led elect new leaders.
    pub(crate) fn fence<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, b: u32, epoch: u32) {
        let broker = &mut self.brokers[b as usize];
        if broker.alive || broker.epoch != epoch {
            return;
        }
        broker.fenced = true;
        cx.record(LifeKind::BrokerFenced, 0, b, 0);
        for part in 0..self.partitions.len() as u32 {
            let p = &mut self.partitions[part as usize];
            let Some(r) = p.replicas.iter().position(|r| r.broker == b) else { continue };
            // The ISR never becomes empty: its last member stays in it, so
            // that a clean election can pick it when it returns (the
            // partition is leaderless meanwhile).
            if p.replicas[r].in_isr && p.isr_size() > 1 {
                p.replicas[r].in_isr = false;
                cx.record(LifeKind::IsrShrunk, 0, part, b);
            }
            if self.partitions[part as usize].leader == Some(r as u32) {
                self.elect(cx, part);
            } else {
                self.advance_hw(cx, part);
            }
        }
    }

    /// Elects a leader for `part`: the first live in-sync replica in
    /// assignment order (clean); failing that, with unclean election
    /// enabled, the first live replica; failing that, none (offline).
    pub(crate) fn elect<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32) {
        let now = cx.now();
        let p = &self.partitions[part as usize];
        let t = p.topic as usize;
        let alive = |r: &super::Replica| self.brokers[r.broker as usize].alive;
        let clean = p.replicas.iter().position(|r| r.in_isr && alive(r));
        let unclean = self.topics[t].unclean_leader_election;
        let choice = match clean {
            Some(r) => Some((r, false)),
            None if unclean => p.replicas.iter().position(alive).map(|r| (r, true)),
            None => None,
        };
        let Some((r, is_unclean)) = choice else {
            let p = &mut self.partitions[part as usize];
            p.leader = None;
            p.pending_acks.clear();
            if p.offline_since.is_none() {
                p.offline_since = Some(now);
            }
            cx.record(LifeKind::PartitionOffline, 0, part, 0);
            return;
        };
        let new_leo = p.replicas[r].leo;
        let old_hw = p.hw;
        if is_unclean {
            // Records below the high watermark were committed: acknowledged
            // to acks=all producers and visible to consumers. An unclean
            // election loses those the new leader lacks.
            self.topics[t].stats.truncated_committed += old_hw.saturating_sub(new_leo);
        }
        // KIP-101: every replica's log is cut back to the new leader's log
        // end where it diverges (here: where it is longer).
        if new_leo < self.partitions[part as usize].leo() {
            cx.note(Fact::Truncated { partition: part, leo: new_leo, unclean: is_unclean });
        }
        self.truncate_log(cx, part, new_leo);
        let p = &mut self.partitions[part as usize];
        for replica in &mut p.replicas {
            replica.leo = replica.leo.min(new_leo);
        }
        p.leader = Some(r as u32);
        p.epoch = p.epoch.wrapping_add(1);
        if is_unclean {
            for (q, replica) in p.replicas.iter_mut().enumerate() {
                replica.in_isr = q == r;
            }
        }
        // The new leader knows nothing yet of its followers' logs; the high
        // watermark waits for their fetches (it never moves backwards, except
        // through the truncation above).
        for replica in &mut p.replicas {
            replica.reported = 0;
            replica.caught_up_at = now;
            replica.last_fetch_at = now;
            replica.last_fetch_leader_leo = 0;
        }
        if let Some(since) = p.offline_since.take() {
            p.offline_ns += now - since;
        }
        let broker = p.replicas[r].broker;
        let kind = if is_unclean { LifeKind::UncleanLeaderElected } else { LifeKind::LeaderElected };
        cx.record(kind, 0, part, broker);
        if is_unclean {
            self.clamp_group_offsets(cx, part);
        }
        for q in 0..self.partitions[part as usize].replicas.len() as u32 {
            if q as usize != r {
                self.start_fetch(cx, part, q);
            }
        }
        self.advance_hw(cx, part);
        self.partition_ready(cx, part);
    }

    /// A partition has a (new or returning) leader: consumers waiting on it
    /// poll again and producers send what waited for it.
    fn partition_ready<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32) {
        self.wake_consumers(cx, part);
        self.drain_partition(cx, part);
    }

    /// Starts a follower's fetch loop (if its broker and the leader are up).
    pub(crate) fn start_fetch<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32, r: u32) {
        let p = &self.partitions[part as usize];
        let replica = &p.replicas[r as usize];
        let Some(leader) = p.leader else { return };
        if leader == r || !self.brokers[replica.broker as usize].alive {
            return;
        }
        if !self.brokers[p.replicas[leader as usize].broker as usize].alive {
            return;
        }
        let delay = self.brokers[replica.broker as usize].fetch_delay;
        let p = &mut self.partitions[part as usize];
        let replica = &mut p.replicas[r as usize];
        replica.fetching = true;
        replica.fetch_gen = replica.fetch_gen.wrapping_add(1);
        let epoch = replica.fetch_gen;
        self.kafka_after(cx, delay, Event::ReplicaFetch { partition: part, replica: r, epoch });
    }

    /// The leader appended: followers parked on a caught-up fetch get the new
    /// records (Kafka answers a waiting fetch as soon as data arrives).
    pub(crate) fn wake_followers<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32) {
        let now = cx.now();
        let p = &self.partitions[part as usize];
        let leader = p.leader;
        for r in 0..p.replicas.len() as u32 {
            let replica = &mut self.partitions[part as usize].replicas[r as usize];
            // A dead follower stays behind (and leaves the ISR by lag or fencing).
            if replica.fetching || leader == Some(r) || !self.brokers[replica.broker as usize].alive {
                continue;
            }
            // A parked follower was caught up until this instant.
            if replica.leo >= replica.last_fetch_leader_leo {
                replica.caught_up_at = now;
            }
            self.start_fetch(cx, part, r);
        }
    }

    /// A fetch of follower `r` reaches the leader: the leader learns what
    /// the follower holds (which may move it into the ISR and the high
    /// watermark up), and the follower receives everything up to the
    /// leader's log end, to be reported with its next fetch.
    pub(crate) fn replica_fetch<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32, r: u32, generation: u32) {
        let now = cx.now();
        let p = &mut self.partitions[part as usize];
        let leo = p.leo();
        let hw = p.hw;
        let leader = p.leader;
        let replica = &mut p.replicas[r as usize];
        if replica.fetch_gen != generation || !replica.fetching {
            return;
        }
        replica.fetching = false;
        if !self.brokers[replica.broker as usize].alive {
            return;
        }
        let Some(leader) = leader else { return };
        if leader == r || !self.brokers[p.replicas[leader as usize].broker as usize].alive {
            return;
        }
        let replica = &mut p.replicas[r as usize];
        let fetch_offset = replica.leo;
        // Kafka's Replica.updateFetchState: caught up if this fetch reaches
        // the leader's log end now, or its log end as of the previous fetch.
        if fetch_offset >= leo {
            replica.caught_up_at = now;
        } else if fetch_offset >= replica.last_fetch_leader_leo {
            replica.caught_up_at = replica.caught_up_at.max(replica.last_fetch_at);
        }
        replica.last_fetch_leader_leo = leo;
        replica.last_fetch_at = now;
        replica.reported = fetch_offset;
        replica.leo = leo;
        let broker = replica.broker;
        let expand = !replica.in_isr && fetch_offset >= hw;
        // Another round is needed while the leader does not yet know that the
        // follower holds its whole log; otherwise the fetch waits at the
        // leader (parked) until the next append.
        let behind = fetch_offset < leo;
        if expand {
            replica.in_isr = true;
            cx.record(LifeKind::IsrExpanded, 0, part, broker);
        }
        self.advance_hw(cx, part);
        if behind {
            self.start_fetch(cx, part, r);
        }
    }

    /// Moves the high watermark up to the smallest log end offset in the
    /// ISR; answers the acks=all requests it passed, and lets consumers see
    /// the newly committed records.
    pub(crate) fn advance_hw<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32) {
        let p = &mut self.partitions[part as usize];
        let Some(leader) = p.leader else { return };
        if !self.brokers[p.replicas[leader as usize].broker as usize].alive {
            return;
        }
        let leo = p.leo();
        let hw = p
            .replicas
            .iter()
            .enumerate()
            .filter(|(_, r)| r.in_isr)
            .map(|(q, r)| if q == leader as usize { leo } else { r.reported })
            .min()
            .unwrap_or(leo);
        if hw <= p.hw {
            return;
        }
        p.hw = hw;
        let t = p.topic as usize;
        let enough = p.isr_size() >= self.topics[t].min_insync_replicas;
        let mut done = Vec::new();
        while p.pending_acks.front().is_some_and(|a| a.end <= hw) {
            done.extend(p.pending_acks.pop_front());
        }
        for ack in done {
            // Kafka answers NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR
            // shrank below min.insync.replicas while the request waited.
            let outcome = if enough { Outcome::Ok } else { Outcome::NotEnoughReplicasAfterAppend };
            self.respond(cx, ack.producer, ack.batch, ack.attempt, outcome);
        }
        self.wake_consumers(cx, part);
    }

    /// Leaders drop followers that have not caught up for
    /// `replica.lag.time.max.ms` from the ISR (Kafka runs this check every
    /// half of that time).
    pub(crate) fn isr_check<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>) {
        let now = cx.now();
        let lag_max = self.cluster.replica_lag_time_max;
        for part in 0..self.partitions.len() as u32 {
            let p = &mut self.partitions[part as usize];
            let Some(leader) = p.leader else { continue };
            if !self.brokers[p.replicas[leader as usize].broker as usize].alive {
                continue;
            }
            let leo = p.leo();
            let mut shrunk = Vec::new();
            for (q, replica) in p.replicas.iter_mut().enumerate() {
                if q != leader as usize && replica.in_isr && replica.reported != leo && now - replica.caught_up_at > lag_max {
                    replica.in_isr = false;
                    shrunk.push(replica.broker);
                }
            }
            for broker in &shrunk {
                cx.record(LifeKind::IsrShrunk, 0, part, *broker);
            }
            if !shrunk.is_empty() {
                self.advance_hw(cx, part);
            }
        }
        self.kafka_after(cx, (lag_max / 2).max(1), Event::IsrCheck);
    }

    /// After an unclean election the log may be shorter than offsets groups
    /// already hold; like a consumer whose fetch is out of range, they move
    /// to the new log end.
    fn clamp_group_offsets<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32) {
        let leo = self.partitions[part as usize].leo();
        for i in 0..self.partitions[part as usize].gps.len() {
            let gp = self.partitions[part as usize].gps[i];
            let g = &self.gps[gp as usize];
            if let (Some(group), Some(committed)) = (g.group, g.committed) {
                if committed > leo {
                    cx.note(Fact::CommitMoved { group, partition: part, offset: leo });
                }
            }
            let g = &mut self.gps[gp as usize];
            g.committed = g.committed.map(|c| c.min(leo));
            g.position = g.position.min(leo);
            debug_assert!(g.owed.back().is_none_or(|&s| s == NO_COPY || g.owed_base + g.owed.len() as u64 <= leo));
        }
    }
}
