//! Bad queue-family scenarios are rejected with one line that names the JSON
//! path and says what is allowed. The cases are in the shared catalogue,
//! `tests/common/bad_input.rs`.

mod common;

use common::bad_input::{amqp_base, amqp_cases, set};
use common::{assert_all_refused, error_of};
use serde_json::json;

/// The base scenario is valid, exchange-to-exchange cycle included.
#[test]
fn the_base_scenario_is_valid() {
    assert_eq!(error_of(amqp_base()), "accepted");
}

/// Exchanges, bindings, delays, replies, acks, retries, replays: every case is refused.
#[test]
fn every_bad_queue_family_scenario_is_refused() {
    assert_all_refused(&amqp_cases());
}

/// Broker faults take an empty object.
#[test]
fn a_broker_fault_with_no_arguments_is_accepted() {
    let doc = set(amqp_base(), &["faults"], json!([{ "at": "1s", "action": { "crash_amqp_broker": {} } }]));
    assert_eq!(error_of(doc), "accepted");
}
