//! Whole-system presets reproduce the seeds' numbers: response times of the
//! synchronous and queued designs, and what a downstream outage does to each.

mod common;

use common::run_preset;
use mqsim::engine::Sim;
use mqsim::scenario::presets;

/// Seed 000 §1: synchronous 100 + 50 + 100 + 100 = 350 ms; asynchronous
/// 100 + 50 + 5 = 155 ms — for every request, not just on average.
#[test]
fn async_path_answers_in_155_ms_and_sync_in_350_ms() {
    let s = run_preset("async-response-time");
    let sync = &s.requests[0];
    let queued = &s.requests[1];
    assert_eq!((sync.name.as_str(), queued.name.as_str()), ("sync-order", "async-order"));
    for (flow, ms) in [(sync, 350.0), (queued, 155.0)] {
        let r = &flow.response_ms;
        assert_eq!((r.mean, r.p50, r.p99, r.max), (ms, ms, ms, ms), "{}", flow.name);
        assert_eq!(flow.completed, flow.arrived);
        assert_eq!(flow.failed, 0);
    }
    assert_eq!(s.states.processed, s.published, "every notification is still sent, later");
}

/// Seed 002 §1.1: the synchronous chain takes 200 + 500 + 300 = 1,000 ms; the
/// queued design answers in 50 ms.
#[test]
fn order_chain_takes_1000_ms_sync_and_50_ms_queued() {
    let s = run_preset("order-decoupling");
    assert_eq!(s.requests[0].response_ms.max, 1000.0);
    assert_eq!(s.requests[0].response_ms.mean, 1000.0);
    assert_eq!(s.requests[1].response_ms.max, 50.0);
}

/// While inventory is down (20 s – 40 s) synchronous orders fail, and only then.
#[test]
fn inventory_outage_fails_sync_orders_only_during_the_outage() {
    let mut sim = Sim::new(presets::load("order-decoupling").unwrap()).unwrap();
    sim.run_to_end();
    let t = sim.series().column("t_ms").unwrap();
    let failed = sim.series().column("requests_failed.sync-checkout").unwrap();
    let first = failed.iter().position(|&f| f > 0.0).unwrap();
    let last = failed.iter().position(|&f| f == failed[failed.len() - 1]).unwrap();
    assert!(t[first] > 20_000.0 && t[first] <= 20_500.0, "first failure sampled at {}", t[first]);
    assert!(t[last] > 39_500.0 && t[last] <= 40_500.0, "last failure sampled at {}", t[last]);
    let s = mqsim::summary::Summary::of(&sim);
    let failures = s.requests[0].failed;
    assert!((150..=250).contains(&failures), "about 10/s for 20 s fail: {failures}");
}

/// The queued design loses no order to the outage: every order's three tasks
/// complete once inventory is back, and only the inventory queue backs up.
#[test]
fn inventory_outage_only_delays_queued_orders() {
    let s = run_preset("order-decoupling");
    let queued = &s.requests[1];
    assert_eq!((queued.failed, queued.completed), (0, queued.arrived));
    assert_eq!(s.produced, 3 * s.published, "one copy per service queue");
    assert_eq!(s.states.processed, s.produced, "all tasks done by the end");
    let peak = |name: &str| s.queues.iter().find(|q| q.name == name).unwrap().peak.messages;
    assert!(peak("inventory-tasks") >= 150, "the backlog builds during the outage");
    assert!(peak("payment-tasks") < 20 && peak("logistics-tasks") < 20, "other services are unaffected");
    let inventory = s.queues.iter().find(|q| q.name == "inventory-tasks").unwrap();
    assert!(inventory.peak.at_ms >= 39_000.0 && inventory.peak.at_ms <= 41_000.0, "peaks when inventory returns");
}

/// Seed 000 §6: crashes between the database commit and the publish lose the
/// dual-write service's events; the outbox service, whose event is committed
/// with the order and relayed later, loses none — though its users see the
/// same failed requests during each crash.
#[test]
fn outbox_loses_nothing_where_dual_write_loses_events() {
    let s = run_preset("outbox-vs-dual-write");
    let (dual, outbox) = (&s.requests[0], &s.requests[1]);
    assert_eq!((dual.name.as_str(), outbox.name.as_str()), ("dual-write", "outbox"));
    assert!(dual.lost_messages > 0, "a crash mid-publish loses the event");
    assert_eq!(outbox.lost_messages, 0);
    assert_eq!(s.states.lost, dual.lost_messages, "every lost message is a dual-write event");
    assert!(dual.failed > 0 && outbox.failed > 0, "both designs fail the requests caught in a crash");
    let processed = |queue: &str| s.queues.iter().find(|q| q.name == queue).map(|q| q.depth).unwrap();
    assert_eq!(processed("outbox-events") + processed("dual-write-events"), 0, "everything published was consumed");
    assert_eq!(outbox.outbox_pending, 0, "the relay emptied the table");
    assert!(s.ledger_balanced);
}

/// Seed 002 §3.2: 100,000/s for 5 s is cut to 10,000/s by the gateway and
/// 5,000/s by the service layer; only those reach the queue.
#[test]
fn flash_sale_layers_shed_load_to_10_000_then_5_000_per_second() {
    let s = run_preset("flash-sale-layers");
    let flow = &s.requests[0];
    assert_eq!(flow.arrived, 500_001, "100,000/s for 5 s, evenly spaced from the spike's start");
    let (gateway, service) = (flow.limits[0], flow.limits[1]);
    assert_eq!(gateway.passed, 10_000 * 5 + 100, "the sustained rate plus the burst of 100");
    assert_eq!(service.passed, 5_000 * 5 + 50, "the sustained rate plus the burst of 50");
    assert_eq!(gateway.passed + gateway.rejected, flow.arrived);
    assert_eq!(s.published, service.passed, "each request that passes both layers becomes one message");
    assert_eq!(s.states.processed, s.published, "and every one is written in the end");
}

/// The database takes 1,000 writes per second at most, however many consumers
/// the autoscaler runs.
#[test]
fn flash_sale_database_never_exceeds_its_capacity() {
    let mut sim = Sim::new(presets::load("flash-sale-layers").unwrap()).unwrap();
    sim.run_to_end();
    let consumed = sim.series().column("consume_rate").unwrap();
    let peak = consumed.iter().copied().fold(0.0, f64::max);
    assert!(peak <= 1_000.0 + 4.0, "one 250 ms sample may round up by a write: {peak}");
    assert!(peak >= 990.0, "with four consumers the database is the limit: {peak}");
}

/// The autoscaler adds consumers while the lag is above 10,000 and removes
/// them once it falls below 1,000, never beyond its bounds.
#[test]
fn flash_sale_autoscaler_follows_the_lag_thresholds() {
    let mut sim = Sim::new(presets::load("flash-sale-layers").unwrap()).unwrap();
    sim.run_to_end();
    let series = sim.series();
    let (t, depth, running) =
        (series.column("t_ms").unwrap(), series.column("depth.orders").unwrap(), series.column("consumers.order-writer").unwrap());
    assert_eq!(running[0], 2.0);
    assert_eq!(running.iter().copied().fold(0.0, f64::max), 4.0, "scaled up to its max");
    assert_eq!(running[running.len() - 1], 2.0, "and back down to its count");
    let first_up = running.iter().position(|&r| r > 2.0).unwrap();
    let lag_over = depth.iter().position(|&d| d > 10_000.0).unwrap();
    assert!(t[first_up] >= t[lag_over] + 2_000.0, "a new instance needs its 2 s start-up after the lag crossed 10,000");
    let first_down = (1..running.len()).find(|&i| running[i] < running[i - 1]).unwrap();
    assert!(depth[first_down - 1] < 1_000.0 + 1_000.0, "scaling down starts as the lag nears 1,000: {}", depth[first_down - 1]);
    assert!(depth[first_down] < 1_000.0, "and only once it is below: {}", depth[first_down]);
    let s = mqsim::summary::Summary::of(&sim);
    assert_eq!((s.autoscaling[0].scaled_up, s.autoscaling[0].scaled_down), (2, 2));
}

/// Backpressure: an unbounded queue answers every user in 5 ms; a bounded
/// queue that rejects turns the overflow into errors; one that blocks turns it
/// into waiting — and neither loses a message.
#[test]
fn backpressure_shows_as_errors_or_waiting() {
    let s = run_preset("backpressure");
    let flow = |name: &str| s.requests.iter().find(|r| r.name == name).unwrap();
    let (unbounded, reject, block) = (flow("unbounded"), flow("reject"), flow("block"));
    assert_eq!((unbounded.failed, unbounded.response_ms.max), (0, 5.0));
    assert!(reject.failed > 1_000, "rejected publishes become errors: {}", reject.failed);
    assert_eq!(reject.response_ms.max, 5.0, "the ones accepted are still quick");
    assert_eq!(block.failed, 0);
    assert!(block.response_ms.p50 > 1_000.0, "blocked users wait: {:?}", block.response_ms);
    let peak = |queue: &str| s.queues.iter().find(|q| q.name == queue).unwrap().peak.messages;
    assert!(peak("unbounded") > 1_500);
    assert_eq!((peak("bounded-reject"), peak("bounded-block")), (500, 500), "the bound holds");
    assert_eq!(s.states.lost, 0);
    assert_eq!(s.states.dropped, reject.failed, "each rejected publish is one dropped message");
    assert_eq!(s.states.processed + s.states.dropped, s.produced);
}

/// Seed 001's saga, choreographed through events: every order ends either
/// confirmed or fully compensated (stock released, order cancelled), and
/// compensations run only for declined payments.
#[test]
fn saga_every_order_is_confirmed_or_compensated() {
    let mut sim = Sim::new(presets::load("saga-choreography").unwrap()).unwrap();
    sim.run_to_end();
    let s = mqsim::summary::Summary::of(&sim);
    let step = |name: &str| s.choreography.iter().find(|c| c.group == name).unwrap();
    let orders = s.requests[0].completed;
    let (reserve, payment, release) = (step("inventory-reserve"), step("payment"), step("inventory-release"));
    assert_eq!(reserve.succeeded, orders, "each order's stock is reserved once");
    assert_eq!(payment.succeeded + payment.declined, orders);
    assert!(payment.declined > 0 && payment.succeeded > payment.declined, "about 20 % declined: {payment:?}");
    assert_eq!(release.succeeded, payment.declined, "a compensation per declined payment, and only then");
    let done = |group: &str| {
        s.consumers.iter().filter(|c| c.name.starts_with(&format!("{group}#"))).map(|c| c.processed).sum::<u64>()
    };
    assert_eq!(done("order-confirm"), payment.succeeded, "confirmed orders");
    assert_eq!(done("order-cancel"), payment.declined, "cancelled orders");
    assert_eq!(done("order-confirm") + done("order-cancel"), orders, "no order is left half-done");
    assert_eq!(s.published, orders * 3 + payment.declined, "three events per order, one more per compensation");
    assert!(s.ledger_balanced);
}

/// Seed 001's backlog emergency, three measures side by side: more consumers
/// drain a topic with spare partitions; on a topic without them the new
/// members sit idle until partitions are added; skipping non-critical records
/// drains with no new member at all.
#[test]
fn backlog_emergency_measures_work_only_where_they_can() {
    let mut sim = Sim::new(presets::load("backlog-emergency").unwrap()).unwrap();
    sim.run_to_end();
    let series = sim.series();
    let t = series.column("t_ms").unwrap();
    let at = |ms: f64| t.iter().position(|&x| x >= ms).unwrap();
    let lag = |group: &str, ms: f64| series.column(&format!("lag.{group}")).unwrap()[at(ms)];
    for group in ["add-consumers", "add-partitions", "skip-non-critical"] {
        assert!(lag(group, 19_750.0) > 2_500.0, "{group}: 600/s in, 400/s out for 20 s: {}", lag(group, 19_750.0));
        assert_eq!(lag(group, 89_750.0), 0.0, "{group} drains in the end");
    }
    assert!(lag("add-consumers", 29_000.0) < lag("add-consumers", 21_000.0), "more members on spare partitions drain");
    assert!(lag("add-partitions", 29_000.0) > lag("add-partitions", 21_000.0), "idle members do not help");
    let idle = series.column("idle.add-partitions").unwrap();
    assert_eq!(idle[at(25_000.0)], 2.0, "two members without a partition");
    assert_eq!(idle[at(35_000.0)], 0.0, "until the topic grows to 4 partitions");
    assert!(lag("add-partitions", 40_000.0) < lag("add-partitions", 31_000.0), "then the backlog drains");
    assert!(lag("skip-non-critical", 29_000.0) < lag("skip-non-critical", 21_000.0), "skipping half the work drains");
    let summary = mqsim::summary::Summary::of(&sim);
    let kafka = summary.kafka.unwrap();
    let skip = kafka.groups.iter().find(|g| g.name == "skip-non-critical").unwrap();
    let others = kafka.groups.iter().filter(|g| g.name != "skip-non-critical");
    assert!(skip.skipped > 5_000, "about half of 25 s × 600/s: {}", skip.skipped);
    assert!(others.clone().all(|g| g.skipped == 0));
}

/// Seed 002 §5.1's comparison, one workload three ways: a queue shared by two
/// services delivers each order once in all; a fanout exchange and a Kafka
/// topic with two groups deliver every order to both.
#[test]
fn queue_is_point_to_point_while_fanout_and_log_are_publish_subscribe() {
    let s = run_preset("queue-vs-log");
    let processed = |name: &str| -> u64 {
        s.consumers.iter().filter(|c| c.name.starts_with(&format!("{name}#"))).map(|c| c.processed).sum()
    };
    let published = |producer: &str| -> u64 {
        let scenario = presets::load("queue-vs-log").unwrap();
        let i = scenario.producers.iter().position(|p| p.name == producer).unwrap();
        let mut sim = Sim::new(scenario).unwrap();
        sim.run_to_end();
        sim.producer_sent(i)
    };
    let (queued, fanned, logged) = (published("shop-queue"), published("shop-fanout"), published("shop-log"));
    let (billing, shipping) = (processed("billing-competing"), processed("shipping-competing"));
    assert_eq!(billing + shipping, queued, "point-to-point: each order once, to one of the two");
    assert!(billing > 0 && shipping > 0, "the two services compete for the same orders");
    assert_eq!((processed("billing-subscriber"), processed("shipping-subscriber")), (fanned, fanned), "fanout: both get all");
    let kafka = s.kafka.as_ref().unwrap();
    for group in &kafka.groups {
        assert_eq!(group.stats.processed, logged, "group {} reads every record of the log", group.name);
    }
}

/// Autoscaling a Kafka consumer group on lag stops at one member per
/// partition: beyond that a member would sit idle, so the autoscaler counts
/// the refusals instead — adding partitions is the remedy.
#[test]
fn topic_group_autoscaling_is_capped_by_the_partition_count() {
    let doc = serde_json::json!({
        "name": "kafka-autoscale", "seed": 3, "duration": "90s", "sample_every": "500ms",
        "topics": [{ "name": "orders", "partitions": 4 }],
        "producers": [{ "name": "shop", "topic": "orders", "keys": 64, "arrivals": { "poisson": { "rate": 1500 } }, "stop": "30s" }],
        "consumers": [{
            "name": "workers", "topic": "orders", "count": 8, "service": { "constant": "4ms" },
            "kafka": { "commit": "after_processing", "initial_members": 1 },
            "autoscale": { "max": 8, "scale_up_above": 2000, "scale_down_below": 200, "check_every": "1s", "cooldown": "2s", "startup": "1s" }
        }]
    });
    let mut sim = Sim::new(mqsim::scenario::Scenario::from_json(&doc.to_string()).unwrap()).unwrap();
    sim.run_to_end();
    let s = mqsim::summary::Summary::of(&sim);
    let a = &s.autoscaling[0];
    assert_eq!(a.group, "workers");
    assert_eq!(a.peak_running, 4, "never more members than partitions");
    assert!(a.capped_by_partitions > 0, "the lag still wanted more: {a:?}");
    assert!(a.scaled_down >= 1, "and it scaled back down once drained: {a:?}");
    let active = sim.series().column("active.workers").unwrap();
    assert!(active.iter().all(|&n| n <= 4.0));
    assert_eq!(s.kafka.unwrap().groups[0].lag, 0);
}

/// The autoscaler waits out its cooldown between actions: with the backlog
/// far above the threshold at every 1 s check, a 5 s cooldown spaces the
/// scale-ups exactly 5 s apart (each instance then starts 1 s later).
#[test]
fn autoscaler_actions_are_a_cooldown_apart() {
    let doc = serde_json::json!({
        "name": "cooldown", "seed": 1, "duration": "40s",
        "queues": [{ "name": "q" }],
        "producers": [{ "name": "p", "queue": "q", "arrivals": { "constant": { "rate": 2000 } } }],
        "consumers": [{
            "name": "w", "queue": "q", "count": 1, "service": { "constant": "10ms" },
            "autoscale": { "max": 5, "scale_up_above": 100, "scale_down_below": 10, "check_every": "1s", "cooldown": "5s", "startup": "1s" }
        }]
    });
    let mut sim = mqsim::engine::Sim::with_journal(mqsim::scenario::Scenario::from_json(&doc.to_string()).unwrap(), 1 << 20).unwrap();
    sim.run_to_end();
    let started: Vec<u64> = sim.drain_journal().iter().filter(|e| e.kind == mqsim::observe::LifeKind::ConsumerStarted).map(|e| e.t).collect();
    assert_eq!(started.len(), 4, "up to its max of 5: {started:?}");
    let gaps: Vec<u64> = started.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(gaps, [5_000_000_000; 3], "{started:?}");
    assert_eq!(mqsim::summary::Summary::of(&sim).autoscaling[0].scaled_up, 4);
}

/// A service at capacity: 200 requests/s calling a database that takes 100
/// writes a second. With `beyond: fail` the excess is refused at once, so
/// about half the requests fail and none waits; with `beyond: queue` none
/// fails and the calls wait their turn instead (800 are still waiting when
/// the 12 s run ends).
#[test]
fn a_full_service_fails_or_slows_the_requests_beyond_its_capacity() {
    let run = |beyond: &str| {
        let doc = serde_json::json!({
            "name": "capacity", "seed": 1, "duration": "12s", "queues": [{ "name": "unused" }],
            "services": [{ "name": "db", "latency": { "constant": "1ms" }, "capacity": { "rate": 100, "beyond": beyond } }],
            "requests": [{ "name": "orders", "arrivals": { "constant": { "rate": 200 } }, "stop": "10s", "steps": [{ "call": "db" }] }]
        });
        let mut sim = Sim::new(mqsim::scenario::Scenario::from_json(&doc.to_string()).unwrap()).unwrap();
        sim.run_to_end();
        mqsim::summary::Summary::of(&sim).requests.remove(0)
    };
    let fail = run("fail");
    assert_eq!(fail.completed + fail.failed, 2000);
    assert!((990..=1010).contains(&fail.completed), "about 100 a second get through: {fail:?}");
    assert!(fail.response_ms.max <= 1.0 + 1e-9, "and none of them waits: {fail:?}");
    let queue = run("queue");
    assert_eq!(queue.failed, 0, "{queue:?}");
    assert!((1195..=1201).contains(&queue.completed), "100 a second for the 12 s run: {queue:?}");
    assert_eq!(queue.completed + queue.in_progress, 2000, "the rest still waiting: {queue:?}");
    assert!(queue.response_ms.max > 1_000.0, "the queued calls wait: {queue:?}");
}
