//! The queue family of semantics (RabbitMQ / AMQP 0-9-1, with the neighbours
//! the seeds compare it with: RocketMQ's delay levels, Redis Streams' pending
//! list, NATS core subscriptions).
//!
//! A message is published to an exchange (or straight into a queue through the
//! default exchange), routed to queues, delivered to competing consumers with
//! prefetch credit, and acknowledged, rejected, retried, expired or
//! dead-lettered. One file per concept:
//!
//! - `exchange.rs` — exchanges and bindings, routed with `routing.rs`;
//! - `publish.rs` — what the broker does with a published message: delay it,
//!   route it, copy it once per queue, or return or drop it;
//! - `queue.rs` — FIFO queues, max-length, TTL expiry at the head, dispatch;
//! - `consumer.rs` — consumers: prefetch, acks, ack timeouts, crash, restart;
//! - `retry.rs` — what a consumer does when processing fails;
//! - `deadletter.rs` — dead-lettering with a reason, inspection and replay;
//! - `delay.rs` — messages held until a due time (delays and retry backoff);
//! - `dedup.rs` — side effects, duplicates and the idempotent consumer;
//! - `confirm.rs` — publisher confirms, persistence and broker crashes;
//! - `rpc.rs` — request-reply with correlation ids and timeouts;
//! - `pubsub.rs` — exclusive queues that exist only while subscribed;
//! - `inspect.rs` — the family's summary, series columns and ledger recount.
//!
//! This module does not know about producers' arrival processes or about
//! sampling; it only moves messages between exchanges, queues and consumers.

mod confirm;
pub mod autoscale;
pub mod choreography;
mod consumer;
pub mod deadletter;
mod dedup;
mod delay;
pub mod exchange;
pub mod inspect;
mod publish;
mod pubsub;
pub mod queue;
mod retry;
pub mod routing;
mod rpc;

pub use consumer::{Consumer, ConsumerGroup, Held};
pub use deadletter::DeadReason;
pub use delay::DelayedMessage;
pub use exchange::{Exchange, Route};
pub use publish::Publisher;
pub use queue::{Admission, Queue};

use crate::scenario::{Scenario, ScenarioError};

/// The context the queue family's handlers run in: the engine's, with this
/// family's record on every message.
pub(crate) type Ctx<E> = crate::context::Ctx<E, MsgMeta>;
use crate::time::SimTime;

/// The queue family's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Consumer instance `consumer` finishes the message it is working on.
    /// `epoch` tells a completion scheduled before a crash (stale) from a
    /// current one.
    ServiceDone { consumer: u32, epoch: u32 },
    /// Held messages whose due time has come are released.
    Timers,
    /// Messages at the head of `queue` whose TTL ran out expire.
    QueueExpiry { queue: u32 },
    /// Deliveries to `consumer` left unacked for its ack timeout are taken back.
    AckTimeout { consumer: u32, epoch: u32 },
    /// `queue` writes its persistent messages to disk and confirms them.
    Flush { queue: u32 },
    /// Requests of producer `producer` whose reply is overdue time out.
    RpcTimeouts { producer: u32 },
    /// Group `group`'s autoscaler checks the backlog.
    Autoscale { group: u32 },
    /// An instance added by the autoscaler is ready for work.
    InstanceStarted { consumer: u32 },
}

/// What the queue family records about each message, besides the fields
/// every message has.
///
/// Every message carries the few fields a plain publish, delivery and ack
/// use; the rest (a TTL of its own, retries, dead-lettering, disk writes,
/// request-reply) live in a `MsgExtra` allocated the first time one of them
/// is set, so that the message store, which holds every live message, stays
/// small: a backlog of a million messages costs a million of these.
#[derive(Clone, Debug)]
pub struct MsgMeta {
    /// The id of the message this one is a copy of (its own id for an
    /// original). An exchange that routes a message to k queues makes k
    /// ledger copies with their own ids and one origin; idempotent consumers
    /// deduplicate by origin.
    pub origin: u64,
    /// The handle of its one pending thing: the tag of the delivery awaiting
    /// its ack, or the ticket of the timer holding it; 0 when neither. A
    /// consumer's ack or a timer whose handle no longer matches is stale.
    pub token: u64,
    /// When it expires in its current queue (`SimTime::MAX`: never).
    pub expires_at: SimTime,
    /// The route (an index into `World::routes`) the message takes when
    /// the broker stores it.
    pub route: u32,
    /// Stale consumer work still refers to it, so its slot must outlive a
    /// terminal state until that work is done.
    pub pins: u32,
    /// Side effects performed for it so far; beyond the first, duplicates.
    pub effects: u32,
    /// `delivery_mode` 2: it survives a broker crash once written to disk.
    pub persistent: bool,
    /// The rarely needed fields, once one of them has been set.
    extra: Option<Box<MsgExtra>>,
}

/// The fields of `MsgMeta` that only some messages need.
#[derive(Clone, Debug, Default)]
pub struct MsgExtra {
    /// Its own time to live (the `expiration` property), if any.
    pub ttl: Option<SimTime>,
    /// Retries scheduled so far by a consumer's retry policy.
    pub retries: u32,
    /// Why it was last dead-lettered, and from which queue.
    pub dead_reason: Option<DeadReason>,
    pub dead_from: u32,
    /// The queues it was dead-lettered from since its last rejection, to
    /// detect dead-letter cycles.
    pub dead_from_queues: deadletter::QueueSet,
    /// The write sequence number of its copy in its queue's storage (see
    /// `confirm.rs`); 0 before its first write to disk.
    pub write_seq: u64,
    /// A request: replies go to this queue.
    pub reply_to: Option<u32>,
    /// A reply: the id of the request it answers (its correlation id).
    pub correlation: Option<u64>,
}

impl MsgMeta {
    /// The metadata of a new original message `id`, routed by `route`.
    pub fn new(id: u64, route: u32) -> MsgMeta {
        MsgMeta { origin: id, token: 0, expires_at: SimTime::MAX, route, pins: 0, effects: 0, persistent: false, extra: None }
    }

    /// The rarely needed fields, if any has been set.
    #[inline]
    pub fn extra(&self) -> Option<&MsgExtra> {
        self.extra.as_deref()
    }

    /// The rarely needed fields, for writing (allocated on first use).
    pub fn extra_mut(&mut self) -> &mut MsgExtra {
        self.extra.get_or_insert_with(Box::default)
    }

    /// Its own time to live, if any.
    #[inline]
    pub fn ttl(&self) -> Option<SimTime> {
        self.extra().and_then(|e| e.ttl)
    }

    /// Sets (or clears) its own time to live.
    #[inline]
    pub fn set_ttl(&mut self, ttl: Option<SimTime>) {
        if ttl.is_some() || self.extra.is_some() {
            self.extra_mut().ttl = ttl;
        }
    }

    /// Retries scheduled so far.
    pub fn retries(&self) -> u32 {
        self.extra().map_or(0, |e| e.retries)
    }

    /// Why it was last dead-lettered.
    pub fn dead_reason(&self) -> Option<DeadReason> {
        self.extra().and_then(|e| e.dead_reason)
    }

    /// The queue it was last dead-lettered from.
    pub fn dead_from(&self) -> u32 {
        self.extra().map_or(0, |e| e.dead_from)
    }

    /// The sequence number of its last write to disk (0: none).
    pub fn write_seq(&self) -> u64 {
        self.extra().map_or(0, |e| e.write_seq)
    }

    /// A request: the queue replies go to.
    #[inline]
    pub fn reply_to(&self) -> Option<u32> {
        self.extra().and_then(|e| e.reply_to)
    }

    /// Sets (or clears) the reply queue.
    #[inline]
    pub fn set_reply_to(&mut self, queue: Option<u32>) {
        if queue.is_some() || self.extra.is_some() {
            self.extra_mut().reply_to = queue;
        }
    }

    /// A reply: the id of the request it answers.
    #[inline]
    pub fn correlation(&self) -> Option<u64> {
        self.extra().and_then(|e| e.correlation)
    }

    /// The message this one derives from, for the journal: the original of a
    /// copy, or the request a reply answers.
    #[inline]
    pub fn related(&self, id: u64) -> Option<u64> {
        self.correlation().or((self.origin != id).then_some(self.origin))
    }
}

impl crate::message::Meta for MsgMeta {
    #[inline(always)]
    fn created(id: u64) -> MsgMeta {
        MsgMeta::new(id, 0)
    }

    #[inline(always)]
    fn related(&self, id: u64) -> Option<u64> {
        MsgMeta::related(self, id)
    }

    #[inline(always)]
    fn pinned(&self) -> bool {
        self.pins > 0
    }

    /// A copy is a message of its own: no delivery tag or timer ticket, no
    /// stale work referring to it.
    #[inline(always)]
    fn for_copy(&mut self) {
        self.token = 0;
        self.pins = 0;
    }
}

/// Counters of the queue family that are not message states.
#[derive(Clone, Debug, Default)]
pub struct AmqpStats {
    /// Extra ledger copies made by exchanges routing to several queues.
    pub copies: u64,
    /// Messages no queue took: dropped, or returned to a mandatory publisher.
    pub unroutable: u64,
    pub returned: u64,
    /// Messages an exchange passed to its alternate exchange.
    pub alternate_routed: u64,
    /// Copies not made because an exclusive queue's subscriber was offline.
    pub missed: u64,
    /// Dead letters by reason: rejected, expired, maxlen, delivery_limit.
    pub dead_by_reason: [u64; 4],
    /// Messages that expired without a dead-letter queue to go to.
    pub expired: u64,
    /// Messages dropped for going round a dead-letter cycle without a rejection.
    pub dead_letter_cycles: u64,
    /// Dead letters moved back to their source queue.
    pub replayed: u64,
    /// Messages held until a due time, ever (delays and retries).
    pub delayed: u64,
    pub retries: u64,
    /// Deliveries taken back because their ack did not come in time.
    pub ack_timeouts: u64,
    /// Acks that never reached the broker.
    pub acks_lost: u64,
    /// Completions whose ack the broker no longer expected.
    pub stale_acks: u64,
    /// Successful processings that performed their side effect, and those
    /// an idempotent consumer skipped because it had seen the id.
    pub side_effects: u64,
    pub dedup_hits: u64,
    /// Publisher confirms: acks (written), nacks (refused by a full queue).
    pub confirmed: u64,
    pub nacked: u64,
    /// Publishes that failed because the broker was down.
    pub publish_failed: u64,
    /// Messages a broker crash lost: transient ones, and persistent ones not yet on disk.
    pub crash_lost_transient: u64,
    pub crash_lost_unflushed: u64,
    pub broker_crashes: u64,
}

/// The exchanges, queues and consumers of a scenario, as indexed data, and
/// the family's run-time state.
pub struct World {
    pub exchanges: Vec<Exchange>,
    pub queues: Vec<Queue>,
    pub groups: Vec<ConsumerGroup>,
    pub consumers: Vec<Consumer>,
    /// Every distinct route, computed once: queue `q`'s default-exchange
    /// route is `routes[q]`; the routes of producers' keys follow.
    pub routes: Vec<Route>,
    /// One per producer, in the scenario's order.
    pub publishers: Vec<Publisher>,
    pub(crate) timers: delay::Timers,
    pub(crate) rpc: rpc::Rpc,
    /// The broker is running (see `confirm.rs`).
    pub broker_up: bool,
    pub stats: AmqpStats,
    next_token: u64,
}

impl World {
    pub(crate) fn build(scenario: &Scenario) -> Result<World, ScenarioError> {
        let mut queues = Queue::build_all(scenario)?;
        let (groups, mut consumers) = ConsumerGroup::build_all(scenario)?;
        // Every running consumer starts with full credit, in its queue's
        // round-robin line (an autoscaled group's spare instances start stopped).
        for (c, consumer) in consumers.iter_mut().enumerate().filter(|(_, consumer)| consumer.alive) {
            queues[consumer.queue as usize].ready_consumers.push_back(c as u32);
            consumer.in_ready = true;
        }
        let exchanges = Exchange::build_all(scenario)?;
        let mut routes: Vec<Route> = (0..queues.len() as u32).map(Route::to_queue).collect();
        let publishers = Publisher::build_all(scenario, &exchanges, &mut routes)?;
        let rpc = rpc::Rpc::new(scenario.producers.len());
        Ok(World {
            exchanges,
            queues,
            groups,
            consumers,
            routes,
            publishers,
            timers: delay::Timers::default(),
            rpc,
            broker_up: true,
            stats: AmqpStats::default(),
            next_token: 0,
        })
    }

    /// A fresh delivery tag or timer ticket; never 0, never reused.
    pub(crate) fn token(&mut self) -> u64 {
        self.next_token += 1;
        self.next_token
    }
}

/// What the queue family asks of the rest of the run, which it does not
/// name: the downstream services its consumers call, and the user requests
/// waiting for a publish blocked in a full queue. The engine implements it
/// over the system model (`engine/bridge.rs`).
pub(crate) trait Neighbours<E> {
    /// A consumer's call to downstream service `service`, made at `now`:
    /// how long it takes. A blocking retry: while the service is down or at
    /// capacity the consumer keeps the message (unacked) and calls again.
    fn call_service(&mut self, cx: &mut Ctx<E>, service: u32, now: SimTime) -> SimTime;
    /// A publish that request `waiter` (slot, generation) made got out of
    /// its full queue's wait (the `block` overflow).
    fn publish_admitted(&mut self, cx: &mut Ctx<E>, waiter: (u32, u32));
}

impl World {
    /// Runs one of the family's events. Inlined into `Sim::handle`,
    /// for the same reason as it (see there).
    #[inline(always)]
    pub(crate) fn handle<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, event: Event) {
        match event {
            Event::ServiceDone { consumer, epoch } => self.service_done(cx, nb, consumer, epoch),
            Event::Timers => self.release_due(cx, nb),
            Event::QueueExpiry { queue } => self.expiry_due(cx, nb, queue),
            Event::AckTimeout { consumer, epoch } => self.ack_timeout_due(cx, nb, consumer, epoch),
            Event::Flush { queue } => self.flush(cx, queue),
            Event::RpcTimeouts { producer } => self.rpc_timeouts_due(cx, producer),
            Event::Autoscale { group } => self.autoscale_check(cx, group),
            Event::InstanceStarted { consumer } => self.instance_started(cx, nb, consumer),
        }
    }
}
