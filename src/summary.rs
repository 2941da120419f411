//! The summary of a run: what the CLI prints and the page shows as numbers.
//! Everything in it is read off the simulation; nothing is computed from the
//! scenario's parameters.

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
    /// The ledger agreed with the queues and consumers at every sample.
    pub ledger_balanced: bool,
    pub budget_reached: bool,
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
                .map(|q| QueueSummary { name: q.name.clone(), depth: q.ready.len() as u64, peak: peak(q.peak, q.peak_at) })
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
            ledger_balanced: stats.ledger_mismatch_at.is_none() && sim.ledger_matches_world(),
            budget_reached: stats.budget_reached,
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

/// Milliseconds as a person reads them: "99.5s", "6.69ms", "350ms", "12us",
/// with at most three decimals and no trailing zeros.
pub fn readable_ms(ms: f64) -> String {
    let (value, unit) = match ms.abs() {
        v if v >= 1000.0 => (ms / 1000.0, "s"),
        v if v >= 1.0 || v == 0.0 => (ms, "ms"),
        _ => (ms * 1000.0, "us"),
    };
    let text = format!("{value:.3}");
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
