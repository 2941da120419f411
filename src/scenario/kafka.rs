//! The scenario types of the log family (Apache Kafka): the cluster, topics,
//! the `kafka` settings of producers and consumers, and the faults that only
//! the log family understands. Their range and reference checks live here
//! too, called from `validate.rs`, so that the family's rules sit together.
//!
//! Every default below is Apache Kafka's own (4.0, KRaft) unless its comment
//! says why mqsim differs.

use serde::Serialize;

use super::{ConsumerSpec, FaultAction, ProducerSpec, Scenario, ScenarioError};
use crate::json::Num;
use crate::time::{Duration, NANOS_PER_MILLI, NANOS_PER_SEC};

/// The most brokers in a cluster.
pub const MAX_BROKERS: u32 = 64;
/// The most partitions in one topic (after any `add_partitions` fault).
pub const MAX_PARTITIONS: u32 = 1_024;
/// The most distinct keys a producer may cycle through on a topic; the
/// per-key ordering detector keeps one number per key and group.
pub const MAX_KEYS: u32 = 1_000_000;

type Check = Result<(), ScenarioError>;

fn fail(path: impl Into<String>, message: impl Into<String>) -> Check {
    Err(ScenarioError::invalid(path, message))
}

fn ms(n: u64) -> Duration {
    Duration(n * NANOS_PER_MILLI)
}

fn secs(n: u64) -> Duration {
    Duration(n * NANOS_PER_SEC)
}

fn one() -> u32 {
    1
}

/// The brokers and the timings they share.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterSpec {
    /// How many brokers, numbered from 0. Default 1.
    pub brokers: u32,
    /// One-way network delay between a client and a broker. Default "1ms".
    pub network_delay: Duration,
    /// How long one follower fetch round takes: from the leader's append to
    /// the follower's next fetch, which tells the leader what it now holds.
    /// Default "5ms".
    pub replica_fetch_delay: Duration,
    /// `replica.lag.time.max.ms`: a follower that has not caught up with the
    /// leader's log end for this long leaves the ISR. Default "30s".
    pub replica_lag_time_max: Duration,
    /// `broker.session.timeout.ms`: the controller fences a broker that
    /// stopped heartbeating after this long, removing it from every ISR and
    /// electing new leaders for its partitions. Default "9s".
    pub broker_session_timeout: Duration,
    /// `log.retention.check.interval.ms`: how often brokers delete records
    /// past their topic's retention. Default "5m".
    pub retention_check_interval: Duration,
}

crate::json::read_struct!(ClusterSpec {
    brokers = one,
    network_delay = default_network_delay,
    replica_fetch_delay = default_replica_fetch_delay,
    replica_lag_time_max = default_replica_lag_time_max,
    broker_session_timeout = default_broker_session_timeout,
    retention_check_interval = default_retention_check_interval,
});

fn default_network_delay() -> Duration {
    ms(1)
}
fn default_replica_fetch_delay() -> Duration {
    ms(5)
}
fn default_replica_lag_time_max() -> Duration {
    secs(30)
}
fn default_broker_session_timeout() -> Duration {
    secs(9)
}
fn default_retention_check_interval() -> Duration {
    secs(300)
}

impl Default for ClusterSpec {
    fn default() -> Self {
        ClusterSpec {
            brokers: 1,
            network_delay: default_network_delay(),
            replica_fetch_delay: default_replica_fetch_delay(),
            replica_lag_time_max: default_replica_lag_time_max(),
            broker_session_timeout: default_broker_session_timeout(),
            retention_check_interval: default_retention_check_interval(),
        }
    }
}

/// A topic: `partitions` append-only logs, each replicated on
/// `replication_factor` brokers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopicSpec {
    pub name: String,
    /// Default 1.
    pub partitions: u32,
    /// Copies of each partition, on distinct brokers. Default 1.
    pub replication_factor: u32,
    /// `min.insync.replicas`: with `acks=all`, a write is refused with
    /// NotEnoughReplicas while the ISR is smaller than this. Default 1.
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable`: when no in-sync replica is alive,
    /// elect an out-of-sync one (and lose what it lacks) rather than keep
    /// the partition offline. Default false.
    pub unclean_leader_election: bool,
    /// How long and how much each partition keeps. Default 7 days, no size limit.
    pub retention: RetentionSpec,
}

crate::json::read_struct!(TopicSpec {
    name,
    partitions = one,
    replication_factor = one,
    min_insync_replicas = one,
    unclean_leader_election = Default::default,
    retention = Default::default,
});

/// A topic's retention; a record is deleted when either limit is passed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RetentionSpec {
    /// `retention.ms`: records older than this are deleted. Default "7d";
    /// null keeps records forever.
    pub time: Option<Duration>,
    /// `retention.bytes`, counted in records (mqsim has no payload sizes):
    /// each partition keeps at most this many. Default none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
}

crate::json::read_struct!(RetentionSpec {
    time = default_retention_time,
    records = Default::default,
});

fn default_retention_time() -> Option<Duration> {
    Some(Duration(7 * 86_400 * NANOS_PER_SEC))
}

impl Default for RetentionSpec {
    fn default() -> Self {
        RetentionSpec { time: default_retention_time(), records: None }
    }
}

/// `acks`: how many replicas must have a batch before the leader answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Acks {
    /// The producer does not wait for any answer.
    #[serde(rename = "0")]
    Zero,
    /// The leader answers once it has appended the batch.
    #[serde(rename = "1")]
    One,
    /// The leader answers once every in-sync replica has the batch.
    #[default]
    #[serde(rename = "all")]
    All,
}

crate::json::read_enum!(Acks { "0" => Zero, "1" => One, "-1" | "all" => All });

/// Where a producer's records go among a topic's partitions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionerKind {
    /// Kafka's built-in partitioner: murmur2 of the key for keyed records,
    /// sticky batches for unkeyed ones.
    #[default]
    Default,
    /// Kafka's `RoundRobinPartitioner`: every record to the next partition,
    /// keyed or not (it ignores keys, so a key's records spread out).
    RoundRobin,
}

crate::json::read_enum!(PartitionerKind { "default" => Default, "round_robin" => RoundRobin });

/// A producer's Kafka settings (`"kafka": {...}` on a producer with a `topic`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProducerKafka {
    /// Default "all".
    pub acks: Acks,
    /// `linger.ms`: how long a batch waits for more records. Default "5ms".
    pub linger: Duration,
    /// `batch.size`, counted in records (Kafka counts 16,384 bytes, about a
    /// hundred small records). Default 100.
    pub batch_size: u32,
    /// Retries of a failed batch. Default 2147483647 (Kafka's `MAX_INT`: the
    /// delivery timeout is what bounds them).
    pub retries: u32,
    /// `retry.backoff.ms`: how long a failed batch waits before it is sent
    /// again, back at the head of its partition's queue (an idempotent
    /// producer's in sequence order), holding back the batches behind it.
    /// Default "100ms".
    pub retry_backoff: Duration,
    /// `request.timeout.ms`: a request without an answer this long fails
    /// and closes its connection, so every request on it fails and is
    /// retried. Default "30s".
    pub request_timeout: Duration,
    /// `delivery.timeout.ms`: a batch not acknowledged this long after its
    /// first record fails for good. Default "120s".
    pub delivery_timeout: Duration,
    /// `max.in.flight.requests.per.connection`, counted per partition.
    /// Default 5.
    pub max_in_flight: u32,
    /// `enable.idempotence`. Default: on when acks is "all" and
    /// max_in_flight is at most 5, as Kafka 3.2+ decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotent: Option<bool>,
    /// Default "default".
    pub partitioner: PartitionerKind,
}

crate::json::read_struct!(ProducerKafka {
    acks = Default::default,
    linger = default_linger,
    batch_size = default_batch_size,
    retries = default_retries,
    retry_backoff = default_retry_backoff,
    request_timeout = default_request_timeout,
    delivery_timeout = default_delivery_timeout,
    max_in_flight = default_max_in_flight,
    idempotent = Default::default,
    partitioner = Default::default,
});

fn default_linger() -> Duration {
    ms(5)
}
fn default_batch_size() -> u32 {
    100
}
fn default_retries() -> u32 {
    i32::MAX as u32
}
fn default_retry_backoff() -> Duration {
    ms(100)
}
fn default_request_timeout() -> Duration {
    secs(30)
}
fn default_delivery_timeout() -> Duration {
    secs(120)
}
fn default_max_in_flight() -> u32 {
    5
}

impl Default for ProducerKafka {
    fn default() -> Self {
        ProducerKafka {
            acks: Acks::default(),
            linger: default_linger(),
            batch_size: default_batch_size(),
            retries: default_retries(),
            retry_backoff: default_retry_backoff(),
            request_timeout: default_request_timeout(),
            delivery_timeout: default_delivery_timeout(),
            max_in_flight: default_max_in_flight(),
            idempotent: None,
            partitioner: PartitionerKind::default(),
        }
    }
}

impl ProducerKafka {
    /// Whether the producer is idempotent, applying Kafka's default.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent.unwrap_or(self.acks == Acks::All && self.max_in_flight <= 5)
    }
}

/// `partition.assignment.strategy`: how a group's partitions are shared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignorKind {
    /// `RangeAssignor`: consecutive runs of partitions (Kafka's default).
    #[default]
    Range,
    /// `RoundRobinAssignor`: partitions dealt out in turn.
    RoundRobin,
    /// `StickyAssignor`: balanced, keeping previous owners where it can;
    /// eager rebalancing.
    Sticky,
    /// `CooperativeStickyAssignor`: sticky, with incremental cooperative
    /// rebalancing (KIP-429): only partitions that move stop.
    CooperativeSticky,
}

crate::json::read_enum!(AssignorKind {
    "range" => Range,
    "round_robin" => RoundRobin,
    "sticky" => Sticky,
    "cooperative_sticky" => CooperativeSticky,
});

/// When a consumer commits its offsets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitMode {
    /// `enable.auto.commit`: a timer commits the positions (the offsets of
    /// records already handed to the application) every
    /// `auto_commit_interval`, processed or not.
    #[default]
    Auto,
    /// Commit after each polled batch is fully processed: at-least-once.
    AfterProcessing,
    /// Commit right after each poll, before processing: at-most-once.
    BeforeProcessing,
}

crate::json::read_enum!(CommitMode {
    "auto" => Auto,
    "after_processing" => AfterProcessing,
    "before_processing" => BeforeProcessing,
});

/// What may run in parallel inside one consumer when `concurrency` > 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessingOrder {
    /// Any records at once: a plain thread pool.
    #[default]
    Unordered,
    /// Never two records with the same key at once, so each key's records
    /// finish in offset order.
    Key,
    /// Never two records of the same partition at once.
    Partition,
}

crate::json::read_enum!(ProcessingOrder {
    "unordered" => Unordered,
    "key" => Key,
    "partition" => Partition,
});

/// `auto.offset.reset`: where a group starts when it has no committed offset
/// or its offset is out of the log's range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetReset {
    /// The log start. mqsim's default: Kafka's is latest, but mqsim's groups
    /// exist before the first record, so earliest is what a learner expects.
    #[default]
    Earliest,
    /// The high watermark: records before it are skipped (dropped).
    Latest,
}

crate::json::read_enum!(OffsetReset { "earliest" => Earliest, "latest" => Latest });

/// A consumer group's Kafka settings (`"kafka": {...}` on a consumer with a
/// `topic`). The consumer's `name` is the group id and `count` its members.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsumerKafka {
    /// Default "range".
    pub assignor: AssignorKind,
    /// Default "auto".
    pub commit: CommitMode,
    /// `auto.commit.interval.ms`. Default "5s".
    pub auto_commit_interval: Duration,
    /// `session.timeout.ms`: a member that stopped heartbeating (crashed) is
    /// removed from the group after this long. Default "45s".
    pub session_timeout: Duration,
    /// How long the JoinGroup and SyncGroup round trips take once every
    /// member has joined. Default "100ms".
    pub rebalance_delay: Duration,
    /// `max.poll.records`. Default 500.
    pub max_poll_records: u32,
    /// Records one member processes at once. Default 1.
    pub concurrency: u32,
    /// With concurrency above 1, what may run in parallel. Default "unordered".
    pub ordering: ProcessingOrder,
    /// Default "earliest".
    pub auto_offset_reset: OffsetReset,
    /// Members that join at the start; the others wait for a `join_group`
    /// (or `restart_consumer`) fault. Default: all of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_members: Option<u32>,
}

crate::json::read_struct!(ConsumerKafka {
    assignor = Default::default,
    commit = Default::default,
    auto_commit_interval = default_auto_commit_interval,
    session_timeout = default_session_timeout,
    rebalance_delay = default_rebalance_delay,
    max_poll_records = default_max_poll_records,
    concurrency = one,
    ordering = Default::default,
    auto_offset_reset = Default::default,
    initial_members = Default::default,
});

fn default_auto_commit_interval() -> Duration {
    secs(5)
}
fn default_session_timeout() -> Duration {
    secs(45)
}
fn default_rebalance_delay() -> Duration {
    ms(100)
}
fn default_max_poll_records() -> u32 {
    500
}

impl Default for ConsumerKafka {
    fn default() -> Self {
        ConsumerKafka {
            assignor: AssignorKind::default(),
            commit: CommitMode::default(),
            auto_commit_interval: default_auto_commit_interval(),
            session_timeout: default_session_timeout(),
            rebalance_delay: default_rebalance_delay(),
            max_poll_records: default_max_poll_records(),
            concurrency: 1,
            ordering: ProcessingOrder::default(),
            auto_offset_reset: OffsetReset::default(),
            initial_members: None,
        }
    }
}

/// One broker: `{"broker": 0}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BrokerRef {
    pub broker: u32,
}

crate::json::read_struct!(BrokerRef { broker });

/// A broker's follower fetches slow down (a slow disk or network), or
/// recover: `{"broker": 2, "fetch_delay": "2s"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlowReplication {
    pub broker: u32,
    /// The broker's new fetch round time (the cluster's `replica_fetch_delay`
    /// restores it).
    pub fetch_delay: Duration,
}

crate::json::read_struct!(SlowReplication { broker, fetch_delay });

/// A topic grows to `partitions` partitions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AddPartitions {
    pub topic: String,
    /// The new total, above the current count.
    pub partitions: u32,
}

crate::json::read_struct!(AddPartitions { topic, partitions });

/// A consumer instance's processing slows down (factor > 1) or recovers
/// (factor 1): `{"consumer": "billing", "instance": 0, "factor": 5}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlowConsumer {
    pub consumer: String,
    pub instance: u32,
    /// Service times are multiplied by this.
    pub factor: f64,
}

crate::json::read_struct!(SlowConsumer { consumer, instance = Default::default, factor });

impl Scenario {
    /// The cluster, with defaults when the scenario has none.
    pub fn cluster_or_default(&self) -> ClusterSpec {
        self.cluster.clone().unwrap_or_default()
    }

    /// The index of the topic called `name`, or an error at `path` listing the topics.
    pub fn topic_index(&self, name: &str, path: &str) -> Result<u32, ScenarioError> {
        self.topics.iter().position(|t| t.name == name).map(|i| i as u32).ok_or_else(|| {
            ScenarioError::invalid(path, format!("no topic is named \"{name}\"; {}", known(self.topics.iter().map(|t| &t.name))))
        })
    }

    /// How many partitions `topic` has once every scheduled `add_partitions`
    /// fault has run (the series has a column for each from the start).
    pub fn final_partitions(&self, topic: usize) -> u32 {
        let spec = &self.topics[topic];
        self.faults
            .iter()
            .filter_map(|f| match &f.action {
                FaultAction::AddPartitions(add) if add.topic == spec.name => Some(add.partitions),
                _ => None,
            })
            .fold(spec.partitions, u32::max)
    }

    pub(super) fn check_cluster(&self) -> Check {
        let Some(cluster) = &self.cluster else { return Ok(()) };
        if cluster.brokers == 0 || cluster.brokers > MAX_BROKERS {
            return fail("cluster.brokers", format!("must be from 1 to {MAX_BROKERS}, got {}", cluster.brokers));
        }
        if cluster.replica_fetch_delay.0 == 0 {
            return fail("cluster.replica_fetch_delay", "must be above 0s");
        }
        if cluster.replica_lag_time_max.0 < NANOS_PER_MILLI {
            return fail("cluster.replica_lag_time_max", "must be at least 1ms");
        }
        if cluster.retention_check_interval.0 < NANOS_PER_MILLI {
            return fail("cluster.retention_check_interval", "must be at least 1ms");
        }
        Ok(())
    }

    pub(super) fn check_topics(&self) -> Check {
        let brokers = self.cluster_or_default().brokers;
        for (i, topic) in self.topics.iter().enumerate() {
            let path = format!("topics[{i}]");
            if topic.partitions == 0 || topic.partitions > MAX_PARTITIONS {
                return fail(format!("{path}.partitions"), format!("must be from 1 to {MAX_PARTITIONS}, got {}", topic.partitions));
            }
            if topic.replication_factor == 0 || topic.replication_factor > brokers {
                return fail(
                    format!("{path}.replication_factor"),
                    format!(
                        "must be from 1 to the cluster's {brokers} broker(s), got {} (each replica needs its own broker; raise cluster.brokers)",
                        topic.replication_factor
                    ),
                );
            }
            if topic.min_insync_replicas == 0 || topic.min_insync_replicas > topic.replication_factor {
                return fail(
                    format!("{path}.min_insync_replicas"),
                    format!(
                        "must be from 1 to the replication factor ({}), got {}",
                        topic.replication_factor, topic.min_insync_replicas
                    ),
                );
            }
            if topic.retention.time.is_some_and(|t| t.0 == 0) {
                return fail(format!("{path}.retention.time"), "must be above 0s (null keeps records forever)");
            }
            if topic.retention.records == Some(0) {
                return fail(format!("{path}.retention.records"), "must be at least 1 (omit it for no size limit)");
            }
        }
        Ok(())
    }

    /// Checks a producer that writes to a topic (its `topic` and `kafka`).
    pub(super) fn check_topic_producer(&self, producer: &ProducerSpec, topic: &str, path: &str) -> Check {
        self.topic_index(topic, &format!("{path}.topic"))?;
        if producer.keys > MAX_KEYS {
            return fail(format!("{path}.keys"), format!("must be at most {MAX_KEYS} on a topic, got {}", producer.keys));
        }
        if producer.first_key + producer.keys > MAX_KEYS {
            return fail(format!("{path}.first_key"), format!("first_key + keys must be at most {MAX_KEYS} on a topic, got {}", producer.first_key + producer.keys));
        }
        let Some(k) = &producer.kafka else { return Ok(()) };
        let path = format!("{path}.kafka");
        if k.batch_size == 0 {
            return fail(format!("{path}.batch_size"), "must be at least 1 record");
        }
        if k.max_in_flight == 0 {
            return fail(format!("{path}.max_in_flight"), "must be at least 1");
        }
        if k.request_timeout.0 == 0 {
            return fail(format!("{path}.request_timeout"), "must be above 0s");
        }
        // Kafka's own rule (KafkaProducer's ConfigException): the delivery
        // timeout must leave room for lingering and one request.
        if k.delivery_timeout.0 < k.linger.0.saturating_add(k.request_timeout.0) {
            return fail(
                format!("{path}.delivery_timeout"),
                format!(
                    "must be at least linger + request_timeout ({} + {}), got {}",
                    k.linger, k.request_timeout, k.delivery_timeout
                ),
            );
        }
        if k.idempotent == Some(true) {
            if k.acks != Acks::All {
                return fail(format!("{path}.idempotent"), "an idempotent producer needs acks \"all\" (Kafka refuses the combination)");
            }
            if k.max_in_flight > 5 {
                return fail(
                    format!("{path}.idempotent"),
                    format!("an idempotent producer allows max_in_flight up to 5, got {}", k.max_in_flight),
                );
            }
            if k.retries == 0 {
                return fail(format!("{path}.idempotent"), "an idempotent producer needs retries above 0");
            }
        }
        Ok(())
    }

    /// Checks a consumer group that reads a topic (its `topic` and `kafka`).
    pub(super) fn check_topic_consumer(&self, consumer: &ConsumerSpec, topic: &str, path: &str) -> Check {
        self.topic_index(topic, &format!("{path}.topic"))?;
        if consumer.prefetch != 1 {
            return fail(
                format!("{path}.prefetch"),
                "applies to queue consumers; a topic consumer fetches up to kafka.max_poll_records",
            );
        }
        if consumer.ack != super::AckMode::Manual {
            return fail(format!("{path}.ack"), "applies to queue consumers; a topic consumer commits offsets (kafka.commit)");
        }
        let Some(k) = &consumer.kafka else { return Ok(()) };
        let path = format!("{path}.kafka");
        if k.max_poll_records == 0 {
            return fail(format!("{path}.max_poll_records"), "must be at least 1");
        }
        if k.concurrency == 0 || k.concurrency > 1_000 {
            return fail(format!("{path}.concurrency"), format!("must be from 1 to 1000, got {}", k.concurrency));
        }
        if k.auto_commit_interval.0 < NANOS_PER_MILLI {
            return fail(format!("{path}.auto_commit_interval"), "must be at least 1ms");
        }
        if k.session_timeout.0 == 0 {
            return fail(format!("{path}.session_timeout"), "must be above 0s");
        }
        if k.initial_members.is_some_and(|n| n > consumer.count) {
            return fail(
                format!("{path}.initial_members"),
                format!("must be at most the consumer's count ({}), got {}", consumer.count, k.initial_members.unwrap_or(0)),
            );
        }
        Ok(())
    }

    /// Checks a fault of the log family; `path` is `faults[i].action`.
    pub(super) fn check_kafka_fault(&self, action: &FaultAction, path: &str) -> Check {
        let brokers = self.cluster_or_default().brokers;
        let broker_ok = |variant: &str, broker: u32| -> Check {
            if self.topics.is_empty() {
                return fail(format!("{path}.{variant}"), "the scenario has no topics, so no brokers");
            }
            if broker >= brokers {
                return fail(format!("{path}.{variant}.broker"), format!("the cluster has brokers 0 to {}, not {broker}", brokers - 1));
            }
            Ok(())
        };
        match action {
            FaultAction::CrashBroker(b) => broker_ok("crash_broker", b.broker),
            FaultAction::RestartBroker(b) => broker_ok("restart_broker", b.broker),
            FaultAction::SlowReplication(s) => {
                broker_ok("slow_replication", s.broker)?;
                if s.fetch_delay.0 == 0 {
                    return fail(format!("{path}.slow_replication.fetch_delay"), "must be above 0s");
                }
                Ok(())
            }
            FaultAction::AddPartitions(add) => {
                let t = self.topic_index(&add.topic, &format!("{path}.add_partitions.topic"))? as usize;
                if add.partitions <= self.topics[t].partitions || add.partitions > MAX_PARTITIONS {
                    return fail(
                        format!("{path}.add_partitions.partitions"),
                        format!(
                            "must be above the topic's {} partition(s) and at most {MAX_PARTITIONS}, got {} (Kafka cannot remove partitions)",
                            self.topics[t].partitions, add.partitions
                        ),
                    );
                }
                Ok(())
            }
            FaultAction::JoinGroup(target)
            | FaultAction::LeaveGroup(target)
            | FaultAction::PauseConsumer(target)
            | FaultAction::ResumeConsumer(target) => {
                let variant = match action {
                    FaultAction::JoinGroup(_) => "join_group",
                    FaultAction::LeaveGroup(_) => "leave_group",
                    FaultAction::PauseConsumer(_) => "pause_consumer",
                    _ => "resume_consumer",
                };
                self.check_topic_member(variant, &target.consumer, target.instance, path)
            }
            FaultAction::SkipNonCritical(group) => self.check_topic_member("skip_non_critical", &group.consumer, 0, path),
            FaultAction::SlowConsumer(slow) => {
                self.check_topic_member("slow_consumer", &slow.consumer, slow.instance, path)?;
                if !(slow.factor.is_finite() && slow.factor >= 1.0 && slow.factor <= 1_000.0) {
                    return fail(
                        format!("{path}.slow_consumer.factor"),
                        format!("must be a number from 1 (normal speed) to 1000, got {}", Num(slow.factor)),
                    );
                }
                Ok(())
            }
            // Other families' faults are checked by their own rules.
            _ => Ok(()),
        }
    }

    fn check_topic_member(&self, variant: &str, name: &str, instance: u32, path: &str) -> Check {
        let Some(consumer) = self.consumers.iter().find(|c| c.name == name) else {
            return fail(
                format!("{path}.{variant}.consumer"),
                format!("no consumer is named \"{name}\"; {}", known(self.consumers.iter().map(|c| &c.name))),
            );
        };
        if consumer.topic.is_none() {
            return fail(
                format!("{path}.{variant}.consumer"),
                format!("\"{name}\" consumes a queue; {variant} applies to topic consumers (Kafka consumer groups)"),
            );
        }
        if instance >= consumer.count {
            return fail(
                format!("{path}.{variant}.instance"),
                format!("consumer \"{name}\" has instances 0 to {}, not {instance}", consumer.count - 1),
            );
        }
        Ok(())
    }
}

fn known<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<_> = names.map(|n| format!("\"{n}\"")).collect();
    if names.is_empty() { "there are none".to_string() } else { format!("known: {}", names.join(", ")) }
}
