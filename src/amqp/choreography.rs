//! Event choreography: a consumer that, having done its work, publishes the
//! next event of a business process — or, when its step is declined (stock
//! out, payment refused), the event that starts the compensations. Chained
//! through queues, these consumers form a choreographed saga (seed 001): no
//! orchestrator, each service reacting to the previous one's event.

use serde::Serialize;

use super::Event;
use super::{World, Neighbours};
use super::Ctx;
use crate::message::Slot;
use crate::observe::LifeKind;

/// An `EmitSpec` with queue names resolved.
#[derive(Clone, Debug, Default)]
pub struct Emit {
    pub publish: Vec<u32>,
    pub decline_probability: f64,
    pub on_decline: Vec<u32>,
    /// Steps that succeeded and steps that were declined.
    pub succeeded: u64,
    pub declined: u64,
}

impl Emit {
    /// The group publishes something after a step (a follow-up event, or a
    /// decline event, or it may decline with no event to announce it).
    #[inline]
    pub fn is_active(&self) -> bool {
        !(self.publish.is_empty() && self.on_decline.is_empty() && self.decline_probability == 0.0)
    }
}

impl World {
    /// After consumer `c` of group `g` performed the work of `slot`, publish
    /// the next event (or the decline event), for a group that does emit
    /// something (see `Emit::is_active`). The new message keeps the key, so
    /// one order's events stay together, and starts its own life in the ledger.
    #[inline(never)]
    pub(crate) fn emit_step<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, g: usize, c: u32, slot: Slot) {
        let emit = &self.groups[g].emit;
        let declined = cx.rng.chance(emit.decline_probability);
        let emit = &mut self.groups[g].emit;
        let targets = if declined {
            emit.declined += 1;
            emit.on_decline.clone()
        } else {
            emit.succeeded += 1;
            emit.publish.clone()
        };
        if declined {
            let (id, key) = (cx.store.get(slot).id, cx.store.get(slot).key);
            cx.record(LifeKind::Declined, id, c, key);
        }
        let key = cx.store.get(slot).key;
        for queue in targets {
            let next = cx.new_message(u32::MAX, key, false);
            self.enqueue(cx, nb, queue, next, LifeKind::Published);
        }
    }
}

/// What one choreographed step did, for the summary.
#[derive(Clone, Debug, Serialize)]
pub struct StepSummary {
    pub group: String,
    pub succeeded: u64,
    pub declined: u64,
}

impl World {
    /// Every consumer group that publishes follow-up events.
    pub fn choreography_summary(&self) -> Vec<StepSummary> {
        (*self)
            .groups
            .iter()
            .filter(|g| !g.emit.publish.is_empty() || !g.emit.on_decline.is_empty())
            .map(|g| StepSummary { group: g.name.clone(), succeeded: g.emit.succeeded, declined: g.emit.declined })
            .collect()
    }
}
