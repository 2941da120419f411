//! What the property tests and the fuzzer found, kept as scenarios so that a
//! fix can be checked. A finding that still fails is `#[ignore]`d with the
//! reason; remove the attribute with the fix.

mod common;

use serde_json::json;

/// A message dead-lettered round a cycle of queues with no rejection is dropped, as RabbitMQ does.
///
/// Found by `tests/properties.rs` (and fixed on main in parallel): `q0` (max-length 1, drop-head) dead-letters
/// into `q1`, whose 1 ms TTL dead-letters back into `q0`. Each new message
/// pushes the previous one into `q1`, where it expires back into `q0` and
/// pushes the next one out: two messages ping-pong every millisecond for the
/// rest of the run. RabbitMQ's documentation on dead-letter exchanges: messages
/// that reach the same queue twice are dropped if there was no rejection in
/// the entire cycle.
#[test]
fn a_dead_letter_cycle_without_rejections_drops_the_message() {
    let scenario = json!({
        "name": "dead-letter-cycle",
        "seed": 0,
        "duration": "10s",
        "queues": [
            { "name": "q0", "max_length": 1, "dead_letter": "q1" },
            { "name": "q1", "message_ttl": "1ms", "dead_letter": "q0" }
        ],
        "producers": [
            { "name": "p0", "queue": "q0", "arrivals": { "constant": { "rate": 164.8 } }, "stop": "13ms" }
        ]
    });
    let s = common::run(mqsim::scenario::Scenario::from_json(&scenario.to_string()).unwrap());
    assert_eq!(s.produced, 3);
    // q0 is itself a dead-letter queue (of q1), so what waits there may count as dead-lettered.
    assert_eq!(s.states.stored + s.states.dead_lettered, 1, "the last message waits in q0");
    assert_eq!(s.states.dropped, 2, "the two pushed out are dropped when they come round to q0 again");
    assert!(s.events < 1_000, "{} events: messages kept circulating", s.events);
    assert!(s.ledger_balanced);
}
