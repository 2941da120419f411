//! The queue family's actions: scale a consumer group, change its
//! prefetch, crash, restart or slow an instance, crash or restart the
//! broker, replay dead letters.

use std::collections::VecDeque;

use crate::amqp::Consumer;
use crate::engine::Sim;
use crate::observe::Cause;
use crate::scenario::{AckMode, FaultAction};

/// A queue-family action, names resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) enum AmqpAction {
    SetConsumers { group: u32, count: u32 },
    SetPrefetch { group: u32, prefetch: u32 },
    Crash { group: u32, instance: u32 },
    Restart { group: u32, instance: u32 },
    Slow { group: u32, instance: u32, factor: f64 },
    CrashBroker,
    RestartBroker,
    ReplayDeadLetters { dlq: u32, limit: Option<u64> },
}

impl Sim {
    /// The queue family's reading of a fault, if it is one of its own (a
    /// consumer crash or restart that names a queue consumer).
    pub(super) fn resolve_amqp_fault(&self, fault: &FaultAction) -> Option<AmqpAction> {
        let group = |name: &str| self.amqp.groups.iter().position(|g| g.name == name).map(|g| g as u32);
        Some(match fault {
            // Consumer names are unique across both families, so a queue
            // consumer's name is never a topic consumer's too.
            FaultAction::CrashConsumer(target) => AmqpAction::Crash { group: group(&target.consumer)?, instance: target.instance },
            FaultAction::RestartConsumer(target) => AmqpAction::Restart { group: group(&target.consumer)?, instance: target.instance },
            // The scenario was validated, so the queue is a dead-letter queue.
            FaultAction::ReplayDeadLetters(replay) => {
                AmqpAction::ReplayDeadLetters { dlq: self.amqp.dead_letter_queue(&replay.queue).ok()?, limit: replay.limit }
            }
            FaultAction::CrashAmqpBroker(_) => AmqpAction::CrashBroker,
            FaultAction::RestartAmqpBroker(_) => AmqpAction::RestartBroker,
            _ => return None,
        })
    }

    pub(super) fn apply_amqp(&mut self, action: AmqpAction) {
        match action {
            AmqpAction::SetConsumers { group, count } => self.set_consumers(group, count),
            AmqpAction::SetPrefetch { group, prefetch } => self.set_prefetch(group, prefetch),
            AmqpAction::Crash { group, instance } => {
                if let Some(c) = self.instance_of(group, instance) {
                    self.amqp.crash_consumer(&mut self.cx, &mut self.system, c, Cause::ConsumerCrash);
                }
            }
            AmqpAction::Restart { group, instance } => {
                if let Some(c) = self.instance_of(group, instance) {
                    self.amqp.restart_consumer(&mut self.cx, &mut self.system, c);
                }
            }
            AmqpAction::Slow { group, instance, factor } => {
                if let Some(c) = self.instance_of(group, instance) {
                    self.amqp.consumers[c as usize].slow = factor;
                    let q = self.amqp.consumers[c as usize].queue;
                    self.amqp.queues[q as usize].consumers_changed_at = Some(self.now());
                }
            }
            AmqpAction::CrashBroker => self.amqp.crash_amqp_broker(&mut self.cx, &mut self.system),
            AmqpAction::RestartBroker => self.amqp.restart_amqp_broker(&mut self.cx, &mut self.system),
            AmqpAction::ReplayDeadLetters { dlq, limit } => {
                self.amqp.replay_from(&mut self.cx, &mut self.system, dlq, limit);
            }
        }
    }

    /// The flat index of instance `instance` of queue consumer group `group`.
    pub(crate) fn instance_of(&self, group: u32, instance: u32) -> Option<u32> {
        self.amqp.consumers.iter().position(|c| c.group == group && c.instance == instance).map(|c| c as u32)
    }

    fn members(&self, group: u32) -> Vec<u32> {
        (0..self.amqp.consumers.len() as u32).filter(|&c| self.amqp.consumers[c as usize].group == group).collect()
    }

    fn set_consumers(&mut self, group: u32, count: u32) {
        let members = self.members(group);
        let alive: Vec<u32> = members.iter().copied().filter(|&c| self.amqp.consumers[c as usize].alive).collect();
        let count = count as usize;
        if alive.len() > count {
            for &c in alive[count..].iter().rev() {
                self.amqp.crash_consumer(&mut self.cx, &mut self.system, c, Cause::ScaledIn);
            }
            return;
        }
        let mut missing = count - alive.len();
        for &c in &members {
            if missing > 0 && !self.amqp.consumers[c as usize].alive {
                self.amqp.restart_consumer(&mut self.cx, &mut self.system, c);
                missing -= 1;
            }
        }
        if missing == 0 {
            return;
        }
        let name = &self.amqp.groups[group as usize].name;
        let rate_limit = self.scenario.consumers.iter().find(|c| &c.name == name).and_then(|c| c.rate_limit);
        let queue = self.amqp.consumers[members[0] as usize].queue;
        for n in 0..missing {
            let c = self.amqp.consumers.len() as u32;
            self.amqp.consumers.push(Consumer {
                group,
                instance: (members.len() + n) as u32,
                queue,
                alive: true,
                epoch: 0,
                held: VecDeque::new(),
                busy: false,
                in_ready: true,
                processed: 0,
                retiring: false,
                starting: false,
                limiter: rate_limit.map(|l| crate::kernel::rate_limit::RateLimiter::new(l.rate, l.burst)),
                ack_timer: None,
                slow: 1.0,
            });
            self.amqp.queues[queue as usize].ready_consumers.push_back(c);
        }
        self.amqp.queues[queue as usize].consumers_changed_at = Some(self.now());
        self.amqp.dispatch(&mut self.cx, &mut self.system, queue);
    }

    fn set_prefetch(&mut self, group: u32, prefetch: u32) {
        self.amqp.groups[group as usize].prefetch = prefetch;
        let manual = self.amqp.groups[group as usize].ack == AckMode::Manual;
        let members = self.members(group);
        for &c in &members {
            let consumer = &mut self.amqp.consumers[c as usize];
            if !consumer.alive {
                continue;
            }
            let has_credit = !manual || consumer.held.len() < prefetch as usize;
            let queue = &mut self.amqp.queues[consumer.queue as usize];
            if has_credit && !consumer.in_ready {
                consumer.in_ready = true;
                queue.ready_consumers.push_back(c);
            } else if !has_credit && consumer.in_ready {
                consumer.in_ready = false;
                queue.ready_consumers.retain(|&r| r != c);
            }
        }
        if let Some(&first) = members.first() {
            self.amqp.dispatch(&mut self.cx, &mut self.system, self.amqp.consumers[first as usize].queue);
        }
    }

}
