//! Publish-subscribe with one queue per subscriber, and the difference
//! between a subscription that exists only while its subscriber is connected
//! (NATS core; RabbitMQ's exclusive, server-named queues) and a durable one
//! (a RabbitMQ durable queue; a JetStream durable consumer).
//!
//! A fan-out exchange gives every bound queue its own copy. An exclusive
//! queue is bound only while a consumer of it is alive: when its last
//! consumer dies the queue is deleted with what it held, and while nobody is
//! subscribed, messages routed to it are missed rather than kept. A durable
//! queue keeps them for the subscriber's return. The broker suite
//! (tests/broker/, NATS cases) checks this against nats-server; where mqsim
//! differs (a crashed subscriber's unacked messages come back at once, not
//! after JetStream's `ack_wait`; queue groups dealt in turn, not at random),
//! docs/semantics.md says so.

use super::Event;
use super::World;
use super::Ctx;
use crate::ledger::MsgState;
use crate::observe::LifeKind;

impl World {
    /// Queue `q` exists now: it is not exclusive, or a consumer of it is alive.
    pub(crate) fn queue_online(&self, q: u32) -> bool {
        !self.queues[q as usize].exclusive || self.consumers.iter().any(|c| c.queue == q && c.alive)
    }

    /// Whether queue `q` is exclusive and no consumer of it is alive any more
    /// (called as a consumer of it crashes, after it is marked dead).
    pub(crate) fn last_subscriber_leaves(&self, q: u32) -> bool {
        self.queues[q as usize].exclusive && !self.queue_online(q)
    }

    /// An exclusive queue is deleted with its last subscriber: whatever it
    /// held is lost, since no one will ever read it (NATS core delivers at
    /// most once).
    pub(crate) fn delete_exclusive_queue<E: From<Event>>(&mut self, cx: &mut Ctx<E>, q: u32) {
        let now = cx.now();
        while let Some(slot) = self.queues[q as usize].pop_ready(now, &cx.store) {
            cx.set_state(slot, MsgState::Lost, LifeKind::Lost, q);
        }
    }
}
