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

use crate::engine::{Sim, Target};
use crate::ledger::MsgState;
use crate::observe::LifeKind;
use crate::scenario::AckMode;
use crate::system::request::FlowStep;

/// Nodes, edges and the meaning of journal events.
#[derive(Clone, Debug, Serialize)]
pub struct Topology {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// One entry per `LifeKind`: what its `node` index refers to and the
    /// state it leaves the message in.
    pub events: Vec<EventInfo>,
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
    /// A source of messages; `index` is its place in the scenario's `producers`.
    Producer { index: u32, sent: u64 },
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
}

/// One consumer instance. `index` is what consumer-side journal events carry
/// in `node` and its place in the summary's `consumers`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Instance {
    pub index: u32,
    pub instance: u32,
    pub alive: bool,
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

/// What the `node` index of a journal event refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A queue's index.
    Queue,
    /// A consumer instance's index.
    Consumer,
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

/// Every `LifeKind`, in declaration order. A new kind must be added here and
/// in [`describe`] (whose match the compiler checks).
pub const LIFE_KINDS: [LifeKind; 10] = [
    LifeKind::Published,
    LifeKind::Delivered,
    LifeKind::Acked,
    LifeKind::Requeued,
    LifeKind::DeadLetteredDeliveryLimit,
    LifeKind::DeadLetteredMaxLength,
    LifeKind::Dropped,
    LifeKind::Lost,
    LifeKind::ConsumerCrashed,
    LifeKind::ConsumerRestarted,
];

/// What a journal event of this kind refers to and leaves its message in.
pub fn describe(kind: LifeKind) -> EventInfo {
    let (at, state) = match kind {
        LifeKind::Published => (Subject::Queue, Some(MsgState::Stored)),
        LifeKind::Delivered => (Subject::Consumer, Some(MsgState::InFlight)),
        LifeKind::Acked => (Subject::Consumer, Some(MsgState::Processed)),
        LifeKind::Requeued => (Subject::Queue, Some(MsgState::Stored)),
        // `node` is the dead-letter queue the message moved into.
        LifeKind::DeadLetteredDeliveryLimit | LifeKind::DeadLetteredMaxLength => {
            (Subject::Queue, Some(MsgState::DeadLettered))
        }
        LifeKind::Dropped => (Subject::Queue, Some(MsgState::Dropped)),
        LifeKind::Lost => (Subject::Consumer, Some(MsgState::Lost)),
        LifeKind::ConsumerCrashed | LifeKind::ConsumerRestarted => (Subject::Consumer, None),
    };
    EventInfo { kind, at, message: state.is_some(), state }
}

/// Ids of nodes, built the same way everywhere.
fn id(kind: &str, name: &str) -> String {
    format!("{kind}:{name}")
}

impl Topology {
    /// The topology of `sim` as it is now (consumer instances added or
    /// stopped by live commands included).
    pub fn of(sim: &Sim) -> Topology {
        let scenario = sim.scenario();
        let world = &sim.amqp;
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        let queue_id = |q: u32| id("queue", &world.queues[q as usize].name);
        let service_id = |s: u32| id("service", &sim.system.services[s as usize].name);

        for (p, producer) in sim.producers.iter().enumerate() {
            let node = id("producer", &scenario.producers[p].name);
            match producer.target {
                Target::Queue(q) => edges.push(Edge { from: node.clone(), to: queue_id(q), kind: EdgeKind::Publish }),
            }
            nodes.push(Node {
                id: node,
                name: scenario.producers[p].name.clone(),
                kind: NodeKind::Producer { index: p as u32, sent: producer.sent },
            });
        }
        for (f, flow) in sim.system.flows.iter().enumerate() {
            let node = id("request_flow", &flow.name);
            for step in flow.steps() {
                match step {
                    FlowStep::Local(_) => {}
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
                .map(|(i, c)| Instance { index: i as u32, instance: c.instance, alive: c.alive })
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
        for (s, service) in sim.system.services.iter().enumerate() {
            nodes.push(Node {
                id: service_id(s as u32),
                name: service.name.clone(),
                kind: NodeKind::Service {
                    index: s as u32,
                    down: service.is_down(sim.now()),
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
        Topology { nodes, edges, events: LIFE_KINDS.iter().map(|&k| describe(k)).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind is listed once, in declaration order (so `kind as usize`
    /// indexes the list).
    #[test]
    fn every_life_kind_is_described_in_order() {
        for (i, kind) in LIFE_KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, i, "{kind:?}");
            assert_eq!(describe(*kind).kind, *kind);
        }
    }
}
