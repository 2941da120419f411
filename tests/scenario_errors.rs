//! Bad scenarios are rejected with one line that names the JSON path and says
//! what is allowed — never a panic, never a silent default.

mod common;

use common::{assert_error, error_of};
use serde_json::{Value, json};

/// A small valid scenario that each test breaks in one place.
fn valid() -> Value {
    json!({
        "name": "t",
        "seed": 1,
        "duration": "10s",
        "queues": [{ "name": "q" }, { "name": "dlq" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "poisson": { "rate": 100 } } }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "5ms" } }]
    })
}

fn with(path: &[&str], value: Value) -> Value {
    common::set(valid(), path, value)
}

/// The base scenario is valid, so each test below fails for its own reason.
#[test]
fn the_base_scenario_is_valid() {
    assert_eq!(error_of(valid()), "accepted");
}

/// A negative rate names the rate's path and the allowed range.
#[test]
fn negative_rate_is_rejected() {
    let doc = with(&["producers", "0", "arrivals"], json!({ "poisson": { "rate": -5 } }));
    assert_error(doc, "producers[0].arrivals.poisson.rate", "must be a rate above 0");
}

/// A zero rate is as wrong as a negative one.
#[test]
fn zero_rate_is_rejected() {
    let doc = with(&["producers", "0", "arrivals"], json!({ "constant": { "rate": 0 } }));
    assert_error(doc, "producers[0].arrivals.constant.rate", "above 0");
}

/// A huge rate beyond what nanosecond time can space is rejected.
#[test]
fn huge_rate_is_rejected() {
    let doc = with(&["producers", "0", "arrivals"], json!({ "poisson": { "rate": 1e300 } }));
    assert_error(doc, "producers[0].arrivals.poisson.rate", "at most");
}

/// An unknown field is named with its path and the fields that are allowed.
#[test]
fn unknown_field_is_rejected() {
    let doc = with(&["consumers", "0", "prefech"], json!(5));
    assert_error(doc, "consumers[0].prefech", "unknown field `prefech`, expected one of");
    assert!(error_of(with(&["consumers", "0", "prefech"], json!(5))).contains("`prefetch`"));
}

/// A producer that publishes to a queue that does not exist lists the queues.
#[test]
fn reference_to_unknown_queue_is_rejected() {
    let doc = with(&["producers", "0", "queue"], json!("orders"));
    assert_error(doc, "producers[0].queue", "no queue is named \"orders\"; known: \"q\", \"dlq\"");
}

/// A dead-letter target must be a queue of the scenario.
#[test]
fn unknown_dead_letter_queue_is_rejected() {
    let doc = with(&["queues", "0", "dead_letter"], json!("nowhere"));
    assert_error(doc, "queues[0].dead_letter", "no queue is named \"nowhere\"");
}

/// Prefetch 0 would mean "unlimited" in RabbitMQ; mqsim asks for a number.
#[test]
fn prefetch_zero_is_rejected() {
    let doc = with(&["consumers", "0", "prefetch"], json!(0));
    assert_error(doc, "consumers[0].prefetch", "must be from 1 to 65535");
}

/// A consumer group with no instances is rejected.
#[test]
fn zero_consumers_is_rejected() {
    assert_error(with(&["consumers", "0", "count"], json!(0)), "consumers[0].count", "at least 1");
}

/// A wrong type names the path and the expected type.
#[test]
fn wrong_type_is_rejected() {
    assert_error(with(&["seed"], json!("seven")), "seed", "expected u64");
}

/// A duration without a unit says which units exist.
#[test]
fn duration_without_unit_is_rejected() {
    assert_error(with(&["duration"], json!("10")), "duration", "units ns, us, ms, s, m, h, d");
}

/// A duration beyond simulated time's range is an error, not an overflow.
#[test]
fn overflowing_duration_is_rejected() {
    assert_error(with(&["duration"], json!("99999999999h")), "duration", "584 years");
}

/// Two queues with one name are ambiguous.
#[test]
fn duplicate_names_are_rejected() {
    assert_error(with(&["queues", "1", "name"], json!("q")), "queues[1].name", "used twice");
}

/// A scenario with no queues has nothing to simulate.
#[test]
fn empty_topology_is_rejected() {
    assert_error(with(&["queues"], json!([])), "queues", "at least one queue");
}

/// An unknown distribution names the ones that exist.
#[test]
fn unknown_distribution_is_rejected() {
    let doc = with(&["consumers", "0", "service"], json!({ "pareto": { "alpha": 2 } }));
    assert_error(doc, "consumers[0].service", "unknown variant `pareto`");
}

/// A fault that targets a consumer instance that does not exist is rejected.
#[test]
fn fault_on_unknown_instance_is_rejected() {
    let doc = with(&["faults"], json!([{ "at": "1s", "action": { "crash_consumer": { "consumer": "c", "instance": 3 } } }]));
    assert_error(doc, "faults[0].action.crash_consumer.instance", "instances 0 to 0");
}

/// A probability outside [0, 1] is rejected.
#[test]
fn probability_out_of_range_is_rejected() {
    let doc = with(&["consumers", "0", "failure_probability"], json!(1.5));
    assert_error(doc, "consumers[0].failure_probability", "from 0 to 1");
}

/// A scenario that would produce more messages than its budget is refused
/// before it runs, rather than exhausting memory.
#[test]
fn scenario_over_the_message_budget_is_rejected() {
    let doc = with(&["max_messages"], json!(500));
    assert_error(doc, "max_messages", "would produce about 1000 messages");
}

/// Truncated JSON is a syntax error with a position.
#[test]
fn truncated_json_is_a_syntax_error() {
    let text = valid().to_string();
    let err = mqsim::scenario::Scenario::from_json(&text[..text.len() / 2]).unwrap_err().to_string();
    assert!(err.starts_with("scenario is not valid JSON (line 1, column"), "{err}");
}
