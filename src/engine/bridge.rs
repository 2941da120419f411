//! Where the families meet. A family never names another; when one needs
//! another's service (a queue consumer calls a system service, a user
//! request publishes into queues, a summary lists both families' scaled
//! groups), it asks the engine, which holds every world, and the engine
//! answers here.

use super::{Ctx, Sim};
use crate::{amqp, system};
use crate::amqp::Admission;
use crate::amqp::autoscale::AutoscaleSummary;
use crate::observe::LifeKind;
use crate::system::Caller;
use crate::system::request::Handoff;
use crate::time::SimTime;

impl Sim {
    /// Hands the messages of a request's publish step or an outbox row
    /// (created by `system::request::create_copies`) to the broker, on
    /// behalf of `waiter` if a request waits for them. All copies exist
    /// before any is enqueued, because enqueueing can drop a message (a full
    /// queue) and free its slot. Returns how many were refused and how many
    /// blocked.
    pub(crate) fn hand_to_broker(&mut self, handoff: Handoff, waiter: Option<(u32, u32)>) -> (u32, u32) {
        let (mut refused, mut blocked) = (0, 0);
        for (&queue, slot) in handoff.queues.iter().zip(handoff.slots) {
            match self.amqp.enqueue_for(&mut self.cx, &mut self.system, queue, slot, LifeKind::Published, waiter) {
                Admission::Stored => {}
                Admission::Refused => refused += 1,
                Admission::Blocked => blocked += 1,
            }
        }
        (refused, blocked)
    }

    /// Flow `flow`'s request handler crashes (a fault or a live command):
    /// the publishes its requests had blocked in full queues die with it.
    pub(crate) fn crash_request_handler(&mut self, flow: u32, down_for: SimTime) {
        let amqp = &mut self.amqp;
        self.system.crash_request_handler(&mut self.cx, flow, down_for, |waiter, lost| amqp.drop_blocked_publishes(waiter, lost));
    }

    /// Every autoscaled group's record.
    pub fn autoscale_summary(&self) -> Vec<AutoscaleSummary> {
        self.amqp
            .groups
            .iter()
            .filter_map(|g| {
                g.autoscale.as_ref().map(|a| AutoscaleSummary {
                    group: g.name.clone(),
                    scaled_up: a.scaled_up,
                    scaled_down: a.scaled_down,
                    peak_running: a.peak_running,
                    capped_by_partitions: 0,
                })
            })
            .chain(self.kafka.groups.iter().filter_map(|g| {
                g.autoscale.as_ref().map(|a| AutoscaleSummary {
                    group: g.name.clone(),
                    scaled_up: a.scaled_up,
                    scaled_down: a.scaled_down,
                    peak_running: a.peak_running,
                    capped_by_partitions: a.capped_by_partitions,
                })
            }))
            .collect()
    }
}

/// The queue family's neighbours are the system model's services and
/// requests.
impl amqp::Neighbours<super::Event> for system::World {
    #[inline(never)]
    fn call_service(&mut self, cx: &mut Ctx, service: u32, now: SimTime) -> SimTime {
        self.services[service as usize].call(now, Caller::Consumer, &mut cx.rng).duration
    }

    fn publish_admitted(&mut self, cx: &mut Ctx, (slot, generation): (u32, u32)) {
        system::World::publish_admitted(self, cx, slot, generation);
    }
}
