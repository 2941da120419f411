//! Dispatch: each family's events go to the handlers the family wrote.
//! `Sim::handle` (in `mod.rs`) picks the family; these pick the handler,
//! and hand a converted family its world and the context.

use super::Sim;
use crate::system;

impl Sim {
    /// Runs one of the system model's events. A step that publishes, and
    /// the outbox relay, give the engine their messages for the queue
    /// family, and hear back what it did with them (`bridge.rs`).
    pub(crate) fn handle_system(&mut self, event: system::Event) {
        match event {
            system::Event::RequestArrive { flow } => self.system.request_arrive(&mut self.cx, flow),
            system::Event::StepDone { request, generation } => {
                if let Some(handoff) = self.system.step_done(&mut self.cx, request, generation) {
                    let (refused, blocked) = self.hand_to_broker(handoff, Some((request, generation)));
                    self.system.handed(&mut self.cx, request, refused, blocked);
                }
            }
            system::Event::RelayTick { flow } => {
                if let Some(rows) = self.system.relay_outbox(flow) {
                    for row in rows {
                        self.hand_to_broker(row, None);
                    }
                    self.system.relay_polled(&mut self.cx, flow);
                }
            }
        }
    }
}
