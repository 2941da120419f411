//! Time-series sampling, and the ledger's cross-check at every sample.

use super::{Event, Sim};
use crate::ledger::MsgState;
use crate::scenario::Scenario;
use crate::observe::Series;
use crate::time::{as_millis_f64, as_secs_f64};

/// The fixed columns of every run's series, in order; one `depth.<queue>`
/// column per queue follows them.
pub const COLUMNS: [&str; 14] = [
    "t_ms",
    "produce_rate",
    "consume_rate",
    "backlog",
    "in_flight",
    "dlq",
    "redelivered",
    "duplicates",
    "lost",
    "dropped",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "processed",
];

/// The columns of each request flow, suffixed with `.<flow name>`: response
/// time percentiles of requests completed in the interval, and running
/// counts of completed and failed requests.
pub const FLOW_COLUMNS: [&str; 5] =
    ["response_p50_ms", "response_p95_ms", "response_p99_ms", "requests_completed", "requests_failed"];

pub(super) fn new_series(scenario: &Scenario) -> Series {
    let mut names: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    names.extend(crate::amqp::inspect::COLUMNS.iter().map(|c| c.to_string()));
    names.extend(scenario.queues.iter().map(|q| format!("depth.{}", q.name)));
    // Running instances of each queue consumer group (topic groups have
    // their own `active.` and `idle.` columns).
    names.extend(scenario.consumers.iter().filter(|c| c.queue.is_some()).map(|c| format!("consumers.{}", c.name)));
    for flow in &scenario.requests {
        for column in FLOW_COLUMNS {
            names.push(format!("{column}.{}", flow.name));
        }
    }
    names.extend(crate::kafka::view::series_columns(scenario));
    Series::new(names)
}

impl Sim {
    /// Appends one row to the series and schedules the next sample.
    pub(super) fn sample(&mut self) {
        let now = self.now();
        let every = self.scenario.sample_every.0;
        // Rates are per second over the interval just ended (the first sample,
        // at t = 0, covers nothing and reports what happened at t = 0).
        let seconds = if now == 0 { 1.0 } else { as_secs_f64(every) };
        let latency = self.cx.latency.take_interval();
        let pick = |f: fn(&crate::observe::latency::Percentiles) -> f64| latency.as_ref().map_or(f64::NAN, f);
        let l = &self.cx.ledger;
        let mut row = vec![
            as_millis_f64(now),
            self.cx.stats.interval_produced as f64 / seconds,
            self.cx.stats.interval_processed as f64 / seconds,
            (l.count(MsgState::Stored) + l.count(MsgState::InFlight)) as f64,
            l.count(MsgState::InFlight) as f64,
            l.count(MsgState::DeadLettered) as f64,
            self.cx.stats.redeliveries as f64,
            self.cx.stats.duplicates as f64,
            l.count(MsgState::Lost) as f64,
            l.count(MsgState::Dropped) as f64,
            pick(|p| p.p50),
            pick(|p| p.p95),
            pick(|p| p.p99),
            l.count(MsgState::Processed) as f64,
        ];
        row.extend(self.amqp.amqp_sample(&mut self.cx));
        row.extend(self.amqp.queues.iter().map(|q| q.ready.len() as f64));
        let mut running = vec![0u32; self.amqp.groups.len()];
        for consumer in self.amqp.consumers.iter().filter(|c| c.alive) {
            running[consumer.group as usize] += 1;
        }
        row.extend(running.iter().map(|&n| f64::from(n)));
        for flow in &mut self.system.flows {
            let p = flow.stats.response.take_interval();
            let pick = |f: fn(&crate::observe::latency::Percentiles) -> f64| p.as_ref().map_or(f64::NAN, f);
            row.extend([
                pick(|p| p.p50),
                pick(|p| p.p95),
                pick(|p| p.p99),
                flow.stats.completed as f64,
                flow.stats.failed as f64,
            ]);
            flow.stats.failed_response.take_interval();
        }
        self.kafka.kafka_series_row(&self.cx, &mut row);
        self.cx.series.push(&row);
        self.cx.stats.interval_produced = 0;
        self.cx.stats.interval_processed = 0;
        if self.cx.stats.ledger_mismatch_at.is_none() && !self.ledger_matches_world() {
            self.cx.stats.ledger_mismatch_at = Some(now);
        }
        if now.saturating_add(every) <= self.end() {
            self.cx.sched.after(every, Event::Sample);
        }
    }

    /// The ledger's counts agree with where the messages actually are: the
    /// books balance, stored and dead-lettered counts equal the queues'
    /// contents (plus the copies Kafka logs still owe their groups), in-flight
    /// equals the deliveries queue consumers hold that the broker still
    /// awaits acks for (which the queues' `in_flight` counts also add up
    /// to) plus what group members hold, delayed equals the
    /// messages held in timers, producing equals what request flows, blocked
    /// publishes and Kafka producers' batches hold, and live messages equal
    /// the store's occupancy (less finished messages whose slots stale
    /// consumer work still holds).
    pub fn ledger_matches_world(&self) -> bool {
        let l = &self.cx.ledger;
        let r = self.amqp.amqp_recount(&self.cx);
        let kafka = self.kafka.census();
        let blocked: u64 = self.amqp.queues.iter().map(|q| q.blocked.len() as u64).sum();
        l.balances()
            && l.count(MsgState::Producing) == self.system.producing_messages() + blocked + kafka.producing
            && l.count(MsgState::Stored) == r.stored + kafka.stored
            && l.count(MsgState::DeadLettered) == r.dead_lettered
            && l.count(MsgState::InFlight) == r.in_flight + kafka.in_flight
            && self.amqp.queues.iter().map(|q| q.in_flight).sum::<u64>() == r.in_flight
            && l.count(MsgState::Delayed) == r.delayed
            && l.live() + r.pinned_terminal == self.cx.store.live() as u64
            && self.kafka.waiting_lines_match()
    }
}
