//! Queueing theory, for the overlay that tells a learner whether a queue is
//! stable and what its waiting time should be.
//!
//! These are closed forms, computed from rates that the *simulation measured*
//! (λ from arrivals, μ from mean service time, c from live consumers); the
//! overlay sets them next to the simulated values so a learner can see theory
//! and simulation agree — or see why they don't (ρ ≥ 1, a non-exponential
//! service time, a transient).

use serde::Serialize;

use crate::json::fixed;
use crate::time::readable_ms;

/// Offered load per server: ρ = λ / (c·μ). At ρ ≥ 1 the backlog grows without bound.
pub fn utilisation(lambda: f64, mu: f64, c: u32) -> f64 {
    lambda / (f64::from(c) * mu)
}

/// Erlang C: the probability that an arriving customer has to wait in an
/// M/M/c queue (all c servers busy). Computed with the numerically stable
/// recurrence on the Erlang B formula, B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)),
/// then C = B / (1 − ρ(1 − B)). Returns 1 when the queue is unstable.
pub fn erlang_c(lambda: f64, mu: f64, c: u32) -> f64 {
    let rho = utilisation(lambda, mu, c);
    if c == 0 || rho >= 1.0 {
        return 1.0;
    }
    let a = lambda / mu;
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b / (1.0 - rho * (1.0 - b))
}

/// Mean time in queue (before service) of an M/M/c queue:
/// Wq = C(c, a) / (c·μ − λ). Infinite when unstable.
pub fn mmc_wait(lambda: f64, mu: f64, c: u32) -> f64 {
    if utilisation(lambda, mu, c) >= 1.0 {
        return f64::INFINITY;
    }
    erlang_c(lambda, mu, c) / (f64::from(c) * mu - lambda)
}

/// Mean time in queue of an M/M/1 queue: Wq = ρ / (μ − λ).
pub fn mm1_wait(lambda: f64, mu: f64) -> f64 {
    mmc_wait(lambda, mu, 1)
}

/// Which model the theory panel sets next to a queue's (or a Kafka
/// group's) measurement. Serialized as its name: `"mmc"`, `"burst"`, `"none"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// The steady-state M/M/c formulas (Erlang C), with measured λ, μ and c:
    /// `overlay` holds them (a reference only when `note` says so).
    Mmc,
    /// A one-off burst: arrivals above capacity that stop; `burst` holds the
    /// fluid model's peak and drain time next to what was measured.
    Burst,
    /// No model fits the run; `note` says why.
    None,
}

impl Model {
    pub const ALL: [Model; 3] = [Model::Mmc, Model::Burst, Model::None];

    pub fn name(self) -> &'static str {
        match self {
            Model::Mmc => "mmc",
            Model::Burst => "burst",
            Model::None => "none",
        }
    }
}

impl Serialize for Model {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Why the M/M/c formulas do not apply to a queue or group, or (for a Kafka
/// group) what they are compared with: a key the page has words for
/// (`vocabulary().theory_notes`). Serialized as its snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TheoryNote {
    /// Arrivals are not Poisson or service not exponential (or a consumer
    /// has prefetch above 1, a rate limit or a downstream call, or user
    /// requests publish into the queue): M/M/c is shown as a reference only.
    NotMarkovian,
    /// Every producer feeding the queue stops during the run, and while
    /// they sent, arrivals exceeded what the consumers can take: a one-off
    /// burst with no steady state. For a queue the burst model describes
    /// it (`model: "burst"`); a Kafka group gets no model (`"none"`).
    OneOffBurst,
    /// The queue's consumers changed during the run (a crash or restart, a
    /// live `set_consumers`, the autoscaler), so no single c describes it.
    ConsumersChanged,
    /// A producer feeding the queue had its rate changed live, so no
    /// single λ describes it.
    RateChanged,
    /// A producer feeding the queue follows a shaped rate (spike, step,
    /// ramp, sine, replay): λ varies over the run.
    ArrivalsVary,
    /// The queue expires or drops messages (a message TTL, or a max length
    /// with its overflow rule), which neither M/M/c nor the burst model has:
    /// what leaves unserved is not in their backlog.
    QueueLimits,
    /// A broker crashed during the run (the queue family's broker, or a
    /// Kafka broker of the cluster): deliveries stopped for a while, so no
    /// steady-state model describes the run.
    BrokerCrashed,
    /// A service its consumers call was down for a while (an outage window
    /// or a live `service_down`): they held their messages and waited, so
    /// no steady-state model describes the run.
    ServiceOutage,
    /// Nothing consumes from the queue (a dead-letter queue, say).
    NoConsumers,
    /// No consumer has served a message from it yet.
    NoData,
    /// A Kafka group: each member serves only its own partitions, so the
    /// measured wait is compared with that many separate M/M/k queues
    /// (`partitioned_among`), as a reference: fetch batching and how keys
    /// spread over partitions are outside the formula.
    KafkaPartitioned,
    /// A Kafka group whose members or partitions changed during the run
    /// (a member joined, left, crashed or expired, or partitions were
    /// added): it rebalanced, so no single c describes it.
    KafkaMembersChanged,
}

impl TheoryNote {
    pub const ALL: [TheoryNote; 12] = [
        TheoryNote::NotMarkovian,
        TheoryNote::OneOffBurst,
        TheoryNote::ConsumersChanged,
        TheoryNote::RateChanged,
        TheoryNote::ArrivalsVary,
        TheoryNote::QueueLimits,
        TheoryNote::BrokerCrashed,
        TheoryNote::ServiceOutage,
        TheoryNote::NoConsumers,
        TheoryNote::NoData,
        TheoryNote::KafkaPartitioned,
        TheoryNote::KafkaMembersChanged,
    ];
}

impl TheoryNote {
    /// Its snake_case name, as JSON and `vocabulary()` write it.
    pub fn name(self) -> &'static str {
        match self {
            TheoryNote::NotMarkovian => "not_markovian",
            TheoryNote::OneOffBurst => "one_off_burst",
            TheoryNote::ConsumersChanged => "consumers_changed",
            TheoryNote::RateChanged => "rate_changed",
            TheoryNote::ArrivalsVary => "arrivals_vary",
            TheoryNote::QueueLimits => "queue_limits",
            TheoryNote::BrokerCrashed => "broker_crashed",
            TheoryNote::ServiceOutage => "service_outage",
            TheoryNote::NoConsumers => "no_consumers",
            TheoryNote::NoData => "no_data",
            TheoryNote::KafkaPartitioned => "kafka_partitioned",
            TheoryNote::KafkaMembersChanged => "kafka_members_changed",
        }
    }
}

impl Serialize for TheoryNote {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Which model applies to a queue or a Kafka group, why, and for a burst
/// its figures: what the summary adds to each queue (`model`, `note` and
/// `burst` beside its `overlay`) and group (`model` and `note`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theory {
    pub model: Model,
    /// Why M/M/c does not apply, or (a Kafka group) what it is compared
    /// with; `null` when M/M/c applies as it stands.
    pub note: Option<TheoryNote>,
    /// The burst model's figures, when `model` is `burst`; else `null`.
    pub burst: Option<Burst>,
}

impl Theory {
    /// No model, for the reason `note`.
    pub fn none(note: TheoryNote) -> Theory {
        Theory { model: Model::None, note: Some(note), burst: None }
    }
}

/// A one-off burst into a queue, as a fluid model sees it: h messages
/// arrive at rate λ for d = h / λ seconds while the consumers take r per
/// second (λ > r), so the backlog grows at λ − r until t = d, peaking at
/// h − r·d, then drains at r and is empty h / r seconds after the burst
/// began. Every input is measured (h, λ and the start from the queue's
/// arrivals; r = c·μ from its consumers), and the prediction is set next
/// to the backlog the run actually had. Times are ms from the run's start
/// unless they say otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Burst {
    /// h: messages that arrived (requeues are not arrivals).
    pub arrived: u64,
    /// When the first arrived.
    pub start_ms: f64,
    /// λ: arrivals per second while they came (the gaps between the first
    /// and the last arrival).
    pub arrival_rate: f64,
    /// d = h / λ: the burst's length, ms.
    pub length_ms: f64,
    /// r = c·μ: what the consumers take per second.
    pub capacity: f64,
    /// The predicted peak backlog, h − r·d, reached at t = start + d.
    pub predicted_peak: f64,
    pub predicted_peak_at_ms: f64,
    /// The predicted drain time h / r, ms from the start of the burst.
    pub predicted_drain_ms: f64,
    /// The queue's largest backlog (ready plus delivered and not yet
    /// acknowledged), and when it was first reached.
    pub measured_peak: u64,
    pub measured_peak_at_ms: f64,
    /// The measured drain time, ms from the start of the burst to the first
    /// instant after the peak at which the backlog was 0; `null` while it
    /// has not emptied.
    pub measured_drain_ms: Option<f64>,
    /// Every producer feeding the queue has sent its last message; until
    /// then the figures describe the burst so far.
    pub arrivals_ended: bool,
}

/// What a queue measured, for `Burst::new`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measured {
    /// Arrivals, the first's and the last's time (ns).
    pub arrived: u64,
    pub first: u64,
    pub last: u64,
    /// The peak backlog, when it was first reached, and when the backlog was
    /// first empty after it (ns).
    pub peak: u64,
    pub peak_at: u64,
    pub drained_at: Option<u64>,
    pub arrivals_ended: bool,
}

impl Burst {
    /// The burst model of `m` with consumers taking `capacity` per second;
    /// none unless at least two messages arrived over a positive time and
    /// they came faster than the consumers take them (otherwise no backlog
    /// builds and a steady-state model is the one to use).
    pub fn new(m: Measured, capacity: f64) -> Option<Burst> {
        let window = m.last.checked_sub(m.first).filter(|&w| w > 0)?;
        if m.arrived < 2 || !(capacity > 0.0) || !capacity.is_finite() {
            return None;
        }
        // λ from the gaps between arrivals, and d = h / λ exactly in
        // integer nanoseconds: for h arrivals evenly spaced over a second,
        // d is that second, not the h − 1 gaps between them.
        let arrival_rate = (m.arrived - 1) as f64 / (window as f64 / 1e9);
        if arrival_rate <= capacity {
            return None;
        }
        let length = match m.arrived.checked_mul(window) {
            Some(product) => product / (m.arrived - 1),
            // Beyond 2^64 (ns × messages), a float's rounding is far below a nanosecond's worth.
            None => (m.arrived as f64 * window as f64 / (m.arrived - 1) as f64) as u64,
        };
        let length_s = length as f64 / 1e9;
        let ms = |ns: u64| ns as f64 / 1e6;
        Some(Burst {
            arrived: m.arrived,
            start_ms: ms(m.first),
            arrival_rate,
            length_ms: ms(length),
            capacity,
            predicted_peak: m.arrived as f64 - capacity * length_s,
            predicted_peak_at_ms: ms(m.first + length),
            predicted_drain_ms: m.arrived as f64 / capacity * 1e3,
            measured_peak: m.peak,
            measured_peak_at_ms: ms(m.peak_at),
            measured_drain_ms: m.drained_at.map(|t| ms(t.saturating_sub(m.first))),
            arrivals_ended: m.arrivals_ended,
        })
    }
}

/// The figures of one queue's overlay: theory next to measurement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Overlay {
    /// Measured arrival rate λ, per second, while messages were arriving.
    pub lambda: f64,
    /// Measured service rate μ of one consumer, per second (1 / mean service time).
    pub mu: f64,
    /// Consumers serving the queue.
    pub servers: u32,
    /// ρ = λ / (c·μ).
    pub rho: f64,
    /// ρ ≥ 1: the backlog grows without bound.
    pub unstable: bool,
    /// Analytic M/M/c mean wait in queue, ms (None when unstable).
    pub wq_analytic_ms: Option<f64>,
    /// Simulated mean wait in queue, ms.
    pub wq_simulated_ms: f64,
    /// Little's law: L (time-average number waiting, measured) against λ·Wq,
    /// both over the whole run.
    pub l_measured: f64,
    pub l_little: f64,
    /// The queue's arrivals are Poisson and its service exponential, so the
    /// M/M/c formulas apply (otherwise they are only a reference point).
    pub markovian: bool,
    /// A Kafka consumer group: its servers are split among this many
    /// members, each serving only its own partitions, so the analytic wait is
    /// that of this many separate M/M/k queues, each taking an even share of
    /// λ — longer than one shared M/M/c queue at the same ρ. None for a
    /// queue, whose consumers share one line.
    pub partitioned_among: Option<u32>,
}

impl Overlay {
    /// Builds the overlay from measured quantities (seconds and counts).
    pub fn new(lambda: f64, mean_service_s: f64, servers: u32, wq_simulated_s: f64, l_measured: f64) -> Overlay {
        let mu = if mean_service_s > 0.0 { 1.0 / mean_service_s } else { f64::INFINITY };
        let rho = utilisation(lambda, mu, servers);
        let unstable = rho >= 1.0;
        Overlay {
            lambda,
            mu,
            servers,
            rho,
            unstable,
            wq_analytic_ms: (!unstable).then(|| mmc_wait(lambda, mu, servers) * 1e3),
            wq_simulated_ms: wq_simulated_s * 1e3,
            l_measured,
            l_little: lambda * wq_simulated_s,
            markovian: false,
            partitioned_among: None,
        }
    }

    /// The overlay of a Kafka consumer group whose `servers` workers are
    /// spread over `members` members, each reading only its own partitions:
    /// the same ρ, but the analytic wait of `members` M/M/k queues, each
    /// with λ / `members` and k = `servers` / `members` (rounded).
    pub fn partitioned(lambda: f64, mean_service_s: f64, servers: u32, members: u32, wq_simulated_s: f64, l_measured: f64) -> Overlay {
        let mut o = Overlay::new(lambda, mean_service_s, servers, wq_simulated_s, l_measured);
        if members > 0 && !o.unstable {
            let k = ((f64::from(servers) / f64::from(members)).round() as u32).max(1);
            o.wq_analytic_ms = Some(mmc_wait(lambda / f64::from(members), o.mu, k) * 1e3).filter(|w| w.is_finite());
        }
        o.partitioned_among = Some(members);
        o
    }
}

/// A queue's or group's theory as one line of the text summary: the
/// overlay where M/M/c applies, the burst's figures, or why there is no
/// model (nothing when there is nothing to say: no consumers, no data).
pub(crate) fn theory_text(model: Model, note: Option<TheoryNote>, burst: Option<Burst>, o: Option<&Overlay>) -> Option<String> {
    let ms = readable_ms;
    match (model, burst, o) {
        (Model::Burst, Some(b), _) => Some(format!(
            "burst: {} arrived over {} at {}/s, consumers take {}/s: peak h − r·d = {} at {}, drained h/r = {} after it began; measured peak {} at {}, {}",
            b.arrived,
            ms(b.length_ms),
            fixed(b.arrival_rate, 1),
            fixed(b.capacity, 1),
            fixed(b.predicted_peak, 0),
            ms(b.predicted_peak_at_ms),
            ms(b.predicted_drain_ms),
            b.measured_peak,
            ms(b.measured_peak_at_ms),
            b.measured_drain_ms.map_or("not drained yet".to_string(), |d| format!("drained after {}", ms(d)))
        )),
        (Model::Mmc, _, Some(o)) => Some(theory_line(o)),
        _ => {
            let why = match note? {
                TheoryNote::NoConsumers | TheoryNote::NoData => return None,
                TheoryNote::ConsumersChanged => "its consumers changed during the run",
                TheoryNote::RateChanged => "a producer's rate was changed during the run",
                TheoryNote::ArrivalsVary => "a producer's rate varies over the run",
                TheoryNote::QueueLimits => "the queue expires or drops messages",
                TheoryNote::BrokerCrashed => "a broker crashed during the run",
                TheoryNote::ServiceOutage => "a service its consumers call was down during the run",
                TheoryNote::OneOffBurst => "a one-off burst (arrivals above capacity that stop)",
                TheoryNote::KafkaMembersChanged => "the group rebalanced during the run",
                TheoryNote::NotMarkovian | TheoryNote::KafkaPartitioned => return o.map(theory_line),
            };
            Some(format!("no model: {why}"))
        }
    }
}

/// An overlay as one line of the text summary.
pub(crate) fn theory_line(o: &Overlay) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Erlang C for λ = 900/s, μ = 100/s, c = 10 gives Wq = 6.6873 ms (the figure).
    #[test]
    fn erlang_c_matches_the_textbook_m_m_10() {
        let wq = mmc_wait(900.0, 100.0, 10);
        assert!((wq * 1e3 - 6.6873).abs() < 1e-4, "{}", wq * 1e3);
    }

    /// For one server, Erlang C reduces to ρ and Wq to ρ/(μ − λ).
    #[test]
    fn one_server_is_m_m_1() {
        assert!((erlang_c(80.0, 100.0, 1) - 0.8).abs() < 1e-12);
        assert!((mm1_wait(80.0, 100.0) - 0.04).abs() < 1e-12);
    }

    /// λ = 160/s over two members with one worker each at μ = 100/s is two
    /// M/M/1 queues at ρ = 0.8, each waiting ρ/(μ − λ/2) = 40 ms, where one
    /// shared M/M/2 line would wait only about 17.8 ms.
    #[test]
    fn a_partitioned_group_waits_as_separate_queues() {
        let shared = Overlay::new(160.0, 0.01, 2, 0.0, 0.0);
        let split = Overlay::partitioned(160.0, 0.01, 2, 2, 0.0, 0.0);
        assert_eq!(split.rho, shared.rho);
        assert!((split.wq_analytic_ms.unwrap() - 40.0).abs() < 1e-9, "{split:?}");
        assert!((shared.wq_analytic_ms.unwrap() - 17.778).abs() < 1e-3, "{shared:?}");
    }

    /// Peak shaving's figures: 100,000 messages evenly over a second into a
    /// consumer taking 1,000 per second peak at h − r·d = 99,000 at t = 1 s
    /// and drain in h / r = 100 s.
    #[test]
    fn a_burst_peaks_at_h_minus_r_d_and_drains_in_h_over_r() {
        let m = Measured {
            arrived: 100_000,
            first: 0,
            last: 999_990_000,
            peak: 99_000,
            peak_at: 999_990_000,
            drained_at: Some(99_999_000_000),
            arrivals_ended: true,
        };
        let b = Burst::new(m, 1000.0).unwrap();
        assert_eq!((b.length_ms, b.predicted_peak, b.predicted_peak_at_ms, b.predicted_drain_ms), (1000.0, 99_000.0, 1000.0, 100_000.0));
        assert!((b.arrival_rate - 100_000.0).abs() < 1e-6, "{}", b.arrival_rate);
        assert_eq!(b.measured_drain_ms, Some(99_999.0));
        assert_eq!(Burst::new(m, 200_000.0), None, "arrivals slower than the consumers build no backlog");
        assert_eq!(Burst::new(Measured { arrived: 1, ..m }, 1000.0), None);
    }

    /// An overloaded queue is flagged unstable with no finite analytic wait.
    #[test]
    fn overload_is_unstable() {
        let o = Overlay::new(1100.0, 0.01, 10, 0.5, 10.0);
        assert!(o.unstable);
        assert!(o.rho > 1.0);
        assert_eq!(o.wq_analytic_ms, None);
        assert_eq!(mmc_wait(1100.0, 100.0, 10), f64::INFINITY);
    }
}
