//! The summary of a run: what the CLI prints and the page shows as numbers.
//! Everything in it is read off the simulation; nothing is computed from the
//! scenario's parameters.

use crate::json::fixed;
use serde::Serialize;

use crate::engine::Sim;
use crate::ledger::MsgState;
use crate::observe::latency::Percentiles;
use crate::time::{SimTime, as_millis_f64};

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    /// Simulated time reached, in ms.
    pub now_ms: f64,
    /// The scenario's run length, in ms.
    pub duration_ms: f64,
    /// Nothing is left to run before the end of the run.
    pub finished: bool,
    /// Kernel events handled.
    pub events: u64,
    pub trace_hash: String,
    /// Messages producers sent.
    pub published: u64,
    /// Copies owed to destinations (see ARCHITECTURE.md); the states add up to this.
    pub produced: u64,
    /// Messages by ledger state; they add up to `produced`.
    pub states: StateCounts,
    pub redeliveries: u64,
    pub duplicates: u64,
    /// Records processed after a later record with the same key (Kafka groups).
    pub out_of_order: u64,
    pub dead_lettered_total: u64,
    /// End-to-end latency (produced → acked) of processed messages, in ms.
    pub latency_ms: Percentiles,
    /// The most unprocessed messages (stored + in flight) at once, and when.
    pub peak_backlog: Peak,
    pub queues: Vec<QueueSummary>,
    pub consumers: Vec<ConsumerSummary>,
    /// Choreographed steps: consumer groups that publish the next event.
    pub choreography: Vec<crate::amqp::choreography::StepSummary>,
    /// What each autoscaled consumer group did.
    pub autoscaling: Vec<crate::amqp::autoscale::AutoscaleSummary>,
    /// User request flows (empty unless the scenario has `requests`).
    pub requests: Vec<crate::system::request::FlowSummary>,
    /// The ledger agreed with the queues and consumers at every sample.
    pub ledger_balanced: bool,
    pub budget_reached: bool,
    /// The queue family's exchanges, dead letters, delays, acks, dedup,
    /// confirms, broker and request-reply.
    pub amqp: crate::amqp::inspect::AmqpSummary,
    /// Topics, partitions, producers and consumer groups of the log family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kafka: Option<crate::kafka::view::KafkaSummary>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    pub producing: u64,
    pub stored: u64,
    pub delayed: u64,
    pub in_flight: u64,
    pub processed: u64,
    pub dead_lettered: u64,
    pub expired: u64,
    pub dropped: u64,
    pub lost: u64,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Peak {
    pub messages: u64,
    pub at_ms: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct QueueSummary {
    pub name: String,
    pub depth: u64,
    pub peak: Peak,
    /// Queueing theory next to the measurement (None until a consumer has
    /// served something from the queue).
    pub overlay: Option<crate::theory::Overlay>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ConsumerSummary {
    pub name: String,
    pub alive: bool,
    pub processed: u64,
    pub holding: u64,
}

impl Summary {
    pub fn of(sim: &Sim) -> Summary {
        let l = sim.ledger();
        let c = |s| l.count(s);
        let peak = |messages, at: SimTime| Peak { messages, at_ms: as_millis_f64(at) };
        let stats = &sim.stats;
        Summary {
            scenario: sim.scenario.name.clone(),
            seed: sim.scenario.seed,
            now_ms: as_millis_f64(sim.now()),
            duration_ms: as_millis_f64(sim.scenario.duration.0),
            finished: sim.finished(),
            events: sim.events(),
            trace_hash: sim.trace_hash().hex(),
            published: stats.published,
            produced: l.produced(),
            states: StateCounts {
                producing: c(MsgState::Producing),
                stored: c(MsgState::Stored),
                delayed: c(MsgState::Delayed),
                in_flight: c(MsgState::InFlight),
                processed: c(MsgState::Processed),
                dead_lettered: c(MsgState::DeadLettered),
                expired: c(MsgState::Expired),
                dropped: c(MsgState::Dropped),
                lost: c(MsgState::Lost),
            },
            redeliveries: stats.redeliveries,
            duplicates: stats.duplicates,
            out_of_order: stats.out_of_order,
            dead_lettered_total: stats.dead_lettered,
            latency_ms: sim.latency.whole_run(),
            peak_backlog: peak(stats.peak_backlog, stats.peak_backlog_at),
            queues: sim
                .amqp
                .queues
                .iter()
                .enumerate()
                .map(|(i, q)| QueueSummary {
                    name: q.name.clone(),
                    depth: q.ready.len() as u64,
                    peak: peak(q.peak, q.peak_at),
                    overlay: overlay(sim, i as u32),
                })
                .collect(),
            consumers: sim
                .amqp
                .consumers
                .iter()
                .map(|c| ConsumerSummary {
                    name: format!("{}#{}", sim.amqp.groups[c.group as usize].name, c.instance),
                    alive: c.alive,
                    processed: c.processed,
                    holding: c.held.len() as u64,
                })
                .collect(),
            choreography: sim.choreography_summary(),
            autoscaling: sim.autoscale_summary(),
            requests: sim
                .system
                .flows
                .iter()
                .enumerate()
                .map(|(i, flow)| flow.summary(sim.system.requests.in_progress(i)))
                .collect(),
            ledger_balanced: stats.ledger_mismatch_at.is_none() && sim.ledger_matches_world(),
            budget_reached: stats.budget_reached,
            amqp: sim.amqp_summary(),
            kafka: crate::kafka::view::KafkaSummary::of(sim),
        }
    }

    /// The summary as text for a terminal: a few aligned lines, no wall-clock
    /// values, so that two runs of the same scenario print the same bytes.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let ms = readable_ms;
        let mut line = |label: &str, value: String| out.push_str(&format!("{label:<16} {value}\n"));
        line("scenario", format!("{} (seed {})", self.scenario, self.seed));
        let of = if self.now_ms < self.duration_ms { format!(" of {}", ms(self.duration_ms)) } else { String::new() };
        line("simulated", format!("{}{of}", ms(self.now_ms)));
        line("events", self.events.to_string());
        line("trace hash", self.trace_hash.clone());
        line("published", self.published.to_string());
        if self.produced != self.published {
            line("copies", format!("{} (one per destination)", self.produced));
        }
        let s = &self.states;
        let states = [
            ("processed", s.processed),
            ("stored", s.stored),
            ("in flight", s.in_flight),
            ("delayed", s.delayed),
            ("producing", s.producing),
            ("dead-lettered", s.dead_lettered),
            ("expired", s.expired),
            ("dropped", s.dropped),
            ("lost", s.lost),
        ];
        for (name, count) in states {
            line(&format!("  {name}"), count.to_string());
        }
        line("ledger", if self.ledger_balanced { "balanced".into() } else { "MISMATCH (engine bug)".into() });
        line("redeliveries", self.redeliveries.to_string());
        line("duplicates", self.duplicates.to_string());
        for (label, value) in self.amqp.text_lines(self.duplicates) {
            line(&label, value);
        }
        if self.kafka.is_some() {
            line("out of order", self.out_of_order.to_string());
        }
        let l = &self.latency_ms;
        if l.count > 0 {
            line(
                "latency",
                format!("mean {}  p50 {}  p95 {}  p99 {}  max {}", ms(l.mean), ms(l.p50), ms(l.p95), ms(l.p99), ms(l.max)),
            );
        }
        line("peak backlog", format!("{} at {}", self.peak_backlog.messages, ms(self.peak_backlog.at_ms)));
        for q in &self.queues {
            line(&format!("  queue {}", q.name), format!("depth {}, peak {} at {}", q.depth, q.peak.messages, ms(q.peak.at_ms)));
            if let Some(o) = &q.overlay {
                line("    theory", theory_line(o));
            }
        }
        for r in &self.requests {
            let p = &r.response_ms;
            line(
                &format!("requests {}", r.name),
                format!(
                    "{} completed, {} failed, {} in progress, {} messages lost",
                    r.completed, r.failed, r.in_progress, r.lost_messages
                ),
            );
            for (i, limit) in r.limits.iter().enumerate() {
                line(&format!("  limit {}", i + 1), format!("{} passed, {} turned away", limit.passed, limit.rejected));
            }
            if p.count > 0 {
                line("  response", format!("mean {}  p50 {}  p99 {}  max {}", ms(p.mean), ms(p.p50), ms(p.p99), ms(p.max)));
            }
        }
        for step in &self.choreography {
            line(&format!("step {}", step.group), format!("{} succeeded, {} declined", step.succeeded, step.declined));
        }
        for a in &self.autoscaling {
            line(
                &format!("autoscale {}", a.group),
                format!("{} up, {} down, at most {} running", a.scaled_up, a.scaled_down, a.peak_running),
            );
        }
        for (label, value) in self.kafka.iter().flat_map(|k| k.lines()) {
            line(&label, value);
        }
        if self.budget_reached {
            line("note", "producers stopped at the scenario's max_messages budget".into());
        }
        out
    }
}

/// The queueing-theory overlay of queue `q`, from what the run measured: λ
/// from entries into the ready list, μ from the consumers' mean service time,
/// c from the live consumers, Wq from the waits of messages that left, and L
/// from the exact time-integral of the ready length.
fn overlay(sim: &Sim, q: u32) -> Option<crate::theory::Overlay> {
    let queue = &sim.amqp.queues[q as usize];
    let consumers = sim.amqp.consumers.iter().filter(|c| c.queue == q);
    let servers = consumers.clone().filter(|c| c.alive).count() as u32;
    let (served, busy) = sim
        .amqp
        .groups
        .iter()
        .enumerate()
        .filter(|(g, _)| sim.amqp.consumers.iter().any(|c| c.queue == q && c.group == *g as u32))
        .fold((0u64, 0u128), |(n, t), (_, group)| (n + group.served, t + group.busy_time));
    if served == 0 || queue.wait.left == 0 || sim.now() == 0 {
        return None;
    }
    let mut mean_service = busy as f64 / served as f64 / 1e9;
    // A rate-limited consumer serves no faster than its permits allow.
    let limit = sim.amqp.consumers.iter().filter(|c| c.queue == q).filter_map(|c| c.limiter.as_ref()).map(|l| l.interval_secs()).fold(0.0, f64::max);
    mean_service = mean_service.max(limit);
    let lambda = queue.wait.arrival_rate();
    let wq = queue.wait.mean_wait_secs();
    let mut o = crate::theory::Overlay::new(lambda, mean_service, servers, wq, queue.mean_length(sim.now()));
    o.l_little = queue.wait.little_l(sim.now());
    o.markovian = markovian(sim, q);
    Some(o)
}

/// The M/M/c formulas assume Poisson arrivals and exponential service, one
/// message at a time per consumer: true when every producer into the queue is
/// Poisson and every consumer exponential, with prefetch 1 and no rate limit
/// or downstream call.
fn markovian(sim: &Sim, q: u32) -> bool {
    use crate::scenario::Arrivals;
    let scenario = &sim.scenario;
    let producers = scenario.producers.iter().zip(&sim.producers).filter(|(_, p)| p.target == crate::engine::Target::Queue(q));
    let consumers = scenario.consumers.iter().filter(|c| c.queue.as_deref() == Some(scenario.queues[q as usize].name.as_str()));
    producers.clone().count() > 0
        && producers.clone().all(|(spec, _)| matches!(spec.arrivals, Arrivals::Poisson { .. }))
        && scenario.requests.is_empty()
        && consumers.clone().all(|c| {
            matches!(c.service, crate::kernel::Dist::Exponential { .. })
                && c.prefetch == 1
                && c.rate_limit.is_none()
                && c.calls.is_none()
        })
}

/// An overlay as one line of the text summary.
pub(crate) fn theory_line(o: &crate::theory::Overlay) -> String {
    let model = match o.partitioned_among {
        Some(members) => format!("{members} × M/M/k"),
        None => "M/M/c".to_string(),
    };
    let analytic = match (o.wq_analytic_ms, o.markovian) {
        (None, _) => "∞ (unstable)".to_string(),
        (Some(wq), true) => readable_ms(wq),
        (Some(wq), false) => format!("{} (assumes Poisson arrivals, exponential service)", readable_ms(wq)),
    };
    // `fixed(x, n)` is `{x:.n}` (see json::Num for why).
    format!(
        "λ {}/s  μ {}/s  c {}  ρ {}{}  Wq sim {} vs {model} {}  L {} vs λ·Wq {}",
        fixed(o.lambda, 1),
        fixed(o.mu, 1),
        o.servers,
        fixed(o.rho, 3),
        if o.unstable { " (ρ ≥ 1: the backlog grows without bound)" } else { "" },
        readable_ms(o.wq_simulated_ms),
        analytic,
        fixed(o.l_measured, 2),
        fixed(o.l_little, 2)
    )
}

/// Milliseconds as a person reads them: "99.5s", "6.69ms", "350ms", "12us",
/// with at most three decimals and no trailing zeros.
pub fn readable_ms(ms: f64) -> String {
    let (value, unit) = match ms.abs() {
        v if v >= 1000.0 => (ms / 1000.0, "s"),
        v if v >= 1.0 || v == 0.0 => (ms, "ms"),
        _ => (ms * 1000.0, "us"),
    };
    let text = fixed(value, 3);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{unit}")
}

#[cfg(test)]
mod tests {
    use super::readable_ms;

    /// Durations print with at most three decimals in the largest fitting unit.
    #[test]
    fn milliseconds_read_naturally() {
        assert_eq!(readable_ms(350.0), "350ms");
        assert_eq!(readable_ms(6.68734), "6.687ms");
        assert_eq!(readable_ms(99_500.0), "99.5s");
        assert_eq!(readable_ms(0.012), "12us");
        assert_eq!(readable_ms(0.0), "0ms");
    }
}
