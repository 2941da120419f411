//! Messages held until a due time: delayed publishing (RabbitMQ's
//! delayed-message exchange, RocketMQ's delay levels) and retry backoff.
//!
//! A held message is in state `delayed`, lives in the message store, and has
//! one entry in a min-heap ordered by (due time, holding order); one kernel
//! event is kept pending for the earliest entry. Nothing else holds it, so
//! memory follows the messages waiting, and releasing them costs O(log n)
//! each. An entry whose message no longer carries its ticket (a broker crash
//! lost it) is skipped when it comes up.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::Serialize;

use super::{Event, MsgMeta};
use super::{World, Neighbours};
use super::Ctx;
use crate::kernel::{Dist, SimRng};
use crate::ledger::MsgState;
use crate::message::{MessageStore, Slot};
use crate::observe::LifeKind;
use crate::scenario::DelaySpec;
use crate::scenario::amqp::rocketmq_delay;
use crate::time::{SimTime, as_millis_f64};

/// What happens to a held message at its due time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    /// A delayed publish: it is routed now.
    Delay,
    /// A retry backoff: it goes back to the tail of its queue.
    Retry,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    due: SimTime,
    seq: u64,
    slot: Slot,
    token: u64,
    hold: Hold,
}

/// The held messages, earliest due first.
#[derive(Default)]
pub(crate) struct Timers {
    heap: BinaryHeap<Reverse<Entry>>,
    seq: u64,
    /// The time of the pending kernel event, if any.
    armed: Option<SimTime>,
}

/// A held message, as `Sim::delayed_messages` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DelayedMessage {
    pub msg: u64,
    pub due_ms: f64,
    pub hold: Hold,
}

/// A producer's delay, resolved.
pub(crate) enum Delay {
    Fixed(SimTime),
    Random(Dist),
    /// RocketMQ levels taken in turn.
    Levels {
        levels: Vec<u8>,
        next: usize,
    },
}

impl Delay {
    pub(crate) fn from_spec(spec: &DelaySpec) -> Delay {
        match spec {
            DelaySpec::Fixed(d) => Delay::Fixed(d.0),
            DelaySpec::Random(dist) => Delay::Random(dist.clone()),
            DelaySpec::Level(level) => Delay::Levels { levels: vec![*level], next: 0 },
            DelaySpec::Levels(levels) => Delay::Levels { levels: levels.clone(), next: 0 },
        }
    }

    /// The next message's delay; draws from `rng` only for a random delay.
    pub(crate) fn next(&mut self, rng: &mut SimRng) -> SimTime {
        match self {
            Delay::Fixed(d) => *d,
            Delay::Random(dist) => dist.sample(rng),
            Delay::Levels { levels, next } => {
                let level = levels[*next % levels.len()];
                *next += 1;
                rocketmq_delay(level).0
            }
        }
    }
}

impl Timers {
    /// Held messages whose entry is current (the recount of the ledger's `delayed`).
    pub(crate) fn live<'a>(&'a self, store: &'a MessageStore<MsgMeta>) -> impl Iterator<Item = (SimTime, u64, Slot, Hold)> + 'a {
        self.heap.iter().filter_map(move |Reverse(e)| {
            let m = store.get(e.slot);
            (m.amqp.token == e.token && m.state == MsgState::Delayed).then_some((e.due, e.seq, e.slot, e.hold))
        })
    }
}

impl World {
    /// Holds a message until `due`, recording `kind` (its due time goes in
    /// the journal event); `node` names where it is held.
    pub(crate) fn hold<E: From<Event>>(&mut self, cx: &mut Ctx<E>, slot: Slot, due: SimTime, hold: Hold, kind: LifeKind, node: u32) {
        let token = self.token();
        let message = cx.store.get_mut(slot);
        message.amqp.token = token;
        cx.set_state_due(slot, MsgState::Delayed, kind, node, Some(due));
        let timers = &mut self.timers;
        timers.seq += 1;
        timers.heap.push(Reverse(Entry { due, seq: timers.seq, slot, token, hold }));
        self.stats.delayed += 1;
        self.arm_timers(cx);
    }

    /// Keeps a kernel event pending for the earliest held message.
    pub(crate) fn arm_timers<E: From<Event>>(&mut self, cx: &mut Ctx<E>) {
        let timers = &mut self.timers;
        let Some(Reverse(top)) = timers.heap.peek() else { return };
        let due = top.due;
        if timers.armed.is_none_or(|armed| due < armed) {
            timers.armed = Some(due);
            cx.sched.at(due, E::from(Event::Timers));
        }
    }

    /// Releases every held message that is due, in (due time, holding) order.
    /// While the broker is down nothing is released; its restart does it.
    pub(crate) fn release_due<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N) {
        let now = cx.now();
        if self.timers.armed == Some(now) {
            self.timers.armed = None;
        }
        if !self.broker_up {
            return;
        }
        while let Some(Reverse(top)) = self.timers.heap.peek() {
            if top.due > now {
                break;
            }
            let Some(Reverse(entry)) = self.timers.heap.pop() else { break };
            let message = cx.store.get(entry.slot);
            if message.amqp.token != entry.token || message.state != MsgState::Delayed {
                continue; // The message is gone (a broker crash lost it).
            }
            cx.store.get_mut(entry.slot).amqp.token = 0;
            match entry.hold {
                Hold::Delay => self.store_routed(cx, nb, entry.slot, LifeKind::Released),
                Hold::Retry => {
                    let q = cx.store.get(entry.slot).queue;
                    self.enqueue(cx, nb, q, entry.slot, LifeKind::Retried);
                }
            }
        }
        self.arm_timers(cx);
    }

    /// The held messages, earliest due first, at most `limit` of them: when
    /// each will be released, and why it is held.
    pub(crate) fn delayed_messages<E: From<Event>>(&self, cx: &Ctx<E>, limit: usize) -> Vec<DelayedMessage> {
        let live: Vec<_> = self.timers.live(&cx.store).collect();
        // By (due, seq); no two have the same seq.
        let mut order: Vec<(u64, u64, u64)> = live.iter().enumerate().map(|(i, &(due, seq, _, _))| (due, seq, i as u64)).collect();
        crate::kernel::sort_triples(&mut order);
        order
            .into_iter()
            .take(limit)
            .map(|(_, _, i)| live[i as usize])
            .map(|(due, _, slot, hold)| DelayedMessage {
                msg: cx.store.get(slot).id,
                due_ms: as_millis_f64(due),
                hold,
            })
            .collect()
    }
}
