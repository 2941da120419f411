//! Consumers: the poll loop, processing, commits, and what a crash does.
//!
//! A member runs Kafka's classic loop: `poll()` returns up to
//! `max.poll.records` records from its partitions (those below the high
//! watermark, from its position on); it processes them — `concurrency` at a
//! time, each for a service time drawn from its distribution — and polls
//! again once all are done. A failed attempt (`failure_probability`, or a
//! poison record) is retried in place, holding up the batch, as a consumer
//! that must not skip a record does.
//!
//! Commit modes: `after_processing` commits the positions when a batch is
//! done (at-least-once: a crash repeats the unfinished batch's processed
//! records); `before_processing` commits right after the poll (at-most-once:
//! a crash loses the batch's unprocessed records); `auto` commits the
//! positions every `auto_commit_interval` on a timer, whatever has been
//! processed — as librdkafka's auto-commit commits "the offset of the last
//! message handed to the application" — so a crash repeats what was
//! processed since the last commit, and loses what was committed but not yet
//! processed: duplicates or loss depending on timing. (The Java consumer
//! commits inside `poll()`, which in this synchronous loop never commits an
//! unprocessed record.)

use super::group::Held;
use super::{Event, NO_COPY};
use super::World;
use crate::context::Ctx;
use crate::message::Meta;
use crate::ledger::MsgState;
use crate::observe::{Fact, LifeKind};
use crate::scenario::{CommitMode, OffsetReset, ProcessingOrder};

impl World {
    /// Sets partition `gp`'s position for its owner: `start` if it is within
    /// the log, otherwise where `auto_offset_reset` says. Moving to the latest
    /// offset skips the copies before it (dropped: the group will never see them).
    pub(crate) fn seek<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, gp: u32, start: Option<u64>) {
        let g = &self.gps[gp as usize];
        let p = &self.partitions[g.partition as usize];
        let (log_start, leo, hw) = (p.log_start, p.leo(), p.hw);
        let (part, group) = (g.partition, g.group);
        let position = match start {
            Some(offset) if offset >= log_start && offset <= leo => offset,
            _ => {
                let reset = group.map(|g| self.groups[g as usize].settings.auto_offset_reset);
                let position = match reset {
                    Some(OffsetReset::Latest) => hw,
                    _ => log_start,
                };
                if let Some(group) = group {
                    cx.note(Fact::PositionReset { group, partition: part, offset: position });
                }
                position
            }
        };
        let g = &self.gps[gp as usize];
        let from = g.owed_base;
        for offset in from..position {
            let slot = self.gps[gp as usize].copy_at(offset);
            if slot != NO_COPY && cx.store.get(slot).state == MsgState::Stored {
                self.wait_leave(cx, gp, slot);
                cx.set_state(slot, MsgState::Dropped, LifeKind::OffsetReset, part);
                self.gps[gp as usize].settle(offset);
                if let Some(group) = self.gps[gp as usize].group {
                    self.groups[group as usize].stats.skipped += 1;
                }
            }
        }
        self.gps[gp as usize].position = position;
    }

    pub(crate) fn poll_event<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32, epoch: u32) {
        let member = &mut self.members[m as usize];
        if member.epoch != epoch {
            return;
        }
        member.poll_pending = false;
        self.poll(cx, m);
    }

    /// Member `m` polls soon (in this instant, after the current event).
    pub(crate) fn schedule_poll<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let member = &mut self.members[m as usize];
        if member.poll_pending || !member.running {
            return;
        }
        member.poll_pending = true;
        let epoch = member.epoch;
        self.kafka_after(cx, 0, Event::Poll { member: m, epoch });
    }

    /// Members waiting for records of partition `part` poll again.
    pub(crate) fn wake_consumers<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, part: u32) {
        for i in 0..self.partitions[part as usize].gps.len() {
            let gp = self.partitions[part as usize].gps[i];
            if let Some(m) = self.gps[gp as usize].owner {
                let member = &self.members[m as usize];
                if member.waiting && member.running {
                    self.schedule_poll(cx, m);
                }
            }
        }
    }

    /// `poll()`: the member's batch is done (or it had none). In order, it
    /// revokes partitions a cooperative rebalance moved away, finishes a
    /// graceful leave, rejoins a rebalance in progress, and fetches its next
    /// batch.
    pub(crate) fn poll<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let member = &self.members[m as usize];
        if !member.running || !member.batch.is_empty() {
            return;
        }
        let g = member.group;
        if !member.revoke.is_empty() {
            let revoked = std::mem::take(&mut self.members[m as usize].revoke);
            self.commit_positions(cx, &revoked);
            for &gp in &revoked {
                self.release(cx, gp);
            }
            cx.record(LifeKind::PartitionsRevoked, 0, m, revoked.len() as u32);
            // KIP-429: having given the partitions up, the member rejoins so
            // that a second round hands them to their new owners.
            self.start_rebalance(cx, g);
        }
        if self.members[m as usize].leaving {
            self.finish_leave(cx, m);
            return;
        }
        let member = &self.members[m as usize];
        if self.groups[g as usize].phase == super::group::Phase::Joining && member.in_group && !member.joined {
            self.join(cx, m);
        }
        if self.members[m as usize].paused {
            self.members[m as usize].waiting = false;
            return;
        }
        self.fetch(cx, m);
        let member = &mut self.members[m as usize];
        if member.batch.is_empty() {
            member.waiting = true;
            return;
        }
        member.waiting = false;
        if self.groups[g as usize].settings.commit == CommitMode::BeforeProcessing {
            let owned = self.members[m as usize].owned.clone();
            self.commit_positions(cx, &owned);
        }
        self.start_workers(cx, m);
    }

    /// Takes up to `max_poll_records` records below the high watermark from
    /// the member's partitions, partition by partition, starting after the
    /// one it took from last.
    fn fetch<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let member = &self.members[m as usize];
        let g = member.group;
        let owned = member.owned.clone();
        if owned.is_empty() {
            return;
        }
        let mut room = self.groups[g as usize].settings.max_poll_records as usize;
        let start = member.cursor % owned.len();
        for k in 0..owned.len() {
            let i = (start + k) % owned.len();
            let gp = owned[i];
            let part = self.gps[gp as usize].partition;
            let p = &self.partitions[part as usize];
            let Some(leader) = p.leader_broker() else { continue };
            if !self.brokers[leader as usize].alive {
                continue;
            }
            let position = self.gps[gp as usize].position;
            if position < p.log_start || position > p.leo() {
                // OFFSET_OUT_OF_RANGE: the consumer resets its position.
                self.seek(cx, gp, None);
            }
            while room > 0 {
                let g_part = &self.gps[gp as usize];
                let p = &self.partitions[part as usize];
                let position = g_part.position;
                if position >= p.hw {
                    break;
                }
                let Some(entry) = p.entry(position).copied() else { break };
                let mut slot = g_part.copy_at(position);
                if slot != NO_COPY && cx.store.get(slot).state == MsgState::Stored {
                    // The group's copy counts its fetches as a queue's message
                    // counts deliveries: a second one is a redelivery (after
                    // its member crashed), which the journal flags.
                    let copy = cx.store.get_mut(slot);
                    copy.deliveries += 1;
                    if copy.deliveries > 1 {
                        self.groups[g as usize].stats.redelivered += 1;
                    }
                    cx.set_state(slot, MsgState::InFlight, LifeKind::Fetched, m);
                } else {
                    slot = NO_COPY;
                }
                self.members[m as usize].batch.push(Held {
                    gp,
                    offset: position,
                    slot,
                    msg: entry.msg,
                    key: entry.key,
                    keyed: entry.keyed,
                    poison: entry.poison,
                    non_critical: entry.non_critical,
                    running: false,
                    done: false,
                });
                self.gps[gp as usize].position += 1;
                room -= 1;
            }
            if room == 0 {
                self.members[m as usize].cursor = i + 1;
                return;
            }
        }
    }

    /// Starts processing records of the batch while fewer than
    /// `concurrency` are running, in batch order, skipping records the
    /// group's `ordering` forbids running beside those already running.
    fn start_workers<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let member = &self.members[m as usize];
        let group = &self.groups[member.group as usize];
        let (concurrency, ordering) = (group.settings.concurrency, group.settings.ordering);
        while self.members[m as usize].busy < concurrency {
            let member = &self.members[m as usize];
            let blocked = |h: &Held| match ordering {
                ProcessingOrder::Unordered => false,
                ProcessingOrder::Key => h.keyed && member.batch.iter().any(|o| o.running && o.keyed && o.key == h.key),
                ProcessingOrder::Partition => member.batch.iter().any(|o| o.running && o.gp == h.gp),
            };
            // Records before `started` are all running or done, so the search
            // starts there: a batch costs linear time, not quadratic.
            let from = member.started;
            let Some(i) = member.batch[from..].iter().position(|h| !h.running && !h.done && !blocked(h)).map(|i| i + from) else {
                return;
            };
            let member = &mut self.members[m as usize];
            member.batch[i].running = true;
            member.busy += 1;
            let held = member.batch[i];
            if held.slot != NO_COPY {
                self.wait_leave(cx, held.gp, held.slot);
            }
            let member = &mut self.members[m as usize];
            while member.batch.get(member.started).is_some_and(|h| h.running || h.done) {
                member.started += 1;
            }
            self.schedule_service(cx, m, i as u32);
        }
    }

    fn schedule_service<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32, i: u32) {
        let member = &self.members[m as usize];
        let (epoch, slow) = (member.epoch, member.slow);
        let group = &mut self.groups[member.group as usize];
        if group.skip_non_critical && member.batch[i as usize].non_critical {
            // Skipped: acknowledged at once, the work not done.
            group.skipped += 1;
            self.kafka_after(cx, 0, Event::ServiceDone { member: m, index: i, epoch });
            return;
        }
        let mut duration = group.service.sample(&mut cx.rng);
        if slow != 1.0 {
            duration = libm::round(duration as f64 * slow) as u64;
        }
        group.services += 1;
        group.busy_ns += u128::from(duration);
        self.kafka_after(cx, duration, Event::ServiceDone { member: m, index: i, epoch });
    }

    /// A member finishes processing record `i` of its batch. A failure is
    /// retried in place. A success processes the group's copy (or, if the
    /// group had processed this record before, counts a duplicate), checks
    /// the key's order, and when the batch is done commits (after-processing
    /// mode) and polls again.
    pub(crate) fn kafka_service_done<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32, i: u32, epoch: u32) {
        let member = &self.members[m as usize];
        if member.epoch != epoch || !member.running {
            return;
        }
        let Some(&held) = member.batch.get(i as usize) else { return };
        if !held.running {
            return;
        }
        let g = member.group;
        let p = self.groups[g as usize].failure_probability;
        if held.poison || cx.rng.chance(p) {
            self.groups[g as usize].stats.failures += 1;
            cx.record(LifeKind::ProcessingFailed, held.msg, m, held.key);
            self.schedule_service(cx, m, i);
            return;
        }
        let member = &mut self.members[m as usize];
        member.batch[i as usize].running = false;
        member.batch[i as usize].done = true;
        member.busy -= 1;
        member.done += 1;
        if cx.history.enabled() {
            let partition = self.gps[held.gp as usize].partition;
            let again = held.slot == NO_COPY;
            cx.note(Fact::Processed { group: g, partition, offset: held.offset, msg: held.msg, member: m, again });
        }
        if held.slot != NO_COPY {
            let born = cx.store.get(held.slot).born;
            cx.set_state(held.slot, MsgState::Processed, LifeKind::Processed, m);
            cx.latency.record(cx.now() - born);
            cx.stats.interval_processed += 1;
            self.members[m as usize].processed += 1;
            self.groups[g as usize].stats.processed += 1;
            let gp = &mut self.gps[held.gp as usize];
            if gp.owes(held.offset, held.slot) {
                gp.settle(held.offset);
            }
            if held.keyed && self.groups[g as usize].order.observe(held.key, held.msg) {
                self.groups[g as usize].stats.out_of_order += 1;
                cx.stats.out_of_order += 1;
                cx.record(LifeKind::OutOfOrder, held.msg, m, held.key);
            }
        } else {
            self.groups[g as usize].stats.duplicates += 1;
            self.members[m as usize].duplicates += 1;
            cx.stats.duplicates += 1;
            cx.record(LifeKind::ProcessedAgain, held.msg, m, held.key);
        }
        let member = &self.members[m as usize];
        if (member.done as usize) < member.batch.len() {
            self.start_workers(cx, m);
            return;
        }
        if self.groups[g as usize].settings.commit == CommitMode::AfterProcessing {
            let owned = self.members[m as usize].owned.clone();
            self.commit_positions(cx, &owned);
        }
        let member = &mut self.members[m as usize];
        member.batch.clear();
        member.done = 0;
        member.started = 0;
        self.poll(cx, m);
    }

    /// The auto-commit timer: commit the positions, processed or not.
    pub(crate) fn auto_commit<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32, epoch: u32, serial: u32) {
        let member = &self.members[m as usize];
        if member.epoch != epoch || !member.running || self.groups[member.group as usize].commit_serial != serial {
            return;
        }
        let owned = member.owned.clone();
        self.commit_positions(cx, &owned);
        self.schedule_auto_commit(cx, m);
    }

    pub(crate) fn schedule_auto_commit<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let member = &self.members[m as usize];
        let group = &self.groups[member.group as usize];
        if group.settings.commit == CommitMode::Auto {
            let (every, epoch, serial) = (group.settings.auto_commit_interval.0, member.epoch, group.commit_serial);
            self.kafka_after(cx, every, Event::AutoCommit { member: m, epoch, serial });
        }
    }

    /// A member crashes mid-batch (the `crash_consumer` fault, or the page).
    /// Each record it held and had not finished goes back to the log for
    /// its group to fetch again — unless the group already committed past
    /// it, in which case nobody ever will: lost. What it processed but had
    /// not committed will be processed again by the partition's next owner:
    /// duplicates. The coordinator notices after the session timeout.
    pub(crate) fn crash_member<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32) {
        let Some(member) = self.members.get_mut(m as usize) else { return };
        if !member.running {
            return;
        }
        member.running = false;
        member.epoch = member.epoch.wrapping_add(1);
        member.waiting = false;
        member.poll_pending = false;
        member.leaving = false;
        member.busy = 0;
        member.done = 0;
        member.started = 0;
        let (g, epoch, in_group) = (member.group, member.epoch, member.in_group);
        let batch = std::mem::take(&mut member.batch);
        cx.record(LifeKind::MemberCrashed, 0, m, g);
        for held in batch.iter().filter(|h| !h.done && h.slot != NO_COPY) {
            let part = self.gps[held.gp as usize].partition;
            let gp = &self.gps[held.gp as usize];
            let committed_past = gp.committed.is_some_and(|c| c > held.offset);
            let owed = gp.owes(held.offset, held.slot);
            if owed && !committed_past {
                cx.set_state(held.slot, MsgState::Stored, LifeKind::ReturnedToLog, part);
                // A record a worker had started rejoins the line; one still
                // waiting in the batch never left it.
                if held.running {
                    self.wait_enter(cx, held.gp, held.slot);
                }
            } else {
                if !held.running {
                    self.wait_leave(cx, held.gp, held.slot);
                }
                let kind = if committed_past { LifeKind::SkippedByCommit } else { LifeKind::Truncated };
                cx.set_state(held.slot, MsgState::Lost, kind, part);
                self.groups[g as usize].stats.lost += 1;
                if owed {
                    self.gps[held.gp as usize].settle(held.offset);
                }
            }
        }
        if in_group {
            let timeout = self.groups[g as usize].settings.session_timeout.0;
            self.kafka_after(cx, timeout, Event::SessionExpire { member: m, epoch });
        }
    }

    /// `KafkaConsumer.pause()` on all of a member's partitions, or `resume()`:
    /// a paused member stays in its group but fetches nothing.
    pub(crate) fn pause_member<E: From<Event>, M: Meta>(&mut self, cx: &mut Ctx<E, M>, m: u32, paused: bool) {
        let Some(member) = self.members.get_mut(m as usize) else { return };
        member.paused = paused;
        let kind = if paused { LifeKind::MemberPaused } else { LifeKind::MemberResumed };
        cx.record(kind, 0, m, 0);
        if !paused {
            self.schedule_poll(cx, m);
        }
    }

    /// Multiplies a member's service times by `factor` from now on (1 restores).
    pub fn slow_member(&mut self, m: u32, factor: f64) {
        if let Some(member) = self.members.get_mut(m as usize) {
            member.slow = factor;
        }
    }
}

impl World {
    /// From now on, consumer group `g` acks non-critical records without
    /// processing them: the backlog emergency measure of seed 001.
    pub(crate) fn skip_non_critical(&mut self, g: u32) {
        self.groups[g as usize].skip_non_critical = true;
    }
}
