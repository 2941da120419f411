//! Arbitrary bytes as a scenario file: parsing must never panic, and a
//! scenario that parses must build and run a bounded slice without panicking,
//! with time moving forward and the ledger balanced. See `fuzz/README.md`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqsim::engine::Sim;
use mqsim::scenario::Scenario;
use mqsim::summary::Summary;

/// At most this much simulated time and this many events per input, so that
/// a scenario with a huge rate or duration cannot hang the fuzzer or fill
/// its memory.
const MAX_SIMULATED_NANOS: u64 = 2_000_000_000;
const MAX_EVENTS: u64 = 50_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(scenario) = Scenario::from_json(text) else { return };
    let mut sim = Sim::with_journal(scenario, 256).expect("a scenario that parses must build");
    sim.set_end(sim.end().min(MAX_SIMULATED_NANOS));
    let mut last = sim.now();
    while sim.events() < MAX_EVENTS && sim.step() {
        assert!(sim.now() >= last, "time went backwards");
        last = sim.now();
        if sim.events() % 1024 == 0 {
            sim.drain_journal();
        }
    }
    let summary = Summary::of(&sim);
    assert!(summary.ledger_balanced, "the ledger does not balance");
});
