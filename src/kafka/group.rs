//! Consumer groups: membership, the group coordinator's session timeouts,
//! and rebalancing — eager (range, round-robin, sticky) or incremental
//! cooperative (cooperative-sticky, KIP-429).
//!
//! The protocol, as mqsim runs it:
//!
//! - A rebalance starts when a member joins, leaves, or its session expires
//!   (or the topic gains partitions). Every member must rejoin; a member
//!   rejoins at its next `poll()`, that is once it has processed the batch
//!   the previous poll returned, so one slow member holds up the group. A
//!   crashed member never rejoins: the rebalance waits until the
//!   coordinator's session for it expires.
//! - Eager: a member revokes all its partitions when it rejoins (committing
//!   their offsets first), so from then on until the assignment arrives the
//!   group consumes nothing: the stop-the-world pause.
//! - Cooperative: members keep consuming while they rejoin. The assignment
//!   gives each member only partitions nobody else owns; a member told that
//!   a partition it owns now belongs to someone else revokes it (commits,
//!   stops) at its next poll and rejoins, and a second round hands the
//!   revoked partitions to their new owners. Only partitions that move stop.
//! - Once every member has joined, the assignment arrives `rebalance_delay`
//!   later (the JoinGroup and SyncGroup round trips).
//!
//! Simplifications: members learn of a rebalance at once (Kafka tells them
//! in the next heartbeat response); a member that restarts before its old
//! session expired replaces it at once; the group's first rebalance does not
//! wait for `group.initial.rebalance.delay.ms`.

use super::assignor;
use super::ordering::KeyOrder;
use super::{Event, World};
use crate::context::Ctx;
use crate::message::Meta;
use crate::kernel::Dist;
use crate::message::Slot;
use crate::observe::{LifeKind, WaitStats};
use crate::scenario::{AssignorKind, ConsumerKafka, Scenario, ScenarioError};

/// Where a group's rebalance is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Stable,
    /// Waiting for every member to rejoin.
    Joining,
    /// Every member joined; the assignment is on its way.
    Syncing,
}

/// What a group did, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct GroupStats {
    /// Copies processed for the first time.
    pub processed: u64,
    /// Records processed again (their side effect ran twice).
    pub duplicates: u64,
    /// Copies this group will never process: committed past but not
    /// processed before a crash (at-most-once), or truncated away.
    pub lost: u64,
    /// Copies skipped by an offset reset to the latest offset. Written
    /// `skipped_by_reset` in JSON: the group summary, which flattens these
    /// stats, has its own `skipped` (non-critical records acked without
    /// processing), and one object cannot have the key twice.
    #[serde(rename = "skipped_by_reset")]
    pub skipped: u64,
    /// Records processed after a later record with the same key.
    pub out_of_order: u64,
    /// Processing attempts that failed and were retried.
    pub failures: u64,
    /// Fetches of a copy the group had fetched before: a member crashed
    /// holding it and it went back to the log (the journal flags each
    /// `Fetched` event as `redelivered`). The summary's `redeliveries`
    /// counts the queue family's only.
    pub redelivered: u64,
    pub rebalances: u64,
}

/// A consumer group reading one topic.
pub struct Group {
    /// The group id (the consumer's name in the scenario).
    pub name: String,
    pub topic: u32,
    pub settings: ConsumerKafka,
    pub service: Dist,
    pub failure_probability: f64,
    /// In a backlog emergency the group acks non-critical records without
    /// processing them (seed 001: 跳过非关键消息).
    pub skip_non_critical: bool,
    pub skipped: u64,
    /// Starts and stops members on the group's lag, if configured.
    pub autoscale: Option<super::autoscale::GroupScaler>,
    /// Member indices (`World::members`), in instance order.
    pub members: Vec<u32>,
    /// Group-partition indices (`World::gps`), in partition order.
    pub gps: Vec<u32>,
    pub generation: u32,
    pub phase: Phase,
    pub order: KeyOrder,
    pub stats: GroupStats,
    /// The group's copies waiting for a worker — stored in the log, or
    /// fetched into a member's batch and not yet started — and their waits:
    /// the group's waiting line, measured for the queueing-theory overlay.
    pub waiting: usize,
    pub wait: WaitStats,
    /// Service times sampled for the group's records (failed attempts
    /// included: they occupy a worker too), for the overlay's μ.
    pub services: u64,
    pub busy_ns: u128,
    /// Bumped when the commit mode changes, so that auto-commit timers set
    /// under the old mode are recognised as stale.
    pub(crate) commit_serial: u32,
}

/// One record a member fetched.
#[derive(Clone, Copy, Debug)]
pub struct Held {
    pub gp: u32,
    pub offset: u64,
    /// The group's copy, or `NO_COPY` when this is a second processing.
    pub slot: Slot,
    pub msg: u64,
    pub key: u32,
    pub keyed: bool,
    pub poison: bool,
    pub non_critical: bool,
    pub running: bool,
    pub done: bool,
}

/// One member (consumer instance) of a group.
pub struct Member {
    pub group: u32,
    pub instance: u32,
    /// The process is up.
    pub running: bool,
    /// The coordinator counts it as a member (a crashed member stays until
    /// its session expires).
    pub in_group: bool,
    /// It has rejoined the rebalance in progress.
    pub joined: bool,
    /// Bumped at every crash or leave, so that events scheduled before are stale.
    pub epoch: u32,
    /// The partitions it owns (group-partition indices, in partition order).
    pub owned: Vec<u32>,
    /// Owned partitions the last assignment gave to someone else
    /// (cooperative): revoked at the next poll.
    pub revoke: Vec<u32>,
    /// The records the last poll returned.
    pub batch: Vec<Held>,
    pub(crate) busy: u32,
    pub(crate) done: u32,
    /// Every record of the batch before this index is running or done.
    pub(crate) started: usize,
    /// It polled and found nothing; it polls again when records arrive.
    pub waiting: bool,
    pub(crate) poll_pending: bool,
    pub paused: bool,
    /// Service times are multiplied by this (a `slow_consumer` fault).
    pub slow: f64,
    /// It is shutting down gracefully.
    pub leaving: bool,
    pub(crate) cursor: usize,
    pub processed: u64,
    pub duplicates: u64,
}

impl Member {
    /// A member that has not started: it joins when a fault, the
    /// autoscaler or the page starts it.
    pub(crate) fn new(group: u32, instance: u32) -> Member {
        Member {
            group,
            instance,
            running: false,
            in_group: false,
            joined: false,
            epoch: 0,
            owned: Vec::new(),
            revoke: Vec::new(),
            batch: Vec::new(),
            busy: 0,
            done: 0,
            started: 0,
            waiting: false,
            poll_pending: false,
            paused: false,
            slow: 1.0,
            leaving: false,
            cursor: 0,
            processed: 0,
            duplicates: 0,
        }
    }
}

impl Group {
    pub(crate) fn build_all(scenario: &Scenario, members: &mut Vec<Member>) -> Result<Vec<Group>, ScenarioError> {
        let mut groups = Vec::new();
        for (i, spec) in scenario.consumers.iter().enumerate() {
            let Some(topic) = &spec.topic else { continue };
            let t = scenario.topic_index(topic, &format!("consumers[{i}].topic"))?;
            let g = groups.len() as u32;
            let first = members.len() as u32;
            members.extend((0..spec.count).map(|instance| Member::new(g, instance)));
            groups.push(Group {
                name: spec.name.clone(),
                topic: t,
                settings: spec.kafka.clone().unwrap_or_default(),
                service: spec.service.clone(),
                failure_probability: spec.failure_probability,
                skip_non_critical: false,
                skipped: 0,
                autoscale: spec.autoscale.map(|a| {
                    let initial = spec.kafka.as_ref().and_then(|k| k.initial_members).unwrap_or(spec.count);
                    super::autoscale::GroupScaler::new(a, initial)
                }),
                members: (first..first + spec.count).collect(),
                gps: Vec::new(),
                generation: 0,
                phase: Phase::Stable,
                order: KeyOrder::default(),
                stats: GroupStats::default(),
                waiting: 0,
                wait: WaitStats::default(),
                services: 0,
                busy_ns: 0,
                commit_serial: 0,
            });
        }
        Ok(groups)
    }

    /// Incremental cooperative rebalancing (KIP-429) or eager.
    pub fn cooperative(&self) -> bool {
        self.settings.assignor == AssignorKind::CooperativeSticky
    }
}

impl World {
    /// Partitions of group `g` owned by a running, unpaused member (being consumed).
    pub fn active_partitions(&self, g: u32) -> u32 {
        self.groups[g as usize]
            .gps
            .iter()
            .filter(|&&gp| {
                self.gps[gp as usize].owner.is_some_and(|m| {
                    let m = &self.members[m as usize];
                    m.running && !m.paused
                })
            })
            .count() as u32
    }

    /// Members of group `g` that are in the group but own no partition.
    pub fn idle_members(&self, g: u32) -> u32 {
        let group = &self.groups[g as usize];
        if group.phase != Phase::Stable {
            return 0;
        }
        group.members.iter().filter(|&&m| self.members[m as usize].running && self.members[m as usize].in_group && self.members[m as usize].owned.is_empty()).count()
            as u32
    }
}

impl World {
    /// A group's copy joins the group's waiting line (see `Group::waiting`):
    /// appended, or handed back to the log after a worker had started it.
    pub(crate) fn wait_enter<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, gp: u32, slot: Slot) {
        let Some(g) = self.gps[gp as usize].group else { return };
        let now = cx.now();
        cx.store.get_mut(slot).ready_since = now;
        let group = &mut self.groups[g as usize];
        group.wait.enter(now, group.waiting);
        group.waiting += 1;
    }

    /// A group's copy leaves the group's waiting line: a worker starts it, or
    /// it is deleted by retention, truncated, skipped by an offset reset,
    /// taken back by its producer, or lost from a crashed member's batch.
    pub(crate) fn wait_leave<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, gp: u32, slot: Slot) {
        let Some(g) = self.gps[gp as usize].group else { return };
        let now = cx.now();
        let since = cx.store.get(slot).ready_since;
        let group = &mut self.groups[g as usize];
        group.wait.leave(now, group.waiting, since);
        group.waiting -= 1;
    }
}

impl World {
    /// The initial members join at the start of the run.
    pub(crate) fn start_group<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, g: u32) {
        let group = &self.groups[g as usize];
        let initial = group.settings.initial_members.unwrap_or(group.members.len() as u32) as usize;
        for m in group.members.clone().into_iter().take(initial) {
            let member = &mut self.members[m as usize];
            member.running = true;
            member.in_group = true;
            self.schedule_auto_commit(cx, m);
        }
        if initial > 0 {
            self.start_rebalance(cx, g);
        }
    }

    /// A rebalance begins: every member must rejoin. Members not busy with a
    /// batch rejoin at once; the others when their batch is done.
    pub(crate) fn start_rebalance<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, g: u32) {
        let group = &mut self.groups[g as usize];
        group.generation = group.generation.wrapping_add(1);
        group.phase = Phase::Joining;
        group.stats.rebalances += 1;
        let generation = group.generation;
        let members = group.members.clone();
        cx.record(LifeKind::RebalanceStarted, 0, g, generation);
        for &m in &members {
            self.members[m as usize].joined = false;
        }
        for &m in &members {
            let member = &self.members[m as usize];
            if member.in_group && member.running && member.batch.is_empty() && !member.leaving {
                self.join(cx, m);
            }
        }
        self.check_joined(cx, g);
    }

    /// Member `m` rejoins the rebalance in progress. With the eager protocol
    /// it first revokes every partition, committing their offsets as Kafka's
    /// consumer does before it rejoins.
    pub(crate) fn join<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let member = &mut self.members[m as usize];
        if member.joined {
            return;
        }
        member.joined = true;
        let g = member.group;
        if !self.groups[g as usize].cooperative() {
            let owned = std::mem::take(&mut self.members[m as usize].owned);
            self.commit_positions(cx, &owned);
            for gp in owned {
                self.release(cx, gp);
            }
        }
        self.check_joined(cx, g);
    }

    /// Once every member the coordinator knows has rejoined, the assignment
    /// is computed and arrives after the group's rebalance delay.
    fn check_joined<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, g: u32) {
        let group = &self.groups[g as usize];
        if group.phase != Phase::Joining {
            return;
        }
        let members = &self.members;
        if group.members.iter().any(|&m| members[m as usize].in_group && !members[m as usize].joined) {
            return;
        }
        let generation = group.generation;
        let delay = group.settings.rebalance_delay.0;
        self.groups[g as usize].phase = Phase::Syncing;
        self.kafka_after(cx, delay, Event::Sync { group: g, generation });
    }

    /// The assignment arrives (SyncGroup). Eager: every partition goes to its
    /// new owner. Cooperative: partitions still owned by someone else are
    /// revoked first and handed over in the next round.
    pub(crate) fn sync_group<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, g: u32, generation: u32) {
        let group = &self.groups[g as usize];
        if group.generation != generation || group.phase != Phase::Syncing {
            return;
        }
        let members: Vec<u32> = group.members.iter().copied().filter(|&m| self.members[m as usize].in_group).collect();
        let gps = group.gps.clone();
        let cooperative = group.cooperative();
        // What each member owned: for the cooperative assignor, the
        // partitions it owns now (`Subscription.ownedPartitions`); for the
        // eager sticky one, its previous assignment (StickyAssignor's user
        // data), which it revoked when it rejoined.
        let previous: Vec<Option<usize>> = gps
            .iter()
            .map(|&gp| {
                let gp = &self.gps[gp as usize];
                let owner = if cooperative { gp.owner } else { gp.owner.or(gp.last_owner) };
                owner.and_then(|o| members.iter().position(|&m| m == o))
            })
            .collect();
        let target = assignor::assign(group.settings.assignor, gps.len() as u32, members.len(), &previous);
        self.groups[g as usize].phase = Phase::Stable;
        cx.record(LifeKind::RebalanceCompleted, 0, g, generation);
        for (p, &gp) in gps.iter().enumerate() {
            let Some(&new) = target.get(p) else { continue };
            let new = new.map(|i| members[i]);
            match (self.gps[gp as usize].owner, new) {
                (Some(old), Some(new)) if old == new => {}
                // Held back by the cooperative assignor: the owner revokes it
                // at its next poll, and the follow-up round hands it over.
                (Some(old), None) => {
                    let revoke = &mut self.members[old as usize].revoke;
                    if !revoke.contains(&gp) {
                        revoke.push(gp);
                    }
                }
                (Some(_), Some(new)) => {
                    self.release(cx, gp);
                    self.assign(cx, gp, new);
                }
                (None, Some(new)) => self.assign(cx, gp, new),
                (None, None) => {}
            }
        }
        for m in members {
            let member = &self.members[m as usize];
            if member.running && member.batch.is_empty() {
                self.schedule_poll(cx, m);
            }
        }
    }

    /// Partition `gp` goes to member `m`, which starts at the committed
    /// offset (or the group's offset reset policy).
    fn assign<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, gp: u32, m: u32) {
        let now = cx.now();
        let g = &mut self.gps[gp as usize];
        if let Some(since) = g.unowned_since.take() {
            g.unowned_ns += now - since;
        }
        g.owner = Some(m);
        g.last_owner = Some(m);
        let start = g.committed;
        let member = &mut self.members[m as usize];
        let at = member.owned.partition_point(|&o| o < gp);
        member.owned.insert(at, gp);
        self.seek(cx, gp, start);
    }

    /// Nobody owns partition `gp` any more.
    pub(crate) fn release<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, gp: u32) {
        let now = cx.now();
        let g = &mut self.gps[gp as usize];
        let Some(owner) = g.owner.take() else { return };
        g.unowned_since = Some(now);
        let member = &mut self.members[owner as usize];
        member.owned.retain(|&o| o != gp);
        member.revoke.retain(|&o| o != gp);
    }

    /// Sets each partition's committed offset to its owner's position.
    pub(crate) fn commit_positions<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, gps: &[u32]) {
        for &gp in gps {
            let g = &mut self.gps[gp as usize];
            g.committed = Some(g.position);
            if let (true, Some(group)) = (cx.history.enabled(), g.group) {
                let (partition, offset) = (g.partition, g.position);
                let mode = self.groups[group as usize].settings.commit;
                cx.note(crate::observe::Fact::Committed { group, partition, offset, mode });
            }
        }
    }

    /// The coordinator has heard nothing from a crashed member for its
    /// session timeout: it leaves the group and the group rebalances.
    pub(crate) fn session_expire<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32, epoch: u32) {
        let member = &self.members[m as usize];
        if member.epoch != epoch || member.running || !member.in_group {
            return;
        }
        let g = member.group;
        self.remove_member(cx, m);
        cx.record(LifeKind::SessionExpired, 0, m, g);
        self.start_rebalance(cx, g);
    }

    /// The member is no longer in the group; its partitions are released.
    fn remove_member<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let member = &mut self.members[m as usize];
        member.in_group = false;
        member.joined = false;
        let owned = std::mem::take(&mut member.owned);
        member.revoke.clear();
        for gp in owned {
            self.gps[gp as usize].owner = Some(m);
            self.release(cx, gp);
        }
    }

    /// A member starts (a `join_group` or `restart_consumer` fault, or the
    /// page): it joins the group, which rebalances. A member that crashed
    /// and comes back before its session expired replaces its old session.
    pub(crate) fn join_member<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let Some(member) = self.members.get(m as usize) else { return };
        if member.running {
            return;
        }
        let g = member.group;
        if member.in_group {
            self.remove_member(cx, m);
        }
        // A starting consumer is a new process: the eager sticky assignor's
        // memory of its previous assignment (StickyAssignor's user data) is
        // gone, so it claims nothing it owned before.
        for gp in self.groups[g as usize].gps.clone() {
            let gp = &mut self.gps[gp as usize];
            if gp.last_owner == Some(m) {
                gp.last_owner = None;
            }
        }
        let member = &mut self.members[m as usize];
        member.running = true;
        member.in_group = true;
        member.leaving = false;
        member.epoch = member.epoch.wrapping_add(1);
        cx.record(LifeKind::MemberJoined, 0, m, g);
        self.schedule_auto_commit(cx, m);
        self.start_rebalance(cx, g);
    }

    /// A member shuts down gracefully (a `leave_group` fault, or the page):
    /// it finishes its batch, commits, and leaves the group (LeaveGroup),
    /// which rebalances at once.
    pub(crate) fn leave_member<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let Some(member) = self.members.get_mut(m as usize) else { return };
        if !member.running || !member.in_group || member.leaving {
            return;
        }
        member.leaving = true;
        if member.batch.is_empty() {
            self.poll(cx, m);
        }
    }

    /// The last step of a graceful leave, at the member's poll.
    pub(crate) fn finish_leave<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let owned = self.members[m as usize].owned.clone();
        self.commit_positions(cx, &owned);
        let g = self.members[m as usize].group;
        self.remove_member(cx, m);
        let member = &mut self.members[m as usize];
        member.running = false;
        member.leaving = false;
        member.waiting = false;
        member.epoch = member.epoch.wrapping_add(1);
        cx.record(LifeKind::MemberLeft, 0, m, g);
        self.start_rebalance(cx, g);
    }
}
