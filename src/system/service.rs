//! A downstream service: a response-time distribution and outage windows.

use crate::kernel::Dist;
use crate::scenario::system::{Outage, ServiceSpec};
use crate::time::SimTime;

pub struct Service {
    pub name: String,
    pub latency: Dist,
    outages: Vec<Outage>,
    fail_after: SimTime,
    pub calls: u64,
    pub failed_calls: u64,
}

impl Service {
    pub(crate) fn from_spec(spec: &ServiceSpec) -> Service {
        Service {
            name: spec.name.clone(),
            latency: spec.latency.clone(),
            outages: spec.outages.clone(),
            fail_after: spec.fail_after.0,
            calls: 0,
            failed_calls: 0,
        }
    }

    /// The service is down at `t` if `t` falls in one of its outage windows.
    pub fn is_down(&self, t: SimTime) -> bool {
        self.outages.iter().any(|o| o.from.0 <= t && t < o.to.0)
    }

    /// When the outage covering `t` ends (t itself when the service is up).
    pub fn up_again_at(&self, t: SimTime) -> SimTime {
        self.outages.iter().filter(|o| o.from.0 <= t && t < o.to.0).map(|o| o.to.0).max().unwrap_or(t)
    }

    /// How long a call that finds the service down takes to fail.
    pub fn fail_after(&self) -> SimTime {
        self.fail_after
    }
}
