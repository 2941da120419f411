//! The engine: builds a topology from a scenario, then runs it.
//!
//! As in nexosim, construction and execution are separate: `Sim::new` resolves
//! every name to an index and checks the scenario, and from then on the hot
//! loop works only with indices into `Vec`s. Each kernel event is one variant
//! of the closed `Event` enum; `Sim::handle` dispatches on it.
//!
//! Every change of a message's state goes through `Sim::record`, which updates
//! the ledger, the journal and the trace hash together, so the three can never
//! disagree.
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
mod control;
mod fault;
mod mark;
mod producer;
mod sample;
mod view;

use crate::amqp;
use crate::system;
use crate::kafka;
use crate::kernel::{Scheduler, SimRng};
use crate::ledger::{Ledger, MsgState};
use crate::message::{Message, MessageStore, Slot};
use crate::observe::{Cause, Fact, History, HistoryEvent, Journal, LatencyStats, LifeEvent, LifeKind, Markers, Series, TraceHash};
use crate::scenario::{Scenario, ScenarioError};
use crate::time::SimTime;

pub use crate::kernel::ArrivalProcess;
pub use control::{MessageLife, MessageView};
pub use crate::scenario::command::{Command, ControlError, TimedCommand};
pub use producer::Producer;
pub use crate::scenario::Target;

/// The journal capacity used when none is asked for: enough for several
/// frames of animation at high rates.
pub const DEFAULT_JOURNAL: usize = 65_536;

/// The message store the engine runs with: each message carries the queue
/// family's record of it.
pub(crate) type Store = MessageStore<amqp::MsgMeta>;

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

/// A running simulation.
pub struct Sim {
    pub(crate) scenario: Scenario,
    pub(crate) sched: Scheduler<Event>,
    pub(crate) rng: SimRng,
    pub(crate) store: Store,
    pub(crate) ledger: Ledger,
    pub(crate) producers: Vec<Producer>,
    /// The queue family's topology and state.
    pub(crate) amqp: amqp::World,
    /// Services and user request flows.
    pub(crate) system: system::World,
    /// The log family's topology and state.
    pub(crate) kafka: kafka::World,
    pub(crate) journal: Journal,
    /// The log family's offsets, kept only for history checkers.
    pub(crate) history: History,
    /// Faults, live actions and the engine's node events, kept for the
    /// whole run (see `observe::markers`).
    pub(crate) markers: Markers,
    pub(crate) trace: TraceHash,
    pub(crate) latency: LatencyStats,
    pub(crate) series: Series,
    pub(crate) stats: Stats,
    /// Live commands (pending and applied) and watched messages.
    pub(crate) control: control::Control,
    /// The run stops here (the scenario's duration, unless overridden).
    end: SimTime,
    next_id: u64,
    events: u64,
}

/// Running counters that are not message states.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stats {
    /// Messages producers sent (the ledger counts copies; see ARCHITECTURE.md).
    pub published: u64,
    /// Deliveries of a message that had been delivered before.
    pub redeliveries: u64,
    /// Messages whose side effect ran more than once.
    pub duplicates: u64,
    /// Records a consumer group processed after a later record with the same key.
    pub out_of_order: u64,
    /// Messages moved to a dead-letter queue, ever.
    pub dead_lettered: u64,
    /// The most unprocessed messages (stored or in flight) at any instant, and when.
    pub peak_backlog: u64,
    pub peak_backlog_at: SimTime,
    /// Producers were stopped by the scenario's `max_messages` budget.
    pub budget_reached: bool,
    /// The first sample at which the ledger disagreed with the actual queues
    /// and consumers (never, unless the engine has a bug).
    pub ledger_mismatch_at: Option<SimTime>,
    /// Counters for the current sample interval.
    pub interval_produced: u64,
    pub interval_processed: u64,
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
        let mut sim = Sim {
            sched: Scheduler::new(),
            rng: SimRng::new(scenario.seed),
            store: Store::default(),
            ledger: Ledger::default(),
            producers,
            amqp,
            system,
            kafka,
            journal: Journal::new(journal),
            history: History::default(),
            markers,
            trace: TraceHash::default(),
            latency: LatencyStats::default(),
            series,
            stats: Stats::default(),
            control: control::Control::default(),
            end: scenario.duration.0,
            next_id: 0,
            events: 0,
            scenario,
        };
        for producer in 0..sim.producers.len() as u32 {
            if let Some(first) = sim.producers[producer as usize].first_arrival() {
                sim.sched.at(first, Event::Arrive { producer, epoch: 0 });
            }
        }
        for flow in 0..sim.system.flows.len() as u32 {
            if let Some(first) = sim.system.flows[flow as usize].first_arrival() {
                sim.sched.at(first, Event::System(system::Event::RequestArrive { flow }));
            }
            if let Some(first) = sim.system.flows[flow as usize].first_relay() {
                sim.sched.at(first, Event::System(system::Event::RelayTick { flow }));
            }
        }
        for index in 0..sim.scenario.faults.len() as u32 {
            sim.sched.at(sim.scenario.faults[index as usize].at.0, Event::Fault { index });
        }
        sim.start_autoscalers();
        sim.sched.at(0, Event::Sample);
        sim.start_kafka();
        Ok(sim)
    }

    /// Builds a simulation that also keeps the log family's history of
    /// offsets (`observe::history`), for history checkers; `journal` as in
    /// `with_journal`. Building records no fact (it only schedules the first
    /// events), so none is missed by turning the history on afterwards.
    pub fn with_history(scenario: Scenario, journal: usize) -> Result<Sim, ScenarioError> {
        let mut sim = Sim::with_journal(scenario, journal)?;
        sim.history.enable();
        Ok(sim)
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.sched.now()
    }

    /// When the run ends.
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Moves the end of the run (the CLI's `--until`); it cannot move before now.
    pub fn set_end(&mut self, end: SimTime) {
        self.end = end.max(self.now());
    }

    /// The run has reached its end, or nothing is left to happen.
    pub fn finished(&self) -> bool {
        self.next_instant().is_none_or(|t| t > self.end)
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
        let Some((_, event)) = self.sched.pop_due(self.end) else { return false };
        self.events += 1;
        self.handle(event);
        self.note_scheduled_markers();
        true
    }

    /// Runs kernel events until one of them records a lifecycle event (or a
    /// live command is applied), so that a learner's "step" always shows
    /// something happen: bookkeeping events such as samples and idle ticks
    /// record nothing. Returns false when nothing was left to run.
    pub fn step_visible(&mut self) -> bool {
        // Every recorded event and every applied command moves the trace
        // hash, so the hash tells whether a step showed anything.
        let before = self.trace;
        loop {
            if !self.step() {
                return false;
            }
            if self.trace != before {
                return true;
            }
        }
    }

    /// Runs every event due at or before `t` (capped at the end of the run),
    /// then sets the clock to that time.
    pub fn run_until(&mut self, t: SimTime) {
        let t = t.min(self.end);
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
            let Some((_, event)) = self.sched.pop_due(t) else { break };
            self.events += 1;
            self.handle(event);
        }
        self.sched.advance_to(t);
        self.note_scheduled_markers();
    }

    /// Runs to the end of the scenario.
    pub fn run_to_end(&mut self) {
        self.run_until(self.end);
    }

    /// Runs one event. Inlined into the loops that call it: as a
    /// function of its own it saved and restored six registers for every
    /// event, for the rare handlers inlined into it, before tail-calling the
    /// common ones.
    #[inline(always)]
    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrive { producer, epoch } => self.arrive(producer, epoch),
            Event::Amqp(event) => self.handle_amqp(event),
            Event::System(event) => self.handle_system(event),
            Event::Kafka(event) => self.handle_kafka(event),
            Event::Sample => self.sample(),
            Event::Fault { index } => self.apply_fault(index),
        }
    }

    /// Records a lifecycle event: folds it into the trace hash and the journal.
    /// Message state changes go through `set_state`, which does the same.
    /// An event that changes the system rather than a message (a crash, a
    /// join, a rebalance…) is also kept as a marker.
    pub(crate) fn record(&mut self, kind: LifeKind, msg: u64, node: u32, key: u32) {
        let t = self.now();
        self.trace_event(t, msg, kind, node, None, None);
        if self.observing() {
            self.keep_event(LifeEvent { t, msg, kind, node, key, due: None, origin: None, reason: None, redelivered: false });
        }
        if crate::observe::markers::is_marker(kind) {
            self.mark_event(kind, node, key);
        }
    }

    /// Notes a fact of the log family's history, if it is kept. Not in the
    /// trace hash: the history only observes.
    #[inline(always)]
    pub(crate) fn note(&mut self, fact: Fact) {
        if self.history.enabled() {
            let t = self.now();
            self.history.push(t, fact);
        }
    }

    /// Folds a lifecycle event into the trace hash.
    #[inline(always)]
    fn trace_event(&mut self, t: SimTime, msg: u64, kind: LifeKind, node: u32, due: Option<SimTime>, origin: Option<u64>) {
        self.trace.mix(t);
        self.trace.mix(msg);
        self.trace.mix(((kind as u64) << 32) | u64::from(node));
        // Only delays and copies carry these, so runs without them hash as they always did.
        if let Some(due) = due {
            self.trace.mix(due);
        }
        if let Some(origin) = origin {
            self.trace.mix(origin);
        }
    }

    /// Someone keeps recorded events: the journal, or a watched message.
    /// Headless runs (the CLI, benchmarks) do neither, and then an event
    /// need not even be built.
    #[inline(always)]
    fn observing(&self) -> bool {
        self.journal.enabled() || self.control.watch.active()
    }

    /// Hands a recorded event to the watch list and the journal.
    #[inline(never)]
    fn keep_event(&mut self, event: LifeEvent) {
        self.control.watch.note(&event);
        self.journal.push(event);
    }

    /// Moves a live message to `state`, records `kind`, and frees its slot if
    /// the state is terminal (unless stale consumer work still refers to it;
    /// see `amqp::consumer`). Returns the message id.
    #[inline]
    pub(crate) fn set_state(&mut self, slot: Slot, state: MsgState, kind: LifeKind, node: u32) -> u64 {
        debug_assert!(state != MsgState::Delayed, "a message is held with its due time (set_state_due)");
        self.set_state_due(slot, state, kind, node, None)
    }

    /// `set_state` for an event that puts a message back, with why: the
    /// journal carries `reason` (the trace hash does not, so golden hashes
    /// do not depend on it).
    pub(crate) fn set_state_because(&mut self, slot: Slot, state: MsgState, kind: LifeKind, node: u32, reason: Cause) -> u64 {
        self.transition(slot, state, kind, node, None, Some(reason))
    }

    /// `set_state`, inlined into the caller, for the transitions every message
    /// makes (stored, delivered, processed). A call saves and restores six
    /// registers and spills its arguments around some sixty instructions of
    /// work, and inlined, a constant state and kind fold into the ledger update,
    /// the trace word and the terminal check. (See the module docs.)
    #[inline(always)]
    pub(crate) fn set_state_inline(&mut self, slot: Slot, state: MsgState, kind: LifeKind, node: u32) -> u64 {
        self.transition(slot, state, kind, node, None, None)
    }

    /// `set_state` for a message held until `due` (a delayed message or a
    /// retry backoff): the due time goes into the trace and the journal.
    pub(crate) fn set_state_due(&mut self, slot: Slot, state: MsgState, kind: LifeKind, node: u32, due: Option<SimTime>) -> u64 {
        self.transition(slot, state, kind, node, due, None)
    }

    /// What `set_state_due` does, for inlining into `set_state_inline` too.
    /// `reason` (why a message is put back) and whether a delivery is a
    /// redelivery reach only the journal: they are worked out only when
    /// someone keeps events, so headless runs do not pay for them.
    #[inline(always)]
    fn transition(&mut self, slot: Slot, state: MsgState, kind: LifeKind, node: u32, due: Option<SimTime>, reason: Option<Cause>) -> u64 {
        let message = self.store.get_mut(slot);
        let from = std::mem::replace(&mut message.state, state);
        let id = message.id;
        let origin = message.amqp.related(id);
        let pinned = message.amqp.pins > 0;
        self.ledger.transition(from, state);
        let t = self.now();
        self.trace_event(t, id, kind, node, due, origin);
        if self.observing() {
            let message = self.store.get(slot);
            let key = message.key;
            // A queue delivery counts in `deliveries`, and so does a group
            // member's fetch of its group's copy (see `kafka::consumer::fetch`).
            let redelivered = matches!(kind, LifeKind::Delivered | LifeKind::Fetched) && message.deliveries > 1;
            let reason = reason.or(Cause::implied_by(kind));
            self.keep_event(LifeEvent { t, msg: id, kind, node, key, due, origin, reason, redelivered });
        }
        if state.is_terminal() && !pinned {
            self.store.release(slot);
        }
        id
    }

    /// Hands out the next message id.
    pub(crate) fn next_message_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Creates a message at the current instant and enters it in the ledger as
    /// `producing`; the caller then hands it to the broker.
    #[inline]
    pub(crate) fn new_message(&mut self, producer: u32, key: u32, poison: bool) -> Slot {
        let id = self.next_message_id();
        let born = self.now();
        self.ledger.enter(MsgState::Producing);
        self.stats.published += 1;
        self.stats.interval_produced += 1;
        self.store.insert(Message {
            id,
            producer,
            key,
            born,
            deliveries: 0,
            state: MsgState::Producing,
            queue: 0,
            poison,
            non_critical: false,
            ready_since: born,
            seq: 0,
            amqp: amqp::MsgMeta::new(id, 0),
        })
    }

    /// A copy of a message that is still `producing`, for one more
    /// destination: a new id and ledger entry, the same origin, birth time and
    /// key, and no delivery of its own yet.
    pub(crate) fn copy_message(&mut self, slot: Slot) -> Slot {
        let mut copy = self.store.get(slot).clone();
        copy.id = self.next_message_id();
        copy.amqp.token = 0;
        copy.amqp.pins = 0;
        copy.state = MsgState::Producing;
        self.ledger.enter(MsgState::Producing);
        self.store.insert(copy)
    }

    /// Notes the backlog (stored + in flight, outside dead-letter queues)
    /// after it grew, keeping its peak and the first time it was reached.
    pub(crate) fn note_backlog(&mut self) {
        let backlog = self.ledger.count(MsgState::Stored) + self.ledger.count(MsgState::InFlight);
        if backlog > self.stats.peak_backlog {
            self.stats.peak_backlog = backlog;
            self.stats.peak_backlog_at = self.now();
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    pub fn trace_hash(&self) -> TraceHash {
        self.trace
    }

    /// Takes the lifecycle events recorded since the last call.
    pub fn drain_journal(&mut self) -> Vec<LifeEvent> {
        self.journal.drain()
    }

    /// Takes the history facts recorded since the last drain (none unless
    /// the simulation was built `with_history`).
    pub fn drain_history(&mut self) -> Vec<HistoryEvent> {
        self.history.drain()
    }

    /// How many messages producer `index` (its place in the scenario) has sent.
    pub fn producer_sent(&self, index: usize) -> u64 {
        self.producers.get(index).map_or(0, |p| p.sent)
    }

    /// Messages alive now, and the most message slots ever held at once.
    pub fn memory(&self) -> (usize, usize) {
        (self.store.live(), self.store.capacity_used())
    }
}
