//! Autoscaling consumers on lag: add an instance while the queue's backlog
//! is above a threshold, remove one while it is below another, with a
//! cooldown between actions and a start-up delay before a new instance takes
//! work (seed 002 §3.2: add consumers above 10,000, remove below 1,000).
//!
//! The group's instances are created up front, up to `max`; those beyond the
//! initial `count` start stopped. A removed instance stops taking deliveries
//! (`basic.cancel`) and leaves once it has finished what it holds, so scaling
//! down never redelivers anything.

use super::Event;
use super::{World, Neighbours};
use super::Ctx;
use crate::observe::LifeKind;
use crate::scenario::autoscale::AutoscaleSpec;
use crate::time::SimTime;

/// A group's autoscaler.
pub struct Autoscaler {
    pub spec: AutoscaleSpec,
    /// The instances the group had at the start: it never shrinks below them.
    pub min: u32,
    /// When it last added or removed an instance.
    last_action: Option<SimTime>,
    pub scaled_up: u64,
    pub scaled_down: u64,
    /// The most instances that ran at once.
    pub peak_running: u32,
}

/// What an autoscaler did, for the summary.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AutoscaleSummary {
    pub group: String,
    pub scaled_up: u64,
    pub scaled_down: u64,
    pub peak_running: u32,
    /// Topic groups only: checks that wanted another member but found one
    /// per partition already running.
    pub capped_by_partitions: u64,
}

impl Autoscaler {
    pub fn new(spec: AutoscaleSpec, min: u32) -> Autoscaler {
        Autoscaler { spec, min, last_action: None, scaled_up: 0, scaled_down: 0, peak_running: min }
    }
}

impl World {
    /// Schedules every autoscaler's first check.
    pub(crate) fn start_autoscalers<E: From<Event>>(&mut self, cx: &mut Ctx<E>) {
        for g in 0..self.groups.len() {
            if let Some(scaler) = &self.groups[g].autoscale {
                let every = scaler.spec.check_every.0;
                cx.sched.at(every, E::from(Event::Autoscale { group: g as u32 }));
            }
        }
    }

    /// One autoscaler check: compare the queue's backlog with the thresholds.
    pub(crate) fn autoscale_check<E: From<Event>>(&mut self, cx: &mut Ctx<E>, g: u32) {
        let now = cx.now();
        let Some(scaler) = &self.groups[g as usize].autoscale else { return };
        let (spec, min) = (scaler.spec, scaler.min);
        let cooled = scaler.last_action.is_none_or(|t| now >= t.saturating_add(spec.cooldown.0));
        let members: Vec<u32> =
            (0..self.consumers.len() as u32).filter(|&c| self.consumers[c as usize].group == g).collect();
        let queue = self.consumers[members[0] as usize].queue;
        let backlog = self.queues[queue as usize].ready.len() as u64;
        let active = |w: &World, c: u32| {
            let consumer = &w.consumers[c as usize];
            (consumer.alive && !consumer.retiring) || consumer.starting
        };
        let count = members.iter().filter(|&&c| active(self, c)).count() as u32;
        if cooled && backlog > spec.scale_up_above && count < spec.max {
            if let Some(&c) = members.iter().find(|&&c| !active(self, c) && !self.consumers[c as usize].alive) {
                self.consumers[c as usize].starting = true;
                cx.sched.after(spec.startup.0, E::from(Event::InstanceStarted { consumer: c }));
                self.note_scaling(g, now, true);
            }
        } else if cooled && backlog < spec.scale_down_below && count > min {
            if let Some(&c) = members.iter().rev().find(|&&c| {
                let consumer = &self.consumers[c as usize];
                consumer.alive && !consumer.retiring
            }) {
                self.retire_consumer(cx, c);
                self.note_scaling(g, now, false);
            }
        }
        if now.saturating_add(spec.check_every.0) <= cx.end() {
            cx.sched.after(spec.check_every.0, E::from(Event::Autoscale { group: g }));
        }
    }

    fn note_scaling(&mut self, g: u32, now: SimTime, up: bool) {
        let scaler = self.groups[g as usize].autoscale.as_mut().expect("called for autoscaled groups");
        scaler.last_action = Some(now);
        if up {
            scaler.scaled_up += 1;
        } else {
            scaler.scaled_down += 1;
        }
    }

    /// A new instance has started up and takes deliveries.
    pub(crate) fn instance_started<E: From<Event>, N: Neighbours<E>>(&mut self, cx: &mut Ctx<E>, nb: &mut N, c: u32) {
        let consumer = &mut self.consumers[c as usize];
        consumer.starting = false;
        if consumer.alive {
            return;
        }
        consumer.alive = true;
        let q = consumer.queue;
        self.queues[q as usize].consumers_changed_at = Some(cx.now());
        cx.record(LifeKind::ConsumerStarted, 0, c, 0);
        let g = self.consumers[c as usize].group;
        let running = self.consumers.iter().filter(|m| m.group == g && m.alive).count() as u32;
        if let Some(scaler) = self.groups[g as usize].autoscale.as_mut() {
            scaler.peak_running = scaler.peak_running.max(running);
        }
        self.return_credit(cx, c);
        self.dispatch(cx, nb, self.consumers[c as usize].queue);
    }

    /// The instance stops taking deliveries and leaves once it has finished
    /// (and acked) what it holds.
    pub(crate) fn retire_consumer<E: From<Event>>(&mut self, cx: &mut Ctx<E>, c: u32) {
        let consumer = &mut self.consumers[c as usize];
        consumer.retiring = true;
        let q = consumer.queue;
        if std::mem::take(&mut consumer.in_ready) {
            self.queues[q as usize].ready_consumers.retain(|&r| r != c);
        }
        self.finish_retiring(cx, c);
    }

    /// A retiring instance with nothing left to do stops.
    #[inline(never)]
    pub(crate) fn finish_retiring<E: From<Event>>(&mut self, cx: &mut Ctx<E>, c: u32) {
        let consumer = &mut self.consumers[c as usize];
        if consumer.retiring && consumer.held.is_empty() && !consumer.busy {
            consumer.retiring = false;
            consumer.alive = false;
            let q = consumer.queue;
            self.queues[q as usize].consumers_changed_at = Some(cx.now());
            cx.record(LifeKind::ConsumerStopped, 0, c, 0);
        }
    }
}

