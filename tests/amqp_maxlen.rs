//! Max-length with RabbitMQ's default overflow, `drop-head`, and how a queue
//! shares its messages among competing consumers (round-robin with credit).

mod amqp_support;

use amqp_support::{MS, of_kind, run, sim};
use mqsim::amqp::DeadReason;
use mqsim::observe::LifeKind;
use mqsim::summary::Summary;
use serde_json::{Value, json};

/// Ten messages 1 ms apart into a queue that holds five and has no consumer
/// yet, optionally with a dead-letter queue.
fn full_queue(dead_letter: bool) -> Value {
    let mut doc = json!({
        "name": "maxlen", "seed": 1, "duration": "1s",
        "queues": [{ "name": "q", "max_length": 5 }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1000 } }, "count": 10 }],
        "consumers": []
    });
    if dead_letter {
        doc["queues"][0]["dead_letter"] = json!("q.dlq");
        doc["queues"].as_array_mut().unwrap().push(json!({ "name": "q.dlq" }));
    }
    doc
}

/// `drop-head` dead-letters the oldest ready messages, with reason `maxlen`,
/// and keeps the newest five.
#[test]
fn drop_head_dead_letters_the_oldest_with_reason_maxlen() {
    let mut sim = sim(full_queue(true));
    sim.run_to_end();
    let letters = sim.dead_letters("q.dlq", usize::MAX).unwrap();
    let ids: Vec<u64> = letters.iter().map(|d| d.msg).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4], "the head goes first, oldest first");
    assert!(letters.iter().all(|d| d.reason == DeadReason::MaxLen && d.from == "q"));
    let summary = Summary::of(&sim);
    assert!(summary.ledger_balanced);
    assert_eq!(summary.amqp.dead_letter_queues[0].by_reason.maxlen, 5);
    assert_eq!(summary.queues[0].depth, 5, "the newest five stay");
    assert_eq!(summary.states.dead_lettered, 5);
    let moved = of_kind(&sim.drain_journal(), LifeKind::DeadLetteredMaxLength);
    let times: Vec<u64> = moved.iter().map(|e| e.t).collect();
    assert_eq!(times, [5 * MS, 6 * MS, 7 * MS, 8 * MS, 9 * MS], "each arrival over the limit pushes one out");
}

/// Without a dead-letter queue the dropped head is discarded by design:
/// counted as dropped, never as lost.
#[test]
fn drop_head_without_a_dead_letter_queue_discards_the_oldest() {
    let (summary, events) = run(full_queue(false));
    let dropped: Vec<u64> = of_kind(&events, LifeKind::Dropped).iter().map(|e| e.msg).collect();
    assert_eq!(dropped, [0, 1, 2, 3, 4]);
    assert_eq!(summary.states.dropped, 5);
    assert_eq!(summary.states.lost, 0);
    assert_eq!(summary.queues[0].depth, 5);
}

/// Nine messages arriving together at three consumers with prefetch 3 and
/// long work: each delivery sends its consumer to the back of the line, so
/// the deliveries go round-robin, 0 1 2 0 1 2 0 1 2, rather than filling one
/// consumer's prefetch first.
#[test]
fn competing_consumers_take_turns_while_they_have_credit() {
    let doc = json!({
        "name": "round-robin", "seed": 1, "duration": "1s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1000 } }, "count": 9 }],
        "consumers": [{ "name": "c", "queue": "q", "count": 3, "prefetch": 3, "service": { "constant": "10s" } }]
    });
    let (_, events) = run(doc);
    let consumers: Vec<u32> = of_kind(&events, LifeKind::Delivered).iter().map(|e| e.node).collect();
    assert_eq!(consumers, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
}

/// A consumer out of credit is skipped until it acks: with prefetch 1 and
/// consumer 0 much faster than consumer 1, the fast one takes every message
/// the slow one has no room for.
#[test]
fn a_consumer_without_credit_is_skipped() {
    let doc = json!({
        "name": "credit", "seed": 1, "duration": "10s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 100 } }, "count": 20 }],
        "consumers": [
            { "name": "fast", "queue": "q", "service": { "constant": "1ms" } },
            { "name": "slow", "queue": "q", "service": { "constant": "10s" } }
        ]
    });
    let (_, events) = run(doc);
    let consumers: Vec<u32> = of_kind(&events, LifeKind::Delivered).iter().map(|e| e.node).collect();
    assert_eq!(consumers.len(), 20);
    assert_eq!(consumers.iter().filter(|&&c| c == 1).count(), 1, "the slow consumer holds its one message all run");
}
