//! Each bundled preset shows what its description promises.

mod common;

use common::run_preset;
use mqsim::engine::Sim;
use mqsim::scenario::presets::{self, PRESETS};

/// The ledger agrees with the queues and consumers at every sample of every preset.
#[test]
fn every_preset_keeps_the_ledger_balanced() {
    for preset in PRESETS {
        let s = run_preset(preset.name);
        assert!(s.ledger_balanced, "{}", preset.name);
        let st = &s.states;
        let sum = st.producing + st.stored + st.delayed + st.in_flight + st.processed + st.dead_lettered + st.expired
            + st.dropped + st.lost;
        assert_eq!(sum, s.produced, "{}", preset.name);
    }
}

/// Peak shaving (seed 002 §3.3): 100,000 messages in the first second, drained at
/// 1,000/s by a token bucket. The backlog peaks at 100,000 − 1,000 = 99,000 as
/// the spike ends, and the queue is empty 99 s later.
#[test]
fn peak_shaving_backlog_is_99_000_and_drains_in_99_s() {
    let mut sim = Sim::new(presets::load("peak-shaving").unwrap()).unwrap();
    sim.run_until(999_999_999);
    let s = mqsim::summary::Summary::of(&sim);
    assert_eq!(s.produced, 100_000);
    assert_eq!(s.states.processed, 1_000, "one permit per millisecond, from t = 0");
    assert_eq!(s.states.stored + s.states.in_flight, 99_000);
    assert_eq!((s.peak_backlog.messages, s.peak_backlog.at_ms), (99_000, 999.99), "at the last arrival");
    // The last permit is at 99.999 s: the discrete drain ends a permit
    // interval before the fluid model's t = 100 s.
    sim.run_until(99_998_999_999);
    assert_eq!(mqsim::summary::Summary::of(&sim).states.processed, 99_999);
    sim.run_until(99_999_000_000);
    let s = mqsim::summary::Summary::of(&sim);
    assert_eq!(s.states.processed, 100_000, "empty 99 s after the spike");
    assert_eq!(s.peak_backlog.messages, 99_000);
}

/// Manual ack: a crashed consumer's unacknowledged messages are redelivered
/// (flagged), and nothing is lost.
#[test]
fn manual_ack_crash_redelivers_and_loses_nothing() {
    let s = run_preset("consumer-crash-manual-ack");
    assert_eq!(s.states.lost, 0);
    assert_eq!(s.redeliveries, 10, "the crashed consumer held a full prefetch of 10");
    assert_eq!(s.states.processed, s.produced);
}

/// Auto ack: the same crash loses what the consumer held.
#[test]
fn auto_ack_crash_loses_what_the_consumer_held() {
    let s = run_preset("consumer-crash-auto-ack");
    assert!(s.states.lost > 100, "lost {}", s.states.lost);
    assert_eq!(s.redeliveries, 0);
    assert_eq!(s.states.processed + s.states.lost, s.produced);
}

/// Poison messages end in the dead-letter queue after exactly three deliveries.
#[test]
fn poison_messages_are_dead_lettered_after_the_delivery_limit() {
    let mut sim = Sim::new(presets::load("poison-message-dlq").unwrap()).unwrap();
    sim.run_to_end();
    let s = mqsim::summary::Summary::of(&sim);
    assert!(s.states.dead_lettered > 0);
    assert_eq!(s.states.dead_lettered, s.queues[1].depth, "dead letters sit in payments.dlq");
    let journal = sim.drain_journal();
    for event in journal.iter().filter(|e| e.kind == mqsim::observe::LifeKind::DeadLetteredDeliveryLimit) {
        let deliveries = journal
            .iter()
            .filter(|d| d.msg == event.msg && d.kind == mqsim::observe::LifeKind::Delivered)
            .count();
        assert_eq!(deliveries, 3, "message {} was delivered {deliveries} times", event.msg);
    }
}

/// The order system: one event per order, fanned out to four services'
/// queues. Every order is processed once by each of inventory, payment,
/// logistics and notification (copies = 4 × orders, nothing lost); payment
/// is the busiest (about three quarters utilised) and builds the longest
/// queue; and M/M/c applies to every queue, as its description says.
#[test]
fn order_system_fans_every_order_out_to_four_services() {
    let s = run_preset("order-system");
    assert!(s.published > 1_000, "40 orders/s for 30 s: {}", s.published);
    assert_eq!(s.produced, 4 * s.published);
    assert_eq!((s.states.processed, s.states.lost, s.states.dropped), (4 * s.published, 0, 0));
    let services = ["inventory-service", "payment-service", "logistics-service", "notification-service"];
    for service in services {
        let processed: u64 = s.consumers.iter().filter(|c| c.name.starts_with(&format!("{service}#"))).map(|c| c.processed).sum();
        assert_eq!(processed, s.published, "{service} processed every order once");
    }
    let queue = |name: &str| s.queues.iter().find(|q| q.name == name).unwrap();
    let payment = queue("payment-events");
    for other in ["inventory-events", "logistics-events", "notification-events"] {
        assert!(payment.peak.messages > queue(other).peak.messages, "payment's queue is the longest, not {other}'s");
        assert!(payment.overlay.unwrap().rho > queue(other).overlay.unwrap().rho);
    }
    let rho = payment.overlay.unwrap().rho;
    assert!((0.7..0.8).contains(&rho), "payment is about three quarters utilised: {rho}");
    for q in &s.queues {
        let o = q.overlay.unwrap();
        assert!(o.markovian && !o.unstable, "{}", q.name);
        assert_eq!((q.model.name(), q.note), ("mmc", None), "{}", q.name);
    }
}

/// The order system's topology is the architecture: a producer, a fanout
/// exchange, four queues and four consumer groups, one per service.
#[test]
fn order_system_topology_is_the_architecture() {
    let sim = Sim::new(presets::load("order-system").unwrap()).unwrap();
    let t = mqsim::observe::Topology::of(&sim);
    let kinds: Vec<String> = t.nodes.iter().map(|n| serde_json::to_value(&n.kind).unwrap()["kind"].as_str().unwrap().to_string()).collect();
    let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
    assert_eq!((count("producer"), count("exchange"), count("queue"), count("consumer")), (1, 1, 4, 4));
    let fanout = t.edges.iter().filter(|e| e.from == "exchange:order-events").count();
    assert_eq!(fanout, 4, "the exchange feeds each service's queue");
}

// The figures each preset's text on the page states (www/lib/strings/presets.js),
// for the preset's own seed. Where a text says "here" or "in this run", the
// figure is this seed's; the family's tests check the behaviour behind it.

fn queue_peak(s: &mqsim::summary::Summary, name: &str) -> u64 {
    s.queues.iter().find(|q| q.name == name).unwrap().peak.messages
}

fn kafka_group<'a>(s: &'a mqsim::summary::Summary, name: &str) -> &'a mqsim::kafka::view::GroupSummary {
    s.kafka.as_ref().unwrap().groups.iter().find(|g| g.name == name).unwrap()
}

fn kafka_topic<'a>(s: &'a mqsim::summary::Summary, name: &str) -> &'a mqsim::kafka::view::TopicSummary {
    s.kafka.as_ref().unwrap().topics.iter().find(|t| t.name == name).unwrap()
}

/// Peak shaving: however large the spike, the consumer never takes more than
/// the database's 1,000 a second.
#[test]
fn peak_shaving_never_consumes_faster_than_the_database_writes() {
    let mut sim = Sim::new(presets::load("peak-shaving").unwrap()).unwrap();
    sim.run_to_end();
    let consumed = sim.series().column("consume_rate").unwrap();
    assert_eq!(consumed.iter().copied().fold(0.0, f64::max), 1_000.0);
}

/// Backpressure: the unbounded queue's backlog grows past 2,000.
#[test]
fn backpressure_unbounded_backlog_passes_2_000() {
    let s = run_preset("backpressure");
    assert!(queue_peak(&s, "unbounded") > 2_000, "{}", queue_peak(&s, "unbounded"));
}

/// M/M/10 at ρ = 0.9: by the end of the 60 s run the simulated mean wait is
/// within 10 % of Erlang C's prediction from the measured rates.
#[test]
fn mmc_preset_waits_within_10_percent_of_erlang_c() {
    let s = run_preset("mmc-erlang-c");
    let o = s.queues[0].overlay.as_ref().unwrap();
    let analytic = o.wq_analytic_ms.unwrap();
    assert!((o.wq_simulated_ms - analytic).abs() / analytic < 0.10, "simulated {} ms vs {analytic} ms", o.wq_simulated_ms);
    assert!((mqsim::theory::mmc_wait(900.0, 100.0, 10) * 1e3 - 6.687).abs() < 5e-4, "6.687 ms at the nominal rates");
}

/// M/M/10 over a longer run, as the preset's text suggests: with the
/// duration set to 1200 s (about a million jobs) the simulated mean wait is
/// 2.3 % from Erlang C's prediction.
#[test]
fn mmc_preset_over_1200_s_is_2_3_percent_from_erlang_c() {
    let text = presets::find("mmc-erlang-c").unwrap().json.replace("\"duration\": \"60s\"", "\"duration\": \"1200s\"");
    let mut sim = Sim::new(mqsim::scenario::Scenario::from_json(&text).unwrap()).unwrap();
    sim.run_to_end();
    let s = mqsim::summary::Summary::of(&sim);
    assert!(s.produced > 1_000_000, "{} jobs", s.produced);
    let o = s.queues[0].overlay.as_ref().unwrap();
    let gap = (o.wq_simulated_ms - o.wq_analytic_ms.unwrap()).abs() / o.wq_analytic_ms.unwrap();
    assert!((gap * 1000.0).round() == 23.0, "{:.2} % apart", gap * 100.0);
}

/// Auto ack: the crash loses 218 messages, and nothing is redelivered.
#[test]
fn auto_ack_crash_loses_218() {
    let s = run_preset("consumer-crash-auto-ack");
    assert_eq!((s.states.lost, s.redeliveries), (218, 0));
}

/// Poison messages: 57 end in payments.dlq.
#[test]
fn poison_message_dlq_dead_letters_57() {
    let s = run_preset("poison-message-dlq");
    assert_eq!(s.dead_lettered_total, 57);
}

/// Retry with backoff: 6 e-mails use up their retries and are dead-lettered.
#[test]
fn retry_backoff_dead_letters_6() {
    let s = run_preset("retry-backoff");
    assert_eq!(s.dead_lettered_total, 6);
}

/// TTL: 64 expired notifications are dead-lettered, 296 expired quotes discarded.
#[test]
fn ttl_expiry_dead_letters_64_and_discards_296() {
    let s = run_preset("ttl-expiry");
    assert_eq!((s.dead_lettered_total, s.states.expired), (64, 296));
    assert_eq!(queue_peak(&s, "notifications.expired"), 64);
}

/// Dead-letter replay: 79 expired orders wait in orders.dlq, and all are replayed.
#[test]
fn dlq_replay_holds_79_dead_letters_then_replays_them() {
    let s = run_preset("dlq-replay");
    assert_eq!(queue_peak(&s, "orders.dlq"), 79);
    assert_eq!(s.amqp.replayed, 79);
    assert_eq!(s.states.processed, s.published);
}

/// Publisher confirms: the crash and the failed publishes lose 1,161 messages.
#[test]
fn publisher_confirms_crash_loses_1_161() {
    let s = run_preset("publisher-confirms-broker-crash");
    assert_eq!(s.states.lost, 1_161);
    assert_eq!((s.redeliveries, s.duplicates), (20, 20));
}

/// Idempotent consumers: 56 double charges, none of them in the dedup group.
#[test]
fn idempotent_consumer_double_charges_56_outside_the_dedup_group() {
    let s = run_preset("idempotent-consumer");
    let duplicates = |name: &str| s.amqp.groups.iter().find(|g| g.name == name).unwrap().duplicates;
    assert_eq!(s.duplicates, 56);
    assert_eq!(duplicates("dedup"), 0);
    assert_eq!(duplicates("plain") + duplicates("short-window"), 56);
}

/// Outbox vs dual write: 37 dual-write events are lost.
#[test]
fn outbox_vs_dual_write_loses_37_dual_write_events() {
    let s = run_preset("outbox-vs-dual-write");
    assert_eq!((s.states.lost, s.requests[0].lost_messages), (37, 37));
}

/// Exchange routing: the 50 voided invoices come back to their publisher, dropped.
#[test]
fn exchange_routing_drops_the_50_returned_invoices() {
    let s = run_preset("exchange-routing");
    assert_eq!((s.states.dropped, s.amqp.returned), (50, 50));
}

/// Request-reply: 197 of the 1,010 requests time out.
#[test]
fn request_reply_times_out_197_of_1_010() {
    let s = run_preset("request-reply");
    assert_eq!((s.amqp.rpc.requests, s.amqp.rpc.timed_out), (1_010, 197));
}

/// acks=0 loses the batch it sent as the leader died (5 records) and the 40
/// of the un-replicated tail; acks=1 the 40; acks=all none: 85 in all. The
/// records that came while no leader could be reached waited in the
/// producers, and were written once broker 1 led.
#[test]
fn kafka_acks_lose_45_40_and_none() {
    let s = run_preset("kafka-acks-leader-crash");
    assert_eq!(kafka_topic(&s, "acks0").stats.lost, 45);
    assert_eq!(kafka_topic(&s, "acks0").stats.truncated, 40);
    let fire_and_forget = s.kafka.as_ref().unwrap().producers.iter().find(|p| p.name == "fire-and-forget").unwrap();
    assert_eq!(fire_and_forget.stats.failed_records, 5);
    assert_eq!(kafka_topic(&s, "acks1").stats.lost, 40);
    assert_eq!(kafka_topic(&s, "acksall").stats.lost, 0);
    assert_eq!(s.states.lost, 85);
}

/// Unclean election: 1,001 acknowledged records are truncated and the group loses 297.
#[test]
fn kafka_unclean_election_truncates_1_001_and_loses_297() {
    let s = run_preset("kafka-unclean-election");
    assert_eq!(kafka_topic(&s, "payments").stats.truncated_committed, 1_001);
    assert_eq!(s.states.lost, 297);
}

/// Producer retries: the five requests in flight fail at once; broker 1
/// already had the oldest batch, which the plain producer appends again (5
/// records), and the other four go out newest first (15 records out of
/// order). The idempotent producer's copy of that batch is recognised
/// (deduplicated once): nothing twice, nothing out of order.
#[test]
fn kafka_producer_retries_duplicate_5_and_reorder_15() {
    let s = run_preset("kafka-producer-retries");
    let producer = |name: &str| s.kafka.as_ref().unwrap().producers.iter().find(|p| p.name == name).unwrap();
    assert_eq!((producer("plain").stats.disconnected, producer("plain").stats.retries), (5, 5));
    assert_eq!(kafka_topic(&s, "plain").stats.duplicate_appends, 5);
    assert_eq!(kafka_group(&s, "read-plain").stats.out_of_order, 15);
    assert_eq!(s.out_of_order, 15);
    assert_eq!((producer("idempotent").stats.disconnected, producer("idempotent").stats.deduplicated), (5, 1));
    assert_eq!(kafka_topic(&s, "idempotent").stats.duplicate_appends, 0);
    assert_eq!(kafka_group(&s, "read-idempotent").stats.out_of_order, 0);
}

/// Commit modes: at-least-once repeats 59 records; at-most-once and auto-commit lose 41 each.
#[test]
fn kafka_commit_modes_repeat_59_or_lose_41() {
    let s = run_preset("kafka-commit-modes-crash");
    let g = |name: &str| (kafka_group(&s, name).stats.duplicates, kafka_group(&s, name).stats.lost);
    assert_eq!(g("at-least-once"), (59, 0));
    assert_eq!(g("at-most-once"), (0, 41));
    assert_eq!(g("auto-commit"), (0, 41));
}

/// Rebalancing: at the join, the leave and the crash the eager group's owned
/// partitions (the "Partitions owned" chart) fall to 0 while the cooperative
/// group's only dip; its partitions
/// are unowned 2.4 s in all against 1.3 s; the crash repeats about 1,800
/// records in each group.
#[test]
fn kafka_rebalance_eager_falls_to_0_and_cooperative_only_dips() {
    let mut sim = Sim::new(presets::load("kafka-rebalance-eager-vs-cooperative").unwrap()).unwrap();
    sim.run_to_end();
    let series = sim.series();
    let (t, eager, cooperative) =
        (series.column("t_ms").unwrap(), series.column("owned.eager").unwrap(), series.column("owned.cooperative").unwrap());
    // Each membership change, and the session timeout after the crash, until its rebalance is done.
    for (from, to) in [(10_000.0, 10_500.0), (20_000.0, 20_500.0), (34_900.0, 35_500.0)] {
        let window = |col: &[f64]| -> Vec<f64> { t.iter().zip(col).filter(|(t, _)| (from..to).contains(*t)).map(|(_, a)| *a).collect() };
        assert!(window(eager).contains(&0.0), "eager around {from} ms: {:?}", window(eager));
        assert!(window(cooperative).iter().all(|&a| a >= 3.0), "cooperative around {from} ms: {:?}", window(cooperative));
    }
    let s = mqsim::summary::Summary::of(&sim);
    let unowned_s = |name: &str| (kafka_group(&s, name).unowned_partition_ms / 100.0).round() / 10.0;
    assert_eq!((unowned_s("eager"), unowned_s("cooperative")), (2.4, 1.3));
    for name in ["eager", "cooperative"] {
        let duplicates = kafka_group(&s, name).stats.duplicates;
        assert!((1_750..1_850).contains(&duplicates), "{name}: {duplicates}");
    }
}

/// Key ordering: 2,190 records processed out of order, all in thread-pool.
#[test]
fn kafka_key_ordering_puts_2_190_out_of_order_in_the_thread_pool() {
    let s = run_preset("kafka-key-ordering");
    assert_eq!((s.out_of_order, kafka_group(&s, "thread-pool").stats.out_of_order), (2_190, 2_190));
}

/// Idle consumers: growing the topic puts 738 records out of order.
#[test]
fn kafka_idle_consumers_adding_partitions_puts_738_out_of_order() {
    let s = run_preset("kafka-idle-consumers");
    assert_eq!(s.out_of_order, 738);
}

/// Peak shaving is a one-off burst, and the theory panel's burst model
/// predicts a peak of 100,000 − 1,000 × 1 = 99,000 at t = 1 s and an empty
/// queue at 100,000 / 1,000 = 100 s.
#[test]
fn peak_shaving_burst_model_predicts_99_000_at_1_s_and_empty_at_100_s() {
    let s = run_preset("peak-shaving");
    let queue = serde_json::to_value(&s.queues[0]).unwrap();
    assert_eq!(queue["model"], "burst");
    let burst = &queue["burst"];
    assert_eq!((burst["predicted_peak"].as_f64(), burst["predicted_peak_at_ms"].as_f64()), (Some(99_000.0), Some(1_000.0)));
    assert_eq!(burst["predicted_drain_ms"].as_f64(), Some(100_000.0));
}
