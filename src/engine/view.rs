//! The read-only views the engine hands out: what the layers above the
//! families (the topology, the summary) read of a run, without the `Sim`.

use super::Sim;
use crate::observe::Topology;
use crate::observe::topology::Worlds;

impl Sim {
    /// Every world, read-only, for drawing the topology.
    pub fn worlds(&self) -> Worlds<'_> {
        Worlds {
            now: self.now(),
            scenario: &self.scenario,
            producers: self.producers.iter().map(|p| (p.target, p.sent)).collect(),
            amqp: &self.amqp,
            system: &self.system,
            kafka: &self.kafka,
        }
    }
}

impl Topology {
    /// The topology of `sim` as it is now: `Topology::of_worlds` over
    /// `sim.worlds()`. Written here, with the engine, because the topology
    /// lives below the engine and cannot name the `Sim`.
    pub fn of(sim: &Sim) -> Topology {
        Topology::of_worlds(&sim.worlds())
    }
}
