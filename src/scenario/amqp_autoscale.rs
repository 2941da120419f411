//! The scenario form of a consumer group's autoscaler.

use serde::{Deserialize, Serialize};

use crate::time::Duration;

/// Scale a consumer group on its queue's backlog.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoscaleSpec {
    /// The most instances; the group's `count` is the fewest.
    pub max: u32,
    /// Add an instance while the backlog is above this many messages.
    pub scale_up_above: u64,
    /// Remove one while it is below this many.
    pub scale_down_below: u64,
    /// How often the backlog is checked. Default "1s".
    #[serde(default = "one_second")]
    pub check_every: Duration,
    /// The least time between two scaling actions. Default "5s".
    #[serde(default = "five_seconds")]
    pub cooldown: Duration,
    /// How long a new instance takes to start taking work. Default "2s".
    #[serde(default = "two_seconds")]
    pub startup: Duration,
}

fn secs(n: u64) -> Duration {
    Duration(n * crate::time::NANOS_PER_SEC)
}

fn one_second() -> Duration {
    secs(1)
}

fn five_seconds() -> Duration {
    secs(5)
}

fn two_seconds() -> Duration {
    secs(2)
}
