//! A downstream service: a response-time distribution and outage windows.

use crate::kernel::rate_limit::RateLimiter;
use crate::kernel::{Dist, SimRng};
use crate::scenario::system::{Beyond, Outage, ServiceSpec};
use crate::time::{Duration, SimTime};

/// How a call goes: how long the caller waits, and whether it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call {
    pub duration: SimTime,
    pub failed: bool,
}

/// Who is calling, which decides what happens when the service cannot answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// A user request: it gives up (fails) when the service is down or full.
    Request,
    /// A queue consumer: it holds its message and retries until the call succeeds.
    Consumer,
}

pub struct Service {
    pub name: String,
    pub latency: Dist,
    outages: Vec<Outage>,
    fail_after: SimTime,
    limiter: Option<(RateLimiter, Beyond)>,
    /// A live outage in progress (see `engine::control`): its outage window
    /// and the rate limiter as it was when the service went down.
    live_outage: Option<(usize, Option<RateLimiter>)>,
    pub calls: u64,
    pub failed_calls: u64,
}

/// The provisional end of a live outage, whose real end nobody knows yet:
/// far beyond any run, and far enough from `SimTime::MAX` that adding a
/// latency cannot overflow.
pub const LIVE_OUTAGE_END: SimTime = SimTime::MAX / 4;

impl Service {
    pub(crate) fn from_spec(spec: &ServiceSpec) -> Service {
        Service {
            name: spec.name.clone(),
            latency: spec.latency.clone(),
            outages: spec.outages.clone(),
            fail_after: spec.fail_after.0,
            limiter: spec.capacity.map(|c| (RateLimiter::new(c.rate, c.burst), c.beyond)),
            live_outage: None,
            calls: 0,
            failed_calls: 0,
        }
    }

    /// The service is down at `t` if `t` falls in one of its outage windows.
    pub fn is_down(&self, t: SimTime) -> bool {
        self.outages.iter().any(|o| o.from.0 <= t && t < o.to.0)
    }

    /// An outage has begun by `t` (a scheduled window or a live one).
    pub fn was_down_by(&self, t: SimTime) -> bool {
        self.outages.iter().any(|o| o.from.0 <= t)
    }

    /// A live outage is in progress (taken down by a command, not yet up).
    pub fn is_live_down(&self) -> bool {
        self.live_outage.is_some()
    }

    /// Takes the service down at `now` until `bring_up` (a live command).
    /// Returns false if a live outage is already in progress.
    pub(crate) fn take_down(&mut self, now: SimTime) -> bool {
        if self.live_outage.is_some() {
            return false;
        }
        self.outages.push(Outage { from: Duration(now), to: Duration(LIVE_OUTAGE_END) });
        let limiter = self.limiter.as_ref().map(|(l, _)| l.clone());
        self.live_outage = Some((self.outages.len() - 1, limiter));
        true
    }

    /// Ends the live outage at `now`. Consumers that called while it was down
    /// were told to wait until `LIVE_OUTAGE_END` and took rate-limit permits
    /// then; the limiter goes back to how it was when the service went down,
    /// and the caller re-plans those consumers. Returns false if no live
    /// outage was in progress.
    pub(crate) fn bring_up(&mut self, now: SimTime) -> bool {
        let Some((window, limiter)) = self.live_outage.take() else { return false };
        self.outages[window].to = Duration(now);
        if let (Some((current, _)), Some(before)) = (&mut self.limiter, limiter) {
            *current = before;
        }
        true
    }

    /// When the outage covering `t` ends (t itself when the service is up).
    pub fn up_again_at(&self, t: SimTime) -> SimTime {
        self.outages.iter().filter(|o| o.from.0 <= t && t < o.to.0).map(|o| o.to.0).max().unwrap_or(t)
    }

    /// Makes a call at `now`. A request fails when the service is down or
    /// refuses calls beyond its capacity; a consumer waits for the outage to
    /// end and for a permit instead. The latency is drawn only for calls that
    /// are served, so a failing call does not move the random stream.
    pub fn call(&mut self, now: SimTime, caller: Caller, rng: &mut SimRng) -> Call {
        self.calls += 1;
        let fail = |service: &mut Service| {
            service.failed_calls += 1;
            Call { duration: service.fail_after, failed: true }
        };
        let mut start = now;
        if self.is_down(now) {
            match caller {
                Caller::Request => return fail(self),
                Caller::Consumer => start = self.up_again_at(now),
            }
        }
        if let Some((limiter, beyond)) = &mut self.limiter {
            let ready = limiter.ready_at(start);
            if ready > start && *beyond == Beyond::Fail && caller == Caller::Request {
                return fail(self);
            }
            limiter.take(ready);
            start = ready;
        }
        Call { duration: start - now + self.latency.sample(rng), failed: false }
    }
}
