//! Where the families meet. A family never names another; when one needs
//! another's service (a queue consumer calls a system service, a user
//! request publishes into queues, a summary lists both families' scaled
//! groups), it asks the engine, which holds every world, and the engine
//! answers here.

use super::Sim;
use crate::amqp::Admission;
use crate::amqp::autoscale::AutoscaleSummary;
use crate::message::Slot;
use crate::observe::LifeKind;
use crate::system::Caller;
use crate::time::SimTime;

impl Sim {
    /// A consumer's call to downstream service `service`, made at `now`: how
    /// long it takes. A blocking retry: while the service is down or at
    /// capacity the consumer keeps the message (unacked) and calls again.
    #[inline(never)]
    pub(crate) fn call_service(&mut self, service: u32, now: SimTime) -> SimTime {
        self.system.services[service as usize].call(now, Caller::Consumer, &mut self.rng).duration
    }

    /// Hands messages created by `create_copies` to the broker, on behalf
    /// of `waiter` if a request waits for them. All copies exist before any is
    /// enqueued, because enqueueing can drop a message (a full queue) and
    /// free its slot. Returns how many were refused and how many blocked.
    pub(crate) fn hand_to_broker(&mut self, slots: Vec<Slot>, queues: &[u32], waiter: Option<(u32, u32)>) -> (u32, u32) {
        let (mut refused, mut blocked) = (0, 0);
        for (&queue, slot) in queues.iter().zip(slots) {
            match self.enqueue_for(queue, slot, LifeKind::Published, waiter) {
                Admission::Stored => {}
                Admission::Refused => refused += 1,
                Admission::Blocked => blocked += 1,
            }
        }
        (refused, blocked)
    }

    /// Takes back the publishes blocked in full queues (the `block`
    /// overflow) on behalf of request `waiter`, whose process died: they die
    /// with it, and their slots join `lost`.
    pub(crate) fn drop_blocked_publishes(&mut self, waiter: (u32, u32), lost: &mut Vec<Slot>) {
        for queue in &mut self.amqp.queues {
            queue.blocked.retain(|&(message, _, w)| {
                let mine = w == Some(waiter);
                if mine {
                    lost.push(message);
                }
                !mine
            });
        }
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
