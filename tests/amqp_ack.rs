//! Acknowledgements: reject with and without requeue, the delivery limit,
//! lost acks and the ack timeout (visibility timeout) that redelivers.

mod amqp_support;

use amqp_support::{MS, S, of_kind, of_msg, run, sim};
use mqsim::ledger::MsgState;
use mqsim::observe::LifeKind;
use mqsim::summary::Summary;
use serde_json::{Value, json};

/// Poison messages into a queue with a dead-letter queue; one consumer
/// taking 10 ms per attempt with the given failure policy.
fn poison(count: u64, on_failure: Value) -> Value {
    json!({
        "name": "ack", "seed": 1, "duration": "10s",
        "queues": [{ "name": "work", "dead_letter": "work.dlq" }, { "name": "work.dlq" }],
        "producers": [{ "name": "p", "queue": "work", "arrivals": { "constant": { "rate": 100 } },
                        "count": count, "poison_fraction": 1.0 }],
        "consumers": [{ "name": "c", "queue": "work", "service": { "constant": "10ms" }, "on_failure": on_failure }]
    })
}

/// `basic.reject` without requeue dead-letters a failed message at once, reason `rejected`.
#[test]
fn reject_without_requeue_dead_letters_as_rejected() {
    let (summary, events) = run(poison(3, json!("dead_letter")));
    assert_eq!(summary.states.dead_lettered, 3);
    assert_eq!(summary.redeliveries, 0, "nothing is redelivered");
    assert_eq!(of_kind(&events, LifeKind::DeadLetteredRejected).len(), 3);
    assert_eq!(summary.amqp.dead_letter_queues[0].by_reason.rejected, 3);
}

/// Reject with requeue and no delivery limit: a poison message comes back
/// forever, and redeliveries grow without bound, one per attempt.
#[test]
fn poison_message_with_requeue_loops_forever() {
    let mut sim = sim(poison(1, json!("requeue")));
    sim.run_until(S);
    let after_1s = Summary::of(&sim).redeliveries;
    sim.run_until(5 * S);
    let after_5s = Summary::of(&sim).redeliveries;
    assert_eq!(after_1s, 100, "an attempt every 10 ms, from 0 to 1 s; all but the first are redeliveries");
    assert_eq!(after_5s, 500);
    assert_eq!(sim.ledger().count(MsgState::Processed) + sim.ledger().count(MsgState::DeadLettered), 0);
}

/// With a delivery limit of 3 the same message is delivered 4 times and
/// dead-lettered at its fourth rejection, with reason `delivery_limit`: a
/// RabbitMQ 3.10 quorum queue does the same (tests/broker/, case
/// `quorum-delivery-limit`), since the limit counts returns, not deliveries.
#[test]
fn delivery_limit_dead_letters_the_return_that_exceeds_it() {
    let mut doc = poison(2, json!("requeue"));
    doc["queues"][0]["delivery_limit"] = json!(3);
    let (summary, events) = run(doc);
    assert_eq!(summary.amqp.dead_letter_queues[0].by_reason.delivery_limit, 2);
    for id in [0, 1] {
        let delivered = of_msg(&events, id).iter().filter(|e| e.kind == LifeKind::Delivered).count();
        assert_eq!(delivered, 4);
    }
}

/// Without a dead-letter queue, a message past its delivery limit is
/// discarded after the same 3 deliveries (limit 2). A JetStream consumer
/// with `max_deliver` 3 delivers it as often and then stops, but the message
/// stays in its stream; a mqsim queue has no stream behind it
/// (docs/semantics.md, "A message past `max_deliver` leaves the queue";
/// tests/broker/, case `nats-max-deliver`).
#[test]
fn past_its_delivery_limit_without_a_dead_letter_queue_a_message_is_discarded() {
    let mut doc = poison(1, json!("requeue"));
    doc["queues"] = json!([{ "name": "work", "delivery_limit": 2 }]);
    let (summary, events) = run(doc);
    assert_eq!(of_kind(&events, LifeKind::Delivered).len(), 3);
    assert_eq!(of_kind(&events, LifeKind::Dropped).len(), 1);
    assert_eq!(summary.states.dropped, 1);
    assert_eq!(summary.queues[0].depth, 0);
}

/// A slow consumer (2 s per message) with a 1 s ack timeout: the broker takes
/// the message back after 1 s and redelivers it, flagged, to the other
/// consumer, and so on forever, since no attempt can ack in time; each
/// consumer finishes its stale attempt anyway, so the side effect piles up
/// while the message is never acknowledged.
#[test]
fn an_ack_timeout_shorter_than_the_work_redelivers_forever() {
    let doc = json!({
        "name": "timeout", "seed": 1, "duration": "10s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1 }],
        "consumers": [{ "name": "c", "queue": "q", "count": 2, "service": { "constant": "2s" }, "ack_timeout": "1s" }]
    });
    let (summary, events) = run(doc);
    let delivered: Vec<(u64, u32)> = of_kind(&events, LifeKind::Delivered).iter().map(|e| (e.t, e.node)).collect();
    assert_eq!(delivered[..3], [(0, 0), (S, 1), (2 * S, 0)], "taken back every second, alternating consumers");
    assert_eq!(delivered.len(), 11);
    assert_eq!(summary.amqp.ack_timeouts, 10);
    assert_eq!(summary.redeliveries, 10);
    assert_eq!(summary.amqp.stale_acks, 9, "every attempt that finished was stale");
    assert_eq!(summary.amqp.side_effects, 9);
    assert_eq!(summary.duplicates, 8);
    assert_eq!(summary.states.processed, 0);
}

/// A lost ack with no ack timeout leaves the delivery outstanding forever:
/// it holds the consumer's only prefetch slot, and nothing else is delivered.
#[test]
fn a_lost_ack_without_timeout_blocks_prefetch() {
    let doc = json!({
        "name": "lost-ack", "seed": 1, "duration": "5s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 10 } }, "count": 5 }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "10ms" }, "ack_loss_probability": 1.0 }]
    });
    let (summary, events) = run(doc);
    assert_eq!(summary.amqp.acks_lost, 1);
    assert_eq!(summary.amqp.side_effects, 1, "the work was done once");
    assert_eq!((summary.states.in_flight, summary.states.stored, summary.states.processed), (1, 4, 0));
    assert_eq!(of_kind(&events, LifeKind::Delivered).len(), 1);
}

/// A lost ack followed by the ack timeout: the broker takes the message back
/// at its timeout and redelivers it, and the side effect runs a second time.
#[test]
fn a_lost_ack_is_redelivered_after_the_ack_timeout() {
    let doc = json!({
        "name": "lost-ack-timeout", "seed": 3, "duration": "5s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 1 } }, "count": 1 }],
        "consumers": [{ "name": "c", "queue": "q", "service": { "constant": "10ms" },
                        "ack_loss_probability": 0.5, "ack_timeout": "1s" }]
    });
    let (summary, events) = run(doc);
    let story: Vec<(u64, LifeKind)> = of_msg(&events, 0).iter().map(|e| (e.t, e.kind)).collect();
    // Seed 3 loses the first ack and not the second.
    assert_eq!(
        story,
        [
            (0, LifeKind::Published),
            (0, LifeKind::Delivered),
            (10 * MS, LifeKind::AckLost),
            (S, LifeKind::AckTimedOut),
            (S, LifeKind::Delivered),
            (S + 10 * MS, LifeKind::DuplicateEffect),
            (S + 10 * MS, LifeKind::Acked),
        ]
    );
    assert_eq!((summary.amqp.side_effects, summary.duplicates, summary.states.processed), (2, 1, 1));
}

/// The redelivered flag, message by message: in consumer-crash-manual-ack
/// exactly the messages the crash put back are delivered a second time, and
/// the summary's redelivery count is the number of such second deliveries.
#[test]
fn exactly_the_requeued_messages_are_redelivered() {
    let doc: Value = serde_json::from_str(mqsim::scenario::presets::find("consumer-crash-manual-ack").unwrap().json).unwrap();
    let (summary, events) = run(doc);
    let requeued: std::collections::BTreeSet<u64> = of_kind(&events, LifeKind::Requeued).iter().map(|e| e.msg).collect();
    let mut deliveries = std::collections::BTreeMap::<u64, u32>::new();
    for e in of_kind(&events, LifeKind::Delivered) {
        *deliveries.entry(e.msg).or_default() += 1;
    }
    let redelivered: std::collections::BTreeSet<u64> = deliveries.iter().filter(|&(_, &n)| n > 1).map(|(&m, _)| m).collect();
    assert!(!requeued.is_empty());
    assert_eq!(redelivered, requeued);
    assert_eq!(summary.redeliveries, deliveries.values().map(|&n| u64::from(n - 1)).sum::<u64>());
}

/// Two consumers each hold two messages when their channels close, the
/// second's first: the four go back to their original places, so the queue
/// reads m0..m5 again, as a RabbitMQ classic queue does (tests/broker/, case
/// `returned-in-original-order-classic-reversed`), not the last returned first.
#[test]
fn returned_deliveries_go_back_to_their_original_places() {
    let doc = json!({
        "name": "return-order", "seed": 1, "duration": "2s",
        "queues": [{ "name": "held" }],
        "producers": [{ "name": "p", "queue": "held", "arrivals": { "constant": { "rate": 100 } }, "count": 6 }],
        "consumers": [{ "name": "holder", "queue": "held", "count": 2, "prefetch": 2, "service": { "constant": "10s" } }],
        "faults": [
            { "at": "1s", "action": { "crash_consumer": { "consumer": "holder", "instance": 1 } } },
            { "at": "1.5s", "action": { "crash_consumer": { "consumer": "holder", "instance": 0 } } }
        ]
    });
    let mut sim = sim(doc);
    sim.run_to_end();
    let held: Vec<u64> = sim.queued_messages("held", usize::MAX).unwrap().iter().map(|m| m.msg).collect();
    assert_eq!(held, [0, 1, 2, 3, 4, 5]);
}

/// A queue with a delivery limit counts a return caused by a consumer's
/// crash (its channel closing) like a reject: with a limit of 1, the second
/// crash dead-letters the message, as RabbitMQ 3.10's quorum queues do
/// (tests/broker/, case `quorum-closed-channel-counts`).
#[test]
fn a_crash_return_counts_towards_the_delivery_limit() {
    let doc = json!({
        "name": "crash-counts", "seed": 1, "duration": "3s",
        "queues": [{ "name": "jobs", "delivery_limit": 1, "dead_letter": "jobs.dlq" }, { "name": "jobs.dlq" }],
        "producers": [{ "name": "p", "queue": "jobs", "arrivals": { "constant": { "rate": 10 } }, "count": 1 }],
        "consumers": [{ "name": "holder", "queue": "jobs", "service": { "constant": "10s" } }],
        "faults": [
            { "at": "500ms", "action": { "crash_consumer": { "consumer": "holder" } } },
            { "at": "1s", "action": { "restart_consumer": { "consumer": "holder" } } },
            { "at": "1.5s", "action": { "crash_consumer": { "consumer": "holder" } } },
            { "at": "2s", "action": { "restart_consumer": { "consumer": "holder" } } }
        ]
    });
    let (summary, events) = run(doc);
    assert_eq!(of_kind(&events, LifeKind::Delivered).len(), 2);
    assert_eq!(of_kind(&events, LifeKind::DeadLetteredDeliveryLimit).len(), 1);
    assert_eq!(summary.amqp.dead_letter_queues[0].by_reason.delivery_limit, 1);
}
