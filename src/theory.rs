//! Queueing theory, for the overlay that tells a learner whether a queue is
//! stable and what its waiting time should be.
//!
//! These are closed forms, computed from rates that the *simulation measured*
//! (λ from arrivals, μ from mean service time, c from live consumers); the
//! overlay sets them next to the simulated values so a learner can see theory
//! and simulation agree — or see why they don't (ρ ≥ 1, a non-exponential
//! service time, a transient).

use serde::Serialize;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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
}

/// Why the M/M/c formulas do not apply to a queue or group, or (for a Kafka
/// group) what they are compared with: a key the page has words for
/// (`vocabulary().theory_notes`). Serialized as its snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TheoryNote {
    /// Arrivals are not Poisson or service not exponential (or a consumer
    /// has prefetch above 1, a rate limit or a downstream call, or user
    /// requests publish into the queue): M/M/c is shown as a reference only.
    NotMarkovian,
    /// Every producer feeding the queue stops during the run, and while
    /// they sent, arrivals exceeded what the consumers can take: a one-off
    /// burst with no steady state, which the burst model describes.
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
    pub const ALL: [TheoryNote; 9] = [
        TheoryNote::NotMarkovian,
        TheoryNote::OneOffBurst,
        TheoryNote::ConsumersChanged,
        TheoryNote::RateChanged,
        TheoryNote::ArrivalsVary,
        TheoryNote::NoConsumers,
        TheoryNote::NoData,
        TheoryNote::KafkaPartitioned,
        TheoryNote::KafkaMembersChanged,
    ];
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
