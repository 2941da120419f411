//! Faults injected at scheduled times: each resolves, when it comes, to an
//! action of the vocabulary live commands use (`engine::cmd`).

use super::Sim;

impl Sim {
    /// Applies `scenario.faults[index]`, marking it first so that the
    /// engine's markers it causes point to it.
    pub(super) fn apply_fault(&mut self, index: u32) {
        let action = self.scenario.faults[index as usize].action.clone();
        self.mark_fault(&action);
        if let Some(action) = self.resolve_fault(&action) {
            self.apply_action(action);
        }
        self.cx.markers.applying = None;
    }
}
