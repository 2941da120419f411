//! Arrival processes: when a producer's next message (or a flow's next user
//! request) arrives. Shared by producers and request flows so that both
//! accept every workload shape.

use crate::kernel::dist::{Dist, Sampler, rate_to_gap};
use crate::kernel::profile::Profile;
use crate::kernel::SimRng;
use crate::scenario::{Arrivals, Process};
use crate::time::{Duration, NANOS_PER_SEC, SimTime};

pub enum ArrivalProcess {
    /// Independent, identically distributed gaps: a constant rate, a Poisson
    /// process with a fixed rate, or any gap distribution (and the same,
    /// ready for drawing).
    Renewal(Dist, Sampler),
    /// A time-varying rate λ(t). `cursor` is the last arrival in unrounded
    /// seconds, so that rounding each arrival to a nanosecond never drifts.
    Shaped { profile: Profile, poisson: bool, cursor: f64 },
}

impl ArrivalProcess {
    pub fn new(arrivals: &Arrivals, run_length: SimTime) -> ArrivalProcess {
        match arrivals {
            // Evenly spaced arrivals are a constant gap of 1/rate.
            Arrivals::Constant { rate } => ArrivalProcess::renewal(Dist::Constant(Duration(rate_to_gap(*rate)))),
            Arrivals::Poisson { rate } => ArrivalProcess::renewal(Dist::poisson_gaps(*rate)),
            Arrivals::Every(dist) => ArrivalProcess::renewal(dist.clone()),
            Arrivals::Shaped { process, rate } => ArrivalProcess::Shaped {
                profile: rate.compile(run_length),
                poisson: *process == Process::Poisson,
                cursor: 0.0,
            },
        }
    }

    fn renewal(gaps: Dist) -> ArrivalProcess {
        let sampler = Sampler::new(&gaps);
        ArrivalProcess::Renewal(gaps, sampler)
    }

    /// The first arrival at or after `start`: at `start` itself, or for a
    /// shaped rate, where the rate first rises above zero.
    pub fn first(&mut self, start: SimTime) -> Option<SimTime> {
        match self {
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
    /// method, exact for any λ(t)).
    #[inline]
    pub fn next(&mut self, prev: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        match self {
            ArrivalProcess::Renewal(_, gaps) => Some(prev.saturating_add(gaps.sample(rng))),
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
            ArrivalProcess::Renewal(gaps, _) => secs(end.saturating_sub(start)) * NANOS_PER_SEC as f64 / gaps.mean(),
            ArrivalProcess::Shaped { profile, .. } => profile.integral(secs(start), secs(end.max(start))),
        }
    }
}

fn to_nanos(secs: f64) -> SimTime {
    libm::round(secs * NANOS_PER_SEC as f64) as SimTime
}
