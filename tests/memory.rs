//! Memory follows live messages, not the total ever produced: the message
//! store reuses the slots of messages that reached a terminal state.

use mqsim::engine::Sim;
use mqsim::scenario::Scenario;
use serde_json::json;

/// 20,000 messages through a queue whose consumers keep up, except during
/// a 2 s outage that builds a backlog of about 2,000: the store never held
/// many more slots than that backlog, and only a handful are live at the end.
#[test]
fn queue_memory_follows_the_backlog_not_the_total() {
    let doc = json!({
        "name": "memory", "seed": 1, "duration": "25s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1000 } }, "count": 20000 }],
        "consumers": [{ "name": "c", "queue": "q", "count": 2, "service": { "constant": "1ms" } }],
        "faults": [
            { "at": "5s", "action": { "crash_consumer": { "consumer": "c", "instance": 0 } } },
            { "at": "5s", "action": { "crash_consumer": { "consumer": "c", "instance": 1 } } },
            { "at": "7s", "action": { "restart_consumer": { "consumer": "c", "instance": 0 } } },
            { "at": "7s", "action": { "restart_consumer": { "consumer": "c", "instance": 1 } } }
        ]
    });
    let mut sim = Sim::with_journal(Scenario::from_json(&doc.to_string()).unwrap(), 0).unwrap();
    sim.run_to_end();
    let summary = mqsim::summary::Summary::of(&sim);
    assert_eq!(summary.states.processed, 20_000);
    assert!(summary.peak_backlog.messages >= 1_900, "{:?}", summary.peak_backlog);
    let (live, high_water) = sim.memory();
    assert!(high_water <= summary.peak_backlog.messages as usize + 10, "at most {high_water} slots for a peak backlog of {}", summary.peak_backlog.messages);
    assert_eq!(live, 0);
}
