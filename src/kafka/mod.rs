//! The log family of semantics (Apache Kafka): topics split into partitions,
//! each an append-only log replicated on several brokers, written by
//! batching producers and read by consumer groups that track offsets.
//!
//! One file per concept:
//!
//! - `partitioner.rs` — which partition a record goes to (murmur2, sticky,
//!   round-robin), exactly as Kafka's producer decides;
//! - `topic.rs` — topics, partition logs (log start, log end offset, high
//!   watermark), appends, truncation and retention, and the copies each
//!   consumer group is owed;
//! - `replication.rs` — brokers, follower fetching, the ISR, the controller's
//!   fencing and leader elections (clean and unclean), crash and restart;
//! - `producer.rs` — the record accumulator (linger, batch size), acks,
//!   retries with backoff and timeouts, max.in.flight and idempotence;
//! - `group.rs` and `assignor.rs` — consumer groups, membership, session
//!   timeouts and eager or cooperative rebalancing with the four assignors;
//! - `consumer.rs` — polling, processing (service times, concurrency,
//!   failures), the three commit modes, and crashes mid-batch;
//! - `ordering.rs` — the per-key out-of-order detector;
//! - `live.rs` — what the page changes while a run goes on: group size,
//!   commit mode (the other live commands reuse the faults' code);
//! - `view.rs` — what the summary and the series show of all this.
//!
//! How the ledger sees a record: a record is one ledger entry (`producing`)
//! while its producer holds it. When a leader first appends it, it becomes
//! one copy per consumer group subscribed to the topic (or one copy owed to
//! nobody, kept until retention deletes it, when no group reads the topic);
//! each copy is `stored` in the log until its group fetches it (`in_flight`)
//! and processes it (`processed`). A copy whose log entry is truncated away
//! is `lost` unless its producer still holds the batch and will retry it
//! (then it is `producing` again); one deleted by retention before its group
//! read it is `expired`; one skipped by an offset reset is `dropped`.

pub mod autoscale;
pub mod assignor;
mod consumer;
mod group;
mod live;
pub mod ordering;
pub mod partitioner;
mod producer;
mod replication;
mod topic;
pub mod view;

pub use group::{Group, Member, Phase};
pub use producer::KafkaProducer;
pub use replication::{Broker, Replica};
pub use topic::{Entry, GroupPartition, Partition, Topic};

use crate::context::Ctx;
use crate::message::Meta;
use crate::message::Slot;
use crate::scenario::{ClusterSpec, Scenario, ScenarioError};
use crate::time::SimTime;

/// A slot value meaning "no copy here": the copy is terminal, was never
/// owed (a duplicate append), or lives elsewhere.
pub(crate) const NO_COPY: Slot = Slot::MAX;

/// The log family's events. Every field is a small index so that the
/// engine's event stays small; anything larger lives in the world and is
/// looked up (and checked for staleness) when the event runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Group `group`'s autoscaler checks its lag.
    Autoscale { group: u32 },
    /// A member the autoscaler added has finished starting up.
    ScaledMemberStarts { member: u32 },
    /// A producer's batch has lingered for `linger` and may be sent.
    Linger { producer: u32, batch: u32, serial: u32 },
    /// A produce request reaches the broker it was sent to.
    ProduceArrive { producer: u32, batch: u32, attempt: u32 },
    /// The broker's answer to a produce request reaches the producer.
    ProduceResponse { producer: u32, batch: u32, attempt: u32 },
    /// A failed batch's retry backoff has passed.
    RetryBackoff { producer: u32, batch: u32, serial: u32 },
    /// A crashed broker's connections are seen to close, one network delay
    /// after the crash.
    ConnectionsClosed { broker: u32 },
    /// A producer's earliest request timeout or delivery deadline is due.
    ProducerTimer { producer: u32 },
    /// One fetch round of a follower replica completes.
    ReplicaFetch { partition: u32, replica: u32, epoch: u32 },
    /// Leaders check their followers against `replica.lag.time.max.ms`.
    IsrCheck,
    /// Brokers delete records past their topic's retention.
    RetentionCheck,
    /// The controller fences a broker whose session expired.
    Fence { broker: u32, epoch: u32 },
    /// A consumer calls `poll()`.
    Poll { member: u32, epoch: u32 },
    /// A consumer finishes processing record `index` of its current batch.
    ServiceDone { member: u32, index: u32, epoch: u32 },
    /// A consumer's auto-commit timer fires.
    AutoCommit { member: u32, epoch: u32, serial: u32 },
    /// The group coordinator gives up on a member that stopped heartbeating.
    SessionExpire { member: u32, epoch: u32 },
    /// A rebalance's SyncGroup round completes and assignments arrive.
    Sync { group: u32, generation: u32 },
}

/// The cluster-wide timings, resolved from the scenario.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub network_delay: SimTime,
    pub replica_fetch_delay: SimTime,
    pub replica_lag_time_max: SimTime,
    pub broker_session_timeout: SimTime,
    pub retention_check_interval: SimTime,
}

impl Cluster {
    fn from_spec(spec: &ClusterSpec) -> Cluster {
        Cluster {
            network_delay: spec.network_delay.0,
            replica_fetch_delay: spec.replica_fetch_delay.0,
            replica_lag_time_max: spec.replica_lag_time_max.0,
            broker_session_timeout: spec.broker_session_timeout.0,
            retention_check_interval: spec.retention_check_interval.0,
        }
    }
}

/// The topics, brokers, producers and consumer groups of a scenario, as
/// indexed data.
pub struct World {
    pub cluster: Cluster,
    pub brokers: Vec<Broker>,
    pub topics: Vec<Topic>,
    /// Every partition of every topic, in creation order; a topic lists its own.
    pub partitions: Vec<Partition>,
    /// One per (consumer group, partition): the group's offsets and the
    /// copies it is owed. A topic no group reads has one per partition with
    /// no group.
    pub gps: Vec<GroupPartition>,
    pub producers: Vec<KafkaProducer>,
    pub groups: Vec<Group>,
    pub members: Vec<Member>,
}

/// Where the world holds live copies, counted structurally (for the
/// ledger's cross-check).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Census {
    pub producing: u64,
    pub stored: u64,
    pub in_flight: u64,
}

impl World {
    pub(crate) fn build(scenario: &Scenario) -> Result<World, ScenarioError> {
        let cluster = scenario.cluster_or_default();
        let mut world = World {
            cluster: Cluster::from_spec(&cluster),
            brokers: (0..cluster.brokers).map(|id| Broker::new(id, cluster.replica_fetch_delay.0)).collect(),
            topics: Vec::new(),
            partitions: Vec::new(),
            gps: Vec::new(),
            producers: Vec::new(),
            groups: Vec::new(),
            members: Vec::new(),
        };
        if scenario.topics.is_empty() {
            return Ok(world);
        }
        world.groups = Group::build_all(scenario, &mut world.members)?;
        for (t, spec) in scenario.topics.iter().enumerate() {
            let groups: Vec<u32> = (0..world.groups.len() as u32).filter(|&g| world.groups[g as usize].topic == t as u32).collect();
            world.topics.push(Topic::new(spec, groups, scenario.final_partitions(t)));
            for _ in 0..spec.partitions {
                world.add_partition(t as u32, 0);
            }
        }
        world.producers = KafkaProducer::build_all(scenario, &world)?;
        Ok(world)
    }

    /// The scenario has no topics: nothing of the log family runs.
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }

    /// Counts the live copies where they are: held by producers' batches,
    /// owed in logs, and held by consumers.
    pub fn census(&self) -> Census {
        let live = |slot: Slot| slot != NO_COPY;
        let producing = self.producers.iter().map(|p| p.live_slots()).sum();
        let owed: u64 = self.gps.iter().map(|gp| gp.owed.iter().filter(|&&s| live(s)).count() as u64).sum();
        let mut in_flight = 0;
        let mut held_and_owed = 0;
        for member in &self.members {
            for held in member.batch.iter().filter(|h| live(h.slot) && !h.done) {
                in_flight += 1;
                if self.gps[held.gp as usize].owes(held.offset, held.slot) {
                    held_and_owed += 1;
                }
            }
        }
        Census { producing, stored: owed - held_and_owed, in_flight }
    }

    /// Each group's waiting line (`Group::waiting`), recounted from the logs
    /// and the batches: its stored copies plus the fetched ones no worker
    /// has started. The sample's cross-check compares the two.
    pub fn waiting_lines_match(&self) -> bool {
        let mut waiting = vec![0usize; self.groups.len()];
        for gp in &self.gps {
            let Some(g) = gp.group else { continue };
            waiting[g as usize] += gp.owed.iter().filter(|&&s| s != NO_COPY).count();
        }
        for member in &self.members {
            for held in member.batch.iter().filter(|h| h.slot != NO_COPY && !h.done) {
                let gp = &self.gps[held.gp as usize];
                let g = gp.group.expect("a member's batch comes from its group's partitions") as usize;
                // An owed copy in a batch was counted as stored above; it
                // waits only while no worker has started it.
                let owed = gp.owes(held.offset, held.slot);
                match (owed, held.running) {
                    (true, true) => waiting[g] -= 1,
                    (false, false) => waiting[g] += 1,
                    _ => {}
                }
            }
        }
        self.groups.iter().zip(&waiting).all(|(group, &n)| group.waiting == n)
    }

    /// The global index of member `instance` of the topic consumer `name`.
    pub fn member_index(&self, name: &str, instance: u32) -> Option<u32> {
        let g = self.groups.iter().position(|g| g.name == name)?;
        self.groups[g].members.get(instance as usize).copied()
    }
}

impl World {
    /// Runs one of the family's events (`Sim::handle` hands it over, with
    /// the context).
    pub(crate) fn handle<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, event: Event) {
        match event {
            Event::Linger { producer, batch, serial } => self.linger_expired(cx, producer, batch, serial),
            Event::ProduceArrive { producer, batch, attempt } => self.produce_arrive(cx, producer, batch, attempt),
            Event::ProduceResponse { producer, batch, attempt } => self.produce_response(cx, producer, batch, attempt),
            Event::RetryBackoff { producer, batch, serial } => self.retry_backoff(cx, producer, batch, serial),
            Event::ConnectionsClosed { broker } => self.connections_closed(cx, broker),
            Event::ProducerTimer { producer } => self.producer_timer(cx, producer),
            Event::ReplicaFetch { partition, replica, epoch } => self.replica_fetch(cx, partition, replica, epoch),
            Event::IsrCheck => self.isr_check(cx),
            Event::RetentionCheck => self.retention_check(cx),
            Event::Fence { broker, epoch } => self.fence(cx, broker, epoch),
            Event::Poll { member, epoch } => self.poll_event(cx, member, epoch),
            Event::ServiceDone { member, index, epoch } => self.kafka_service_done(cx, member, index, epoch),
            Event::AutoCommit { member, epoch, serial } => self.auto_commit(cx, member, epoch, serial),
            Event::SessionExpire { member, epoch } => self.session_expire(cx, member, epoch),
            Event::Sync { group, generation } => self.sync_group(cx, group, generation),
            Event::Autoscale { group } => self.group_autoscale_check(cx, group),
            Event::ScaledMemberStarts { member } => self.scaled_member_starts(cx, member),
        }
    }

    /// Schedules what the log family needs from the start: the first ISR
    /// and retention checks, and the initial members' joins. Does nothing
    /// (draws nothing, schedules nothing) in a scenario without topics.
    pub(crate) fn start_kafka<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>) {
        if self.is_empty() {
            return;
        }
        let lag_max = self.cluster.replica_lag_time_max;
        cx.sched.after((lag_max / 2).max(1), E::from(Event::IsrCheck));
        let retention = self.cluster.retention_check_interval;
        cx.sched.after(retention, E::from(Event::RetentionCheck));
        for g in 0..self.groups.len() as u32 {
            self.start_group(cx, g);
        }
        self.start_group_scalers(cx);
    }

    /// Schedules a log-family event `delay` from now.
    pub(crate) fn kafka_after<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, delay: SimTime, event: Event) {
        cx.sched.after(delay, E::from(event));
    }
}
