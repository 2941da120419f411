//! Scenario types for whole systems: downstream services and user requests
//! that call them synchronously or hand work to a queue.

use serde::Serialize;

use super::Arrivals;
use crate::kernel::Dist;
use crate::time::Duration;

/// A downstream service (inventory, SMS gateway, a database) with a response
/// time and, optionally, periods when it is down.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceSpec {
    pub name: String,
    /// How long one call takes.
    pub latency: Dist,
    /// Windows during which every call fails.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Outage>,
    /// How long a call to a service that is down takes to fail (a connect
    /// timeout). Default "0s": the failure is immediate (connection refused).
    pub fail_after: Duration,
    /// How many calls per second it can take (a database's write limit);
    /// none means unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Capacity>,
}

crate::json::read_struct!(ServiceSpec {
    name,
    latency,
    outages = Default::default,
    fail_after = Default::default,
    capacity = Default::default,
});

/// A service's throughput limit, as a token bucket.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Capacity {
    /// Calls per second, sustained.
    pub rate: f64,
    /// Calls that may arrive at once after a quiet spell. Default 1.
    pub burst: u32,
    /// What a call beyond capacity does. Default "queue".
    pub beyond: Beyond,
}

crate::json::read_struct!(Capacity { rate, burst = one, beyond = Default::default });

fn one() -> u32 {
    1
}

/// What happens to a call beyond a service's capacity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Beyond {
    /// It waits its turn: the service slows down.
    #[default]
    Queue,
    /// It is refused at once (HTTP 503). Consumers, which retry, wait instead.
    Fail,
}

crate::json::read_enum!(Beyond { "queue" => Queue, "fail" => Fail });

/// A token bucket in front of a consumer, as Go's `rate.NewLimiter(rate, burst)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RateLimit {
    /// Messages per second, sustained.
    pub rate: f64,
    /// Messages that may pass at once after a quiet spell. Default 1.
    pub burst: u32,
}

crate::json::read_struct!(RateLimit { rate, burst = one });

/// `[from, to)`: the service is down from `from` until `to`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Outage {
    pub from: Duration,
    pub to: Duration,
}

crate::json::read_struct!(Outage { from, to });

/// A stream of user requests, each running its steps in order. The user's
/// response time is the sum of the steps; a failed step fails the request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestSpec {
    pub name: String,
    pub arrivals: Arrivals,
    /// When requests start arriving. Default "0s".
    pub start: Duration,
    /// When they stop; none means the end of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<Duration>,
    pub steps: Vec<Step>,
    /// The relay that publishes `outbox` rows (required when a step is `outbox`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbox_relay: Option<OutboxRelay>,
}

crate::json::read_struct!(RequestSpec {
    name,
    arrivals,
    start = Default::default,
    stop = Default::default,
    steps,
    outbox_relay = Default::default,
});

/// The process that polls the outbox table and publishes its rows
/// (the transactional outbox / local message table, seed 000 §6).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OutboxRelay {
    /// How often it polls the table.
    pub every: Duration,
}

crate::json::read_struct!(OutboxRelay { every });

/// One step of a request.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The handler's own work (validate, write its database).
    Local(Dist),
    /// A synchronous call: the user waits for the service's answer, and the
    /// request fails if the service is down.
    Call(String),
    /// Publish a message and move on once the broker has it; the work behind
    /// the message happens later, off the user's path. With several queues
    /// the broker stores one copy in each (as a fan-out exchange would).
    Publish { queues: Vec<String>, latency: Dist },
    /// Write the message into an outbox table in the same local transaction
    /// as the business change (no extra latency); the flow's `outbox_relay`
    /// publishes it later. A crash of the handler cannot lose it.
    Outbox { queues: Vec<String> },
    /// A rate limiter in front of the rest (an API gateway, Nginx's
    /// `limit_req`): a request that finds no permit is turned away at once.
    Limit(RateLimit),
}

crate::json::read_enum!(Step {
    "local" => Local(_),
    "call" => Call(_),
    "publish" => Publish { queues, latency },
    "outbox" => Outbox { queues },
    "limit" => Limit(_),
});
