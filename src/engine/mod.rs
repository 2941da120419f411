//! The engine: builds the context and the worlds from a scenario, then runs
//! them.
//!
//! As in nexosim, construction and execution are separate: `Sim::new` resolves
//! every name to an index and checks the scenario, and from then on the hot
//! loop works only with indices into `Vec`s. Each kernel event is one variant
//! of the closed `Event` enum; `Sim::handle` hands it to its world (a
//! family's `World::handle`, or `dispatch.rs`), with the context. The engine
//! holds no family logic: producers, faults, live commands, sampling, where
//! the families meet (`bridge.rs`) and the API the front ends use.
//!
//! Every change of a message's state goes through the context
//! (`Ctx::set_state` and `Ctx::record`), which updates the ledger, the
//! journal and the trace hash together, so the three can never disagree.
//!
//! A few functions run for every message (changing its state, storing it,
//! starting and finishing its service, returning the consumer's credit,
//! drawing a duration) and are marked `#[inline(always)]`. Natively, a call
//! to one of them saved and restored up to six registers and spilled its
//! arguments, which on the M/M/10 benchmark cost about as much as the work
//! inside; inlined, that goes, and so do checks the caller has already made.
//! In the page's wasm, built for size (see `.cargo/config.toml`), the same
//! inlining costs 6 KB gzipped and makes the benchmark 14 % faster, which
//! keeps wasm within 0.55 of native speed (BENCHMARKS.md).

mod bridge;
mod cmd;
mod dispatch;
mod control;
mod fault;
mod mark;
mod producer;
mod sample;
mod view;

use crate::amqp;
use crate::system;
use crate::kafka;
use crate::ledger::Ledger;
use crate::observe::{HistoryEvent, LifeEvent, Markers, Series, TraceHash};
use crate::scenario::{Scenario, ScenarioError};
use crate::time::SimTime;

pub use crate::kernel::ArrivalProcess;
pub use control::{MessageLife, MessageView};
pub use crate::scenario::command::{Command, ControlError, TimedCommand};
pub use producer::Producer;
/// The context every handler runs in (`crate::context`), with the
/// engine's events and the queue family's record on every message.
pub(crate) type Ctx = crate::context::Ctx<Event, amqp::MsgMeta>;
pub use crate::scenario::Target;

/// The journal capacity used when none is asked for: enough for several
/// frames of animation at high rates.
pub const DEFAULT_JOURNAL: usize = 65_536;

/// Everything that can happen at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// Producer `producer` emits its next message. `epoch` tells an arrival
    /// scheduled before a live rate change (stale) from a current one.
    Arrive { producer: u32, epoch: u32 },
    /// An event of the queue family's model.
    Amqp(amqp::Event),
    /// An event of the system model (user requests, services).
    System(system::Event),
    /// An event of the log family's model.
    Kafka(kafka::Event),
    /// Take a time-series sample.
    Sample,
    /// Apply `scenario.faults[index]`.
    Fault { index: u32 },
}

impl From<amqp::Event> for Event {
    #[inline(always)]
    fn from(event: amqp::Event) -> Event {
        Event::Amqp(event)
    }
}

impl From<system::Event> for Event {
    #[inline(always)]
    fn from(event: system::Event) -> Event {
        Event::System(event)
    }
}

impl From<kafka::Event> for Event {
    #[inline(always)]
    fn from(event: kafka::Event) -> Event {
        Event::Kafka(event)
    }
}

/// A running simulation: the shared context and the worlds, and what only
/// the engine keeps (producers, live commands, the scenario).
pub struct Sim {
    pub(crate) scenario: Scenario,
    /// The shared state: clock, RNG, messages, ledger, recorder.
    pub(crate) cx: Ctx,
    pub(crate) producers: Vec<Producer>,
    /// The queue family's topology and state.
    pub(crate) amqp: amqp::World,
    /// Services and user request flows.
    pub(crate) system: system::World,
    /// The log family's topology and state.
    pub(crate) kafka: kafka::World,
    /// Live commands (pending and applied).
    pub(crate) control: control::Control,
    events: u64,
}

impl Sim {
    /// Builds a simulation from a scenario, checking it first.
    pub fn new(scenario: Scenario) -> Result<Sim, ScenarioError> {
        Sim::with_journal(scenario, DEFAULT_JOURNAL)
    }

    /// Parses, checks and builds a scenario from JSON text.
    pub fn from_json(text: &str) -> Result<Sim, ScenarioError> {
        Sim::new(Scenario::from_json(text)?)
    }

    /// Builds a simulation whose journal keeps `journal` events (0 for none).
    pub fn with_journal(scenario: Scenario, journal: usize) -> Result<Sim, ScenarioError> {
        scenario.validate()?;
        let amqp = amqp::World::build(&scenario)?;
        let system = system::World::build(&scenario)?;
        let kafka = kafka::World::build(&scenario)?;
        let producers = Producer::build_all(&scenario)?;
        let series = sample::new_series(&scenario);
        let mut outages = Vec::new();
        for (s, service) in scenario.services.iter().enumerate() {
            for o in &service.outages {
                outages.push((s as u32, o.from.0, o.to.0));
            }
        }
        let markers = Markers::new(&outages);
        let service_names = scenario.services.iter().map(|s| s.name.clone()).collect();
        let cx = Ctx::new(scenario.seed, journal, markers, series, scenario.duration.0, service_names);
        let mut sim = Sim { cx, producers, amqp, system, kafka, control: control::Control::default(), events: 0, scenario };
        for producer in 0..sim.producers.len() as u32 {
            if let Some(first) = sim.producers[producer as usize].first_arrival() {
                sim.cx.sched.at(first, Event::Arrive { producer, epoch: 0 });
            }
        }
        for flow in 0..sim.system.flows.len() as u32 {
            if let Some(first) = sim.system.flows[flow as usize].first_arrival() {
                sim.cx.sched.at(first, Event::System(system::Event::RequestArrive { flow }));
            }
            if let Some(first) = sim.system.flows[flow as usize].first_relay() {
                sim.cx.sched.at(first, Event::System(system::Event::RelayTick { flow }));
            }
        }
        for index in 0..sim.scenario.faults.len() as u32 {
            sim.cx.sched.at(sim.scenario.faults[index as usize].at.0, Event::Fault { index });
        }
        sim.amqp.start_autoscalers(&mut sim.cx);
        sim.cx.sched.at(0, Event::Sample);
        sim.kafka.start_kafka(&mut sim.cx);
        sim.settle_markers();
        Ok(sim)
    }

    /// Builds a simulation that also keeps the log family's history of
    /// offsets (`observe::history`), for history checkers; `journal` as in
    /// `with_journal`. Building records no fact (it only schedules the first
    /// events), so none is missed by turning the history on afterwards.
    pub fn with_history(scenario: Scenario, journal: usize) -> Result<Sim, ScenarioError> {
        let mut sim = Sim::with_journal(scenario, journal)?;
        sim.cx.history.enable();
        Ok(sim)
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.cx.sched.now()
    }

    /// When the run ends.
    pub fn end(&self) -> SimTime {
        self.cx.end()
    }

    /// Moves the end of the run (the CLI's `--until`); it cannot move before now.
    pub fn set_end(&mut self, end: SimTime) {
        self.cx.end = end.max(self.now());
    }

    /// The run has reached its end, or nothing is left to happen.
    pub fn finished(&self) -> bool {
        self.next_instant().is_none_or(|t| t > self.cx.end)
    }

    /// Kernel events handled so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Runs the next event, if it is due by the end of the run, or applies the
    /// next pending live command if it comes first. Returns false when there
    /// was neither.
    pub fn step(&mut self) -> bool {
        if self.apply_due_command() {
            return true;
        }
        let Some((_, event)) = self.cx.sched.pop_due(self.cx.end) else { return false };
        self.events += 1;
        self.handle(event);
        self.settle_markers();
        true
    }

    /// Runs kernel events until one of them records a lifecycle event (or a
    /// live command is applied), so that a learner's "step" always shows
    /// something happen: bookkeeping events such as samples and idle ticks
    /// record nothing. Returns false when nothing was left to run.
    pub fn step_visible(&mut self) -> bool {
        // Every recorded event and every applied command moves the trace
        // hash, so the hash tells whether a step showed anything.
        let before = self.cx.trace;
        loop {
            if !self.step() {
                return false;
            }
            if self.cx.trace != before {
                return true;
            }
        }
    }

    /// Runs every event due at or before `t` (capped at the end of the run),
    /// then sets the clock to that time.
    pub fn run_until(&mut self, t: SimTime) {
        let t = t.min(self.cx.end);
        loop {
            if self.control.has_pending() {
                // A live command may come first: `step` decides.
                if self.next_instant().is_none_or(|next| next > t) {
                    break;
                }
                self.step();
                continue;
            }
            // No command is pending (and none can be added while events
            // run), so the next event is the next thing to happen.
            let Some((_, event)) = self.cx.sched.pop_due(t) else { break };
            self.events += 1;
            self.handle(event);
        }
        self.cx.sched.advance_to(t);
        self.settle_markers();
    }

    /// Runs to the end of the scenario.
    pub fn run_to_end(&mut self) {
        self.run_until(self.cx.end);
    }

    /// Runs one event. Inlined into the loops that call it: as a
    /// function of its own it saved and restored six registers for every
    /// event, for the rare handlers inlined into it, before tail-calling the
    /// common ones.
    #[inline(always)]
    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrive { producer, epoch } => self.arrive(producer, epoch),
            Event::Amqp(event) => self.amqp.handle(&mut self.cx, &mut self.system, event),
            Event::System(event) => self.handle_system(event),
            Event::Kafka(event) => self.kafka.handle(&mut self.cx, event),
            Event::Sample => self.sample(),
            Event::Fault { index } => self.apply_fault(index),
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn ledger(&self) -> &Ledger {
        &self.cx.ledger
    }

    pub fn series(&self) -> &Series {
        &self.cx.series
    }

    pub fn trace_hash(&self) -> TraceHash {
        self.cx.trace
    }

    /// Takes the lifecycle events recorded since the last call.
    pub fn drain_journal(&mut self) -> Vec<LifeEvent> {
        self.cx.journal.drain()
    }

    /// Takes the history facts recorded since the last drain (none unless
    /// the simulation was built `with_history`).
    pub fn drain_history(&mut self) -> Vec<HistoryEvent> {
        self.cx.history.drain()
    }

    /// How many messages producer `index` (its place in the scenario) has sent.
    pub fn producer_sent(&self, index: usize) -> u64 {
        self.producers.get(index).map_or(0, |p| p.sent)
    }

    /// Messages alive now, and the most message slots ever held at once.
    pub fn memory(&self) -> (usize, usize) {
        (self.cx.store.live(), self.cx.store.capacity_used())
    }
}
