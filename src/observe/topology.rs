//! The topology of a running simulation, described for drawing: its nodes
//! (producers, queues, consumers, services, request flows), the edges along
//! which messages and calls travel, and what each journal event kind refers
//! to. The page lays it out and animates journal events along its edges; it
//! never has to know a scenario's JSON.
//!
//! Both enums are closed, with one variant per kind, so that a new family
//! (exchanges, topics, partitions, brokers, Kafka consumer groups) is a new
//! variant here and a compile error everywhere that must handle it — including
//! [`describe`], which says what a new `LifeKind`'s `node` index means.
//!
//! Besides the structure, a node carries the few live facts a drawing needs
//! (an instance alive or not, a service down, a producer's count sent); depths,
//! counts and percentiles come from the summary.

use serde::Serialize;

use crate::amqp::exchange::Dest;
pub use crate::observe::kinds::{EventInfo, LIFE_KINDS, Subject, describe};
use crate::kafka::Phase;
use crate::scenario::{AckMode, Acks, AssignorKind, CommitMode, ExchangeKind, Scenario, Target};
use crate::system::request::FlowStep;
use crate::time::SimTime;
use crate::{amqp, kafka, system};

/// What the topology reads of a run: the scenario and each family's world,
/// read-only, and each producer's target and count sent. The engine hands
/// one out (`Sim::worlds`, and `Topology::of(&sim)` in `engine::view`); the
/// topology never sees the `Sim`.
pub struct Worlds<'a> {
    pub now: SimTime,
    pub scenario: &'a Scenario,
    /// Each producer's target and how many messages it has sent.
    pub producers: Vec<(Target, u64)>,
    pub amqp: &'a amqp::World,
    pub system: &'a system::World,
    pub kafka: &'a kafka::World,
}

/// Nodes, edges and the meaning of journal events.
#[derive(Clone, Debug, Serialize)]
pub struct Topology {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// One entry per `LifeKind`: what its `node` index refers to and the
    /// state it leaves the message in.
    pub events: Vec<Option<EventInfo>>,
}

/// One thing to draw. `id` is unique and stable for the run ("queue:orders").
#[derive(Clone, Debug, Serialize)]
pub struct Node {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub kind: NodeKind,
}

/// What a node is, with the facts a drawing needs. Serialized with a `kind`
/// tag: `{"id": "queue:orders", "name": "orders", "kind": "queue", "index": 0, …}`.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeKind {
    /// A source of messages; `index` is its place in the scenario's
    /// `producers`. A producer into a Kafka topic also has its `acks` (and
    /// `kafka_index`, what log-family producer events carry in `node`).
    Producer {
        index: u32,
        sent: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        acks: Option<Acks>,
        #[serde(skip_serializing_if = "Option::is_none")]
        kafka_index: Option<u32>,
    },
    /// A FIFO queue; `index` is what queue-side journal events carry in `node`
    /// and its place in the summary's `queues`.
    Queue { index: u32, dead_letter_queue: bool, max_length: Option<u64> },
    /// A consumer spec: competing instances on one queue. `group` is its
    /// place in the scenario's `consumers`.
    Consumer { group: u32, prefetch: u32, ack: AckMode, instances: Vec<Instance> },
    /// A downstream service that request flows and consumers call.
    Service { index: u32, down: bool, live_outage: bool },
    /// A stream of user requests; `index` is its place in the summary's `requests`.
    RequestFlow { index: u32, arrived: u64 },
    /// An AMQP exchange; `exchange_kind` is direct, fanout, topic or headers.
    Exchange { index: u32, exchange_kind: ExchangeKind },
    /// A Kafka topic: each partition's log offsets, replicas and the offsets
    /// its groups committed, and the cluster's brokers.
    Topic { index: u32, partitions: Vec<PartitionView>, brokers: Vec<BrokerView> },
    /// A Kafka consumer group: its members and what each owns.
    ConsumerGroup {
        index: u32,
        topic: u32,
        commit: CommitMode,
        assignor: AssignorKind,
        /// A rebalance is in progress (eager: every member has stopped).
        rebalancing: bool,
        members: Vec<MemberView>,
    },
}

/// One partition of a topic, as a drawing needs it. `index` is what
/// partition-side journal events carry in `node`.
#[derive(Clone, Debug, Serialize)]
pub struct PartitionView {
    pub index: u32,
    /// Its number within the topic.
    pub partition: u32,
    /// The first offset still retained.
    pub log_start: u64,
    /// The log end offset (the next record's offset).
    pub leo: u64,
    /// The high watermark: records below it are committed to the ISR and
    /// visible to consumers.
    pub hw: u64,
    /// The leader's broker, none while the partition is offline.
    pub leader: Option<u32>,
    /// The brokers of its replicas, in assignment order, and which are in sync.
    pub replicas: Vec<u32>,
    pub isr: Vec<u32>,
    /// Each group reading the topic: its committed offset and owner here.
    pub groups: Vec<GroupOffset>,
}

/// Where one group stands on one partition.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct GroupOffset {
    /// The group's place in `Sim::kafka().groups`.
    pub group: u32,
    /// The committed offset (none before the first commit).
    pub committed: Option<u64>,
    /// The owner's next fetch offset.
    pub position: u64,
    /// The member index (in `Sim::kafka().members`) that owns it, if any.
    pub owner: Option<u32>,
    /// High watermark minus committed offset: what `kafka-consumer-groups` shows as LAG.
    pub lag: u64,
}

/// One Kafka broker.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct BrokerView {
    pub id: u32,
    pub alive: bool,
    /// The controller fenced it after its session expired.
    pub fenced: bool,
}

/// One member of a Kafka consumer group. `index` is what member-side journal
/// events carry in `node`.
#[derive(Clone, Debug, Serialize)]
pub struct MemberView {
    pub index: u32,
    pub instance: u32,
    pub running: bool,
    pub paused: bool,
    /// Its service times are multiplied by this (1: normal speed).
    pub slow: f64,
    /// Shutting down gracefully (it leaves the group at its next poll).
    pub leaving: bool,
    /// The partition numbers it owns.
    pub partitions: Vec<u32>,
    /// Records of its last poll not yet finished.
    pub holding: u32,
}

/// One consumer instance. `index` is what consumer-side journal events carry
/// in `node` and its place in the summary's `consumers`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Instance {
    pub index: u32,
    pub instance: u32,
    pub alive: bool,
    /// Its service times are multiplied by this (1: normal speed).
    pub slow: f64,
}

/// A path along which messages (or calls) go, by node id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A producer or a request flow publishes into a queue.
    Publish,
    /// A queue delivers to a consumer.
    Deliver,
    /// A queue dead-letters into another queue.
    DeadLetter,
    /// A request flow or a consumer calls a service (no message travels).
    Call,
}


/// One partition's offsets, replicas and group positions.
fn partition_view(kafka: &crate::kafka::World, part: u32) -> PartitionView {
    let p = &kafka.partitions[part as usize];
    let groups = p
        .gps
        .iter()
        .filter_map(|&gp| {
            let g = &kafka.gps[gp as usize];
            Some(GroupOffset { group: g.group?, committed: g.committed, position: g.position, owner: g.owner, lag: kafka.lag(gp) })
        })
        .collect();
    PartitionView {
        index: part,
        partition: p.index,
        log_start: p.log_start,
        leo: p.leo(),
        hw: p.hw,
        leader: p.leader_broker(),
        replicas: p.replicas.iter().map(|r| r.broker).collect(),
        isr: p.isr(),
        groups,
    }
}

/// Ids of nodes, built the same way everywhere.
fn id(kind: &str, name: &str) -> String {
    format!("{kind}:{name}")
}

impl Topology {
    /// The topology of a run as it is now (consumer instances added or
    /// stopped by live commands included).
    pub fn of_worlds(sim: &Worlds) -> Topology {
        let scenario = sim.scenario;
        let world = sim.amqp;
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        let queue_id = |q: u32| id("queue", &world.queues[q as usize].name);
        let service_id = |s: u32| id("service", &sim.system.services[s as usize].name);
        let exchange_id = |x: u32| id("exchange", &world.exchanges[x as usize].name);
        let topic_id = |t: u32| id("topic", &sim.kafka.topics[t as usize].name);

        for (p, &(target, sent)) in sim.producers.iter().enumerate() {
            let node = id("producer", &scenario.producers[p].name);
            match target {
                Target::Queue(q) => edges.push(Edge { from: node.clone(), to: queue_id(q), kind: EdgeKind::Publish }),
                Target::Exchange(x) => {
                    edges.push(Edge { from: node.clone(), to: exchange_id(x), kind: EdgeKind::Publish });
                }
                Target::Topic(kp) => {
                    let topic = sim.kafka.producers[kp as usize].topic;
                    edges.push(Edge { from: node.clone(), to: topic_id(topic), kind: EdgeKind::Publish });
                }
            }
            let kafka_index = match target {
                Target::Topic(kp) => Some(kp),
                _ => None,
            };
            let acks = kafka_index.map(|kp| sim.kafka.producers[kp as usize].settings.acks);
            nodes.push(Node {
                id: node,
                name: scenario.producers[p].name.clone(),
                kind: NodeKind::Producer { index: p as u32, sent, acks, kafka_index },
            });
        }
        for (f, flow) in sim.system.flows.iter().enumerate() {
            let node = id("request_flow", &flow.name);
            for step in flow.steps() {
                match step {
                    FlowStep::Local(_) | FlowStep::Limit(_) => {}
                    FlowStep::Outbox { queues } => edges.extend(
                        queues.iter().map(|&q| Edge { from: node.clone(), to: queue_id(q), kind: EdgeKind::Publish }),
                    ),
                    FlowStep::Call(s) => edges.push(Edge { from: node.clone(), to: service_id(*s), kind: EdgeKind::Call }),
                    FlowStep::Publish { queues, .. } => edges.extend(
                        queues.iter().map(|&q| Edge { from: node.clone(), to: queue_id(q), kind: EdgeKind::Publish }),
                    ),
                }
            }
            nodes.push(Node {
                id: node,
                name: flow.name.clone(),
                kind: NodeKind::RequestFlow { index: f as u32, arrived: flow.stats.arrived },
            });
        }
        for (q, queue) in world.queues.iter().enumerate() {
            if let Some(dlq) = queue.dead_letter {
                edges.push(Edge { from: queue_id(q as u32), to: queue_id(dlq), kind: EdgeKind::DeadLetter });
            }
            nodes.push(Node {
                id: queue_id(q as u32),
                name: queue.name.clone(),
                kind: NodeKind::Queue { index: q as u32, dead_letter_queue: queue.is_dlq, max_length: queue.max_length },
            });
        }
        for (g, group) in world.groups.iter().enumerate() {
            let node = id("consumer", &group.name);
            let instances: Vec<Instance> = world
                .consumers
                .iter()
                .enumerate()
                .filter(|(_, c)| c.group == g as u32)
                .map(|(i, c)| Instance { index: i as u32, instance: c.instance, alive: c.alive, slow: c.slow })
                .collect();
            if let Some(first) = world.consumers.iter().find(|c| c.group == g as u32) {
                edges.push(Edge { from: queue_id(first.queue), to: node.clone(), kind: EdgeKind::Deliver });
            }
            if let Some(s) = group.calls {
                edges.push(Edge { from: node.clone(), to: service_id(s), kind: EdgeKind::Call });
            }
            nodes.push(Node {
                id: node,
                name: group.name.clone(),
                kind: NodeKind::Consumer { group: g as u32, prefetch: group.prefetch, ack: group.ack, instances },
            });
        }
        for (x, exchange) in world.exchanges.iter().enumerate() {
            let bound = exchange.bindings.iter().map(|b| b.dest).chain(exchange.alternate.map(Dest::Exchange));
            for dest in bound {
                let to = match dest {
                    Dest::Queue(q) => queue_id(q),
                    Dest::Exchange(e) => exchange_id(e),
                };
                edges.push(Edge { from: exchange_id(x as u32), to, kind: EdgeKind::Publish });
            }
            nodes.push(Node {
                id: exchange_id(x as u32),
                name: exchange.name.clone(),
                kind: NodeKind::Exchange { index: x as u32, exchange_kind: exchange.kind },
            });
        }
        let kafka = sim.kafka;
        let brokers: Vec<BrokerView> =
            kafka.brokers.iter().map(|b| BrokerView { id: b.id, alive: b.alive, fenced: b.fenced }).collect();
        for (t, topic) in kafka.topics.iter().enumerate() {
            let partitions = topic.partitions.iter().map(|&part| partition_view(kafka, part)).collect();
            nodes.push(Node {
                id: topic_id(t as u32),
                name: topic.name.clone(),
                kind: NodeKind::Topic { index: t as u32, partitions, brokers: brokers.clone() },
            });
        }
        for (g, group) in kafka.groups.iter().enumerate() {
            let node = id("consumer_group", &group.name);
            edges.push(Edge { from: topic_id(group.topic), to: node.clone(), kind: EdgeKind::Deliver });
            let members = group
                .members
                .iter()
                .map(|&m| {
                    let member = &kafka.members[m as usize];
                    MemberView {
                        index: m,
                        instance: member.instance,
                        running: member.running,
                        paused: member.paused,
                        slow: member.slow,
                        leaving: member.leaving,
                        partitions: member.owned.iter().map(|&gp| kafka.partitions[kafka.gps[gp as usize].partition as usize].index).collect(),
                        holding: member.batch.iter().filter(|h| !h.done).count() as u32,
                    }
                })
                .collect();
            nodes.push(Node {
                id: node,
                name: group.name.clone(),
                kind: NodeKind::ConsumerGroup {
                    index: g as u32,
                    topic: group.topic,
                    commit: group.settings.commit,
                    assignor: group.settings.assignor,
                    rebalancing: group.phase != Phase::Stable,
                    members,
                },
            });
        }
        for (s, service) in sim.system.services.iter().enumerate() {
            nodes.push(Node {
                id: service_id(s as u32),
                name: service.name.clone(),
                kind: NodeKind::Service {
                    index: s as u32,
                    down: service.is_down(sim.now),
                    live_outage: service.is_live_down(),
                },
            });
        }
        // A flow that calls one service in two steps still has one edge to it.
        let mut unique = Vec::with_capacity(edges.len());
        for edge in edges {
            if !unique.contains(&edge) {
                unique.push(edge);
            }
        }
        let edges = unique;
        // Indexed by the kind's code (`kind as usize`), which is what the
        // journal columns carry; codes no kind uses are null.
        let mut events = vec![None; LIFE_KINDS.iter().map(|&k| k as usize).max().unwrap_or(0) + 1];
        for &kind in LIFE_KINDS {
            events[kind as usize] = Some(describe(kind));
        }
        Topology { nodes, edges, events }
    }
}
