//! Request-reply: replies carry the request's id as correlation id; a
//! request not answered within its timeout times out, and its reply is late.

mod amqp_support;

use std::collections::{BTreeMap, BTreeSet};

use amqp_support::{MS, of_kind, run};
use mqsim::observe::LifeKind;
use mqsim::scenario::presets;
use serde_json::json;

fn preset() -> serde_json::Value {
    serde_json::from_str(presets::find("request-reply").unwrap().json).unwrap()
}

/// Each request gets exactly one reply, published by the server that
/// processed it, correlated by the request's id.
#[test]
fn every_request_gets_one_correlated_reply() {
    let (summary, events) = run(preset());
    let requests: BTreeSet<u64> = of_kind(&events, LifeKind::Published).iter().map(|e| e.msg).collect();
    let replied: Vec<u64> = of_kind(&events, LifeKind::Replied).iter().map(|e| e.origin.unwrap()).collect();
    assert_eq!(replied.iter().copied().collect::<BTreeSet<_>>(), requests);
    assert_eq!(replied.len(), requests.len(), "one reply per request");
    assert_eq!(summary.amqp.rpc.requests, requests.len() as u64);
    assert_eq!(summary.published, 2 * requests.len() as u64, "requests and replies are both published");
}

/// Requests are answered, timed out or still waiting; a timed-out request's
/// reply comes late, and an answered one came within the timeout.
#[test]
fn timeouts_and_late_replies_account_for_every_request() {
    let (summary, events) = run(preset());
    let rpc = &summary.amqp.rpc;
    assert_eq!(rpc.completed + rpc.timed_out + rpc.waiting, rpc.requests);
    assert!(rpc.timed_out > 10, "the long tail makes requests time out: {}", rpc.timed_out);
    assert_eq!(rpc.late_replies, rpc.timed_out, "every timed-out request is answered later");
    assert!(rpc.rtt_ms.max <= 250.0, "answers come within the timeout: {}", rpc.rtt_ms.max);

    let sent: BTreeMap<u64, u64> = of_kind(&events, LifeKind::Published).iter().map(|e| (e.msg, e.t)).collect();
    for e in of_kind(&events, LifeKind::RequestTimedOut) {
        assert_eq!(e.t - sent[&e.msg], 250 * MS, "request {} timed out after exactly 250 ms", e.msg);
    }
    let late: BTreeSet<u64> = of_kind(&events, LifeKind::LateReply).iter().map(|e| e.msg).collect();
    let late_requests: BTreeSet<u64> = of_kind(&events, LifeKind::Replied)
        .iter()
        .filter(|e| late.contains(&e.msg))
        .map(|e| e.origin.unwrap())
        .collect();
    let timed_out: BTreeSet<u64> = of_kind(&events, LifeKind::RequestTimedOut).iter().map(|e| e.msg).collect();
    assert_eq!(late_requests, timed_out);
}

/// With no server at all every request times out and nothing is late.
#[test]
fn without_a_server_every_request_times_out() {
    let doc = json!({
        "name": "no-server", "seed": 1, "duration": "5s",
        "queues": [{ "name": "req" }, { "name": "rep" }],
        "producers": [{ "name": "client", "queue": "req", "arrivals": { "constant": { "rate": 10 } }, "stop": "2s",
                        "reply": { "queue": "rep", "timeout": "1s" } }],
        "consumers": [{ "name": "inbox", "queue": "rep", "service": { "constant": "1ms" } }]
    });
    let (summary, _) = run(doc);
    let rpc = &summary.amqp.rpc;
    assert_eq!((rpc.requests, rpc.timed_out, rpc.completed, rpc.late_replies, rpc.waiting), (20, 20, 0, 0, 0));
}
