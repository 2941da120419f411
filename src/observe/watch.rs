//! The messages a page watches: each one's lifecycle events since it was
//! first watched. Fed by the recorder with every event it records; like
//! the journal, it only observes.

use crate::observe::LifeEvent;
use crate::observe::kinds::describe;

/// How many messages may be watched at once; watching one more forgets the
/// one watched longest.
pub const WATCH_MESSAGES: usize = 16;
/// How many events are kept per watched message.
pub const WATCH_EVENTS: usize = 256;

/// Messages being followed and the events recorded for each since.
#[derive(Default)]
pub(crate) struct Watch {
    watched: Vec<(u64, Vec<LifeEvent>)>,
}

impl Watch {
    /// Some message is being watched.
    #[inline]
    pub(crate) fn active(&self) -> bool {
        !self.watched.is_empty()
    }

    /// Records `event` if it is about a watched message.
    #[inline]
    pub(crate) fn note(&mut self, event: &LifeEvent) {
        if self.watched.is_empty() || !describe(event.kind).message {
            return;
        }
        if let Some((_, events)) = self.watched.iter_mut().find(|(id, _)| *id == event.msg) {
            if events.len() < WATCH_EVENTS {
                events.push(*event);
            }
        }
    }

    pub(crate) fn add(&mut self, id: u64) {
        if self.watched.iter().any(|(w, _)| *w == id) {
            return;
        }
        if self.watched.len() == WATCH_MESSAGES {
            self.watched.remove(0);
        }
        self.watched.push((id, Vec::new()));
    }

    pub(crate) fn events(&self, id: u64) -> Option<&[LifeEvent]> {
        self.watched.iter().find(|(w, _)| *w == id).map(|(_, events)| events.as_slice())
    }
}

