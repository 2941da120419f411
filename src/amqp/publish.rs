//! What the broker does with a published message: hold it if it is delayed,
//! route it, store one ledger copy per queue, and return or drop it when no
//! queue takes it.

use std::collections::BTreeMap;

use super::Event;
use super::delay::{Delay, Hold};
use super::exchange::{self, Exchange, Route};
use super::routing::HeaderValue;
use super::{World, Neighbours};
use super::Ctx;
use crate::ledger::MsgState;
use crate::message::Slot;
use crate::observe::LifeKind;
use crate::scenario::{HeaderArg, Scenario, ScenarioError};
use crate::time::SimTime;

/// How a producer picks each message's routing key.
enum KeyChoice {
    /// One key for every message.
    Fixed,
    /// The message key `k` picks `routes[k]` (a `{key}` template).
    ByMessageKey,
    /// The keys in turn.
    Cycle,
}

/// A producer's publishing options, resolved.
pub struct Publisher {
    /// The route of each routing key the producer uses (indices into `World::routes`).
    routes: Vec<u32>,
    choice: KeyChoice,
    next: u32,
    /// The producer's first message key, which `routes[0]` belongs to.
    first_key: u32,
    pub mandatory: bool,
    pub persistent: bool,
    pub confirm: bool,
    pub ttl: Option<SimTime>,
    delay: Option<Delay>,
    /// Requests: the reply queue and how long the producer waits.
    pub reply: Option<(u32, SimTime)>,
    /// Confirms received, nacks received, messages returned as unroutable,
    /// publishes that failed because the broker was down.
    pub confirmed: u64,
    pub nacked: u64,
    pub returned: u64,
    pub failed: u64,
}

impl Publisher {
    /// Resolves every producer's options, adding the routes of its routing
    /// keys to `routes`.
    pub(crate) fn build_all(
        scenario: &Scenario,
        exchanges: &[Exchange],
        routes: &mut Vec<Route>,
    ) -> Result<Vec<Publisher>, ScenarioError> {
        let mut publishers = Vec::with_capacity(scenario.producers.len());
        for (i, spec) in scenario.producers.iter().enumerate() {
            let (route_ids, choice) = match (&spec.queue, &spec.exchange) {
                (Some(queue), _) => {
                    (vec![scenario.queue_index(queue, &format!("producers[{i}].queue"))?], KeyChoice::Fixed)
                }
                (None, Some(name)) => {
                    let x = scenario.exchange_index(name, &format!("producers[{i}].exchange"))?;
                    let headers = header_values(spec.headers.as_ref());
                    let (keys, choice) = match (&spec.routing_keys, &spec.routing_key) {
                        (Some(keys), _) => (keys.clone(), KeyChoice::Cycle),
                        (None, Some(key)) if key.contains("{key}") => (
                            (0..spec.keys.max(1)).map(|k| key.replace("{key}", &(spec.first_key + k).to_string())).collect(),
                            KeyChoice::ByMessageKey,
                        ),
                        (None, key) => (vec![key.clone().unwrap_or_default()], KeyChoice::Fixed),
                    };
                    let ids = keys
                        .iter()
                        .map(|key| {
                            routes.push(exchange::route(exchanges, scenario.queues.len(), x, key, &headers));
                            (routes.len() - 1) as u32
                        })
                        .collect();
                    (ids, choice)
                }
                // A producer of another family (a Kafka topic, say) never publishes here.
                (None, None) => (Vec::new(), KeyChoice::Fixed),
            };
            let reply = match &spec.reply {
                Some(reply) => {
                    Some((scenario.queue_index(&reply.queue, &format!("producers[{i}].reply.queue"))?, reply.timeout.0))
                }
                None => None,
            };
            publishers.push(Publisher {
                routes: route_ids,
                first_key: spec.first_key,
                choice,
                next: 0,
                mandatory: spec.mandatory,
                persistent: spec.persistent,
                confirm: spec.confirm,
                ttl: spec.ttl.map(|d| d.0),
                delay: spec.delay.as_ref().map(Delay::from_spec),
                reply,
                confirmed: 0,
                nacked: 0,
                returned: 0,
                failed: 0,
            });
        }
        Ok(publishers)
    }

    /// The route of the next message, whose message key is `key`.
    fn next_route(&mut self, key: u32) -> u32 {
        match self.choice {
            KeyChoice::Fixed => self.routes[0],
            KeyChoice::ByMessageKey => self.routes[key.wrapping_sub(self.first_key) as usize % self.routes.len()],
            KeyChoice::Cycle => {
                let route = self.routes[self.next as usize % self.routes.len()];
                self.next = self.next.wrapping_add(1);
                route
            }
        }
    }
}

fn header_values(headers: Option<&BTreeMap<String, HeaderArg>>) -> Vec<(String, super::routing::HeaderValue)> {
    headers.map(|h| h.iter().map(|(name, value)| (name.clone(), HeaderValue::from(value))).collect()).unwrap_or_default()
}

impl World {
    /// Producer `p`'s new message `slot` reaches the broker (an exchange, or a queue through the default exchange).
    pub(crate) fn amqp_publish<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, p: u32, slot: Slot) {
        let key = cx.store.get(slot).key;
        let publisher = &mut self.publishers[p as usize];
        let route = publisher.next_route(key);
        let (persistent, ttl, reply) = (publisher.persistent, publisher.ttl, publisher.reply);
        let delay = publisher.delay.as_mut().map(|d| d.next(&mut cx.rng));
        let message = cx.store.get_mut(slot);
        let id = message.id;
        message.amqp.route = route;
        message.amqp.persistent = persistent;
        message.amqp.set_ttl(ttl);
        message.amqp.set_reply_to(reply.map(|(q, _)| q));
        if let Some((_, timeout)) = reply {
            self.rpc_register(cx, p, id, timeout);
        }
        if !self.broker_up {
            self.publish_failed(cx, slot, p);
            return;
        }
        match delay {
            Some(delay) => {
                let due = cx.now().saturating_add(delay);
                self.hold(cx, slot, due, Hold::Delay, LifeKind::Delayed, p);
            }
            None => self.store_routed(cx, nb, slot, LifeKind::Published),
        }
    }

    /// Stores a message in every online queue of its route: the message
    /// itself goes to the first, and a new ledger copy with its own id (and
    /// the same origin) to each other one. A message no queue takes is
    /// returned to a mandatory publisher or dropped.
    ///
    /// The common case, a route to one queue that is online, needs no lists
    /// (and no allocation per message); it does what the general path does
    /// for it, and is inlined (see `engine`'s module docs).
    #[inline(always)]
    pub(crate) fn store_routed<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, slot: Slot, kind: LifeKind) {
        let route = &self.routes[cx.store.get(slot).amqp.route as usize];
        if let [q] = route.queues[..] {
            let via_alternate = route.via_alternate;
            if self.queue_online(q) {
                if via_alternate {
                    self.stats.alternate_routed += 1;
                }
                self.enqueue(cx, nb, q, slot, kind);
                return;
            }
        }
        self.store_routed_general(cx, nb, slot, kind);
    }

    /// `store_routed` for a route to several queues, or to none, or to one
    /// that is offline.
    #[inline(never)]
    fn store_routed_general<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, slot: Slot, kind: LifeKind) {
        let message = cx.store.get(slot);
        let (id, key, producer) = (message.id, message.key, message.producer);
        let is_reply = message.amqp.correlation().is_some();
        let route = &self.routes[message.amqp.route as usize];
        let via_alternate = route.via_alternate;
        let mut targets = Vec::with_capacity(route.queues.len());
        let mut missed = Vec::new();
        for &q in &route.queues {
            if self.queue_online(q) { targets.push(q) } else { missed.push(q) }
        }
        if via_alternate {
            self.stats.alternate_routed += 1;
        }
        for q in missed {
            // NATS core: a subscriber that is not connected misses the message.
            self.queues[q as usize].missed += 1;
            self.stats.missed += 1;
            cx.record(LifeKind::Missed, id, q, key);
        }
        let Some((&first, rest)) = targets.split_first() else {
            self.stats.unroutable += 1;
            let publisher = &mut self.publishers[producer as usize];
            // RabbitMQ: with `mandatory`, an unroutable message comes back to
            // its publisher in a `basic.return`; without, it is dropped.
            let confirm = publisher.confirm && !is_reply;
            if publisher.mandatory && !is_reply {
                publisher.returned += 1;
                self.stats.returned += 1;
                cx.set_state(slot, MsgState::Dropped, LifeKind::Returned, producer);
            } else {
                cx.set_state(slot, MsgState::Dropped, LifeKind::Unroutable, producer);
            }
            // RabbitMQ confirms an unroutable message as soon as routing finds
            // no queue for it, after the `basic.return` of a mandatory one
            // (checked against 3.10 by tests/broker/): the confirm says the
            // broker is done with it, not that a queue has it.
            if confirm && matches!(kind, LifeKind::Published | LifeKind::Released) {
                self.confirm(cx, id, producer, key);
            }
            return;
        };
        let copies: Vec<(u32, Slot)> = rest.iter().map(|&q| (q, self.copy_of(cx, slot))).collect();
        self.enqueue(cx, nb, first, slot, kind);
        for (q, copy) in copies {
            self.enqueue(cx, nb, q, copy, LifeKind::Copied);
        }
    }

    /// A new ledger copy of `slot` for one more destination: its own id, the
    /// same origin, entering the books as `producing`.
    fn copy_of<E: From<Event>>(&mut self, cx: &mut Ctx<E>, slot: Slot) -> Slot {
        self.stats.copies += 1;
        cx.copy_message(slot)
    }

    /// The broker is down: the publish fails and the message never exists
    /// anywhere but in the books, as lost.
    pub(crate) fn publish_failed<E: From<Event>>(&mut self, cx: &mut Ctx<E>, slot: Slot, producer: u32) {
        self.stats.publish_failed += 1;
        self.publishers[producer as usize].failed += 1;
        cx.set_state(slot, MsgState::Lost, LifeKind::PublishFailed, producer);
    }
}
