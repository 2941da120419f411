//! Messages and the store that holds the live ones.
//!
//! A message is addressed two ways: its `id` (unique for the whole run, shown to
//! people and hashed into the trace) and its `Slot` (an index into the store,
//! reused once the message reaches a terminal state). Reusing slots is what
//! keeps memory proportional to the messages alive now, not to every message
//! ever produced.

use crate::ledger::MsgState;
use crate::time::SimTime;

/// An index into the `MessageStore`; only valid while the message is live.
pub type Slot = u32;

/// One message and what the simulation needs to know about it.
///
/// `A` is what the queue family records about it (`amqp::MsgMeta`: copies,
/// delays, tokens, TTL…). The type is the family's and lives with it; this
/// module, below the families, only holds it; the engine chooses it (its
/// `engine::Ctx` holds a `MessageStore<amqp::MsgMeta>`), and the context
/// reaches it through `Meta`.
#[derive(Clone, Debug)]
pub struct Message<A> {
    /// Unique for the run, in production order (0, 1, 2, …).
    pub id: u64,
    /// The producer that sent it.
    pub producer: u32,
    /// The message key (0 when the producer does not key its messages).
    pub key: u32,
    /// When the producer created it; end-to-end latency is measured from here.
    pub born: SimTime,
    /// Deliveries to a consumer so far; the second and later are redeliveries.
    pub deliveries: u32,
    /// Where it is in its life; the ledger counts messages by this field.
    pub state: MsgState,
    /// The queue that holds it (or last held it).
    pub queue: u32,
    /// Its place in that queue's order, given when it was enqueued there
    /// (wrapping; see `amqp::Queue::push_ready`): a requeue puts it back here.
    pub seq: u32,
    /// Every attempt to process it fails.
    pub poison: bool,
    /// It may be skipped in a backlog emergency (see `skip_non_critical`).
    pub non_critical: bool,
    /// When it last entered its queue's ready list (for the measured wait).
    pub ready_since: SimTime,
    /// What the queue family records about it (copies, delays, tokens, TTL…).
    pub amqp: A,
}

/// What the context (`crate::context`) needs of the per-message record `A`,
/// whose type it does not name: the queue family implements it for
/// `amqp::MsgMeta`.
pub trait Meta: Clone {
    /// The record of a message just created with id `id`.
    fn created(id: u64) -> Self;
    /// The message this one derives from, for the trace and the journal.
    fn related(&self, id: u64) -> Option<u64>;
    /// Stale work still refers to the message, so its slot must outlive a
    /// terminal state.
    fn pinned(&self) -> bool;
    /// Clears what a copy must not inherit from its original.
    fn for_copy(&mut self);
}

/// Slots per chunk of the store: 4,096 messages, 384 KB.
const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;

/// A slab of live messages with a free list of vacated slots.
///
/// The slots live in fixed-size chunks rather than one `Vec`, so that the
/// store grows without moving what it holds. A single `Vec` doubles: at a
/// backlog of a million messages that copied about 50 MB in one go, and in
/// the page that was a 70 ms stall inside one simulation slice, enough to
/// make input wait (see `tests/e2e/long-run.test.mjs`).
pub struct MessageStore<A> {
    /// Whole chunks, so that the index within one needs no bounds check;
    /// slots at `len` and above are placeholders.
    chunks: Vec<Box<[Message<A>; CHUNK]>>,
    /// Slots ever allocated (the high-water mark).
    len: usize,
    free: Vec<Slot>,
    live: usize,
}

impl<A> Default for MessageStore<A> {
    fn default() -> Self {
        MessageStore { chunks: Vec::new(), len: 0, free: Vec::new(), live: 0 }
    }
}

impl<A: Clone> MessageStore<A> {
    /// Stores a message and returns its slot. Inlined so that a message
    /// built by the caller is written straight into its slot, not built on
    /// the stack and copied (which stalls on store forwarding).
    #[inline(always)]
    pub fn insert(&mut self, message: Message<A>) -> Slot {
        self.live += 1;
        match self.free.pop() {
            Some(slot) => {
                *self.get_mut(slot) = message;
                slot
            }
            None => self.push(message),
        }
    }

    /// Stores a message in a new slot.
    #[inline(never)]
    fn push(&mut self, message: Message<A>) -> Slot {
        if self.len == self.chunks.len() * CHUNK {
            let placeholders: Box<[Message<A>]> = (0..CHUNK).map(|_| message.clone()).collect();
            self.chunks.push(placeholders.try_into().unwrap_or_else(|_| unreachable!("CHUNK placeholders")));
        }
        let slot = self.len as Slot;
        self.len += 1;
        *self.get_mut(slot) = message;
        slot
    }

    /// Frees a slot whose message has reached a terminal state.
    #[inline]
    pub fn release(&mut self, slot: Slot) {
        self.live -= 1;
        self.free.push(slot);
    }

    #[inline]
    pub fn get(&self, slot: Slot) -> &Message<A> {
        &self.chunks[(slot >> CHUNK_BITS) as usize][slot as usize & (CHUNK - 1)]
    }

    #[inline]
    pub fn get_mut(&mut self, slot: Slot) -> &mut Message<A> {
        &mut self.chunks[(slot >> CHUNK_BITS) as usize][slot as usize & (CHUNK - 1)]
    }

    /// The live message with this id, if there is one (a scan of the store,
    /// for inspecting one message, not for the hot loop).
    pub fn find_live(&self, id: u64) -> Option<&Message<A>> {
        self.chunks.iter().flat_map(|chunk| chunk.iter()).take(self.len).find(|m| m.id == id && !m.state.is_terminal())
    }

    /// Messages alive now.
    pub fn live(&self) -> usize {
        self.live
    }

    /// The most slots ever allocated: the store's memory high-water mark.
    pub fn capacity_used(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Message = super::Message<crate::amqp::MsgMeta>;
    type MessageStore = super::MessageStore<crate::amqp::MsgMeta>;

    fn msg(id: u64) -> Message {
        super::Message {
            id,
            producer: 0,
            key: 0,
            born: 0,
            deliveries: 0,
            state: MsgState::Stored,
            queue: 0,
            poison: false,
            non_critical: false,
            ready_since: 0,
            seq: 0,
            amqp: crate::amqp::MsgMeta::new(id, 0),
        }
    }

    /// A message is small: the store holds every live message, so a backlog
    /// of a million costs a million of these (see `amqp::MsgMeta`).
    #[test]
    fn a_message_takes_96_bytes() {
        assert!(std::mem::size_of::<Message>() <= 96, "{} bytes", std::mem::size_of::<Message>());
    }

    /// Released slots are reused, so the store grows with live messages only.
    #[test]
    fn slots_are_reused() {
        let mut store = MessageStore::default();
        for id in 0..1000 {
            let slot = store.insert(msg(id));
            assert_eq!(store.get(slot).id, id);
            store.release(slot);
        }
        assert_eq!(store.capacity_used(), 1);
        assert_eq!(store.live(), 0);
    }

    /// Growing past a chunk keeps every message where it was, and its slot
    /// keeps addressing it.
    #[test]
    fn messages_keep_their_slots_across_chunks() {
        let mut store = MessageStore::default();
        let slots: Vec<Slot> = (0..3 * CHUNK as u64 + 5).map(|id| store.insert(msg(id))).collect();
        let first = store.get(slots[0]) as *const Message;
        store.insert(msg(u64::MAX));
        assert_eq!(store.get(slots[0]) as *const Message, first, "the first message did not move");
        assert!(slots.iter().enumerate().all(|(id, &slot)| store.get(slot).id == id as u64));
        assert_eq!(store.find_live(2 * CHUNK as u64 + 1).map(|m| m.id), Some(2 * CHUNK as u64 + 1));
        assert_eq!(store.capacity_used(), 3 * CHUNK + 6);
    }
}
