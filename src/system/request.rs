//! User requests: each runs its steps in order, and the user waits for all of
//! them. Requests are not messages and are not in the ledger; only what a
//! `publish` step sends becomes a message.

use std::collections::VecDeque;

use serde::Serialize;

use super::{Caller, Event, World};
use crate::context::Ctx;
use crate::message::Meta;
use crate::kernel::Dist;
use crate::kernel::ArrivalProcess;
use crate::kernel::rate_limit::RateLimiter;
use crate::ledger::MsgState;
use crate::message::Slot;
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
    Outbox { queues: Vec<u32> },
    /// A rate limiter: the index of its bucket in `Flow::limits`.
    Limit(usize),
}

/// A limiter step's token bucket and what it let through.
pub struct LimitLayer {
    bucket: RateLimiter,
    pub passed: u64,
    pub rejected: u64,
}

/// A request flow's definition and its running state.
pub struct Flow {
    pub name: String,
    arrivals: ArrivalProcess,
    start: SimTime,
    stop: SimTime,
    steps: Vec<FlowStep>,
    /// How often the outbox relay polls, if the flow has an outbox.
    relay_every: Option<SimTime>,
    /// Outbox rows written and not yet relayed: each a message (and its
    /// copies) with the queues they go to.
    outbox: VecDeque<(Vec<Slot>, Vec<u32>)>,
    /// The handler process is down until this instant (after a crash).
    down_until: SimTime,
    /// The `limit` steps' buckets, in step order.
    pub limits: Vec<LimitLayer>,
    pub stats: RequestStats,
}

/// What users experienced in one flow.
#[derive(Default)]
pub struct RequestStats {
    pub arrived: u64,
    pub completed: u64,
    pub failed: u64,
    /// Messages lost because the handler crashed while publishing them.
    pub lost_messages: u64,
    /// Response times of completed requests.
    pub response: LatencyStats,
    /// Response times of failed requests (how long the user waited for the error).
    pub failed_response: LatencyStats,
}

/// What one `limit` step did.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LimitSummary {
    pub passed: u64,
    pub rejected: u64,
}

/// The summary of one flow.
#[derive(Clone, Debug, Serialize)]
pub struct FlowSummary {
    pub name: String,
    pub arrived: u64,
    pub completed: u64,
    pub failed: u64,
    pub in_progress: u64,
    /// Outbox rows waiting for the relay.
    pub outbox_pending: u64,
    /// Messages lost because the handler crashed while publishing them.
    pub lost_messages: u64,
    /// Each `limit` step in order: requests it let through and turned away.
    pub limits: Vec<LimitSummary>,
    /// Response time of completed requests, ms.
    pub response_ms: Percentiles,
}

impl Flow {
    pub(crate) fn build(scenario: &Scenario, i: usize, spec: &RequestSpec) -> Result<Flow, ScenarioError> {
        let queues = |names: &[String], path: String| -> Result<Vec<u32>, ScenarioError> {
            names.iter().enumerate().map(|(q, name)| scenario.queue_index(name, &format!("{path}[{q}]"))).collect()
        };
        let mut limits = Vec::new();
        let steps = spec
            .steps
            .iter()
            .enumerate()
            .map(|(s, step)| {
                let path = format!("requests[{i}].steps[{s}]");
                Ok(match step {
                    Step::Local(dist) => FlowStep::Local(dist.clone()),
                    Step::Call(name) => FlowStep::Call(scenario.service_index(name, &format!("{path}.call"))?),
                    Step::Publish { queues: names, latency } => FlowStep::Publish {
                        queues: queues(names, format!("{path}.publish.queues"))?,
                        latency: latency.clone(),
                    },
                    Step::Outbox { queues: names } => FlowStep::Outbox { queues: queues(names, format!("{path}.outbox.queues"))? },
                    Step::Limit(limit) => {
                        limits.push(LimitLayer { bucket: RateLimiter::new(limit.rate, limit.burst), passed: 0, rejected: 0 });
                        FlowStep::Limit(limits.len() - 1)
                    }
                })
            })
            .collect::<Result<_, ScenarioError>>()?;
        Ok(Flow {
            name: spec.name.clone(),
            arrivals: spec.arrivals.process(scenario.duration.0),
            start: spec.start.0,
            stop: spec.stop.map_or(SimTime::MAX, |d| d.0),
            steps,
            relay_every: spec.outbox_relay.map(|r| r.every.0),
            outbox: VecDeque::new(),
            down_until: 0,
            limits,
            stats: RequestStats::default(),
        })
    }

    /// When the first request arrives, if ever.
    pub(crate) fn first_arrival(&mut self) -> Option<SimTime> {
        self.arrivals.first(self.start).filter(|&t| t < self.stop)
    }

    /// When the outbox relay first polls, if the flow has one.
    pub(crate) fn first_relay(&self) -> Option<SimTime> {
        self.relay_every.map(|every| self.start + every)
    }

    /// The flow's steps, with names resolved to indices.
    /// Its last request has arrived: its stop time has come.
    pub fn finished(&self, now: SimTime) -> bool {
        now >= self.stop
    }

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
            outbox_pending: self.outbox.len() as u64,
            lost_messages: self.stats.lost_messages,
            limits: self.limits.iter().map(|l| LimitSummary { passed: l.passed, rejected: l.rejected }).collect(),
            response_ms: self.stats.response.whole_run(),
        }
    }
}

/// One request in progress.
#[derive(Clone, Default)]
struct Request {
    flow: u32,
    arrived: SimTime,
    step: u32,
    /// Bumped each time the slot is reused, so that an event scheduled for an
    /// earlier request in this slot (one that crashed) is recognised as stale.
    generation: u32,
    live: bool,
    /// The current step fails when it completes (its service was down).
    failing: bool,
    /// Messages being published by the current step: created when the step
    /// began, handed to the broker when it ends.
    publishing: Vec<Slot>,
    /// Published messages still held back by a full queue (`overflow:
    /// block`): the request waits for them before its next step.
    blocked: u32,
}

/// Requests in progress, in a slab like messages.
#[derive(Default)]
pub(crate) struct RequestStore {
    slots: Vec<Request>,
    free: Vec<u32>,
    live: Vec<u64>,
}

impl RequestStore {
    fn insert(&mut self, flow: u32, arrived: SimTime) -> u32 {
        if self.live.len() <= flow as usize {
            self.live.resize(flow as usize + 1, 0);
        }
        self.live[flow as usize] += 1;
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Request::default());
            (self.slots.len() - 1) as u32
        });
        let request = &mut self.slots[slot as usize];
        let generation = request.generation.wrapping_add(1);
        *request =
            Request { flow, arrived, step: 0, generation, live: true, failing: false, publishing: Vec::new(), blocked: 0 };
        slot
    }

    fn release(&mut self, slot: u32) {
        let request = &mut self.slots[slot as usize];
        request.live = false;
        self.live[request.flow as usize] -= 1;
        self.free.push(slot);
    }

    /// Requests of `flow` in progress now.
    pub fn in_progress(&self, flow: usize) -> u64 {
        self.live.get(flow).copied().unwrap_or(0)
    }

    /// Messages that live requests are publishing right now.
    pub fn publishing(&self) -> u64 {
        self.slots.iter().filter(|r| r.live).map(|r| r.publishing.len() as u64).sum()
    }
}

impl Flow {
    /// Messages waiting in the outbox table.
    pub fn outbox_messages(&self) -> u64 {
        self.outbox.iter().map(|(slots, _)| slots.len() as u64).sum()
    }
}

/// Messages a request or an outbox relay hands to the broker: the message
/// and its copies, one per queue. The family does not name the broker; the
/// engine hands them over (`engine::bridge`) and reports back.
pub(crate) struct Handoff {
    pub slots: Vec<Slot>,
    pub queues: Vec<u32>,
}

/// Creates one message for each of `queues` (the message and its copies,
/// each a ledger entry of its own: see docs/semantics.md, "copies owed to
/// destinations"); they stay `producing` until handed to the broker.
fn create_copies<E: From<Event>, M: Meta>(cx: &mut Ctx<E, M>, queues: &[u32]) -> Vec<Slot> {
    let original = cx.new_message(u32::MAX, 0, false);
    let mut slots = vec![original];
    slots.extend((1..queues.len()).map(|_| cx.copy_message(original)));
    slots
}

impl World {
    /// A user request arrives: start its first step, schedule the next arrival.
    /// While the handler is down (after a crash) the request fails at once.
    pub(crate) fn request_arrive<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, f: u32) {
        let now = cx.now();
        let flow = &mut self.flows[f as usize];
        if now >= flow.stop {
            return;
        }
        flow.stats.arrived += 1;
        let next = flow.arrivals.next(now, &mut cx.rng);
        let stop = flow.stop;
        if now < flow.down_until {
            flow.stats.failed += 1;
            flow.stats.failed_response.record(0);
        } else {
            let slot = self.requests.insert(f, now);
            self.begin_step(cx, slot);
        }
        if let Some(next) = next.filter(|&t| t < stop) {
            cx.sched.at(next, E::from(Event::RequestArrive { flow: f }));
        }
    }

    /// Starts the request's current step, or completes the request.
    fn begin_step<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, slot: u32) {
        let now = cx.now();
        let request = &self.requests.slots[slot as usize];
        let (f, step, arrived, generation) = (request.flow, request.step, request.arrived, request.generation);
        let Some(step) = self.flows[f as usize].steps.get(step as usize).cloned() else {
            let stats = &mut self.flows[f as usize].stats;
            stats.completed += 1;
            stats.response.record(now - arrived);
            self.requests.release(slot);
            return;
        };
        let (duration, failing) = match &step {
            FlowStep::Local(dist) => (dist.sample(&mut cx.rng), false),
            FlowStep::Publish { queues, latency } => {
                // The message exists from the moment the handler decides to
                // send it; if the handler dies before the broker has it, the
                // ledger shows it lost (the dual-write problem).
                let slots = create_copies(cx, queues);
                self.requests.slots[slot as usize].publishing = slots;
                (latency.sample(&mut cx.rng), false)
            }
            FlowStep::Outbox { queues } => {
                // The row commits with the local transaction: it is durable at
                // once, and the relay will publish it.
                let slots = create_copies(cx, queues);
                self.flows[f as usize].outbox.push_back((slots, queues.clone()));
                (0, false)
            }
            FlowStep::Call(service) => {
                let call = self.services[*service as usize].call(now, Caller::Request, &mut cx.rng);
                (call.duration, call.failed)
            }
            FlowStep::Limit(index) => {
                // A token bucket that sheds load: a request that finds no
                // permit is turned away at once (HTTP 429), as the seeds'
                // gateway and Nginx limits do.
                let layer = &mut self.flows[f as usize].limits[*index];
                if layer.bucket.ready_at(now) > now {
                    layer.rejected += 1;
                    (0, true)
                } else {
                    layer.bucket.take(now);
                    layer.passed += 1;
                    (0, false)
                }
            }
        };
        self.requests.slots[slot as usize].failing = failing;
        cx.sched.after(duration, E::from(Event::StepDone { request: slot, generation }));
    }

    /// The current step finishes: a failed call fails the request; a publish
    /// returns its messages for the broker (then `handed` goes on); any
    /// other step is followed by the next.
    pub(crate) fn step_done<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, slot: u32, generation: u32) -> Option<Handoff> {
        let request = &mut self.requests.slots[slot as usize];
        if !request.live || request.generation != generation {
            return None; // The request died in a crash; this step's end never comes.
        }
        let f = request.flow as usize;
        if request.failing {
            self.fail_request(cx, slot);
            return None;
        }
        let publishing = std::mem::take(&mut request.publishing);
        if let Some(FlowStep::Publish { queues, .. }) = self.flows[f].steps.get(request.step as usize) {
            return Some(Handoff { slots: publishing, queues: queues.clone() });
        }
        self.requests.slots[slot as usize].step += 1;
        self.begin_step(cx, slot);
        None
    }

    /// The broker has the messages of request `slot`'s publish step:
    /// `refused` of them were refused by full queues, `blocked` wait in them.
    pub(crate) fn handed<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, slot: u32, refused: u32, blocked: u32) {
        if refused > 0 {
            // Backpressure the user sees: a full queue that rejects
            // publishes turns into an error response ("try again later").
            self.fail_request(cx, slot);
            return;
        }
        if blocked > 0 {
            // The user waits while the publish is blocked.
            self.requests.slots[slot as usize].blocked = blocked;
            return;
        }
        self.requests.slots[slot as usize].step += 1;
        self.begin_step(cx, slot);
    }

    /// A blocked publish of request `slot` got into its queue; once all of
    /// them have, the request moves on.
    pub(crate) fn publish_admitted<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, slot: u32, generation: u32) {
        let request = &mut self.requests.slots[slot as usize];
        if !request.live || request.generation != generation {
            return;
        }
        request.blocked -= 1;
        if request.blocked == 0 {
            request.step += 1;
            self.begin_step(cx, slot);
        }
    }

    /// The request ends in an error response now.
    fn fail_request<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, slot: u32) {
        let now = cx.now();
        let request = &self.requests.slots[slot as usize];
        let stats = &mut self.flows[request.flow as usize].stats;
        stats.failed += 1;
        stats.failed_response.record(now - request.arrived);
        self.requests.release(slot);
    }

    /// The outbox relay polls: every pending row, oldest first, for the
    /// broker (a relay whose queue is full waits, block, or loses the row's
    /// publish, reject; either way the engine records what happened). Then
    /// `relay_polled`. None when the flow has no relay.
    pub(crate) fn relay_outbox(&mut self, f: u32) -> Option<Vec<Handoff>> {
        let flow = &mut self.flows[f as usize];
        flow.relay_every?;
        Some(flow.outbox.drain(..).map(|(slots, queues)| Handoff { slots, queues }).collect())
    }

    /// After the relay's poll: it keeps polling while requests may still
    /// write rows.
    pub(crate) fn relay_polled<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, f: u32) {
        let now = cx.now();
        let flow = &self.flows[f as usize];
        let Some(every) = flow.relay_every else { return };
        if now < flow.stop.min(cx.end()) || !flow.outbox.is_empty() || self.requests.in_progress(f as usize) > 0 {
            cx.sched.after(every, E::from(Event::RelayTick { flow: f }));
        }
    }

    /// The flow's handler process crashes: every request in progress fails,
    /// and a message it was publishing (dual write: the database committed,
    /// the broker never heard) is lost. Rows already in the outbox survive.
    /// Publishes blocked in full queues die with the process too:
    /// `take_blocked` gives back those of a request (`(slot, generation)`).
    pub(crate) fn crash_request_handler<E: From<Event>, M: Meta>(
        &mut self,
        cx: &mut Ctx<E, M>,
        f: u32,
        down_for: SimTime,
        mut take_blocked: impl FnMut((u32, u32), &mut Vec<Slot>),
    ) {
        let now = cx.now();
        self.flows[f as usize].down_until = now.saturating_add(down_for);
        let victims: Vec<u32> = (0..self.requests.slots.len() as u32)
            .filter(|&s| {
                let r = &self.requests.slots[s as usize];
                r.live && r.flow == f
            })
            .collect();
        for slot in victims {
            let request = &mut self.requests.slots[slot as usize];
            let mut lost = std::mem::take(&mut request.publishing);
            let waiter = (slot, request.generation);
            take_blocked(waiter, &mut lost);
            let request = &self.requests.slots[slot as usize];
            let arrived = request.arrived;
            let stats = &mut self.flows[f as usize].stats;
            stats.lost_messages += lost.len() as u64;
            for message in lost {
                cx.set_state(message, MsgState::Lost, LifeKind::Lost, u32::MAX);
            }
            let stats = &mut self.flows[f as usize].stats;
            stats.failed += 1;
            stats.failed_response.record(now - arrived);
            self.requests.release(slot);
        }
    }
}
