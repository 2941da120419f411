//! What the queue family shows: its part of the summary, its series columns,
//! and the recount of where messages are that the ledger is checked against.

use serde::Serialize;

use super::Event;
use super::DeadReason;
use super::World;
use super::Ctx;
use crate::ledger::MsgState;
use crate::observe::latency::Percentiles;
use crate::time::readable_ms;

/// The family's series columns, after the fixed ones and before the queue depths.
pub const COLUMNS: [&str; 4] = ["delayed", "expired", "side_effects", "dedup_hits"];

/// Dead letters by `x-death` reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ByReason {
    pub rejected: u64,
    pub expired: u64,
    pub maxlen: u64,
    pub delivery_limit: u64,
}

impl ByReason {
    fn from_counts(counts: [u64; 4]) -> ByReason {
        ByReason { rejected: counts[0], expired: counts[1], maxlen: counts[2], delivery_limit: counts[3] }
    }

    fn total(&self) -> u64 {
        self.rejected + self.expired + self.maxlen + self.delivery_limit
    }

    fn text(&self) -> String {
        let parts: Vec<String> = DeadReason::ALL
            .iter()
            .zip([self.rejected, self.expired, self.maxlen, self.delivery_limit])
            .filter(|(_, n)| *n > 0)
            .map(|(reason, n)| format!("{} {n}", reason.name()))
            .collect();
        parts.join(", ")
    }
}

/// A dead-letter queue and what it holds now, by reason.
#[derive(Clone, Debug, Serialize)]
pub struct DeadLetterQueue {
    pub name: String,
    pub depth: u64,
    pub by_reason: ByReason,
}

/// One consumer group's side effects and dedup.
#[derive(Clone, Debug, Serialize)]
pub struct GroupSummary {
    pub name: String,
    pub side_effects: u64,
    pub duplicates: u64,
    pub dedup_hits: u64,
    /// Ids its dedup store remembers now (none without one).
    pub dedup_store: Option<u64>,
}

/// One producer's confirms, returns and failed publishes.
#[derive(Clone, Debug, Serialize)]
pub struct PublisherSummary {
    pub name: String,
    pub confirmed: u64,
    pub nacked: u64,
    pub returned: u64,
    pub failed: u64,
}

/// Request-reply counts and round-trip times.
#[derive(Clone, Debug, Serialize)]
pub struct RpcSummary {
    pub requests: u64,
    pub replies: u64,
    pub completed: u64,
    pub timed_out: u64,
    pub late_replies: u64,
    pub waiting: u64,
    pub rtt_ms: Percentiles,
}

/// The queue family's part of the summary.
#[derive(Clone, Debug, Serialize)]
pub struct AmqpSummary {
    /// Extra ledger copies made by routing to several queues.
    pub copies: u64,
    /// Messages no queue took; of them, those returned to a mandatory publisher.
    pub unroutable: u64,
    pub returned: u64,
    pub alternate_routed: u64,
    /// Copies exclusive queues missed while their subscriber was away.
    pub missed: u64,
    /// Every dead-lettering of the run, by reason.
    pub dead_lettered_by_reason: ByReason,
    pub dead_letter_queues: Vec<DeadLetterQueue>,
    pub replayed: u64,
    /// Messages held for a delay or a retry now, ever, and the next release.
    pub delayed_now: u64,
    pub delayed_total: u64,
    pub next_due_ms: Option<f64>,
    pub retries: u64,
    pub ack_timeouts: u64,
    pub acks_lost: u64,
    pub stale_acks: u64,
    pub side_effects: u64,
    pub dedup_hits: u64,
    pub groups: Vec<GroupSummary>,
    pub confirmed: u64,
    pub nacked: u64,
    pub publishers: Vec<PublisherSummary>,
    pub publish_failed: u64,
    pub broker_up: bool,
    pub broker_crashes: u64,
    pub crash_lost_transient: u64,
    pub crash_lost_unflushed: u64,
    pub rpc: RpcSummary,
}

/// Where the queue family's messages are, counted from its structures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recount {
    pub stored: u64,
    pub dead_lettered: u64,
    pub in_flight: u64,
    pub delayed: u64,
    /// Messages in a terminal state whose slot stale consumer work still holds.
    pub pinned_terminal: u64,
}

impl AmqpSummary {
    /// The summary of world `w`; `producers` are the scenario's, whose
    /// names the publishers' lines carry.
    pub(crate) fn of<E: From<Event>>(w: &World, cx: &Ctx<E>, producers: &[crate::scenario::ProducerSpec]) -> AmqpSummary {
        let s = &w.stats;
        let delayed = w.delayed_messages(cx, 1);
        let rpc = &w.rpc;
        AmqpSummary {
            copies: s.copies,
            unroutable: s.unroutable,
            returned: s.returned,
            alternate_routed: s.alternate_routed,
            missed: s.missed,
            dead_lettered_by_reason: ByReason::from_counts(s.dead_by_reason),
            dead_letter_queues: w
                .queues
                .iter()
                .filter(|q| q.is_dlq)
                .map(|q| {
                    let mut counts = [0u64; 4];
                    for &slot in &q.ready {
                        let reason = cx.store.get(slot).amqp.dead_reason().unwrap_or(DeadReason::Rejected);
                        counts[reason as usize] += 1;
                    }
                    DeadLetterQueue {
                        name: q.name.clone(),
                        depth: q.ready.len() as u64,
                        by_reason: ByReason::from_counts(counts),
                    }
                })
                .collect(),
            replayed: s.replayed,
            delayed_now: cx.ledger.count(MsgState::Delayed),
            delayed_total: s.delayed,
            next_due_ms: delayed.first().map(|d| d.due_ms),
            retries: s.retries,
            ack_timeouts: s.ack_timeouts,
            acks_lost: s.acks_lost,
            stale_acks: s.stale_acks,
            side_effects: s.side_effects,
            dedup_hits: s.dedup_hits,
            groups: w
                .groups
                .iter()
                .map(|g| GroupSummary {
                    name: g.name.clone(),
                    side_effects: g.side_effects,
                    duplicates: g.duplicates,
                    dedup_hits: g.dedup_hits,
                    dedup_store: g.dedup.as_ref().map(|d| d.len() as u64),
                })
                .collect(),
            confirmed: s.confirmed,
            nacked: s.nacked,
            publishers: w
                .publishers
                .iter()
                .zip(producers)
                .map(|(p, spec)| PublisherSummary {
                    name: spec.name.clone(),
                    confirmed: p.confirmed,
                    nacked: p.nacked,
                    returned: p.returned,
                    failed: p.failed,
                })
                .collect(),
            publish_failed: s.publish_failed,
            broker_up: w.broker_up,
            broker_crashes: s.broker_crashes,
            crash_lost_transient: s.crash_lost_transient,
            crash_lost_unflushed: s.crash_lost_unflushed,
            rpc: RpcSummary {
                requests: rpc.requests,
                replies: rpc.replies,
                completed: rpc.completed,
                timed_out: rpc.timed_out,
                late_replies: rpc.late_replies,
                waiting: rpc.waiting() as u64,
                rtt_ms: rpc.rtt.whole_run(),
            },
        }
    }

    /// Labelled lines for the text summary: only what this run used, so a
    /// plain queue scenario prints nothing extra.
    pub fn text_lines(&self, duplicates: u64) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        let mut line = |label: &str, value: String| lines.push((label.to_string(), value));
        if self.copies > 0 {
            line("copies made", self.copies.to_string());
        }
        if self.unroutable > 0 || self.alternate_routed > 0 {
            line(
                "unroutable",
                format!(
                    "{} ({} returned), {} via alternate exchange",
                    self.unroutable, self.returned, self.alternate_routed
                ),
            );
        }
        if self.missed > 0 {
            line("missed", format!("{} (subscribers offline)", self.missed));
        }
        for dlq in self.dead_letter_queues.iter().filter(|d| d.depth > 0) {
            line(&format!("  dlq {}", dlq.name), format!("{} ({})", dlq.depth, dlq.by_reason.text()));
        }
        if self.dead_lettered_by_reason.total() > 0 {
            line(
                "dead-lettered",
                format!("{} in all ({})", self.dead_lettered_by_reason.total(), self.dead_lettered_by_reason.text()),
            );
        }
        if self.replayed > 0 {
            line("replayed", self.replayed.to_string());
        }
        if self.delayed_total > 0 {
            let next = self.next_due_ms.map_or(String::new(), |t| format!(", next due at {}", readable_ms(t)));
            line(
                "held",
                format!("{} now, {} in all, {} retries{next}", self.delayed_now, self.delayed_total, self.retries),
            );
        }
        if self.ack_timeouts + self.acks_lost + self.stale_acks > 0 {
            line(
                "acks",
                format!("{} lost, {} timed out, {} stale", self.acks_lost, self.ack_timeouts, self.stale_acks),
            );
        }
        if duplicates > 0 || self.dedup_hits > 0 || self.groups.iter().any(|g| g.dedup_store.is_some()) {
            line(
                "side effects",
                format!("{} ({} duplicates, {} dedup hits)", self.side_effects, duplicates, self.dedup_hits),
            );
            for g in &self.groups {
                let store = g.dedup_store.map_or("no dedup".to_string(), |n| format!("dedup store {n}"));
                line(
                    &format!("  group {}", g.name),
                    format!(
                        "{} side effects, {} duplicates, {} dedup hits, {store}",
                        g.side_effects, g.duplicates, g.dedup_hits
                    ),
                );
            }
        }
        if self.confirmed + self.nacked > 0 {
            line("confirms", format!("{} acked, {} nacked", self.confirmed, self.nacked));
        }
        if self.broker_crashes > 0 || self.publish_failed > 0 {
            line(
                "broker",
                format!(
                    "{} crash(es), lost {} transient + {} not on disk, {} publishes failed{}",
                    self.broker_crashes,
                    self.crash_lost_transient,
                    self.crash_lost_unflushed,
                    self.publish_failed,
                    if self.broker_up { "" } else { "; down now" }
                ),
            );
        }
        let r = &self.rpc;
        if r.requests > 0 {
            line(
                "requests",
                format!(
                    "{} sent, {} answered, {} timed out, {} late replies, {} waiting",
                    r.requests, r.completed, r.timed_out, r.late_replies, r.waiting
                ),
            );
            if r.rtt_ms.count > 0 {
                line("  round trip", format!("p50 {}  p99 {}", readable_ms(r.rtt_ms.p50), readable_ms(r.rtt_ms.p99)));
            }
        }
        lines
    }
}

impl World {
    /// Counts where the queue family's messages are, from its own structures.
    pub(crate) fn amqp_recount<E: From<Event>>(&self, cx: &Ctx<E>) -> Recount {
        let w = &(*self);
        let in_queues =
            |dlq: bool| -> u64 { w.queues.iter().filter(|q| q.is_dlq == dlq).map(|q| q.ready.len() as u64).sum() };
        let mut in_flight = 0;
        let mut pinned: Vec<(u64, u64, u64)> = Vec::new();
        for h in w.consumers.iter().flat_map(|c| c.held.iter()) {
            if self.outstanding(cx, h) {
                in_flight += 1;
            } else if cx.store.get(h.slot).state.is_terminal() {
                pinned.push((h.slot.into(), 0, 0));
            }
        }
        crate::kernel::sort_triples(&mut pinned);
        pinned.dedup();
        Recount {
            stored: in_queues(false),
            dead_lettered: in_queues(true),
            in_flight,
            delayed: w.timers.live(&cx.store).count() as u64,
            pinned_terminal: pinned.len() as u64,
        }
    }

    /// The family's series values, in `COLUMNS` order. Also forgets dedup
    /// ids whose window has ended, so idle stores shrink too.
    pub(crate) fn amqp_sample<E: From<Event>>(&mut self, cx: &mut Ctx<E>) -> [f64; COLUMNS.len()] {
        let now = cx.now();
        for g in &mut self.groups {
            if let Some(store) = g.dedup.as_mut() {
                store.expire(now);
            }
        }
        // Round-trip times are reported for the whole run only; the interval is discarded.
        let _ = self.rpc.rtt.take_interval();
        let s = &self.stats;
        [
            (&cx.ledger).count(MsgState::Delayed) as f64,
            (&cx.ledger).count(MsgState::Expired) as f64,
            s.side_effects as f64,
            s.dedup_hits as f64,
        ]
    }

    /// The queue family's part of the summary.
    pub(crate) fn amqp_summary<E: From<Event>>(&self, cx: &Ctx<E>, producers: &[crate::scenario::ProducerSpec]) -> AmqpSummary {
        AmqpSummary::of(self, cx, producers)
    }
}
