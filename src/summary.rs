//! The summary of a run: what the CLI prints and the page shows as numbers.
//! Everything in it is read off the simulation; nothing is computed from the
//! scenario's parameters.

use serde::Serialize;

use crate::amqp::exchange::Dest;
use crate::engine::Sim;
use crate::ledger::MsgState;
use crate::theory::{Burst, Measured, Model, Overlay, Theory, TheoryNote, theory_text};
pub use crate::time::readable_ms;
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
    /// Which model applies (`"mmc"`, `"burst"` or `"none"`; see `queue_theory`).
    pub model: Model,
    /// Why M/M/c does not apply (a `vocabulary().theory_notes` key), `null`
    /// when it applies as it stands.
    pub note: Option<TheoryNote>,
    /// The burst model's figures when `model` is `"burst"`, else `null`.
    pub burst: Option<Burst>,
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
        let stats = &sim.cx.stats;
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
            latency_ms: sim.cx.latency.whole_run(),
            peak_backlog: peak(stats.peak_backlog, stats.peak_backlog_at),
            queues: sim
                .amqp
                .queues
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let overlay = overlay(sim, i as u32);
                    let Theory { model, note, burst } = queue_theory(sim, i as u32, overlay.as_ref());
                    QueueSummary {
                        name: q.name.clone(),
                        depth: q.ready.len() as u64,
                        peak: peak(q.peak, q.peak_at),
                        overlay,
                        model,
                        note,
                        burst,
                    }
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
            kafka: sim.kafka_summary(),
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
            if let Some(text) = theory_text(q.model, q.note, q.burst, q.overlay.as_ref()) {
                line("    theory", text);
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
fn overlay(sim: &Sim, q: u32) -> Option<Overlay> {
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
    let mut o = Overlay::new(lambda, mean_service, servers, wq, queue.mean_length(sim.now()));
    o.l_little = queue.wait.little_l(sim.now());
    o.markovian = markovian(sim, q);
    Some(o)
}

/// The M/M/c formulas assume Poisson arrivals and exponential service, one
/// message at a time per consumer: true when every producer feeding the
/// queue is Poisson and sends each message to it (straight, or through a
/// fanout exchange bound to it: a copy of a Poisson stream is Poisson,
/// while routing by key picks a pattern of it), nothing else publishes into
/// it, and every consumer is exponential, with prefetch 1 and no rate limit
/// or downstream call.
fn markovian(sim: &Sim, q: u32) -> bool {
    use crate::scenario::Target;
    use crate::scenario::{Arrivals, ExchangeKind};
    let scenario = &sim.scenario;
    let feeders = Feeders::of(sim, q);
    let every_message = |p: usize| match sim.producers[p].target {
        Target::Queue(_) => true,
        Target::Exchange(x) => {
            let exchange = &sim.amqp.exchanges[x as usize];
            exchange.kind == ExchangeKind::Fanout && exchange.bindings.iter().any(|b| b.dest == Dest::Queue(q))
        }
        Target::Topic(_) => false,
    };
    let consumers = scenario.consumers.iter().filter(|c| c.queue.as_deref() == Some(scenario.queues[q as usize].name.as_str()));
    !feeders.producers.is_empty()
        && feeders.flows.is_empty()
        && !feeders.others
        && feeders.producers.iter().all(|&p| matches!(scenario.producers[p].arrivals, Arrivals::Poisson { .. }) && every_message(p))
        && scenario.requests.is_empty()
        && consumers.clone().all(|c| {
            matches!(c.service, crate::kernel::Dist::Exponential { .. })
                && c.prefetch == 1
                && c.rate_limit.is_none()
                && c.calls.is_none()
        })
}

/// What publishes into a queue.
struct Feeders {
    /// Producers (their places in the scenario) whose messages can reach
    /// it: those publishing into it, and those publishing into an exchange
    /// from which a binding (or an alternate exchange) leads to it.
    producers: Vec<usize>,
    /// User request flows that publish into it (their places in `requests`).
    flows: Vec<usize>,
    /// Something else does: it is a dead-letter queue, a choreographed
    /// consumer publishes into it, or replies to requests arrive in it.
    others: bool,
}

impl Feeders {
    fn of(sim: &Sim, q: u32) -> Feeders {
        use crate::scenario::Target;
        use crate::system::request::FlowStep;
        let exchanges = &sim.amqp.exchanges;
        // Exchanges from which `q` can be reached, found backwards from it.
        let mut reaches = vec![false; exchanges.len()];
        loop {
            let mut grew = false;
            for (x, exchange) in exchanges.iter().enumerate() {
                let leads = exchange.bindings.iter().any(|b| match b.dest {
                    Dest::Queue(d) => d == q,
                    Dest::Exchange(e) => reaches[e as usize],
                }) || exchange.alternate.is_some_and(|a| reaches[a as usize]);
                if leads && !reaches[x] {
                    reaches[x] = true;
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        let mut feeders = Feeders { producers: Vec::new(), flows: Vec::new(), others: sim.amqp.queues[q as usize].is_dlq };
        for (p, producer) in sim.producers.iter().enumerate() {
            let feeds = match producer.target {
                Target::Queue(t) => t == q,
                Target::Exchange(x) => reaches[x as usize],
                Target::Topic(_) => false,
            };
            if feeds {
                feeders.producers.push(p);
            }
        }
        for (f, flow) in sim.system.flows.iter().enumerate() {
            for step in flow.steps() {
                if let FlowStep::Publish { queues, .. } | FlowStep::Outbox { queues } = step {
                    if queues.contains(&q) && feeders.flows.last() != Some(&f) {
                        feeders.flows.push(f);
                    }
                }
            }
        }
        for group in &sim.amqp.groups {
            feeders.others |= group.emit.publish.contains(&q) || group.emit.on_decline.contains(&q);
        }
        let name = &sim.amqp.queues[q as usize].name;
        for spec in &sim.scenario.producers {
            feeders.others |= spec.reply.as_ref().is_some_and(|r| &r.queue == name);
        }
        feeders
    }
}

/// Which model describes queue `q` (see `theory::Model`), in this order:
///
/// - none, when nothing consumes from it, nothing has been served yet, its
///   consumers changed during the run (a crash, a restart, live scaling,
///   the autoscaler, a slowed instance: no single c describes it — mqsim
///   does not restart the measurement at the change), the broker crashed,
///   a service its consumers call has been down,
///   a producer's rate was changed live, a producer or request flow
///   follows a shaped rate, or the queue expires or drops messages (a TTL,
///   a max length);
/// - the burst model, when every producer and request flow feeding it stops
///   during the run, nothing else publishes into it, and while they sent,
///   messages came faster than the consumers take them (λ > c·μ): peak
///   shaving;
/// - M/M/c otherwise, a reference only (`not_markovian`) unless arrivals
///   are Poisson and service exponential (`overlay.markovian`). A queue
///   whose producers stop but whose consumers kept up is M/M/c over the
///   window in which messages arrived, which is what λ is measured over.
fn queue_theory(sim: &Sim, q: u32, overlay: Option<&Overlay>) -> Theory {
    use crate::scenario::Arrivals;
    let queue = &sim.amqp.queues[q as usize];
    if !sim.amqp.consumers.iter().any(|c| c.queue == q) {
        return Theory::none(TheoryNote::NoConsumers);
    }
    let Some(o) = overlay else { return Theory::none(TheoryNote::NoData) };
    if queue.consumers_changed_at.is_some() {
        return Theory::none(TheoryNote::ConsumersChanged);
    }
    if sim.amqp.stats.broker_crashes > 0 {
        return Theory::none(TheoryNote::BrokerCrashed);
    }
    let now = sim.now();
    let calls = sim.amqp.consumers.iter().filter(|c| c.queue == q).filter_map(|c| sim.amqp.groups[c.group as usize].calls);
    if calls.clone().any(|s| sim.system.services[s as usize].was_down_by(now)) {
        return Theory::none(TheoryNote::ServiceOutage);
    }
    let feeders = Feeders::of(sim, q);
    let scenario = &sim.scenario;
    let end = scenario.duration.0;
    // What the producers and request flows feeding the queue do.
    let (mut rate_changed, mut shaped, mut expiring, mut all_stop, mut all_ended) = (false, false, false, true, true);
    for &p in &feeders.producers {
        let spec = &scenario.producers[p];
        rate_changed |= sim.producers[p].rate_changed();
        shaped |= matches!(spec.arrivals, Arrivals::Shaped { .. });
        expiring |= spec.ttl.is_some();
        all_stop &= spec.count.is_some() || spec.stop.is_some_and(|s| s.0 < end);
        all_ended &= sim.producers[p].finished(now);
    }
    for &f in &feeders.flows {
        let spec = &scenario.requests[f];
        shaped |= matches!(spec.arrivals, Arrivals::Shaped { .. });
        all_stop &= spec.stop.is_some_and(|s| s.0 < end);
        all_ended &= sim.system.flows[f].finished(now);
    }
    if rate_changed {
        return Theory::none(TheoryNote::RateChanged);
    }
    if shaped {
        return Theory::none(TheoryNote::ArrivalsVary);
    }
    if expiring || queue.ttl.is_some() || queue.max_length.is_some() {
        return Theory::none(TheoryNote::QueueLimits);
    }
    let fed = !feeders.producers.is_empty() || !feeders.flows.is_empty();
    if fed && !feeders.others && all_stop {
        let measured = Measured {
            arrived: queue.wait.entered - queue.wait.requeued,
            first: queue.wait.first_entry.unwrap_or(0),
            last: queue.wait.last_arrival,
            peak: queue.backlog_peak,
            peak_at: queue.backlog_peak_at,
            drained_at: queue.drained_at,
            arrivals_ended: all_ended,
        };
        if let Some(burst) = Burst::new(measured, f64::from(o.servers) * o.mu) {
            return Theory { model: Model::Burst, note: Some(TheoryNote::OneOffBurst), burst: Some(burst) };
        }
    }
    Theory { model: Model::Mmc, note: (!o.markovian).then_some(TheoryNote::NotMarkovian), burst: None }
}
