//! Distributions of inter-arrival and service times.
//!
//! Every sample is computed with IEEE basic arithmetic and the pure-Rust `libm`
//! (never `f64::ln`/`exp`, which call the host's C library natively and a
//! different implementation in wasm), then rounded to whole nanoseconds. That
//! keeps a seed's samples bit-identical on every platform.

use serde::Serialize;

use super::rng::SimRng;
use crate::json::Num;
use super::ziggurat::{Ziggurat, standard_exponential};
use crate::time::{Duration, NANOS_PER_SEC, SimTime};

/// A distribution of durations, as written in a scenario file. Externally
/// tagged (`{"exponential": {"mean": "10ms"}}`) so that parse errors can name
/// the exact JSON path inside it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dist {
    /// Always the same duration.
    Constant(Duration),
    /// Uniform between `min` and `max`, inclusive.
    Uniform { min: Duration, max: Duration },
    /// Exponential with the given mean: the gaps of a Poisson process, and the
    /// service times of an M/M/c queue.
    Exponential { mean: Duration },
    /// Normal with `mean` and `std_dev`, truncated at zero (a negative duration
    /// has no meaning, so it is resampled).
    Normal { mean: Duration, std_dev: Duration },
    /// Log-normal whose median is `median` and whose logarithm has standard
    /// deviation `sigma`: a long right tail, as real service times have.
    Lognormal { median: Duration, sigma: f64 },
    /// An empirical table of (duration, weight) rows; a row is chosen with
    /// probability proportional to its weight.
    Empirical(Vec<(Duration, f64)>),
}

crate::json::read_enum!(Dist {
    "constant" => Constant(_),
    "uniform" => Uniform { min, max },
    "exponential" => Exponential { mean },
    "normal" => Normal { mean, std_dev },
    "lognormal" => Lognormal { median, sigma },
    "empirical" => Empirical(_),
});

impl Dist {
    /// A Poisson process of `rate` events per second has exponential gaps with
    /// mean 1/rate.
    pub fn poisson_gaps(rate_per_sec: f64) -> Dist {
        Dist::Exponential { mean: Duration(rate_to_gap(rate_per_sec)) }
    }

    /// Draws one duration.
    ///
    /// Inlined for the two distributions a hot loop usually samples (the
    /// exponential of Poisson arrivals and M/M/c service, and the constant),
    /// which saves a call per event; the others go through `sample_any`.
    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> SimTime {
        match self {
            Dist::Exponential { mean } => exponential(rng, mean.0),
            Dist::Constant(d) => d.0,
            _ => self.sample_any(rng),
        }
    }

    #[inline(never)]
    pub(crate) fn sample_any(&self, rng: &mut SimRng) -> SimTime {
        match self {
            Dist::Constant(d) => d.0,
            Dist::Uniform { min, max } => {
                let span = (max.0 - min.0) as f64 + 1.0;
                min.0 + ((rng.unit() * span) as SimTime).min(max.0 - min.0)
            }
            Dist::Exponential { mean } => exponential(rng, mean.0),
            Dist::Normal { mean, std_dev } => loop {
                let x = mean.0 as f64 + std_dev.0 as f64 * standard_normal(rng);
                if x >= 0.0 {
                    break to_nanos(x);
                }
            },
            Dist::Lognormal { median, sigma } => {
                to_nanos(median.0 as f64 * libm::exp(sigma * standard_normal(rng)))
            }
            Dist::Empirical(rows) => {
                let total: f64 = rows.iter().map(|(_, w)| w).sum();
                let mut target = rng.unit() * total;
                for (value, weight) in rows {
                    if target < *weight {
                        return value.0;
                    }
                    target -= weight;
                }
                // Rounding can leave a sliver past the last row; it belongs to it.
                rows.last().map_or(0, |(value, _)| value.0)
            }
        }
    }

    /// The distribution's mean in nanoseconds, for the queueing-theory overlay
    /// and for "how fast does this consumer drain?".
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Constant(d) => d.0 as f64,
            Dist::Uniform { min, max } => (min.0 as f64 + max.0 as f64) / 2.0,
            Dist::Exponential { mean } => mean.0 as f64,
            // Truncation at zero shifts the mean only when std_dev is a large
            // fraction of it; the untruncated mean is close enough to report.
            Dist::Normal { mean, .. } => mean.0 as f64,
            Dist::Lognormal { median, sigma } => median.0 as f64 * libm::exp(sigma * sigma / 2.0),
            Dist::Empirical(rows) => {
                let total: f64 = rows.iter().map(|(_, w)| w).sum();
                rows.iter().map(|(v, w)| v.0 as f64 * w).sum::<f64>() / total
            }
        }
    }

    /// Checks the parameters; `Err` says what is allowed (the caller adds the path).
    pub fn check(&self) -> Result<(), String> {
        match self {
            Dist::Uniform { min, max } if min > max => {
                Err(format!("uniform needs min <= max, got min {min} and max {max}"))
            }
            Dist::Exponential { mean } if mean.0 == 0 => Err("exponential needs a mean above 0".into()),
            Dist::Lognormal { sigma, .. } if !(sigma.is_finite() && *sigma >= 0.0 && *sigma <= 10.0) => {
                Err(format!("lognormal sigma must be a finite number from 0 to 10, got {}", Num(*sigma)))
            }
            Dist::Empirical(rows) if rows.is_empty() => Err("an empirical table needs at least one row".into()),
            Dist::Empirical(rows) => {
                if let Some((i, (_, w))) = rows.iter().enumerate().find(|(_, (_, w))| !(w.is_finite() && *w >= 0.0)) {
                    return Err(format!("row {i}: a weight must be a finite number >= 0, got {}", Num(*w)));
                }
                if rows.iter().all(|(_, w)| *w == 0.0) {
                    return Err("an empirical table needs at least one weight above 0".into());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// A `Dist` made ready for drawing in a hot loop: the exponential (Poisson
/// gaps, M/M/c service) and the constant get variants of their own with
/// their parameter already in the form a draw uses, so that a draw is one
/// small match. Draws are bit-identical to `Dist::sample`.
#[derive(Clone, Debug, PartialEq)]
pub enum Sampler {
    /// An exponential with this mean, in nanoseconds, and the ziggurat's
    /// tables.
    Exponential(f64, Ziggurat),
    Constant(SimTime),
    Other(Dist),
}

impl Sampler {
    pub fn new(dist: &Dist) -> Sampler {
        match dist {
            Dist::Exponential { mean } => Sampler::Exponential(mean.0 as f64, Ziggurat::new()),
            Dist::Constant(d) => Sampler::Constant(d.0),
            other => Sampler::Other(other.clone()),
        }
    }

    /// Draws one duration, exactly as `Dist::sample` would. Inlined
    /// into the arrival and service loops (see `engine`'s module docs).
    #[inline(always)]
    pub fn sample(&self, rng: &mut SimRng) -> SimTime {
        match self {
            Sampler::Exponential(mean, ziggurat) => to_nanos(ziggurat.sample(rng) * mean),
            Sampler::Constant(d) => *d,
            Sampler::Other(dist) => dist.sample_any(rng),
        }
    }
}

/// The gap between events of a process running at `rate` per second, in whole
/// nanoseconds (at least one, so a huge rate cannot stall the clock).
pub fn rate_to_gap(rate_per_sec: f64) -> SimTime {
    to_nanos(NANOS_PER_SEC as f64 / rate_per_sec).max(1)
}

/// An exponential draw with the given mean (by the ziggurat; see `ziggurat`).
#[inline]
fn exponential(rng: &mut SimRng, mean: SimTime) -> SimTime {
    to_nanos(standard_exponential(rng) * mean as f64)
}

/// A standard normal draw by the Box–Muller transform, using one pair of
/// uniforms per draw (the second normal is discarded to keep the stream simple).
fn standard_normal(rng: &mut SimRng) -> f64 {
    let u1 = rng.unit_open_zero();
    let u2 = rng.unit();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}

/// Rounds a non-negative float of nanoseconds to the nearest integer (half
/// away from zero), saturating instead of wrapping on overflow.
///
/// This is exactly `libm::round(x) as SimTime` for every `x`, including
/// negatives, NaN and infinities (a test below checks), without the call:
/// it runs for every sample, and rounding is exact arithmetic, so there is
/// no platform difference to guard against. The truncating cast saturates,
/// and `x - whole` is exact, because it only drops the integer bits of `x`.
#[inline]
fn to_nanos(x: f64) -> SimTime {
    // Durations below 2^63 ns (292 years) take the signed conversions, one
    // instruction each on x86-64; everything else the saturating ones.
    if (0.0..9.223372036854775e18).contains(&x) {
        let whole = x as i64;
        let fraction = x - whole as f64;
        return whole as SimTime + SimTime::from(fraction >= 0.5);
    }
    let whole = x as SimTime;
    let fraction = x - whole as f64;
    whole.saturating_add(SimTime::from(fraction >= 0.5))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::NANOS_PER_MILLI;

    fn ms(n: u64) -> Duration {
        Duration(n * NANOS_PER_MILLI)
    }

    fn sample_mean(dist: &Dist, n: usize) -> f64 {
        let mut rng = SimRng::new(42);
        (0..n).map(|_| dist.sample(&mut rng) as f64).sum::<f64>() / n as f64
    }

    /// A constant distribution always returns its value.
    #[test]
    fn constant_is_constant() {
        let mut rng = SimRng::new(1);
        assert!((0..100).all(|_| Dist::Constant(ms(5)).sample(&mut rng) == 5 * NANOS_PER_MILLI));
    }

    /// A sampler draws exactly what its distribution draws, from the same stream.
    #[test]
    fn samplers_draw_what_their_distributions_draw() {
        let dists = [
            Dist::Exponential { mean: ms(10) },
            Dist::Exponential { mean: Duration(1_111_111) },
            Dist::Constant(ms(3)),
            Dist::Uniform { min: ms(1), max: ms(9) },
            Dist::Lognormal { median: ms(5), sigma: 0.7 },
        ];
        for dist in dists {
            let sampler = Sampler::new(&dist);
            let (mut a, mut b) = (SimRng::new(9), SimRng::new(9));
            for _ in 0..10_000 {
                assert_eq!(sampler.sample(&mut a), dist.sample(&mut b), "{dist:?}");
            }
        }
    }

    /// Sample means converge to the analytic mean for every distribution.
    #[test]
    fn sample_means_match_analytic_means() {
        let dists = [
            Dist::Uniform { min: ms(2), max: ms(8) },
            Dist::Exponential { mean: ms(10) },
            Dist::Normal { mean: ms(50), std_dev: ms(5) },
            Dist::Lognormal { median: ms(10), sigma: 0.5 },
            Dist::Empirical(vec![(ms(1), 3.0), (ms(10), 1.0)]),
        ];
        for dist in &dists {
            let (got, want) = (sample_mean(dist, 200_000), dist.mean());
            assert!((got - want).abs() / want < 0.01, "{dist:?}: sample mean {got}, analytic {want}");
        }
    }

    /// Uniform samples stay inside [min, max].
    #[test]
    fn uniform_stays_in_bounds() {
        let mut rng = SimRng::new(3);
        let d = Dist::Uniform { min: Duration(10), max: Duration(12) };
        let seen: std::collections::BTreeSet<_> = (0..1000).map(|_| d.sample(&mut rng)).collect();
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), [10, 11, 12]);
    }

    /// Invalid parameters are reported, not sampled.
    #[test]
    fn bad_parameters_are_rejected() {
        assert!(Dist::Uniform { min: ms(5), max: ms(1) }.check().is_err());
        assert!(Dist::Exponential { mean: Duration(0) }.check().is_err());
        assert!(Dist::Lognormal { median: ms(1), sigma: f64::NAN }.check().is_err());
        assert!(Dist::Empirical(vec![]).check().is_err());
        assert!(Dist::Empirical(vec![(ms(1), -1.0)]).check().is_err());
        assert!(Dist::Empirical(vec![(ms(1), 0.0)]).check().is_err());
    }

    /// Rounding to nanoseconds equals `libm::round` on halves, huge values, negatives, NaN and infinities.
    #[test]
    fn rounding_to_nanos_matches_libm_round() {
        let reference = |x: f64| libm::round(x) as SimTime;
        let specials = [
            0.0, -0.0, 0.5, 1.5, 2.5, 0.49999999999999994, 1e-300, -0.5, -0.7, -3.2, 4503599627370495.5,
            4503599627370496.0, 9007199254740993.0, 1.8446744073709552e19, 3e19, f64::MAX, f64::INFINITY,
            f64::NEG_INFINITY, f64::NAN,
        ];
        for x in specials {
            assert_eq!(to_nanos(x), reference(x), "{x:e}");
        }
        let mut rng = SimRng::new(9);
        for _ in 0..200_000 {
            // Random bit patterns cover every exponent; scaled uniforms cover
            // the durations that samples really have.
            let bits = f64::from_bits(rng.next_u64());
            let scaled = rng.unit() * 1e12;
            let half = (rng.next_u64() % 1_000_000) as f64 + 0.5;
            for x in [bits, scaled, half, -scaled] {
                assert_eq!(to_nanos(x), reference(x), "{x:e}");
            }
        }
    }

    /// A Poisson rate converts to exponential gaps with mean 1/rate.
    #[test]
    fn poisson_gaps_have_mean_one_over_rate() {
        assert_eq!(Dist::poisson_gaps(1000.0).mean(), NANOS_PER_MILLI as f64);
    }
}
