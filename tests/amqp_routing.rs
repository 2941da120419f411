//! Exchanges route messages to queues through the engine: RabbitMQ's topic
//! rules, direct, fanout and headers exchanges, exchange-to-exchange bindings,
//! and what happens to a message no queue takes.

mod amqp_support;

use amqp_support::{of_kind, run};
use mqsim::observe::{LifeEvent, LifeKind};
use serde_json::{Value, json};

/// A scenario whose producer publishes `keys` in turn, one a second, to
/// exchange "x" of `exchanges`, with no consumers (messages stay where routing put them).
fn publishing(keys: &[&str], queues: &[&str], exchanges: Value) -> Value {
    json!({
        "name": "routing",
        "seed": 1,
        "duration": "60s",
        "queues": queues.iter().map(|q| json!({ "name": q })).collect::<Vec<_>>(),
        "exchanges": exchanges,
        "producers": [{
            "name": "p", "exchange": "x", "routing_keys": keys,
            "arrivals": { "constant": { "rate": 1 } }, "count": keys.len()
        }]
    })
}

/// The queues (by index) that message `origin` or a copy of it was stored in.
fn stored_in(events: &[LifeEvent], origin: u64) -> Vec<u32> {
    events
        .iter()
        .filter(|e| matches!(e.kind, LifeKind::Published | LifeKind::Copied))
        .filter(|e| e.msg == origin || e.origin == Some(origin))
        .map(|e| e.node)
        .collect()
}

/// For each key, whether a topic binding `pattern` takes a message published with it.
fn topic_takes(pattern: &str, keys: &[&str]) -> Vec<bool> {
    let exchanges = json!([{ "name": "x", "type": "topic", "bindings": [{ "queue": "hit", "key": pattern }] }]);
    let (summary, events) = run(publishing(keys, &["hit"], exchanges));
    assert_eq!(summary.published, keys.len() as u64);
    (0..keys.len() as u64).map(|id| stored_in(&events, id) == [0]).collect()
}

/// `a.*.c`: `*` stands for exactly one word, which may be empty.
#[test]
fn topic_star_matches_exactly_one_word() {
    assert_eq!(topic_takes("a.*.c", &["a.b.c", "a.c", "a.b.b.c", "a..c"]), [true, false, false, true]);
}

/// `#.c`: a leading `#` matches any number of words, none included.
#[test]
fn topic_leading_hash_matches_any_prefix() {
    assert_eq!(topic_takes("#.c", &["c", "a.c", "a.b.c", "c.a"]), [true, true, true, false]);
}

/// `a.#`: a trailing `#` matches any number of words, none included.
#[test]
fn topic_trailing_hash_matches_any_suffix() {
    assert_eq!(topic_takes("a.#", &["a", "a.b", "a.b.c", "b.a"]), [true, true, true, false]);
}

/// `#` alone takes every routing key, the empty one included.
#[test]
fn topic_lone_hash_matches_everything() {
    assert_eq!(topic_takes("#", &["", "a", "a.b.c", ".", "a..b"]), [true; 5]);
}

/// Empty words are words: `a..c` is three words, and the empty key is none.
#[test]
fn topic_empty_words_are_words() {
    assert_eq!(topic_takes("a..c", &["a..c", "a.c", "a...c"]), [true, false, false]);
    assert_eq!(topic_takes("*", &["", "a", "."]), [false, true, false]);
    assert_eq!(topic_takes("", &["", "a"]), [true, false]);
}

/// `*` and `#` are wildcards only as whole words.
#[test]
fn topic_wildcards_only_as_whole_words() {
    assert_eq!(topic_takes("a*.#", &["ab.c", "a*.c"]), [false, true]);
}

/// A direct exchange compares keys exactly.
#[test]
fn direct_exchange_needs_the_exact_key() {
    let exchanges = json!([{ "name": "x", "type": "direct", "bindings": [
        { "queue": "eu", "key": "orders.eu" }, { "queue": "us", "key": "orders.us" }
    ] }]);
    let (_, events) = run(publishing(&["orders.eu", "orders.us", "orders.*", "Orders.eu"], &["eu", "us"], exchanges));
    let routed: Vec<Vec<u32>> = (0..4).map(|id| stored_in(&events, id)).collect();
    assert_eq!(routed, [vec![0], vec![1], vec![], vec![]]);
}

/// A fan-out to three queues makes three ledger copies with their own ids
/// and one origin: the ledger counts copies, `published` counts sends.
#[test]
fn fanout_makes_one_ledger_copy_per_queue() {
    let exchanges = json!([{ "name": "x", "type": "fanout", "bindings": [
        { "queue": "a" }, { "queue": "b" }, { "queue": "c" }
    ] }]);
    let (summary, events) = run(publishing(&["k"; 4], &["a", "b", "c"], exchanges));
    assert_eq!(summary.published, 4);
    assert_eq!(summary.produced, 12);
    assert_eq!(summary.amqp.copies, 8);
    assert_eq!(summary.states.stored, 12);
    let first = stored_in(&events, 0);
    assert_eq!(first, [0, 1, 2]);
    let copies = of_kind(&events, LifeKind::Copied);
    assert_eq!(copies.len(), 8);
    let ids: std::collections::BTreeSet<u64> = copies.iter().map(|e| e.msg).collect();
    assert_eq!(ids.len(), 8, "every copy has its own id");
    assert!(copies.iter().all(|e| e.origin.is_some_and(|o| o != e.msg)));
}

/// Two bindings of one queue that both match still give it one copy.
#[test]
fn a_queue_matched_twice_gets_one_copy() {
    let exchanges = json!([{ "name": "x", "type": "topic", "bindings": [
        { "queue": "q", "key": "a.*" }, { "queue": "q", "key": "*.b" }
    ] }]);
    let (summary, events) = run(publishing(&["a.b"], &["q"], exchanges));
    assert_eq!(summary.produced, 1);
    assert_eq!(stored_in(&events, 0), [0]);
}

/// Exchange-to-exchange bindings route onward, a cycle among them ends, and
/// each queue reached along several paths gets exactly one copy.
#[test]
fn exchange_to_exchange_cycle_terminates_with_one_copy_per_queue() {
    let exchanges = json!([
        { "name": "x", "type": "topic", "bindings": [
            { "exchange": "audit", "key": "#" }, { "queue": "orders", "key": "orders.#" }
        ] },
        { "name": "audit", "type": "fanout", "bindings": [
            { "queue": "log" }, { "exchange": "x" }, { "queue": "orders" }
        ] }
    ]);
    let (summary, events) = run(publishing(&["orders.new", "users.new"], &["orders", "log"], exchanges));
    assert_eq!(stored_in(&events, 0), [0, 1], "orders once (directly), log once (through audit)");
    let second = of_kind(&events, LifeKind::Published)[1].msg;
    assert_eq!(stored_in(&events, second), [1, 0], "log, then orders through audit; x is not visited twice");
    assert_eq!(summary.produced, 4, "two copies of each message: orders and log");
}

/// Headers exchange: `x-match` all needs every argument, any needs one.
#[test]
fn headers_exchange_matches_all_or_any() {
    let doc = json!({
        "name": "headers", "seed": 1, "duration": "10s",
        "queues": [{ "name": "pdf-reports" }, { "name": "pdf-or-eu" }],
        "exchanges": [{ "name": "x", "type": "headers", "bindings": [
            { "queue": "pdf-reports", "arguments": { "x-match": "all", "format": "pdf", "type": "report" } },
            { "queue": "pdf-or-eu", "arguments": { "x-match": "any", "format": "pdf", "region": "eu" } }
        ] }],
        "producers": [
            { "name": "report", "exchange": "x", "headers": { "format": "pdf", "type": "report" },
              "arguments": null, "arrivals": { "constant": { "rate": 1 } }, "count": 1 }
        ]
    });
    // `arguments` is not a producer field: the scenario is rejected with its path.
    let err = mqsim::scenario::Scenario::from_json(&doc.to_string()).unwrap_err().to_string();
    assert!(err.contains("`producers[0].arguments`"), "{err}");

    let mut doc = doc;
    doc["producers"] = json!([
        { "name": "report", "exchange": "x", "headers": { "format": "pdf", "type": "report" },
          "arrivals": { "constant": { "rate": 1 } }, "count": 1 },
        { "name": "eu-zip", "exchange": "x", "headers": { "format": "zip", "region": "eu" },
          "arrivals": { "constant": { "rate": 1 } }, "start": "1s", "count": 1 },
        { "name": "us-zip", "exchange": "x", "headers": { "format": "zip", "region": "us" },
          "arrivals": { "constant": { "rate": 1 } }, "start": "2s", "count": 1 }
    ]);
    let (summary, events) = run(doc);
    let ids: Vec<u64> = of_kind(&events, LifeKind::Published).iter().map(|e| e.msg).collect();
    assert_eq!(stored_in(&events, ids[0]), [0, 1], "pdf report: both bindings");
    assert_eq!(stored_in(&events, ids[1]), [1], "eu zip: only `any`");
    assert_eq!(of_kind(&events, LifeKind::Unroutable).len(), 1, "us zip: neither");
    assert_eq!(summary.amqp.unroutable, 1);
}

/// An unroutable message is dropped, returned to a mandatory publisher, or
/// taken by the alternate exchange (which counts as routed).
#[test]
fn unroutable_messages_are_dropped_returned_or_sent_to_the_alternate_exchange() {
    let exchanges = |alternate: Option<&str>| {
        let mut x = json!({ "name": "x", "type": "direct", "bindings": [{ "queue": "q", "key": "known" }] });
        if let Some(ae) = alternate {
            x["alternate_exchange"] = json!(ae);
        }
        json!([x, { "name": "ae", "type": "fanout", "bindings": [{ "queue": "unrouted" }] }])
    };
    let keys = ["known", "unknown", "unknown"];

    let (dropped, _) = run(publishing(&keys, &["q", "unrouted"], exchanges(None)));
    assert_eq!((dropped.states.dropped, dropped.amqp.unroutable, dropped.amqp.returned), (2, 2, 0));

    let mut doc = publishing(&keys, &["q", "unrouted"], exchanges(None));
    doc["producers"][0]["mandatory"] = json!(true);
    let (returned, events) = run(doc);
    assert_eq!((returned.states.dropped, returned.amqp.returned), (2, 2));
    assert_eq!(of_kind(&events, LifeKind::Returned).len(), 2);

    let mut doc = publishing(&keys, &["q", "unrouted"], exchanges(Some("ae")));
    doc["producers"][0]["mandatory"] = json!(true);
    let (alternate, _) = run(doc);
    assert_eq!(alternate.states.dropped, 0);
    assert_eq!(alternate.amqp.returned, 0, "routed via the alternate exchange counts as routed");
    assert_eq!(alternate.amqp.alternate_routed, 2);
    assert_eq!(alternate.queues[1].depth, 2);
}

/// `{key}` in a routing key is replaced by the message key.
#[test]
fn routing_key_template_uses_the_message_key() {
    let doc = json!({
        "name": "template", "seed": 1, "duration": "10s",
        "queues": [{ "name": "k0" }, { "name": "k1" }, { "name": "k2" }],
        "exchanges": [{ "name": "x", "type": "direct", "bindings": [
            { "queue": "k0", "key": "shard.0" }, { "queue": "k1", "key": "shard.1" }, { "queue": "k2", "key": "shard.2" }
        ] }],
        "producers": [{ "name": "p", "exchange": "x", "routing_key": "shard.{key}", "keys": 3,
                        "arrivals": { "constant": { "rate": 10 } }, "count": 9 }]
    });
    let (summary, _) = run(doc);
    assert_eq!(summary.queues.iter().map(|q| q.depth).collect::<Vec<_>>(), [3, 3, 3]);
}
