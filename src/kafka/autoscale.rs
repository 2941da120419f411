//! Autoscaling a consumer group on its lag (seed 002 §3.2), for topics: the
//! same thresholds, cooldown and start-up delay as for queues, with Kafka's
//! ceiling — a group never runs more members than its topic has
//! partitions, because a member beyond that would sit idle. Wanting more and
//! being refused by that ceiling is counted, so a learner sees why adding
//! partitions is the remedy.
//!
//! The group's `count` members exist from the start; `kafka.initial_members`
//! of them run, and the autoscaler starts and stops the others.

use super::Event;
use super::World;
use crate::context::Ctx;
use crate::message::Meta;
use crate::scenario::autoscale::AutoscaleSpec;
use crate::time::SimTime;

/// A topic group's autoscaler.
#[derive(Clone, Debug)]
pub struct GroupScaler {
    pub spec: AutoscaleSpec,
    /// The members that run at the start: the group never shrinks below them.
    pub min: u32,
    last_action: Option<SimTime>,
    /// A member is starting up.
    pending: bool,
    pub scaled_up: u64,
    pub scaled_down: u64,
    /// The most members that ran at once.
    pub peak_running: u32,
    /// Checks that wanted another member but found one per partition already.
    pub capped_by_partitions: u64,
}

impl GroupScaler {
    pub fn new(spec: AutoscaleSpec, min: u32) -> GroupScaler {
        GroupScaler { spec, min, last_action: None, pending: false, scaled_up: 0, scaled_down: 0, peak_running: min, capped_by_partitions: 0 }
    }
}

impl World {
    /// Schedules every topic group autoscaler's first check.
    pub(crate) fn start_group_scalers<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>) {
        for g in 0..self.groups.len() {
            if let Some(scaler) = &self.groups[g].autoscale {
                let every = scaler.spec.check_every.0;
                cx.sched.at(every, E::from(Event::Autoscale { group: g as u32 }));
            }
        }
    }

    /// One check: compare the group's lag with the thresholds.
    pub(crate) fn group_autoscale_check<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, g: u32) {
        let now = cx.now();
        let lag = self.group_lag(g);
        let group = &self.groups[g as usize];
        let Some(scaler) = &group.autoscale else { return };
        let (spec, min, pending) = (scaler.spec, scaler.min, scaler.pending);
        let cooled = scaler.last_action.is_none_or(|t| now >= t.saturating_add(spec.cooldown.0));
        let partitions = self.topics[group.topic as usize].partitions.len() as u32;
        let members = group.members.clone();
        let running: Vec<u32> =
            members.iter().copied().filter(|&m| self.members[m as usize].running && !self.members[m as usize].leaving).collect();
        let count = running.len() as u32 + u32::from(pending);
        let scaler = self.groups[g as usize].autoscale.as_mut().expect("checked above");
        if cooled && lag > spec.scale_up_above && count < spec.max {
            if count >= partitions {
                scaler.capped_by_partitions += 1;
            } else if let Some(&m) = members.iter().find(|&&m| !self.members[m as usize].running) {
                scaler.pending = true;
                scaler.last_action = Some(now);
                scaler.scaled_up += 1;
                cx.sched.after(spec.startup.0, E::from(Event::ScaledMemberStarts { member: m }));
            }
        } else if cooled && lag < spec.scale_down_below && count > min && !pending {
            if let Some(&m) = running.last() {
                scaler.last_action = Some(now);
                scaler.scaled_down += 1;
                self.leave_member(cx, m);
            }
        }
        if now.saturating_add(spec.check_every.0) <= cx.end() {
            cx.sched.after(spec.check_every.0, E::from(Event::Autoscale { group: g }));
        }
    }

    /// A member the autoscaler added has started and joins its group.
    pub(crate) fn scaled_member_starts<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let g = self.members[m as usize].group;
        if let Some(scaler) = self.groups[g as usize].autoscale.as_mut() {
            scaler.pending = false;
        }
        self.join_member(cx, m);
        let running = self.groups[g as usize].members.iter().filter(|&&m| self.members[m as usize].running).count() as u32;
        if let Some(scaler) = self.groups[g as usize].autoscale.as_mut() {
            scaler.peak_running = scaler.peak_running.max(running);
        }
    }
}
