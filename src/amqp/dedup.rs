//! Side effects, duplicates, and the idempotent consumer.
//!
//! Processing a message successfully performs its side effect (charging a
//! card, say) before the ack is sent. Each side effect is counted; one beyond
//! the first for the same message copy is a duplicate. Duplicates arise when
//! the broker redelivers a message whose work was already done: its ack was
//! lost, or came too late.
//!
//! An idempotent consumer (the seeds' `IdempotentConsumer`: check the store
//! for the message id, process, then remember the id with an expiry) keeps the
//! ids it processed for a retention window and acks a message it remembers
//! without repeating the side effect. A window shorter than the time a
//! redelivery can take lets duplicates through, which is the point of
//! showing it.

use std::collections::{HashMap, VecDeque};

use super::Event;
use super::{World, Neighbours};
use super::Ctx;
use crate::message::Slot;
use crate::observe::LifeKind;
use crate::time::SimTime;

/// The ids an idempotent consumer group has processed, each kept for `window`.
///
/// Lookups use a `HashMap`, which is never iterated; expiry walks a queue in
/// insertion order, which is expiry order because the window is fixed, so an
/// id costs O(1) to insert and to expire and the store holds only the ids
/// still inside their window.
pub struct DedupStore {
    window: SimTime,
    seen: HashMap<u64, SimTime>,
    expiries: VecDeque<(SimTime, u64)>,
}

impl DedupStore {
    pub fn new(window: SimTime) -> DedupStore {
        DedupStore { window, seen: HashMap::new(), expiries: VecDeque::new() }
    }

    /// Forgets the ids whose window has ended by `now`.
    pub fn expire(&mut self, now: SimTime) {
        while let Some(&(at, id)) = self.expiries.front() {
            if at > now {
                break;
            }
            self.expiries.pop_front();
            self.seen.remove(&id);
        }
    }

    /// Whether `id` was processed within the window; if not, remembers it
    /// from `now` (the check and the insert are one step, as a unique index
    /// or `SET NX` makes them).
    pub fn check_and_remember(&mut self, id: u64, now: SimTime) -> bool {
        self.expire(now);
        if self.seen.contains_key(&id) {
            return true;
        }
        let until = now.saturating_add(self.window);
        self.seen.insert(id, until);
        self.expiries.push_back((until, id));
        false
    }

    /// Ids remembered now.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

impl World {
    /// Consumer `c` processed `slot` successfully: the side effect happens
    /// (unless an idempotent consumer has seen the id), then the request-reply
    /// bookkeeping: a request gets its reply, a reply resolves its request.
    /// Inlined: it runs for every message (see `engine`'s module docs).
    #[inline(always)]
    pub(crate) fn complete<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32, slot: Slot) {
        let now = cx.now();
        let g = self.consumers[c as usize].group as usize;
        // The group and the message are looked up once: this runs for every
        // message processed, and most groups neither deduplicate nor emit.
        let group = &mut self.groups[g];
        let message = cx.store.get_mut(slot);
        let (id, key) = (message.id, message.key);
        let seen = match group.dedup.as_mut() {
            Some(store) => store.check_and_remember(message.amqp.origin, now),
            None => false,
        };
        if seen {
            group.dedup_hits += 1;
            self.stats.dedup_hits += 1;
            cx.record(LifeKind::DedupHit, id, c, key);
        } else {
            message.amqp.effects += 1;
            let duplicate = message.amqp.effects > 1;
            group.side_effects += 1;
            self.stats.side_effects += 1;
            let emits = group.emit.is_active();
            if duplicate {
                group.duplicates += 1;
                cx.stats.duplicates += 1;
                cx.record(LifeKind::DuplicateEffect, id, c, key);
            }
            // Publishing the next event is part of the side effect: a
            // duplicate processing publishes it again, a deduplicated one not.
            if emits {
                self.emit_step(cx, nb, g, c, slot);
            }
        }
        self.rpc_on_processed(cx, nb, c, slot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An id is remembered for exactly its window, then forgotten.
    #[test]
    fn ids_are_remembered_for_the_window() {
        let mut store = DedupStore::new(10);
        assert!(!store.check_and_remember(7, 0));
        assert!(store.check_and_remember(7, 9));
        assert!(!store.check_and_remember(7, 10), "the window [0, 10) has ended");
        assert_eq!(store.len(), 1);
    }

    /// Expired ids leave the store, so it holds only ids inside their window.
    #[test]
    fn memory_follows_the_window() {
        let mut store = DedupStore::new(5);
        for id in 0..100 {
            store.check_and_remember(id, id);
        }
        assert_eq!(store.len(), 5);
        store.expire(1_000);
        assert!(store.is_empty());
    }
}
