//! Bad Kafka scenario parts are rejected with one line naming the JSON path
//! and what is allowed. The cases are in the shared catalogue,
//! `tests/common/bad_input.rs`.

mod common;

use common::bad_input::{kafka_base, kafka_cases};
use common::{assert_all_refused, error_of};

/// A scenario with topics and no queues is valid.
#[test]
fn a_topics_only_scenario_is_valid() {
    assert_eq!(error_of(kafka_base()), "accepted");
}

/// Topics, replication, producers' and groups' settings, faults: every case is refused.
#[test]
fn every_bad_kafka_scenario_is_refused() {
    assert_all_refused(&kafka_cases());
}
