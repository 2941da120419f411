//! The system's actions: take a service down or bring it up, crash a
//! request flow's handler.

use crate::amqp;
use crate::engine::{Event, Sim};
use crate::scenario::FaultAction;
use crate::system::{Caller, LIVE_OUTAGE_END};
use crate::time::SimTime;

/// A system action, names resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SystemAction {
    ServiceDown { service: u32 },
    ServiceUp { service: u32 },
    CrashRequestHandler { flow: u32, down_for: SimTime },
}

/// What a busy consumer is doing, to tell after a live outage which calls
/// started while the service was down: (instance, epoch, message id, deliveries).
pub(crate) type Busy = (u32, u32, u64, u32);

impl Sim {
    /// The system's reading of a fault, if it is one of its own.
    pub(super) fn resolve_system_fault(&self, fault: &FaultAction) -> Option<SystemAction> {
        match fault {
            FaultAction::CrashRequestHandler { flow, down_for } => {
                let f = self.system.flows.iter().position(|fl| &fl.name == flow)?;
                Some(SystemAction::CrashRequestHandler { flow: f as u32, down_for: down_for.0 })
            }
            _ => None,
        }
    }

    pub(super) fn apply_system(&mut self, action: SystemAction) {
        match action {
            SystemAction::ServiceDown { service } => self.service_down(service),
            SystemAction::ServiceUp { service } => self.service_up(service),
            SystemAction::CrashRequestHandler { flow, down_for } => self.crash_request_handler(flow, down_for),
        }
    }

    /// The consumers of groups that call service `s`.
    fn callers_of(&self, s: u32) -> Vec<u32> {
        (0..self.amqp.consumers.len() as u32)
            .filter(|&c| self.amqp.groups[self.amqp.consumers[c as usize].group as usize].calls == Some(s))
            .collect()
    }

    /// What a busy consumer is doing, or None when it is idle or stopped.
    fn busy(&self, c: u32) -> Option<Busy> {
        let consumer = &self.amqp.consumers[c as usize];
        if !consumer.alive || !consumer.busy {
            return None;
        }
        let message = self.cx.store.get(consumer.held.iter().find(|h| h.work)?.slot);
        Some((c, consumer.epoch, message.id, message.deliveries))
    }

    fn service_down(&mut self, s: u32) {
        let now = self.now();
        if self.system.services[s as usize].take_down(now) {
            let busy = self.callers_of(s).into_iter().filter_map(|c| self.busy(c)).collect();
            self.control.outages.push((s, busy));
        }
    }

    /// Brings a service up. A consumer whose current call started while it
    /// was down was told to wait until `LIVE_OUTAGE_END`; it calls again now
    /// (and waits for the rest of any scheduled outage, as any call does).
    fn service_up(&mut self, s: u32) {
        let now = self.now();
        if !self.system.services[s as usize].bring_up(now) {
            return;
        }
        let at = self.control.outages.iter().position(|(service, _)| *service == s).expect("a live outage is recorded");
        let (_, before) = self.control.outages.remove(at);
        for c in self.callers_of(s) {
            let Some(busy) = self.busy(c) else { continue };
            if before.contains(&busy) {
                continue; // Its call started before the outage and was answered.
            }
            let consumer = &mut self.amqp.consumers[c as usize];
            consumer.epoch = consumer.epoch.wrapping_add(1);
            let (epoch, group) = (consumer.epoch, consumer.group);
            let call = self.system.services[s as usize].call(now, Caller::Consumer, &mut self.cx.rng);
            // The blocked call counted its wait up to LIVE_OUTAGE_END as busy time.
            let group = &mut self.amqp.groups[group as usize];
            group.busy_time = group.busy_time.saturating_sub(u128::from(LIVE_OUTAGE_END - now));
            self.cx.sched.after(call.duration, Event::Amqp(amqp::Event::ServiceDone { consumer: c, epoch }));
        }
    }

}
