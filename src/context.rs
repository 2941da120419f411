//! The simulation context: the only state the families share, and the one
//! path by which a message changes state.
//!
//! Like SimPy's `Environment`, it knows the clock and the pending events
//! (`sched`), and beside them the few things every family writes to: the
//! RNG, the message store and its ledger, and the recorder (journal, trace
//! hash, history, markers, latency, series, running counters). It holds no
//! family's topology and no family logic: a family's handlers change their
//! own world and reach everything shared through this.
//!
//! Every change of a message's state goes through `Ctx::set_state` (or its
//! variants), which moves the ledger, the journal and the trace hash
//! together, so the three can never disagree.
//!
//! It sits below the families, so it names none of them: it is generic over
//! the event type `E` its scheduler holds (the engine's closed `Event`
//! enum, into which each family's own events convert with `From`) and over
//! the per-message record `M` the queue family keeps (`amqp::MsgMeta`,
//! through `message::Meta`). The engine fixes both (`engine::Ctx`), so
//! there is one instance of every handler and the generics cost nothing.

use crate::kernel::{Scheduler, SimRng};
use crate::ledger::{Ledger, MsgState};
use crate::message::{Message, MessageStore, Meta, Slot};
use crate::observe::kinds::{Subject, describe};
use crate::observe::markers::{Detail, Marker, MarkerKind, Source, key_meaning};
use crate::observe::watch::Watch;
use crate::observe::{Cause, Fact, History, Journal, LatencyStats, LifeEvent, LifeKind, Markers, Series, TraceHash};
use crate::time::SimTime;

/// The shared state of a run (see the module docs).
pub(crate) struct Ctx<E, M> {
    pub(crate) sched: Scheduler<E>,
    pub(crate) rng: SimRng,
    pub(crate) store: MessageStore<M>,
    pub(crate) ledger: Ledger,
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
    /// Messages a page watches (see `engine::control`): like the journal,
    /// a keeper of recorded events.
    pub(crate) watch: Watch,
    /// The run stops here (the scenario's duration, unless overridden).
    pub(crate) end: SimTime,
    /// Engine markers kept without their subject's name, which only the
    /// worlds know: (marker index, what its node is, node). The engine
    /// names them (`Sim::name_markers`) before anyone reads the markers.
    pub(crate) unnamed: Vec<(u32, Subject, u32)>,
    /// Services' names, for the markers of their scheduled outage windows.
    service_names: Vec<String>,
    next_id: u64,
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

impl<E, M: Meta> Ctx<E, M> {
    pub(crate) fn new(seed: u64, journal: usize, markers: Markers, series: Series, end: SimTime, service_names: Vec<String>) -> Self {
        Ctx {
            sched: Scheduler::new(),
            rng: SimRng::new(seed),
            store: MessageStore::default(),
            ledger: Ledger::default(),
            journal: Journal::new(journal),
            history: History::default(),
            markers,
            trace: TraceHash::default(),
            latency: LatencyStats::default(),
            series,
            stats: Stats::default(),
            watch: Watch::default(),
            end,
            unnamed: Vec::new(),
            service_names,
            next_id: 0,
        }
    }

    /// The current simulated time.
    #[inline(always)]
    pub(crate) fn now(&self) -> SimTime {
        self.sched.now()
    }

    /// When the run ends.
    #[inline]
    pub(crate) fn end(&self) -> SimTime {
        self.end
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
        self.journal.enabled() || self.watch.active()
    }

    /// Hands a recorded event to the watch list and the journal.
    #[inline(never)]
    fn keep_event(&mut self, event: LifeEvent) {
        self.watch.note(&event);
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
    /// the trace word and the terminal check. (See the engine's module docs.)
    #[inline(always)]
    pub(crate) fn set_state_inline(&mut self, slot: Slot, state: MsgState, kind: LifeKind, node: u32) -> u64 {
        self.transition(slot, state, kind, node, None, None)
    }

    /// `set_state` for a message held until `due` (a delayed message or a
    /// retry backoff): the due time goes into the trace and the journal.
    /// Out of line in the page's wasm: as a method of the generic context it
    /// was otherwise inlined into every caller (4 KB gzipped).
    #[cfg_attr(target_arch = "wasm32", inline(never))]
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
        let pinned = message.amqp.pinned();
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
            amqp: M::created(id),
        })
    }

    /// A copy of a message that is still `producing`, for one more
    /// destination: a new id and ledger entry, the same origin, birth time and
    /// key, and no delivery of its own yet.
    pub(crate) fn copy_message(&mut self, slot: Slot) -> Slot {
        let mut copy = self.store.get(slot).clone();
        copy.id = self.next_message_id();
        copy.amqp.for_copy();
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

    /// Keeps a marker at the current instant, after any scheduled one due
    /// by now (so the list stays in time order); returns its index.
    pub(crate) fn mark(&mut self, kind: MarkerKind, subject: String, source: Source, detail: Option<Detail>) -> Option<u32> {
        self.take_scheduled_markers();
        let by = if source == Source::Engine { self.markers.applying } else { None };
        self.markers.push(Marker { t: self.now(), kind, subject, source, detail, by })
    }

    /// Keeps the scheduled markers (services' outage windows) due by now.
    #[inline]
    pub(crate) fn note_scheduled_markers(&mut self) {
        if self.markers.next_scheduled().is_some_and(|t| t <= self.now()) {
            self.take_scheduled_markers();
        }
    }

    #[inline(never)]
    fn take_scheduled_markers(&mut self) {
        while let Some(outage) = self.markers.take_due(self.now()) {
            let marker = outage.marker(&self.service_names[outage.service as usize]);
            self.markers.push(marker);
        }
    }

    /// Marks an engine event of `kind` (one `observe::markers::is_marker`
    /// accepts) at node `node`, with the journal's `key`. Its subject is
    /// named by the engine, which knows the worlds (`Sim::name_markers`).
    /// Out of line: it runs only for the rare events that change the system.
    #[cold]
    #[inline(never)]
    fn mark_event(&mut self, kind: LifeKind, node: u32, key: u32) {
        let detail = key_meaning(kind).map(|name| Detail::Value(name, key));
        if let Some(index) = self.mark(MarkerKind::Event(kind), String::new(), Source::Engine, detail) {
            self.unnamed.push((index, describe(kind).at, node));
        }
    }
}
