//! What the log family shows: its part of the summary and its columns of
//! the time series. Everything here reads the world; nothing changes it.

use serde::Serialize;

use super::Event;
use super::group::GroupStats;
use super::producer::ProducerStats;
use super::topic::TopicStats;
use super::World;
use crate::context::Ctx;
use crate::message::Meta;
use crate::scenario::{Acks, AssignorKind, CommitMode, Scenario};
use crate::time::readable_ms;
use crate::scenario::Target;
use crate::theory::{Model, Overlay, Theory, TheoryNote};
use crate::time::{SimTime, as_millis_f64};

/// The series columns of the log family, after the queue depths: the
/// out-of-order count, then per group G:
///
/// - `lag.G`: its lag (high watermark minus committed offset, summed over
///   partitions);
/// - `active.G`: the partitions it is consuming (owned by a running member
///   that is not paused);
/// - `idle.G`: its members that own no partition;
/// - `owned.G`: the partitions some member owns, whatever that member is
///   doing — it dips while a rebalance leaves partitions unowned (eager:
///   all of them; cooperative: only those that move);
/// - `committed.G` and `hw.G`: its committed offsets (a partition with no
///   commit yet counts from its log start) and the high watermarks, summed
///   over its partitions, so that `hw.G − committed.G = lag.G`;
/// - `lost.G`, `duplicates.G`, `out_of_order.G`: its running counts (the
///   group summary's `lost`, `duplicates`, `out_of_order`);
/// - `lag.G.<topic>-<p>`: its lag per partition;
///
/// then each partition's ISR size. Partitions a scheduled `add_partitions`
/// will create have columns from the start (empty until they exist); the
/// group totals count every partition that exists.
pub fn series_columns(scenario: &Scenario) -> Vec<String> {
    if scenario.topics.is_empty() {
        return Vec::new();
    }
    let mut names = vec!["out_of_order".to_string()];
    for consumer in scenario.consumers.iter() {
        let Some(topic) = &consumer.topic else { continue };
        let g = &consumer.name;
        names.push(format!("lag.{g}"));
        names.push(format!("active.{g}"));
        names.push(format!("idle.{g}"));
        for column in GROUP_COLUMNS {
            names.push(format!("{column}.{g}"));
        }
        let t = scenario.topics.iter().position(|t| &t.name == topic).unwrap_or(0);
        names.extend((0..scenario.final_partitions(t)).map(|p| format!("lag.{g}.{topic}-{p}")));
    }
    for (t, topic) in scenario.topics.iter().enumerate() {
        names.extend((0..scenario.final_partitions(t)).map(|p| format!("isr.{}-{p}", topic.name)));
    }
    names
}

/// Per-group columns after `idle.G`, each suffixed `.G` (see `series_columns`).
pub const GROUP_COLUMNS: [&str; 6] = ["owned", "committed", "hw", "lost", "duplicates", "out_of_order"];

impl World {
    /// A group-partition's lag: records below the high watermark that the
    /// group has not committed (what `kafka-consumer-groups` shows as LAG).
    pub fn lag(&self, gp: u32) -> u64 {
        let g = &self.gps[gp as usize];
        let p = &self.partitions[g.partition as usize];
        p.hw.saturating_sub(g.committed.unwrap_or(p.log_start).max(p.log_start))
    }

    /// A group's total lag.
    pub fn group_lag(&self, g: u32) -> u64 {
        self.groups[g as usize].gps.iter().map(|&gp| self.lag(gp)).sum()
    }
}

impl World {
    /// Appends the log family's values to a sample row, in `series_columns` order.
    pub(crate) fn kafka_series_row<E: From<Event>, M: Meta>(&self, cx: &Ctx<E, M>, row: &mut Vec<f64>) {
        let k = &(*self);
        if k.is_empty() {
            return;
        }
        row.push(cx.stats.out_of_order as f64);
        for (g, group) in k.groups.iter().enumerate() {
            row.push(k.group_lag(g as u32) as f64);
            row.push(f64::from(k.active_partitions(g as u32)));
            row.push(f64::from(k.idle_members(g as u32)));
            let owned = group.gps.iter().filter(|&&gp| k.gps[gp as usize].owner.is_some()).count();
            let hw: u64 = group.gps.iter().map(|&gp| k.partitions[k.gps[gp as usize].partition as usize].hw).sum();
            let committed = hw - k.group_lag(g as u32);
            let s = &group.stats;
            row.extend([owned as f64, committed as f64, hw as f64, s.lost as f64, s.duplicates as f64, s.out_of_order as f64]);
            let columns = k.topics[group.topic as usize].max_partitions as usize;
            row.extend((0..columns).map(|p| group.gps.get(p).map_or(f64::NAN, |&gp| k.lag(gp) as f64)));
        }
        for topic in &k.topics {
            row.extend(
                (0..topic.max_partitions as usize)
                    .map(|p| topic.partitions.get(p).map_or(f64::NAN, |&part| f64::from(k.partitions[part as usize].isr_size()))),
            );
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct KafkaSummary {
    pub brokers: Vec<BrokerSummary>,
    pub topics: Vec<TopicSummary>,
    pub producers: Vec<ProducerSummary>,
    pub groups: Vec<GroupSummary>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BrokerSummary {
    pub id: u32,
    pub alive: bool,
    pub fenced: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct TopicSummary {
    pub name: String,
    #[serde(flatten)]
    pub stats: TopicStats,
    pub partitions: Vec<PartitionSummary>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PartitionSummary {
    pub partition: u32,
    /// The leader's broker; none while offline.
    pub leader: Option<u32>,
    pub isr: Vec<u32>,
    /// Each replica's broker and log end offset, in assignment order.
    pub replicas: Vec<(u32, u64)>,
    pub log_start: u64,
    pub leo: u64,
    pub hw: u64,
    pub offline_ms: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProducerSummary {
    pub name: String,
    pub topic: String,
    pub acks: Acks,
    pub idempotent: bool,
    #[serde(flatten)]
    pub stats: ProducerStats,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupSummary {
    pub name: String,
    pub topic: String,
    pub assignor: AssignorKind,
    pub commit: CommitMode,
    pub lag: u64,
    /// Non-critical records acked without processing (a backlog emergency).
    pub skipped: u64,
    /// Partition time with no owner (rebalance pauses), summed over partitions.
    pub unowned_partition_ms: f64,
    #[serde(flatten)]
    pub stats: GroupStats,
    pub partitions: Vec<GroupPartitionSummary>,
    pub members: Vec<MemberSummary>,
    /// Queueing theory next to the measurement, for the group's records
    /// waiting for a worker (None until a worker has started one).
    pub overlay: Option<Overlay>,
    /// Which model applies (`"mmc"` or `"none"`; see `group_theory`).
    pub model: Model,
    /// Why M/M/c does not apply, or what it is compared with
    /// (`kafka_partitioned`): a `vocabulary().theory_notes` key.
    pub note: Option<TheoryNote>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupPartitionSummary {
    pub partition: u32,
    /// The owning member's instance number.
    pub owner: Option<u32>,
    pub committed: Option<u64>,
    pub position: u64,
    pub lag: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct MemberSummary {
    pub instance: u32,
    pub running: bool,
    pub in_group: bool,
    /// The partitions it owns.
    pub partitions: Vec<u32>,
    /// In the group with no partition: more members than partitions.
    pub idle: bool,
    pub paused: bool,
    pub processed: u64,
    pub duplicates: u64,
}

/// What the log family's summary reads of the run beyond its own world:
/// the clock, the scenario, and each of the scenario's producers (in its
/// order) with its target and whether a live command changed its rate. The
/// engine builds it (`Sim::kafka_summary`).
pub struct SummaryView<'a> {
    pub kafka: &'a World,
    pub now: SimTime,
    pub scenario: &'a Scenario,
    pub producers: Vec<(Target, bool)>,
}

impl KafkaSummary {
    /// The log family's part of the summary; none for a scenario without topics.
    pub fn of(sim: &SummaryView<'_>) -> Option<KafkaSummary> {
        let k = &sim.kafka;
        if k.is_empty() {
            return None;
        }
        let now = sim.now;
        let topic_name = |t: u32| k.topics[t as usize].name.clone();
        Some(KafkaSummary {
            brokers: k.brokers.iter().map(|b| BrokerSummary { id: b.id, alive: b.alive, fenced: b.fenced }).collect(),
            topics: k
                .topics
                .iter()
                .map(|t| TopicSummary {
                    name: t.name.clone(),
                    stats: t.stats.clone(),
                    partitions: t
                        .partitions
                        .iter()
                        .map(|&part| {
                            let p = &k.partitions[part as usize];
                            let offline = p.offline_ns + p.offline_since.map_or(0, |s| now.saturating_sub(s));
                            PartitionSummary {
                                partition: p.index,
                                leader: p.leader_broker(),
                                isr: p.isr(),
                                replicas: p.replicas.iter().map(|r| (r.broker, r.leo)).collect(),
                                log_start: p.log_start,
                                leo: p.leo(),
                                hw: p.hw,
                                offline_ms: as_millis_f64(offline),
                            }
                        })
                        .collect(),
                })
                .collect(),
            producers: k
                .producers
                .iter()
                .map(|p| ProducerSummary {
                    name: p.name.clone(),
                    topic: topic_name(p.topic),
                    acks: p.settings.acks,
                    idempotent: p.idempotent,
                    stats: p.stats.clone(),
                })
                .collect(),
            groups: k
                .groups
                .iter()
                .enumerate()
                .map(|(g, group)| {
                    let unowned: u64 = group
                        .gps
                        .iter()
                        .map(|&gp| {
                            let gp = &k.gps[gp as usize];
                            gp.unowned_ns + gp.unowned_since.map_or(0, |s| now.saturating_sub(s))
                        })
                        .sum();
                    let mut overlay = group_overlay(k, g as u32, now);
                    if let Some(o) = overlay.as_mut() {
                        o.markovian = group_markovian(sim, g as u32);
                    }
                    let Theory { model, note, .. } = group_theory(sim, g as u32, overlay.as_ref());
                    GroupSummary {
                        model,
                        note,
                        name: group.name.clone(),
                        topic: topic_name(group.topic),
                        assignor: group.settings.assignor,
                        commit: group.settings.commit,
                        lag: k.group_lag(g as u32),
                        skipped: group.skipped,
                        unowned_partition_ms: as_millis_f64(unowned),
                        stats: group.stats.clone(),
                        partitions: group
                            .gps
                            .iter()
                            .enumerate()
                            .map(|(p, &gp)| {
                                let g = &k.gps[gp as usize];
                                GroupPartitionSummary {
                                    partition: p as u32,
                                    owner: g.owner.map(|m| k.members[m as usize].instance),
                                    committed: g.committed,
                                    position: g.position,
                                    lag: k.lag(gp),
                                }
                            })
                            .collect(),
                        members: group
                            .members
                            .iter()
                            .map(|&m| {
                                let member = &k.members[m as usize];
                                let partitions = member.owned.iter().map(|&gp| k.partitions[k.gps[gp as usize].partition as usize].index).collect();
                                MemberSummary {
                                    instance: member.instance,
                                    running: member.running,
                                    in_group: member.in_group,
                                    idle: member.running && member.in_group && member.owned.is_empty(),
                                    partitions,
                                    paused: member.paused,
                                    processed: member.processed,
                                    duplicates: member.duplicates,
                                }
                            })
                            .collect(),
                        overlay,
                    }
                })
                .collect(),
        })
    }

    /// The summary's text lines for the log family.
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let down: Vec<String> = self.brokers.iter().filter(|b| !b.alive).map(|b| b.id.to_string()).collect();
        out.push((
            "brokers".to_string(),
            format!("{}{}", self.brokers.len(), if down.is_empty() { String::new() } else { format!(" (down: {})", down.join(", ")) }),
        ));
        for t in &self.topics {
            let s = &t.stats;
            out.push((
                format!("topic {}", t.name),
                format!(
                    "appended {}, truncated {} (committed {}), duplicate appends {}, lost {}, expired {}, not enough replicas {}",
                    s.appended, s.truncated, s.truncated_committed, s.duplicate_appends, s.lost, s.expired, s.not_enough_replicas
                ),
            ));
            for p in &t.partitions {
                let leader = p.leader.map_or("none (offline)".to_string(), |b| b.to_string());
                let isr: Vec<String> = p.isr.iter().map(u32::to_string).collect();
                out.push((
                    format!("  {}-{}", t.name, p.partition),
                    format!("leader {leader}, isr [{}], leo {}, hw {}, log start {}", isr.join(","), p.leo, p.hw, p.log_start),
                ));
            }
        }
        for p in &self.producers {
            let s = &p.stats;
            let acks = match p.acks {
                Acks::Zero => "0",
                Acks::One => "1",
                Acks::All => "all",
            };
            out.push((
                format!("producer {}", p.name),
                format!(
                    "to {}, acks {acks}{}: {} batches, {} retries, {} acked, {} failed",
                    p.topic,
                    if p.idempotent { ", idempotent" } else { "" },
                    s.batches,
                    s.retries,
                    s.acked_records,
                    s.failed_records
                ),
            ));
        }
        for g in &self.groups {
            let s = &g.stats;
            out.push((
                format!("group {}", g.name),
                format!(
                    "lag {}, processed {}, duplicates {}, lost {}, out of order {}, rebalances {}, unowned {}",
                    g.lag,
                    s.processed,
                    s.duplicates,
                    s.lost,
                    s.out_of_order,
                    s.rebalances,
                    readable_ms(g.unowned_partition_ms)
                ) + &if g.skipped > 0 { format!(", skipped {}", g.skipped) } else { String::new() },
            ));
            for m in &g.members {
                let state = if !m.running {
                    "stopped".to_string()
                } else if m.idle {
                    "idle (no partition)".to_string()
                } else {
                    let parts: Vec<String> = m.partitions.iter().map(u32::to_string).collect();
                    format!("partitions [{}]{}", parts.join(","), if m.paused { ", paused" } else { "" })
                };
                out.push((format!("  {}#{}", g.name, m.instance), format!("{state}, processed {}", m.processed)));
            }
            if let Some(text) = crate::theory::theory_text(g.model, g.note, None, g.overlay.as_ref()) {
                out.push(("  theory".to_string(), text));
            }
        }
        out
    }
}

/// The scenario's producers (their places) that produce into the topic
/// group `g` reads.
fn topic_feeders(sim: &SummaryView<'_>, g: u32) -> Vec<usize> {
    let topic = sim.kafka.groups[g as usize].topic;
    let mut feeders = Vec::new();
    for (p, producer) in sim.producers.iter().enumerate() {
        if matches!(producer.0, Target::Topic(kp) if sim.kafka.producers[kp as usize].topic == topic) {
            feeders.push(p);
        }
    }
    feeders
}

/// Records arrive as a Poisson stream (every producer into the topic is
/// Poisson) and the group's service is exponential: the partitioned M/M/k
/// comparison's assumptions about arrivals and service hold (fetch batching
/// and the spread of keys still do not enter it).
fn group_markovian(sim: &SummaryView<'_>, g: u32) -> bool {
    let feeders = topic_feeders(sim, g);
    let mut poisson = !feeders.is_empty();
    for &p in &feeders {
        poisson &= matches!(sim.scenario.producers[p].arrivals, crate::scenario::Arrivals::Poisson { .. });
    }
    poisson && matches!(sim.kafka.groups[g as usize].service, crate::kernel::Dist::Exponential { .. })
}

/// Which model describes group `g`: none when nothing has been served, when
/// it rebalanced after its first assignment (members joined, left, crashed
/// or expired, or partitions were added: no single c describes it), when a
/// broker of the cluster crashed (its partitions stopped), when a
/// producer into its topic changed rate live or follows a shaped rate, or
/// when every such producer stops during the run after sending faster than
/// the group can take (a one-off burst, for which mqsim has the burst
/// model for queues only); otherwise M/M/c as `partitioned_among`
/// separate M/M/k queues (`kafka_partitioned`), a reference.
fn group_theory(sim: &SummaryView<'_>, g: u32, overlay: Option<&Overlay>) -> Theory {
    let Some(o) = overlay else { return Theory::none(TheoryNote::NoData) };
    if sim.kafka.groups[g as usize].stats.rebalances > 1 {
        return Theory::none(TheoryNote::KafkaMembersChanged);
    }
    // A broker's epoch counts its crashes.
    if sim.kafka.brokers.iter().any(|b| b.epoch > 0) {
        return Theory::none(TheoryNote::BrokerCrashed);
    }
    let feeders = topic_feeders(sim, g);
    let scenario = sim.scenario;
    let end = scenario.duration.0;
    let (mut rate_changed, mut shaped, mut all_stop) = (false, false, !feeders.is_empty());
    for &p in &feeders {
        let spec = &scenario.producers[p];
        rate_changed |= sim.producers[p].1;
        shaped |= matches!(spec.arrivals, crate::scenario::Arrivals::Shaped { .. });
        all_stop &= spec.count.is_some() || spec.stop.is_some_and(|s| s.0 < end);
    }
    if rate_changed {
        return Theory::none(TheoryNote::RateChanged);
    }
    if shaped {
        return Theory::none(TheoryNote::ArrivalsVary);
    }
    if all_stop && o.rho > 1.0 {
        return Theory::none(TheoryNote::OneOffBurst);
    }
    Theory { model: Model::Mmc, note: Some(TheoryNote::KafkaPartitioned), burst: None }
}

/// The queueing-theory overlay of group `g`, its waiting line being its
/// copies that no worker has started (`Group::waiting`): λ from entries into that
/// line, μ from the service times its members sampled, c from the workers of
/// the members that own partitions, Wq from the waits of copies that left
/// the line, and L from the exact time-integral of its length.
fn group_overlay(k: &World, g: u32, now: SimTime) -> Option<Overlay> {
    let group = &k.groups[g as usize];
    let wait = &group.wait;
    if group.services == 0 || wait.left == 0 || now == 0 {
        return None;
    }
    let concurrency = group.settings.concurrency;
    let active = group.members.iter().map(|&m| &k.members[m as usize]).filter(|m| m.running && !m.paused && !m.owned.is_empty());
    // With partition ordering a member runs at most one record per partition it owns.
    let workers = |m: &super::group::Member| match group.settings.ordering {
        crate::scenario::ProcessingOrder::Partition => concurrency.min(m.owned.len() as u32),
        _ => concurrency,
    };
    let servers: u32 = active.clone().map(workers).sum();
    let members = active.count() as u32;
    let mean_service = group.busy_ns as f64 / group.services as f64 / 1e9;
    let mut o = Overlay::partitioned(wait.arrival_rate(), mean_service, servers, members, wait.mean_wait_secs(), wait.mean_length(now, group.waiting));
    o.l_little = wait.little_l(now);
    Some(o)
}
