//! Markers: every fault, every live action and every event of the engine
//! that changes the system rather than one message (a consumer crashed or
//! came back, a member joined or left, a rebalance, a broker crashed or was
//! fenced, a leader elected, a partition added, the autoscaler starting or
//! stopping an instance), kept for the whole run.
//!
//! The journal is a ring for animation: at high rates it keeps only the
//! latest events, and a run's crashes and rebalances scroll out of it.
//! Markers are what a chart draws as labelled vertical lines and the event
//! log lists under "faults and actions", so they are kept apart, in full,
//! up to [`MARKER_CAP`] (then counted). They are rare: a marker is a change
//! of the system, never a message's step.
//!
//! Keeping them is observation only: no random draw, no scheduled event,
//! nothing folded into the trace hash.

use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::scenario::Command;
use crate::observe::LifeKind;
use crate::scenario::FaultAction;
use crate::time::{SimTime, as_millis_f64};

/// The most markers a run keeps; later ones are only counted
/// (`Markers::dropped`). Generous: a marker is a change of the system, and
/// even a chaos scenario makes a few thousand.
pub const MARKER_CAP: usize = 100_000;

/// Where a marker comes from. Serialized as `"fault"`, `"action"`, `"engine"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A fault the scenario scheduled (its `faults`, or a service's outage window).
    Fault,
    /// A live command, applied at its instant (typed on the page or replayed from a log).
    Action,
    /// Something the engine did: a crash, a join, a rebalance, an election…
    Engine,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Fault, Source::Action, Source::Engine];

    pub fn name(self) -> &'static str {
        match self {
            Source::Fault => "fault",
            Source::Action => "action",
            Source::Engine => "engine",
        }
    }
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// What a marker records: for a fault or an action, the JSON name of the
/// fault action or command (`"crash_consumer"`, `"set_rate"`); for the
/// engine, the journal event kind (`"member_joined"`). Serialized as that name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    /// A fault action's or a live command's JSON name.
    Named(&'static str),
    /// A journal event kind for which [`is_marker`] holds.
    Event(LifeKind),
}

impl MarkerKind {
    pub fn name(self) -> &'static str {
        match self {
            MarkerKind::Named(name) => name,
            MarkerKind::Event(kind) => kind.name(),
        }
    }
}

impl Serialize for MarkerKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// What a marker adds to its kind and subject. Serialized as an object:
/// `{"command": {…}}` for a fault or an action (the fault action or command
/// as JSON writes it, which the page's `describeCommand` reads), or
/// `{"<name>": n}` for an engine event's number (a rebalance's
/// `generation`, an elected leader's `broker`, the `partitions` a member
/// gave up).
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    Fault(FaultAction),
    Command(Command),
    /// A service's scheduled outage begins (`down`) or ends, written as the
    /// live command that would do the same (`service_down` / `service_up`).
    Outage { service: String, down: bool },
    Value(&'static str, u32),
}

// Written as a struct (a map with fixed keys), like the scenario's faults
// and the command log's entries, so that the wasm module serializes a fault
// action or a command here with the code it has for those already.
impl Serialize for Detail {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Detail", 1)?;
        match self {
            Detail::Fault(action) => out.serialize_field("command", action)?,
            Detail::Command(command) => out.serialize_field("command", command)?,
            Detail::Outage { service, down } => {
                let service = service.clone();
                let command = if *down { Command::ServiceDown { service } } else { Command::ServiceUp { service } };
                out.serialize_field("command", &command)?;
            }
            Detail::Value(name, value) => out.serialize_field(name, value)?,
        }
        out.end()
    }
}

/// One marker. Serialized for the wasm API as `{t_ms, kind, subject,
/// source, detail?, by?}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub t: SimTime,
    pub kind: MarkerKind,
    /// What it happened to, named as the page names it: a queue, a consumer
    /// instance (`worker#0`), a group member (`billing#2`), a group, a
    /// broker (`broker 1`), a partition (`orders-3`), a topic, a producer,
    /// a service or a request flow; empty for the queue family's broker.
    pub subject: String,
    pub source: Source,
    pub detail: Option<Detail>,
    /// An engine marker recorded while a fault or an action was being
    /// applied (the crash a `crash_consumer` caused, the rebalance an
    /// `add_partitions` started): the index of that fault's or action's
    /// marker. None for the rest.
    pub by: Option<u32>,
}

impl Serialize for Marker {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = 4 + usize::from(self.detail.is_some()) + usize::from(self.by.is_some());
        let mut out = serializer.serialize_struct("Marker", fields)?;
        out.serialize_field("t_ms", &as_millis_f64(self.t))?;
        out.serialize_field("kind", self.kind.name())?;
        out.serialize_field("subject", &self.subject)?;
        out.serialize_field("source", self.source.name())?;
        if let Some(detail) = &self.detail {
            out.serialize_field("detail", detail)?;
        }
        if let Some(by) = self.by {
            out.serialize_field("by", &by)?;
        }
        out.end()
    }
}

/// The run's markers, in the order they happened.
#[derive(Debug, Default)]
pub struct Markers {
    list: Vec<Marker>,
    dropped: u64,
    /// While a fault or an action is applied: the index of its marker, which
    /// the engine markers it causes point to (`Marker::by`).
    pub(crate) applying: Option<u32>,
    /// Markers known in advance (the edges of services' scheduled outage
    /// windows, which are not events), latest first: each is added when
    /// the run reaches its time (see `Ctx::note_scheduled_markers`).
    scheduled: Vec<Outage>,
}

/// An edge of a service's scheduled outage window: when, which service,
/// and whether it goes down or comes back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outage {
    pub t: SimTime,
    pub service: u32,
    pub down: bool,
}

impl Outage {
    /// The marker of this edge, for service `name`: a fault, written as the
    /// live command that would do the same.
    pub fn marker(self, name: &str) -> Marker {
        let kind = MarkerKind::Named(if self.down { "service_down" } else { "service_up" });
        let detail = Some(Detail::Outage { service: name.to_string(), down: self.down });
        Marker { t: self.t, kind, subject: name.to_string(), source: Source::Fault, detail, by: None }
    }
}

impl Markers {
    /// Markers for a run whose services have these scheduled outage windows
    /// ((service, from, to), in the scenario's order).
    pub fn new(outages: &[(u32, SimTime, SimTime)]) -> Markers {
        // Latest first, so that the next due is at the end; ties keep their
        // order (a window's start before its end, windows as listed). An
        // insertion sort: there are a few windows, and it keeps the sorting
        // code of the standard library out of the wasm module.
        let mut scheduled: Vec<Outage> = Vec::with_capacity(2 * outages.len());
        for &(service, from, to) in outages {
            for (t, down) in [(from, true), (to, false)] {
                let at = scheduled.partition_point(|m| m.t > t);
                scheduled.insert(at, Outage { t, service, down });
            }
        }
        Markers { list: Vec::new(), dropped: 0, applying: None, scheduled }
    }

    /// Keeps a marker (or counts it, past the cap); returns its index if kept.
    pub fn push(&mut self, marker: Marker) -> Option<u32> {
        if self.list.len() >= MARKER_CAP {
            self.dropped += 1;
            return None;
        }
        self.list.push(marker);
        Some(self.list.len() as u32 - 1)
    }

    /// Names the subject of marker `index`, kept before its name was known.
    pub(crate) fn name(&mut self, index: u32, subject: String) {
        self.list[index as usize].subject = subject;
    }

    /// The time of the next scheduled marker, if any is left.
    #[inline]
    pub fn next_scheduled(&self) -> Option<SimTime> {
        self.scheduled.last().map(|m| m.t)
    }

    /// The next scheduled outage edge, if it is due by `now`; it is taken.
    pub fn take_due(&mut self, now: SimTime) -> Option<Outage> {
        if self.scheduled.last().is_some_and(|m| m.t <= now) { self.scheduled.pop() } else { None }
    }

    /// Every marker kept, oldest first.
    pub fn all(&self) -> &[Marker] {
        &self.list
    }

    /// The markers from index `from` on (none if `from` is past the end).
    pub fn since(&self, from: usize) -> &[Marker] {
        &self.list[from.min(self.list.len())..]
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Markers not kept because the cap was reached.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

/// Whether the engine keeps a marker when it records an event of `kind`:
/// events that change the system (a node's life, membership, leadership,
/// the shape of a topic), never a message's step, and not the ISR's
/// shrinking and growing, which the `isr.<topic>-<p>` series shows and
/// which a slow follower makes frequent. The match lists every kind, so a
/// new kind is a compile error until it is decided here.
pub fn is_marker(kind: LifeKind) -> bool {
    use LifeKind::*;
    match kind {
        ConsumerCrashed | ConsumerRestarted | ConsumerStarted | ConsumerStopped | BrokerCrashed | BrokerRestarted
        | PartitionAdded | KafkaBrokerCrashed | KafkaBrokerRestarted | BrokerFenced | PartitionOffline
        | LeaderElected | UncleanLeaderElected | RebalanceStarted | RebalanceCompleted | SessionExpired
        | MemberJoined | MemberLeft | MemberCrashed | MemberPaused | MemberResumed | PartitionsRevoked => true,
        Published | Delivered | Acked | Requeued | DeadLetteredDeliveryLimit | DeadLetteredMaxLength | Dropped
        | Lost | Copied | Unroutable | Returned | Missed | Delayed | Released | RetryScheduled | Retried
        | DeadLetteredRejected | DeadLetteredExpired | Expired | Replayed | AckTimedOut | AckLost | StaleAck
        | DuplicateEffect | DedupHit | PublishNacked | Confirmed | PublishFailed | Replied | RequestCompleted
        | RequestTimedOut | LateReply | Blocked | Declined | Appended | DuplicateAppended | Reverted | Truncated
        | RetentionDeleted | IsrShrunk | IsrExpanded | LostInTransit | NotEnoughReplicas | Deduplicated
        | ProduceRetried | DeliveryFailed | OffsetReset | Fetched | ProcessingFailed | Processed | OutOfOrder
        | ProcessedAgain | ReturnedToLog | SkippedByCommit => false,
    }
}

/// What an engine marker's journal `key` means, if it is worth showing:
/// the name it goes by in the marker's `detail`.
pub fn key_meaning(kind: LifeKind) -> Option<&'static str> {
    match kind {
        LifeKind::RebalanceStarted | LifeKind::RebalanceCompleted => Some("generation"),
        LifeKind::LeaderElected | LifeKind::UncleanLeaderElected => Some("broker"),
        LifeKind::PartitionsRevoked => Some("partitions"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: SimTime) -> Marker {
        Marker { t, kind: MarkerKind::Named("set_rate"), subject: String::new(), source: Source::Action, detail: None, by: None }
    }

    /// Past the cap, markers are counted instead of kept.
    #[test]
    fn markers_beyond_the_cap_are_counted() {
        let mut m = Markers::default();
        for t in 0..MARKER_CAP as u64 + 3 {
            m.push(at(t));
        }
        assert_eq!((m.len(), m.dropped()), (MARKER_CAP, 3));
        assert_eq!(m.since(MARKER_CAP - 1).len(), 1);
        assert!(m.since(MARKER_CAP + 5).is_empty());
    }

    /// Scheduled outage edges come due in time order, ties as listed.
    #[test]
    fn scheduled_outages_come_due_in_time_order() {
        let mut m = Markers::new(&[(0, 20, 40), (1, 10, 50), (2, 40, 60)]);
        assert_eq!(m.next_scheduled(), Some(10));
        let mut due = Vec::new();
        while let Some(o) = m.take_due(45) {
            due.push((o.t, o.service, o.down));
        }
        assert_eq!(due, [(10, 1, true), (20, 0, true), (40, 0, false), (40, 2, true)]);
        assert_eq!(m.next_scheduled(), Some(50));
        assert_eq!(Outage { t: 5, service: 0, down: false }.marker("db").kind, MarkerKind::Named("service_up"));
    }

    /// A marker serializes with its time in ms, its detail as the command
    /// the page can describe, and without the fields it lacks.
    #[test]
    fn a_marker_serializes_for_the_page() {
        let marker = Marker {
            t: 1_500_000_000,
            kind: MarkerKind::Named("service_down"),
            subject: "db".into(),
            source: Source::Fault,
            detail: Some(Detail::Outage { service: "db".into(), down: true }),
            by: None,
        };
        assert_eq!(
            serde_json::to_string(&marker).unwrap(),
            r#"{"t_ms":1500.0,"kind":"service_down","subject":"db","source":"fault","detail":{"command":{"service_down":{"service":"db"}}}}"#
        );
        let engine = Marker { kind: MarkerKind::Event(LifeKind::RebalanceStarted), detail: Some(Detail::Value("generation", 2)), by: Some(0), source: Source::Engine, ..at(0) };
        assert_eq!(
            serde_json::to_string(&engine).unwrap(),
            r#"{"t_ms":0.0,"kind":"rebalance_started","subject":"","source":"engine","detail":{"generation":2},"by":0}"#
        );
    }
}
