//! Whole systems around the queue: downstream services that can be slow or
//! down, and user requests that either call them synchronously or hand the
//! work to a queue and return. This is where the seeds' system-level claims
//! are measured — 350 ms against 155 ms, orders failing or piling up while the
//! inventory service is down.

pub mod request;
mod service;

pub use request::{Flow, RequestStats};
pub use service::{Call, Caller, LIVE_OUTAGE_END, Service};

use crate::scenario::{Scenario, ScenarioError};

/// Events of the system model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Flow `flow` receives its next user request.
    RequestArrive { flow: u32 },
    /// Request in slot `request` finishes its current step; `generation`
    /// tells it from an earlier request in the same slot.
    StepDone { request: u32, generation: u32 },
    /// Flow `flow`'s outbox relay polls its table.
    RelayTick { flow: u32 },
}

/// Services and request flows, as indexed data.
#[derive(Default)]
pub struct World {
    pub services: Vec<Service>,
    pub flows: Vec<Flow>,
    pub(crate) requests: request::RequestStore,
}

impl World {
    pub(crate) fn build(scenario: &Scenario) -> Result<World, ScenarioError> {
        let services = scenario.services.iter().map(Service::from_spec).collect();
        let flows = scenario
            .requests
            .iter()
            .enumerate()
            .map(|(i, spec)| Flow::build(scenario, i, spec))
            .collect::<Result<_, _>>()?;
        Ok(World { services, flows, requests: Default::default() })
    }
}

impl World {
    /// Messages the system model holds before the broker has them: in
    /// requests' publish steps and in outbox tables (the ledger's `producing`).
    pub fn producing_messages(&self) -> u64 {
        self.requests.publishing() + self.flows.iter().map(Flow::outbox_messages).sum::<u64>()
    }
}
