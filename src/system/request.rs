//! User requests: each runs its steps in order, and the user waits for all of
//! them. Requests are not messages and are not in the ledger; only what a
//! `publish` step sends becomes a message.

use serde::Serialize;

use super::{Caller, Event};
use crate::engine::{Event as EngineEvent, Sim};
use crate::kernel::Dist;
use crate::engine::ArrivalProcess;
use crate::observe::LifeKind;
use crate::observe::latency::{LatencyStats, Percentiles};
use crate::scenario::system::{RequestSpec, Step};
use crate::scenario::{Scenario, ScenarioError};
use crate::time::SimTime;

/// A step with its names resolved to indices.
#[derive(Clone, Debug)]
pub enum FlowStep {
    Local(Dist),
    Call(u32),
    Publish { queues: Vec<u32>, latency: Dist },
}

/// A request flow's definition and its running counts.
pub struct Flow {
    pub name: String,
    arrivals: ArrivalProcess,
    start: SimTime,
    stop: SimTime,
    steps: Vec<FlowStep>,
    pub stats: RequestStats,
}

/// What users experienced in one flow.
#[derive(Default)]
pub struct RequestStats {
    pub arrived: u64,
    pub completed: u64,
    pub failed: u64,
    /// Response times of completed requests.
    pub response: LatencyStats,
    /// Response times of failed requests (how long the user waited for the error).
    pub failed_response: LatencyStats,
}

/// The summary of one flow.
#[derive(Clone, Debug, Serialize)]
pub struct FlowSummary {
    pub name: String,
    pub arrived: u64,
    pub completed: u64,
    pub failed: u64,
    pub in_progress: u64,
    /// Response time of completed requests, ms.
    pub response_ms: Percentiles,
}

impl Flow {
    pub(crate) fn build(scenario: &Scenario, i: usize, spec: &RequestSpec) -> Result<Flow, ScenarioError> {
        let steps = spec
            .steps
            .iter()
            .enumerate()
            .map(|(s, step)| {
                let path = format!("requests[{i}].steps[{s}]");
                Ok(match step {
                    Step::Local(dist) => FlowStep::Local(dist.clone()),
                    Step::Call(name) => FlowStep::Call(scenario.service_index(name, &format!("{path}.call"))?),
                    Step::Publish { queues, latency } => FlowStep::Publish {
                        queues: queues
                            .iter()
                            .enumerate()
                            .map(|(q, name)| scenario.queue_index(name, &format!("{path}.publish.queues[{q}]")))
                            .collect::<Result<_, _>>()?,
                        latency: latency.clone(),
                    },
                })
            })
            .collect::<Result<_, ScenarioError>>()?;
        Ok(Flow {
            name: spec.name.clone(),
            arrivals: ArrivalProcess::new(&spec.arrivals, scenario.duration.0),
            start: spec.start.0,
            stop: spec.stop.map_or(SimTime::MAX, |d| d.0),
            steps,
            stats: RequestStats::default(),
        })
    }

    /// When the first request arrives, if ever.
    pub(crate) fn first_arrival(&mut self) -> Option<SimTime> {
        self.arrivals.first(self.start).filter(|&t| t < self.stop)
    }

    /// The flow's steps, with names resolved to indices.
    pub fn steps(&self) -> &[FlowStep] {
        &self.steps
    }

    pub fn summary(&self, in_progress: u64) -> FlowSummary {
        FlowSummary {
            name: self.name.clone(),
            arrived: self.stats.arrived,
            completed: self.stats.completed,
            failed: self.stats.failed,
            in_progress,
            response_ms: self.stats.response.whole_run(),
        }
    }
}

/// One request in progress.
#[derive(Clone, Copy)]
struct Request {
    flow: u32,
    arrived: SimTime,
    step: u32,
    /// The current step fails when it completes (its service was down).
    failing: bool,
}

/// Requests in progress, in a slab like messages.
#[derive(Default)]
pub(crate) struct RequestStore {
    slots: Vec<Request>,
    free: Vec<u32>,
    live: Vec<u64>,
}

impl RequestStore {
    fn insert(&mut self, request: Request) -> u32 {
        let flow = request.flow as usize;
        if self.live.len() <= flow {
            self.live.resize(flow + 1, 0);
        }
        self.live[flow] += 1;
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = request;
                slot
            }
            None => {
                self.slots.push(request);
                (self.slots.len() - 1) as u32
            }
        }
    }

    fn release(&mut self, slot: u32) {
        self.live[self.slots[slot as usize].flow as usize] -= 1;
        self.free.push(slot);
    }

    /// Requests of `flow` in progress now.
    pub fn in_progress(&self, flow: usize) -> u64 {
        self.live.get(flow).copied().unwrap_or(0)
    }
}

impl Sim {
    /// Publishes one message into each of `queues`: the first queue gets the
    /// message itself and each further queue a copy, each a ledger entry of
    /// its own (see ARCHITECTURE.md, "copies owed to destinations").
    fn publish_copies(&mut self, queues: &[u32]) {
        let original = self.new_message(u32::MAX, 0, false);
        // Every copy is made before any is enqueued: enqueueing can drop a
        // message (a full queue) and free its slot.
        let copies: Vec<_> = (1..queues.len()).map(|_| self.copy_message(original)).collect();
        for (&queue, slot) in queues.iter().zip(std::iter::once(original).chain(copies)) {
            self.enqueue(queue, slot, LifeKind::Published);
        }
    }

    /// A user request arrives: start its first step, schedule the next arrival.
    pub(crate) fn request_arrive(&mut self, f: u32) {
        let now = self.now();
        let flow = &mut self.system.flows[f as usize];
        if now >= flow.stop {
            return;
        }
        flow.stats.arrived += 1;
        let next = flow.arrivals.next(now, &mut self.rng);
        let stop = flow.stop;
        let slot = self.system.requests.insert(Request { flow: f, arrived: now, step: 0, failing: false });
        self.begin_step(slot);
        if let Some(next) = next.filter(|&t| t < stop) {
            self.sched.at(next, EngineEvent::System(Event::RequestArrive { flow: f }));
        }
    }

    /// Starts the request's current step, or completes the request.
    fn begin_step(&mut self, slot: u32) {
        let now = self.now();
        let request = self.system.requests.slots[slot as usize];
        let flow = &self.system.flows[request.flow as usize];
        let Some(step) = flow.steps.get(request.step as usize) else {
            let stats = &mut self.system.flows[request.flow as usize].stats;
            stats.completed += 1;
            stats.response.record(now - request.arrived);
            self.system.requests.release(slot);
            return;
        };
        let (duration, failing) = match step {
            FlowStep::Local(dist) => (dist.sample(&mut self.rng), false),
            FlowStep::Publish { latency, .. } => (latency.sample(&mut self.rng), false),
            FlowStep::Call(service) => {
                let call = self.system.services[*service as usize].call(now, Caller::Request, &mut self.rng);
                (call.duration, call.failed)
            }
        };
        self.system.requests.slots[slot as usize].failing = failing;
        self.sched.after(duration, EngineEvent::System(Event::StepDone { request: slot }));
    }

    /// The current step finishes: a failed call fails the request; a publish
    /// hands its message to the broker; then the next step begins.
    pub(crate) fn step_done(&mut self, slot: u32) {
        let now = self.now();
        let request = self.system.requests.slots[slot as usize];
        let flow = &self.system.flows[request.flow as usize];
        if request.failing {
            let stats = &mut self.system.flows[request.flow as usize].stats;
            stats.failed += 1;
            stats.failed_response.record(now - request.arrived);
            self.system.requests.release(slot);
            return;
        }
        if let Some(FlowStep::Publish { queues, .. }) = flow.steps.get(request.step as usize) {
            let queues = queues.clone();
            self.publish_copies(&queues);
        }
        self.system.requests.slots[slot as usize].step += 1;
        self.begin_step(slot);
    }
}
