//! Bad scenarios are rejected with one line that names the JSON path and says
//! what is allowed — never a panic, never a silent default. The cases are in
//! the shared catalogue, `tests/common/bad_input.rs`, which the CLI and wasm
//! tests check too.

mod common;

use common::bad_input::{queue_base, queue_cases, set};
use common::{assert_all_refused, error_of};
use serde_json::json;

/// The base scenario is valid, so each case fails for its own reason.
#[test]
fn the_base_scenario_is_valid() {
    assert_eq!(error_of(queue_base()), "accepted");
}

/// Syntax, types, ranges, references, budgets: every case is refused.
#[test]
fn every_bad_queue_scenario_is_refused() {
    assert_all_refused(&queue_cases());
}

/// An unknown field's error lists the fields that are allowed.
#[test]
fn unknown_field_lists_the_allowed_fields() {
    let err = error_of(set(queue_base(), &["consumers", "0", "prefech"], json!(5)));
    assert!(err.contains("`prefetch`"), "{err}");
}
