//! Consumers: instances that take deliveries, process them one at a time and
//! acknowledge (or reject) each.
//!
//! A consumer keeps the deliveries it holds in order (`held`). Normally each
//! is outstanding at the broker until the consumer acks it. Two things can
//! make the two sides disagree, and both are how duplicates arise:
//!
//! - the ack is lost on its way: the consumer has done the work and moved on,
//!   while the broker still waits (the entry stays, with no work left);
//! - the broker takes a delivery back (its ack timeout ran out, or the broker
//!   crashed) while the consumer still has it: the consumer does the work
//!   anyway, and its ack is stale. Its delivery tag no longer matches the
//!   message's `token`, which is how the engine tells.

use std::collections::VecDeque;

use super::Event;
use super::dedup::DedupStore;
use super::{World, Neighbours};
use super::Ctx;
use crate::kernel::Dist;
use crate::kernel::dist::Sampler;
use crate::ledger::MsgState;
use crate::message::Slot;
use crate::observe::{Cause, LifeKind};
use crate::scenario::{AckMode, OnFailure, Scenario, ScenarioError};
use crate::time::SimTime;

/// What the instances of one consumer spec share.
pub struct ConsumerGroup {
    pub name: String,
    pub service: Dist,
    /// `service`, ready for drawing.
    pub(crate) service_sampler: Sampler,
    pub prefetch: u32,
    pub ack: AckMode,
    pub failure_probability: f64,
    /// The downstream service each message needs, if any.
    pub calls: Option<u32>,
    /// Services started, and the nanoseconds they took (own work plus any
    /// downstream call, not the wait for a rate-limit permit): μ for the overlay.
    pub served: u64,
    pub busy_time: u128,
    /// The events it publishes after processing (choreography).
    pub emit: super::choreography::Emit,
    /// Adds and removes instances on the backlog, if configured.
    pub autoscale: Option<super::autoscale::Autoscaler>,
    pub on_failure: OnFailure,
    pub ack_timeout: Option<SimTime>,
    pub ack_loss_probability: f64,
    /// The idempotent consumer's memory of processed ids.
    pub dedup: Option<DedupStore>,
    /// Successful processings that performed the side effect; those beyond
    /// the first for a message; and those skipped as already seen.
    pub side_effects: u64,
    pub duplicates: u64,
    pub dedup_hits: u64,
}

/// One delivery a consumer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub slot: Slot,
    /// The delivery tag; it is current while it equals the message's `token`.
    pub token: u64,
    /// When it was delivered.
    pub at: SimTime,
    /// The consumer has yet to process it.
    pub work: bool,
}

/// One consumer instance.
pub struct Consumer {
    pub group: u32,
    pub instance: u32,
    pub queue: u32,
    pub alive: bool,
    /// Bumped at every crash so that a completion scheduled before it is ignored.
    pub epoch: u32,
    /// Deliveries in delivery order; while `busy`, the first with work left
    /// is the one being processed.
    pub held: VecDeque<Held>,
    pub busy: bool,
    /// It is in its queue's `ready_consumers`.
    pub in_ready: bool,
    pub processed: u64,
    /// Removed by the autoscaler: it takes no new deliveries and stops once
    /// it has finished what it holds.
    pub retiring: bool,
    /// Added by the autoscaler and still starting up.
    pub starting: bool,
    /// The instance's own token bucket, if its group has a rate limit.
    pub limiter: Option<crate::kernel::rate_limit::RateLimiter>,
    /// When an ack-timeout event is pending, its time.
    pub(crate) ack_timer: Option<SimTime>,
    /// Its service times are multiplied by this (a live `slow_consumer`).
    pub slow: f64,
}

impl ConsumerGroup {
    pub(crate) fn build_all(scenario: &Scenario) -> Result<(Vec<ConsumerGroup>, Vec<Consumer>), ScenarioError> {
        let mut groups = Vec::new();
        let mut consumers = Vec::new();
        for (g, spec) in scenario.consumers.iter().enumerate() {
            // Consumers of a Kafka topic are consumer groups of the log family.
            let Some(queue) = &spec.queue else { continue };
            let queue = scenario.queue_index(queue, &format!("consumers[{g}].queue"))?;
            groups.push(ConsumerGroup {
                name: spec.name.clone(),
                service: spec.service.clone(),
                service_sampler: Sampler::new(&spec.service),
                prefetch: spec.prefetch,
                ack: spec.ack,
                failure_probability: spec.failure_probability,
                served: 0,
                busy_time: 0,
                autoscale: spec.autoscale.map(|a| super::autoscale::Autoscaler::new(a, spec.count)),
                emit: match &spec.emits {
                    None => super::choreography::Emit::default(),
                    Some(e) => {
                        let resolve = |names: &[String], field: &str| -> Result<Vec<u32>, ScenarioError> {
                            names
                                .iter()
                                .enumerate()
                                .map(|(i, n)| scenario.queue_index(n, &format!("consumers[{g}].emits.{field}[{i}]")))
                                .collect()
                        };
                        super::choreography::Emit {
                            publish: resolve(&e.publish, "publish")?,
                            decline_probability: e.decline_probability,
                            on_decline: resolve(&e.on_decline, "on_decline")?,
                            succeeded: 0,
                            declined: 0,
                        }
                    }
                },
                calls: match &spec.calls {
                    Some(name) => Some(scenario.service_index(name, &format!("consumers[{g}].calls"))?),
                    None => None,
                },
                on_failure: spec.on_failure.clone(),
                ack_timeout: spec.ack_timeout.map(|d| d.0),
                ack_loss_probability: spec.ack_loss_probability,
                dedup: spec.idempotent.as_ref().map(|i| DedupStore::new(i.window.0)),
                side_effects: 0,
                duplicates: 0,
                dedup_hits: 0,
            });
            // An autoscaled group has all its possible instances; those beyond
            // `count` start stopped.
            let instances = spec.autoscale.map_or(spec.count, |a| a.max.max(spec.count));
            consumers.extend((0..instances).map(|instance| Consumer {
                group: groups.len() as u32 - 1,
                instance,
                queue,
                alive: instance < spec.count,
                epoch: 0,
                held: VecDeque::new(),
                busy: false,
                in_ready: false,
                processed: 0,
                retiring: false,
                starting: false,
                limiter: spec.rate_limit.map(|l| crate::kernel::rate_limit::RateLimiter::new(l.rate, l.burst)),
                ack_timer: None,
                slow: 1.0,
            }));
        }
        Ok((groups, consumers))
    }
}

impl World {
    /// The delivery `h` is still outstanding at the broker.
    pub(crate) fn outstanding<E: From<Event>>(&self, cx: &Ctx<E>, h: &Held) -> bool {
        cx.store.get(h.slot).amqp.token == h.token
    }

    /// Hands a message to a consumer. Returns whether the consumer still has
    /// credit afterwards: with manual acks, the prefetch limit (`basic.qos`)
    /// caps the deliveries it holds; with automatic acks RabbitMQ ignores
    /// prefetch, so credit never runs out.
    pub(crate) fn deliver<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, slot: Slot) -> bool {
        let token = self.token();
        let message = cx.store.get_mut(slot);
        message.deliveries += 1;
        message.amqp.token = token;
        if message.deliveries > 1 {
            cx.stats.redeliveries += 1;
        }
        cx.set_state_inline(slot, MsgState::InFlight, LifeKind::Delivered, c);
        let now = cx.now();
        let consumer = &mut self.consumers[c as usize];
        consumer.held.push_back(Held { slot, token, at: now, work: true });
        let group = &self.groups[consumer.group as usize];
        let has_credit = group.ack == AckMode::Auto || consumer.held.len() < group.prefetch as usize;
        let ack_timeout = group.ack_timeout;
        if !consumer.busy {
            self.start_service(cx, nb, c);
        }
        if let Some(timeout) = ack_timeout {
            self.arm_ack_timer(cx, c, now.saturating_add(timeout));
        }
        has_credit
    }

    /// Starts processing the oldest held message with work left. Inlined:
    /// it runs for every message (see `engine`'s module docs).
    #[inline(always)]
    fn start_service<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32) {
        let now = cx.sched.now();
        let consumer = &mut self.consumers[c as usize];
        consumer.busy = true;
        let (epoch, g, slow) = (consumer.epoch, consumer.group as usize, consumer.slow);
        // A rate-limited consumer waits for a permit before it starts.
        let mut duration = if consumer.limiter.is_some() { self.wait_for_permit(c, now) } else { 0 };
        let group = &self.groups[g];
        let mut work = group.service_sampler.sample(&mut cx.rng);
        if slow != 1.0 {
            work = libm::round(work as f64 * slow) as u64;
        }
        if let Some(service) = group.calls {
            work += nb.call_service(cx, service, now);
        }
        let group = &mut self.groups[g];
        group.served += 1;
        group.busy_time += u128::from(work);
        duration += work;
        cx.sched.after(duration, E::from(Event::ServiceDone { consumer: c, epoch }));
    }

    /// How long rate-limited consumer `c` waits for a permit from `now`;
    /// takes the permit.
    #[inline(never)]
    fn wait_for_permit(&mut self, c: u32, now: SimTime) -> SimTime {
        match &mut self.consumers[c as usize].limiter {
            Some(limiter) => {
                let ready = limiter.ready_at(now);
                limiter.take(ready);
                ready - now
            }
            None => 0,
        }
    }

    /// A consumer finishes processing: it acks on success, and on failure
    /// follows its group's failure policy (or the message is lost, under
    /// auto-ack, because the broker has already forgotten it).
    #[inline(never)]
    pub(crate) fn service_done<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, epoch: u32) {
        let consumer = &mut self.consumers[c as usize];
        if !consumer.alive || consumer.epoch != epoch {
            return; // Scheduled before a crash: that work died with the consumer.
        }
        // Usually the first held delivery (always, with prefetch 1), which
        // needs no search.
        let i = match consumer.held.front() {
            Some(h) if h.work => 0,
            _ => {
                let Some(i) = consumer.held.iter().position(|h| h.work) else { return };
                i
            }
        };
        let held = if i == 0 { consumer.held.pop_front() } else { consumer.held.remove(i) };
        let Some(held) = held else { return };
        consumer.busy = false;
        let group = &self.groups[consumer.group as usize];
        let (ack, failure_probability, ack_loss) = (group.ack, group.failure_probability, group.ack_loss_probability);
        let q = consumer.queue;
        let slot = held.slot;
        let outstanding = self.outstanding(cx, &held);
        let failed = cx.store.get(slot).poison || cx.rng.chance(failure_probability);
        if !outstanding {
            self.stale_completion(cx, nb, c, slot, failed);
        } else if failed {
            match ack {
                AckMode::Auto => {
                    cx.set_state(slot, MsgState::Lost, LifeKind::Lost, c);
                }
                AckMode::Manual => self.on_failure(cx, nb, c, q, slot),
            }
            let now = cx.now();
            self.queues[q as usize].leave_flight(now);
        } else {
            self.complete(cx, nb, c, slot);
            if ack == AckMode::Manual && cx.rng.chance(ack_loss) {
                // The work is done but the broker never hears of it: the
                // delivery stays outstanding until the ack timeout (if any)
                // takes it back, still holding a place under prefetch.
                let (id, key) = (cx.store.get(slot).id, cx.store.get(slot).key);
                self.stats.acks_lost += 1;
                cx.record(LifeKind::AckLost, id, c, key);
                self.consumers[c as usize].held.insert(i, Held { work: false, ..held });
            } else {
                let born = cx.store.get(slot).born;
                cx.set_state_inline(slot, MsgState::Processed, LifeKind::Acked, c);
                let now = cx.now();
                self.queues[q as usize].leave_flight(now);
                cx.latency.record(cx.now() - born);
                cx.stats.interval_processed += 1;
                self.consumers[c as usize].processed += 1;
            }
        }
        self.return_credit(cx, c);
        let held = &self.consumers[c as usize].held;
        if !held.is_empty() && held.iter().any(|h| h.work) {
            self.start_service(cx, nb, c);
        }
        self.dispatch(cx, nb, q);
    }

    /// The consumer finished a delivery the broker had already taken back.
    /// It performed the work (unless it failed), and its ack or nack goes
    /// nowhere.
    fn stale_completion<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, slot: Slot, failed: bool) {
        if !failed {
            self.complete(cx, nb, c, slot);
            let (id, key) = (cx.store.get(slot).id, cx.store.get(slot).key);
            self.stats.stale_acks += 1;
            cx.record(LifeKind::StaleAck, id, c, key);
        }
        self.unpin(cx, slot);
    }

    /// Puts the consumer back in its queue's line if it is alive and has room.
    /// Inlined: it runs for every message (see `engine`'s module docs).
    #[inline(always)]
    pub(crate) fn return_credit<E: From<Event>>(&mut self, cx: &mut Ctx<E>, c: u32) {
        let consumer = &mut self.consumers[c as usize];
        let group = &self.groups[consumer.group as usize];
        let room = group.ack == AckMode::Auto || consumer.held.len() < group.prefetch as usize;
        if consumer.retiring {
            self.finish_retiring(cx, c);
            return;
        }
        if consumer.alive && !consumer.in_ready && room {
            consumer.in_ready = true;
            self.queues[consumer.queue as usize].ready_consumers.push_back(c);
        }
    }

    /// Stale consumer work refers to `slot`: keep the slot until it is done.
    pub(crate) fn pin<E: From<Event>>(&mut self, cx: &mut Ctx<E>, slot: Slot) {
        cx.store.get_mut(slot).amqp.pins += 1;
    }

    /// Stale work on `slot` is done (or died with its consumer); free the
    /// slot if that was the last and the message has reached a terminal state.
    pub(crate) fn unpin<E: From<Event>>(&mut self, cx: &mut Ctx<E>, slot: Slot) {
        let message = cx.store.get_mut(slot);
        message.amqp.pins -= 1;
        if message.amqp.pins == 0 && message.state.is_terminal() {
            cx.store.release(slot);
        }
    }

    /// The instance dies. Outstanding deliveries return to their original
    /// places in the queue (manual ack), or are lost (auto ack, or
    /// an exclusive queue that dies with its last consumer). Stale work is
    /// abandoned. `reason` is what the journal says put the messages back:
    /// a crash, or a live scale-in, which stops instances as abruptly.
    pub(crate) fn crash_consumer<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, reason: Cause) {
        let consumer = &mut self.consumers[c as usize];
        if !consumer.alive {
            return;
        }
        consumer.alive = false;
        consumer.busy = false;
        consumer.epoch = consumer.epoch.wrapping_add(1);
        consumer.ack_timer = None;
        let held: Vec<Held> = consumer.held.drain(..).collect();
        let (q, group) = (consumer.queue, consumer.group);
        if std::mem::take(&mut consumer.in_ready) {
            self.queues[q as usize].ready_consumers.retain(|&r| r != c);
        }
        cx.record(LifeKind::ConsumerCrashed, 0, c, 0);
        self.queues[q as usize].consumers_changed_at = Some(cx.now());
        let queue_dies = self.last_subscriber_leaves(q);
        let mut returned = Vec::new();
        let mut outstanding = 0;
        for h in held {
            if !self.outstanding(cx, &h) {
                self.unpin(cx, h.slot);
                continue;
            }
            outstanding += 1;
            if self.groups[group as usize].ack == AckMode::Auto || queue_dies {
                cx.set_state(h.slot, MsgState::Lost, LifeKind::Lost, c);
            } else {
                returned.push(h.slot);
            }
        }
        for slot in returned.into_iter().rev() {
            self.requeue(cx, nb, slot, reason);
        }
        let now = cx.now();
        for _ in 0..outstanding {
            self.queues[q as usize].leave_flight(now);
        }
        if queue_dies {
            self.delete_exclusive_queue(cx, q);
        }
        self.dispatch(cx, nb, q);
    }

    /// The instance comes back with no messages and full credit.
    pub(crate) fn restart_consumer<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32) {
        if self.consumers[c as usize].alive {
            return;
        }
        self.consumers[c as usize].alive = true;
        let q = self.consumers[c as usize].queue;
        self.queues[q as usize].consumers_changed_at = Some(cx.now());
        cx.record(LifeKind::ConsumerRestarted, 0, c, 0);
        self.return_credit(cx, c);
        self.dispatch(cx, nb, self.consumers[c as usize].queue);
    }

    /// Arms the ack-timeout event of consumer `c` for time `at`, unless one is pending.
    fn arm_ack_timer<E: From<Event>>(&mut self, cx: &mut Ctx<E>, c: u32, at: SimTime) {
        let consumer = &mut self.consumers[c as usize];
        if consumer.ack_timer.is_none() {
            consumer.ack_timer = Some(at);
            let epoch = consumer.epoch;
            cx.sched.at(at, E::from(Event::AckTimeout { consumer: c, epoch }));
        }
    }

    /// Takes back every delivery to `c` that has waited its group's ack
    /// timeout for an ack, as a visibility timeout does (SQS; Redis Streams'
    /// `XAUTOCLAIM` with a min-idle-time): each goes back to its place in
    /// the queue and is redelivered, flagged. A consumer still working on one
    /// does not know: it finishes, and its ack is stale.
    pub(crate) fn ack_timeout_due<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, epoch: u32) {
        let now = cx.now();
        let consumer = &mut self.consumers[c as usize];
        if !consumer.alive || consumer.epoch != epoch || consumer.ack_timer != Some(now) {
            return;
        }
        consumer.ack_timer = None;
        let q = consumer.queue;
        let Some(timeout) = self.groups[consumer.group as usize].ack_timeout else { return };
        let mut reclaimed = Vec::new();
        let mut next: Option<SimTime> = None;
        let mut i = 0;
        while i < self.consumers[c as usize].held.len() {
            let h = self.consumers[c as usize].held[i];
            if !self.outstanding(cx, &h) {
                i += 1;
            } else if h.at.saturating_add(timeout) > now {
                next = Some(next.map_or(h.at, |n: SimTime| n.min(h.at)));
                i += 1;
            } else {
                // A delivery with no work left was processed and acked, and
                // the ack was lost on its way.
                reclaimed.push((h.slot, if h.work { Cause::AckTimeout } else { Cause::LostAck }));
                if h.work {
                    self.pin(cx, h.slot);
                    i += 1;
                } else {
                    self.consumers[c as usize].held.remove(i);
                }
            }
        }
        self.stats.ack_timeouts += reclaimed.len() as u64;
        let taken_back = reclaimed.len();
        for (slot, reason) in reclaimed.into_iter().rev() {
            self.requeue_as(cx, nb, slot, LifeKind::AckTimedOut, reason);
        }
        for _ in 0..taken_back {
            self.queues[q as usize].leave_flight(now);
        }
        if let Some(at) = next {
            self.arm_ack_timer(cx, c, at.saturating_add(timeout));
        }
        self.return_credit(cx, c);
        self.dispatch(cx, nb, q);
    }
}
