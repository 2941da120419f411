//! The scenario form of a consumer group's autoscaler. Both families read
//! it: a queue consumer group scales on its queue's backlog
//! (`amqp::autoscale`), a Kafka group on its lag (`kafka::autoscale`).

use serde::Serialize;

use crate::time::Duration;

/// Scale a consumer group on its backlog (a queue's, or a topic's lag).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AutoscaleSpec {
    /// The most instances; the group's `count` is the fewest.
    pub max: u32,
    /// Add an instance while the backlog is above this many messages.
    pub scale_up_above: u64,
    /// Remove one while it is below this many.
    pub scale_down_below: u64,
    /// How often the backlog is checked. Default "1s".
    pub check_every: Duration,
    /// The least time between two scaling actions. Default "5s".
    pub cooldown: Duration,
    /// How long a new instance takes to start taking work. Default "2s".
    pub startup: Duration,
}

crate::json::read_struct!(AutoscaleSpec {
    max,
    scale_up_above,
    scale_down_below,
    check_every = one_second,
    cooldown = five_seconds,
    startup = two_seconds,
});

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
