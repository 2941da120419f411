//! Consumers: instances that take deliveries, process them one at a time and
//! acknowledge (or reject) each.

use std::collections::VecDeque;

use super::Event;
use crate::engine::Sim;
use crate::kernel::Dist;
use crate::ledger::MsgState;
use crate::message::Slot;
use crate::observe::LifeKind;
use crate::scenario::{AckMode, Scenario, ScenarioError};

/// What the instances of one consumer spec share.
pub struct ConsumerGroup {
    pub name: String,
    pub service: Dist,
    pub prefetch: u32,
    pub ack: AckMode,
    pub failure_probability: f64,
    /// The downstream service each message needs, if any.
    pub calls: Option<u32>,
    /// Services started, and the nanoseconds they took (own work plus any
    /// downstream call, not the wait for a rate-limit permit): μ for the overlay.
    pub served: u64,
    pub busy_time: u128,
}

/// One consumer instance.
pub struct Consumer {
    pub group: u32,
    pub instance: u32,
    pub queue: u32,
    pub alive: bool,
    /// Bumped at every crash so that a completion scheduled before it is ignored.
    pub epoch: u32,
    /// Delivered and not yet acknowledged, in delivery order; while `busy`, the
    /// first is the one being processed.
    pub held: VecDeque<Slot>,
    pub busy: bool,
    /// It is in its queue's `ready_consumers`.
    pub in_ready: bool,
    pub processed: u64,
    /// The instance's own token bucket, if its group has a rate limit.
    pub limiter: Option<crate::kernel::rate_limit::RateLimiter>,
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
                prefetch: spec.prefetch,
                ack: spec.ack,
                failure_probability: spec.failure_probability,
                served: 0,
                busy_time: 0,
                calls: match &spec.calls {
                    Some(name) => Some(scenario.service_index(name, &format!("consumers[{g}].calls"))?),
                    None => None,
                },
            });
            consumers.extend((0..spec.count).map(|instance| Consumer {
                group: groups.len() as u32 - 1,
                instance,
                queue,
                alive: true,
                epoch: 0,
                held: VecDeque::new(),
                busy: false,
                in_ready: false,
                processed: 0,
                limiter: spec.rate_limit.map(|l| crate::kernel::rate_limit::RateLimiter::new(l.rate, l.burst)),
            }));
        }
        Ok((groups, consumers))
    }
}

impl Sim {
    /// Hands a message to a consumer. Returns whether the consumer still has
    /// credit afterwards: with manual acks, the prefetch limit (`basic.qos`)
    /// caps unacknowledged deliveries; with automatic acks RabbitMQ ignores
    /// prefetch, so credit never runs out.
    pub(crate) fn deliver(&mut self, c: u32, slot: Slot) -> bool {
        let message = self.store.get_mut(slot);
        message.deliveries += 1;
        if message.deliveries > 1 {
            self.stats.redeliveries += 1;
        }
        self.set_state(slot, MsgState::InFlight, LifeKind::Delivered, c);
        let consumer = &mut self.amqp.consumers[c as usize];
        consumer.held.push_back(slot);
        let group = &self.amqp.groups[consumer.group as usize];
        let has_credit = group.ack == AckMode::Auto || consumer.held.len() < group.prefetch as usize;
        if !consumer.busy {
            self.start_service(c);
        }
        has_credit
    }

    /// Starts processing the oldest held message.
    fn start_service(&mut self, c: u32) {
        let consumer = &mut self.amqp.consumers[c as usize];
        consumer.busy = true;
        let epoch = consumer.epoch;
        let now = self.sched.now();
        // A rate-limited consumer waits for a permit before it starts.
        let mut duration = match &mut consumer.limiter {
            Some(limiter) => {
                let ready = limiter.ready_at(now);
                limiter.take(ready);
                ready - now
            }
            None => 0,
        };
        let g = consumer.group as usize;
        let mut work = self.amqp.groups[g].service.sample(&mut self.rng);
        if let Some(service) = self.amqp.groups[g].calls {
            // A blocking retry: while the service is down or at capacity the
            // consumer keeps the message (unacked) and calls again.
            work += self.system.services[service as usize].call(now, crate::system::Caller::Consumer, &mut self.rng).duration;
        }
        let group = &mut self.amqp.groups[g];
        group.served += 1;
        group.busy_time += u128::from(work);
        duration += work;
        self.sched.after(duration, crate::engine::Event::Amqp(Event::ServiceDone { consumer: c, epoch }));
    }

    /// A consumer finishes processing: it acks on success, and on failure
    /// rejects with requeue (or the message is lost, under auto-ack, because
    /// the broker has already forgotten it).
    pub(crate) fn service_done(&mut self, c: u32, epoch: u32) {
        let consumer = &mut self.amqp.consumers[c as usize];
        if !consumer.alive || consumer.epoch != epoch {
            return; // Scheduled before a crash: that work died with the consumer.
        }
        let Some(slot) = consumer.held.pop_front() else { return };
        consumer.busy = false;
        let group = &self.amqp.groups[consumer.group as usize];
        let (ack, failure_probability) = (group.ack, group.failure_probability);
        let q = consumer.queue;
        let poison = self.store.get(slot).poison;
        if poison || self.rng.chance(failure_probability) {
            match ack {
                AckMode::Auto => {
                    self.set_state(slot, MsgState::Lost, LifeKind::Lost, c);
                }
                AckMode::Manual => self.reject(q, slot),
            }
        } else {
            let born = self.store.get(slot).born;
            self.set_state(slot, MsgState::Processed, LifeKind::Acked, c);
            self.latency.record(self.now() - born);
            self.stats.interval_processed += 1;
            self.amqp.consumers[c as usize].processed += 1;
        }
        self.return_credit(c);
        if !self.amqp.consumers[c as usize].held.is_empty() {
            self.start_service(c);
        }
        self.dispatch(q);
    }

    /// `basic.reject` with requeue: back to the head of the queue, unless the
    /// queue's delivery limit is reached, in which case it is dead-lettered
    /// (RabbitMQ quorum queues' `delivery-limit`, reason `delivery_limit`).
    fn reject(&mut self, q: u32, slot: Slot) {
        let deliveries = self.store.get(slot).deliveries;
        if self.amqp.queues[q as usize].delivery_limit.is_some_and(|limit| deliveries >= limit) {
            self.dead_letter(q, slot, LifeKind::DeadLetteredDeliveryLimit);
        } else {
            self.requeue(slot);
        }
    }

    /// Puts the consumer back in its queue's line if it has room again.
    fn return_credit(&mut self, c: u32) {
        let consumer = &mut self.amqp.consumers[c as usize];
        if consumer.alive && !consumer.in_ready {
            consumer.in_ready = true;
            self.amqp.queues[consumer.queue as usize].ready_consumers.push_back(c);
        }
    }

    /// The instance dies. Unacknowledged messages return to the head of the
    /// queue in their original order (manual ack), or are lost (auto ack).
    pub(crate) fn crash_consumer(&mut self, c: u32) {
        let consumer = &mut self.amqp.consumers[c as usize];
        if !consumer.alive {
            return;
        }
        consumer.alive = false;
        consumer.busy = false;
        consumer.epoch = consumer.epoch.wrapping_add(1);
        let held: Vec<Slot> = consumer.held.drain(..).collect();
        let (q, group) = (consumer.queue, consumer.group);
        if std::mem::take(&mut consumer.in_ready) {
            self.amqp.queues[q as usize].ready_consumers.retain(|&r| r != c);
        }
        self.record(LifeKind::ConsumerCrashed, 0, c, 0);
        match self.amqp.groups[group as usize].ack {
            AckMode::Auto => {
                for slot in held {
                    self.set_state(slot, MsgState::Lost, LifeKind::Lost, c);
                }
            }
            AckMode::Manual => {
                for slot in held.into_iter().rev() {
                    self.requeue(slot);
                }
            }
        }
        self.dispatch(q);
    }

    /// The instance comes back with no messages and full credit.
    pub(crate) fn restart_consumer(&mut self, c: u32) {
        if self.amqp.consumers[c as usize].alive {
            return;
        }
        self.amqp.consumers[c as usize].alive = true;
        self.record(LifeKind::ConsumerRestarted, 0, c, 0);
        self.return_credit(c);
        self.dispatch(self.amqp.consumers[c as usize].queue);
    }
}
