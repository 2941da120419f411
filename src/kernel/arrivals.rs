//! Arrival processes: when a producer's next message (or a flow's next user
//! request) arrives. Shared by producers and request flows so that both
//! accept every workload shape. The scenario's `Arrivals` (data) becomes one
//! of these with `Arrivals::process`.

use crate::kernel::dist::{Dist, Sampler};
use crate::kernel::profile::Profile;
use crate::kernel::SimRng;
use crate::time::{NANOS_PER_SEC, SimTime};

pub enum ArrivalProcess {
    /// Evenly spaced at `rate` per second: the k-th arrival after `origin`
    /// is at origin + k/rate rounded to the nanosecond, computed from k
    /// rather than by adding a rounded gap, so that a rate whose gap is not a
    /// whole number of nanoseconds (150/s) still sends exactly r·d messages
    /// in d seconds. `origin` is set by the first arrival.
    Even { rate: f64, origin: Option<SimTime>, k: u64 },
    /// Independent, identically distributed gaps: a Poisson
    /// process with a fixed rate, or any gap distribution (and the same,
    /// ready for drawing).
    Renewal(Dist, Sampler),
    /// A time-varying rate λ(t). `cursor` is the last arrival in unrounded
    /// seconds, so that rounding each arrival to a nanosecond never drifts.
    Shaped { profile: Profile, poisson: bool, cursor: f64 },
}

impl ArrivalProcess {
    /// Evenly spaced at `rate` per second.
    pub fn even(rate: f64) -> ArrivalProcess {
        ArrivalProcess::Even { rate, origin: None, k: 0 }
    }

    /// A time-varying rate, arrivals evenly spaced in Λ(t) or Poisson.
    pub fn shaped(profile: Profile, poisson: bool) -> ArrivalProcess {
        ArrivalProcess::Shaped { profile, poisson, cursor: 0.0 }
    }

    /// Independent gaps drawn from `gaps`.
    pub fn renewal(gaps: Dist) -> ArrivalProcess {
        let sampler = Sampler::new(&gaps);
        ArrivalProcess::Renewal(gaps, sampler)
    }

    /// The first arrival at or after `start`: at `start` itself, or for a
    /// shaped rate, where the rate first rises above zero.
    pub fn first(&mut self, start: SimTime) -> Option<SimTime> {
        match self {
            ArrivalProcess::Even { origin, k, .. } => {
                (*origin, *k) = (Some(start), 0);
                Some(start)
            }
            ArrivalProcess::Renewal(..) => Some(start),
            ArrivalProcess::Shaped { profile, cursor, .. } => {
                let t = profile.first_positive(start as f64 / NANOS_PER_SEC as f64)?;
                *cursor = t;
                Some(to_nanos(t))
            }
        }
    }

    /// The arrival after one at `prev`; None when no more will come.
    ///
    /// A shaped process finds where the cumulative rate Λ has grown by one
    /// (evenly spaced) or by an Exp(1) draw (Poisson: the time-transformation
    /// method, exact for any λ(t)). Inlined: it runs for every
    /// message (see `engine`'s module docs).
    #[inline(always)]
    pub fn next(&mut self, prev: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        match self {
            ArrivalProcess::Renewal(_, gaps) => Some(prev.saturating_add(gaps.sample(rng))),
            ArrivalProcess::Even { rate, origin, k } => {
                // A process that starts mid-run (a live rate change) counts from its first arrival.
                let origin = *origin.get_or_insert(prev);
                *k += 1;
                let offset = libm::round(*k as f64 * NANOS_PER_SEC as f64 / *rate);
                Some(origin.saturating_add(offset as SimTime).max(prev.saturating_add(1)))
            }
            ArrivalProcess::Shaped { .. } => self.next_shaped(prev, rng),
        }
    }

    /// `next` for a shaped rate.
    #[inline(never)]
    fn next_shaped(&mut self, prev: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        let ArrivalProcess::Shaped { profile, poisson, cursor } = self else { return None };
        let work = if *poisson { crate::kernel::ziggurat::standard_exponential(rng) } else { 1.0 };
        *cursor = profile.advance(*cursor, work)?;
        Some(to_nanos(*cursor).max(prev))
    }

    /// Expected arrivals between `start` and `end` (for the message budget).
    pub fn expected(&self, start: SimTime, end: SimTime) -> f64 {
        let secs = |t: SimTime| t as f64 / NANOS_PER_SEC as f64;
        match self {
            ArrivalProcess::Even { rate, .. } => secs(end.saturating_sub(start)) * rate,
            ArrivalProcess::Renewal(gaps, _) => secs(end.saturating_sub(start)) * NANOS_PER_SEC as f64 / gaps.mean(),
            ArrivalProcess::Shaped { profile, .. } => profile.integral(secs(start), secs(end.max(start))),
        }
    }
}

fn to_nanos(secs: f64) -> SimTime {
    libm::round(secs * NANOS_PER_SEC as f64) as SimTime
}
