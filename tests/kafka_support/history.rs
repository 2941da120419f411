//! History checkers for the log family, in the spirit of Jepsen's Kafka
//! workload (`jepsen.tests.kafka`: lost-write, inconsistent-offsets,
//! duplicate, poll-skip) and Maelstrom's `kafka` workload (offsets unique
//! per partition, committed offsets monotone, no skipped message).
//!
//! A run is replayed from its history facts (`mqsim::observe::history`:
//! offsets given, truncations, retention, acknowledgements, commits,
//! resets, processing) against a model of every partition's log, and from
//! its journal (which records each group processed, and which it counted
//! out of order). The checks:
//!
//! - **lost-write**: a record acknowledged to a producer that sent it with
//!   `acks=all` leaves the log only by an unclean election (or retention).
//!   The leader appends an `acks=all` batch only while its ISR has
//!   `min.insync.replicas` members and answers once every ISR member has
//!   it, so a clean election (a leader from the ISR) never loses it.
//! - **offset-reused**: each offset of a partition is given to one record;
//!   appends take the log end offset, and only a truncation makes offsets
//!   free again, from the new log end (below the log start only if the
//!   election was unclean: a clean leader has every committed record).
//! - **inconsistent-offsets**: a group processes at an offset only a record
//!   the log gave that offset.
//! - **duplicate**: an idempotent producer's record is never in the log
//!   twice.
//! - **producer-order** (Jepsen's nonmonotonic-send): an idempotent
//!   producer's records land in each partition in the order it created
//!   them. (Kafka also keeps the order of a plain producer with one request
//!   in flight; mqsim does not yet — see ARCHITECTURE.md, "Producer" — so
//!   that case is not checked.)
//! - **commit-backwards**: a group's committed offset for a partition never
//!   decreases, unless an unclean election moved it down to the new log
//!   end or `auto_offset_reset` moved the position.
//! - **commit-skip**: when a group commits after processing, every record
//!   below a committed offset was processed by that group, unless an offset
//!   reset to the latest offset skipped it.
//! - **ordering**: the per-key out-of-order records the group's detector
//!   reported (the journal's `OutOfOrder`, the summary's `out_of_order`)
//!   are exactly the first processings that came after a higher record id
//!   of the same key, recomputed from the journal's `Processed` events.
//!
//! At the end the model logs must equal the engine's logs, offset for
//! offset, so the facts the checks rely on are complete.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

use mqsim::engine::Sim;
use mqsim::observe::{Fact, HistoryEvent, LifeEvent, LifeKind};
use mqsim::scenario::{Acks, CommitMode, Scenario};
use mqsim::summary::Summary;
use mqsim::time::SimTime;

/// One broken promise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub t: SimTime,
    /// The check's name (see the module docs).
    pub check: &'static str,
    pub what: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {} ns: {}", self.check, self.t, self.what)
    }
}

/// How much each check had to look at, so that a test can tell a check
/// that passed from one that had nothing to check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub appends: u64,
    /// Records acknowledged under `acks=all`.
    pub acked_all: u64,
    /// Of those, lost by an unclean election (allowed).
    pub acked_lost_unclean: u64,
    pub truncations: u64,
    pub unclean_truncations: u64,
    pub commits: u64,
    /// Committed offsets a reset moved down (an unclean election, an
    /// offset reset).
    pub commits_moved_back: u64,
    /// Offsets a commit after processing vouched for.
    pub offsets_vouched: u64,
    pub processed: u64,
    pub out_of_order: u64,
}

/// What the checks found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub violations: Vec<Violation>,
    pub counts: Counts,
}

impl Report {
    /// The violations, one per line (at most 20), or `None` if there are none.
    pub fn describe(&self) -> Option<String> {
        if self.violations.is_empty() {
            return None;
        }
        let mut lines: Vec<String> = self.violations.iter().take(20).map(|v| v.to_string()).collect();
        if self.violations.len() > 20 {
            lines.push(format!("… and {} more", self.violations.len() - 20));
        }
        Some(lines.join("\n"))
    }
}

/// How a record last left the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Removal {
    CleanTruncation,
    UncleanTruncation,
    Retention,
}

/// The model of one partition's log: record ids from `start`.
#[derive(Default)]
struct Log {
    start: u64,
    records: VecDeque<u64>,
}

impl Log {
    fn end(&self) -> u64 {
        self.start + self.records.len() as u64
    }

    fn at(&self, offset: u64) -> Option<u64> {
        offset.checked_sub(self.start).and_then(|i| self.records.get(i as usize)).copied()
    }
}

/// A group's view of one partition.
#[derive(Default)]
struct GroupPartition {
    committed: Option<u64>,
    /// Every offset below this was vouched for by a commit after processing
    /// (and the log has not been cut below it since).
    vouched: u64,
}

/// The checks, fed a run's facts and journal as the run goes.
#[derive(Default)]
pub struct Checker {
    logs: BTreeMap<u32, Log>,
    /// Offsets holding each record now, and how it last left.
    presence: HashMap<u64, u32>,
    removal: HashMap<u64, Removal>,
    /// Every (partition, offset, record) the log ever held.
    given: HashSet<(u32, u64, u64)>,
    producer_of: HashMap<u64, u32>,
    /// The highest record id each order-keeping producer has in each
    /// partition's log: (partition, producer) -> id.
    newest: HashMap<(u32, u32), u64>,
    acked_all: HashSet<u64>,
    groups: HashMap<(u32, u32), GroupPartition>,
    /// Groups that committed in a mode other than after-processing.
    not_after_processing: HashSet<u32>,
    /// (group, partition, offset, record) processed, or skipped by a reset.
    processed: HashSet<(u32, u32, u64, u64)>,
    skipped: HashSet<(u32, u32, u64, u64)>,
    /// From the journal, per group: first processings and those reported out of order.
    processed_in_journal: HashMap<u32, u64>,
    processed_again_in_journal: HashMap<u32, u64>,
    processed_in_history: HashMap<u32, u64>,
    processed_again_in_history: HashMap<u32, u64>,
    order_seen: HashMap<(u32, u32), u64>,
    out_of_order_recomputed: BTreeMap<u32, BTreeSet<u64>>,
    out_of_order_reported: BTreeMap<u32, BTreeSet<u64>>,
    report: Report,
}

impl Checker {
    fn violation(&mut self, t: SimTime, check: &'static str, what: String) {
        self.report.violations.push(Violation { t, check, what });
    }

    /// Replays history facts, in the order the run recorded them.
    pub fn feed_history(&mut self, sim: &Sim, events: &[HistoryEvent]) {
        for e in events {
            self.fact(sim, e.t, e.fact);
        }
    }

    fn fact(&mut self, sim: &Sim, t: SimTime, fact: Fact) {
        match fact {
            Fact::Appended { partition, offset, msg, producer } => self.appended(sim, t, partition, offset, msg, producer),
            Fact::Truncated { partition, leo, unclean } => self.truncated(t, partition, leo, unclean),
            Fact::Deleted { partition, offset } => self.deleted(t, partition, offset),
            Fact::Acked { msg, acks, .. } => self.acked(t, msg, acks),
            Fact::Committed { group, partition, offset, mode } => self.committed(t, group, partition, offset, mode),
            Fact::CommitMoved { group, partition, offset } => self.moved_back(group, partition, offset),
            Fact::PositionReset { group, partition, offset } => {
                // A reset says so: the committed offset may follow it down,
                // and with `latest` the records before it are skipped.
                let log = self.logs.entry(partition).or_default();
                let skipped: Vec<(u64, u64)> = (log.start..offset.min(log.end())).filter_map(|o| log.at(o).map(|m| (o, m))).collect();
                for (o, m) in skipped {
                    self.skipped.insert((group, partition, o, m));
                }
                self.moved_back(group, partition, offset);
            }
            Fact::Processed { group, partition, offset, msg, again, .. } => {
                self.report.counts.processed += 1;
                if !self.given.contains(&(partition, offset, msg)) {
                    self.violation(
                        t,
                        "inconsistent-offsets",
                        format!("group {group} processed record {msg} at {partition}:{offset}, which the log never gave that offset"),
                    );
                }
                self.processed.insert((group, partition, offset, msg));
                let counter = if again { &mut self.processed_again_in_history } else { &mut self.processed_in_history };
                *counter.entry(group).or_default() += 1;
            }
        }
    }

    /// A reset moved the group's offset for the partition down to `offset`:
    /// its next commit may be that low.
    fn moved_back(&mut self, group: u32, partition: u32, offset: u64) {
        let gp = self.groups.entry((group, partition)).or_default();
        if gp.committed.is_some_and(|c| offset < c) {
            gp.committed = Some(offset);
            self.report.counts.commits_moved_back += 1;
        }
    }

    fn appended(&mut self, sim: &Sim, t: SimTime, partition: u32, offset: u64, msg: u64, producer: u32) {
        self.report.counts.appends += 1;
        let log = self.logs.entry(partition).or_default();
        let end = log.end();
        if offset != end {
            let held = log.at(offset);
            self.violation(
                t,
                "offset-reused",
                format!("record {msg} given offset {partition}:{offset} while the log ends at {end} (the offset holds {held:?})"),
            );
            return;
        }
        log.records.push_back(msg);
        self.given.insert((partition, offset, msg));
        self.producer_of.insert(msg, producer);
        let presence = self.presence.entry(msg).or_default();
        *presence += 1;
        let first = *presence == 1;
        let idempotent = sim.kafka().producers.get(producer as usize).is_some_and(|p| p.idempotent);
        if idempotent && !first {
            self.violation(t, "duplicate", format!("idempotent producer {producer}'s record {msg} is in partition {partition}'s log twice"));
        }
        if first && keeps_order(sim, producer) {
            let newest = self.newest.entry((partition, producer)).or_insert(msg);
            if msg < *newest {
                let newer = *newest;
                self.violation(
                    t,
                    "producer-order",
                    format!("producer {producer}'s record {msg} landed in partition {partition} after its later record {newer}"),
                );
            } else {
                *newest = msg;
            }
        }
    }

    fn remove(&mut self, t: SimTime, msg: u64, how: Removal) {
        let presence = self.presence.entry(msg).or_default();
        *presence = presence.saturating_sub(1);
        if *presence > 0 {
            return;
        }
        self.removal.insert(msg, how);
        if how == Removal::CleanTruncation && self.acked_all.contains(&msg) {
            self.violation(t, "lost-write", format!("record {msg}, acknowledged with acks=all, was truncated by a clean election"));
        }
        if how == Removal::UncleanTruncation && self.acked_all.contains(&msg) {
            self.report.counts.acked_lost_unclean += 1;
        }
    }

    fn truncated(&mut self, t: SimTime, partition: u32, leo: u64, unclean: bool) {
        self.report.counts.truncations += 1;
        if unclean {
            self.report.counts.unclean_truncations += 1;
        }
        let start = self.logs.entry(partition).or_default().start;
        if leo < start && !unclean {
            self.violation(t, "offset-reused", format!("a clean election cut partition {partition} back to {leo}, below its log start {start}"));
        }
        let log = self.logs.entry(partition).or_default();
        let keep = leo.saturating_sub(log.start) as usize;
        let cut: Vec<u64> = log.records.drain(keep.min(log.records.len())..).collect();
        // An unclean leader that ends before the log start has an empty log
        // from its own end: the offsets from there are given again.
        log.start = log.start.min(leo);
        let how = if unclean { Removal::UncleanTruncation } else { Removal::CleanTruncation };
        for msg in cut {
            self.remove(t, msg, how);
        }
        // What each producer has left in the log is now its newest there.
        self.newest.retain(|&(p, _), _| p != partition);
        let log = &self.logs[&partition];
        for &msg in &log.records {
            if let Some(&producer) = self.producer_of.get(&msg) {
                let newest = self.newest.entry((partition, producer)).or_insert(msg);
                *newest = (*newest).max(msg);
            }
        }
        for ((_, p), gp) in self.groups.iter_mut() {
            if *p == partition {
                gp.vouched = gp.vouched.min(leo);
            }
        }
    }

    fn deleted(&mut self, t: SimTime, partition: u32, offset: u64) {
        let log = self.logs.entry(partition).or_default();
        let start = log.start;
        if offset != start {
            self.violation(t, "offset-reused", format!("retention deleted {partition}:{offset}, but the log starts at {start}"));
            return;
        }
        let Some(msg) = log.records.pop_front() else {
            self.violation(t, "offset-reused", format!("retention deleted {partition}:{offset} from an empty log"));
            return;
        };
        log.start += 1;
        self.remove(t, msg, Removal::Retention);
    }

    fn acked(&mut self, t: SimTime, msg: u64, acks: Acks) {
        if !self.producer_of.contains_key(&msg) {
            self.violation(t, "lost-write", format!("record {msg} acknowledged (acks={acks:?}) but never appended"));
            return;
        }
        if acks != Acks::All {
            return;
        }
        self.report.counts.acked_all += 1;
        self.acked_all.insert(msg);
        if self.presence.get(&msg).copied().unwrap_or(0) == 0 {
            match self.removal.get(&msg) {
                Some(Removal::UncleanTruncation) => self.report.counts.acked_lost_unclean += 1,
                Some(Removal::Retention) => {}
                other => self.violation(
                    t,
                    "lost-write",
                    format!("record {msg} acknowledged with acks=all after leaving the log ({other:?})"),
                ),
            }
        }
    }

    fn committed(&mut self, t: SimTime, group: u32, partition: u32, offset: u64, mode: CommitMode) {
        self.report.counts.commits += 1;
        if mode != CommitMode::AfterProcessing {
            self.not_after_processing.insert(group);
        }
        let gp = self.groups.entry((group, partition)).or_default();
        let before = gp.committed.replace(offset);
        if let Some(before) = before.filter(|&b| offset < b) {
            self.violation(t, "commit-backwards", format!("group {group} committed {partition}:{offset} after {before}"));
            return;
        }
        if self.not_after_processing.contains(&group) {
            return;
        }
        // Commit after processing: every record below the committed offset
        // that the log still holds was processed by the group (or skipped
        // by a reset). Offsets already vouched for are not checked again.
        let log = self.logs.entry(partition).or_default();
        let from = gp.vouched.max(log.start);
        let to = offset.min(log.end());
        let missing: Vec<(u64, u64)> = (from..to)
            .filter_map(|o| log.at(o).map(|m| (o, m)))
            .filter(|&(o, m)| !self.processed.contains(&(group, partition, o, m)) && !self.skipped.contains(&(group, partition, o, m)))
            .collect();
        self.report.counts.offsets_vouched += to.saturating_sub(from);
        let gp = self.groups.entry((group, partition)).or_default();
        gp.vouched = gp.vouched.max(offset);
        for (o, m) in missing.into_iter().take(5) {
            self.violation(t, "commit-skip", format!("group {group} committed {partition}:{offset} but never processed record {m} at offset {o}"));
        }
    }

    /// What the fact checks found, without the end-of-run checks (for
    /// facts that come from no run).
    pub fn into_report(self) -> Report {
        self.report
    }

    /// Reads the journal's processing events, in journal order.
    pub fn feed_journal(&mut self, sim: &Sim, events: &[LifeEvent]) {
        let kafka = sim.kafka();
        for e in events {
            let group_of = |member: u32| kafka.members[member as usize].group;
            match e.kind {
                LifeKind::Processed => {
                    let g = group_of(e.node);
                    *self.processed_in_journal.entry(g).or_default() += 1;
                    let keyed = self.producer_of.get(&e.msg).is_some_and(|&p| kafka.producers[p as usize].keyed);
                    if keyed {
                        let highest = self.order_seen.entry((g, e.key)).or_insert(e.msg);
                        if e.msg < *highest {
                            self.out_of_order_recomputed.entry(g).or_default().insert(e.msg);
                        } else {
                            *highest = e.msg;
                        }
                    }
                }
                LifeKind::ProcessedAgain => *self.processed_again_in_journal.entry(group_of(e.node)).or_default() += 1,
                LifeKind::OutOfOrder => {
                    self.out_of_order_reported.entry(group_of(e.node)).or_default().insert(e.msg);
                }
                _ => {}
            }
        }
    }

    /// The end-of-run checks: the model logs are the engine's logs, the
    /// journal and the history agree on what was processed, and the
    /// out-of-order records are those the detector reported.
    pub fn finish(mut self, sim: &Sim, summary: &Summary) -> Report {
        let t = sim.now();
        let kafka = sim.kafka();
        for (part, p) in kafka.partitions.iter().enumerate() {
            let model = self.logs.remove(&(part as u32)).unwrap_or_default();
            let actual: Vec<u64> = p.log.iter().map(|e| e.msg).collect();
            let modelled: Vec<u64> = model.records.iter().copied().collect();
            if model.start != p.log_start || modelled != actual {
                self.violation(
                    t,
                    "history-incomplete",
                    format!(
                        "partition {part}: the facts give a log of {} records from {}, the engine has {} from {}",
                        modelled.len(),
                        model.start,
                        actual.len(),
                        p.log_start
                    ),
                );
            }
        }
        for (g, group) in kafka.groups.iter().enumerate() {
            let g = g as u32;
            let count = |m: &HashMap<u32, u64>| m.get(&g).copied().unwrap_or(0);
            if count(&self.processed_in_journal) != count(&self.processed_in_history)
                || count(&self.processed_again_in_journal) != count(&self.processed_again_in_history)
            {
                self.violation(t, "history-incomplete", format!("group {}: the journal and the history disagree on what it processed", group.name));
            }
            let recomputed = self.out_of_order_recomputed.remove(&g).unwrap_or_default();
            let reported = self.out_of_order_reported.remove(&g).unwrap_or_default();
            self.report.counts.out_of_order += recomputed.len() as u64;
            let claimed = summary.kafka.as_ref().and_then(|k| k.groups.iter().find(|s| s.name == group.name)).map(|s| s.stats.out_of_order);
            if recomputed != reported || claimed != Some(recomputed.len() as u64) {
                let first: Vec<&u64> = recomputed.symmetric_difference(&reported).take(5).collect();
                self.violation(
                    t,
                    "ordering",
                    format!(
                        "group {}: {} records out of order by the journal, {} OutOfOrder events, summary says {:?} (differing: {first:?})",
                        group.name,
                        recomputed.len(),
                        reported.len(),
                        claimed
                    ),
                );
            }
        }
        self.report
    }
}

/// The producers whose order the check holds mqsim to: the idempotent ones.
fn keeps_order(sim: &Sim, producer: u32) -> bool {
    sim.kafka().producers.get(producer as usize).is_some_and(|p| p.idempotent)
}

/// Runs `scenario` to its end keeping its journal and history, draining
/// both as it goes, and checks them.
pub fn run_checked(scenario: Scenario) -> (Sim, Summary, Report) {
    const SLICE: SimTime = 100_000_000;
    let mut sim = Sim::with_history(scenario, 1 << 20).expect("a valid scenario");
    let mut checker = Checker::default();
    let mut t = 0;
    while !sim.finished() {
        t += SLICE;
        sim.run_until(t);
        let facts = sim.drain_history();
        checker.feed_history(&sim, &facts);
        let journal = sim.drain_journal();
        checker.feed_journal(&sim, &journal);
        assert_eq!(sim.journal_overwritten(), 0, "the journal overflowed within {SLICE} ns");
    }
    let summary = Summary::of(&sim);
    let report = checker.finish(&sim, &summary);
    (sim, summary, report)
}
