//! Live commands, the topology description and message lifecycles.
//!
//! The property everything rests on: a run with live commands, replayed from
//! (scenario, seed, log of timed commands), is the same run — same trace hash,
//! same series, same summary — however the live run was sliced.

mod common;

use mqsim::engine::{Command, Sim, TimedCommand};
use mqsim::ledger::MsgState;
use mqsim::observe::topology::{EdgeKind, NodeKind};
use mqsim::observe::{LifeKind, Topology};
use mqsim::scenario::presets;
use mqsim::summary::Summary;
use mqsim::time::NANOS_PER_MILLI;

const SEC: u64 = 1_000_000_000;

fn cmd(json: &str) -> Command {
    Command::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn sim(preset: &str) -> Sim {
    Sim::new(presets::load(preset).unwrap()).unwrap()
}

/// Runs `preset` live in awkward slices, giving each command when the clock
/// first reaches its time (some right after a single `step`), and returns
/// the live run and its replay from the recorded log.
fn live_and_replay(preset: &str, script: &[(u64, &str)]) -> (Sim, Sim) {
    let mut live = sim(preset);
    let mut script = script.iter().peekable();
    let mut t = 0;
    while !live.finished() {
        t += 7_777_777;
        live.run_until(t);
        while let Some((at, json)) = script.peek() {
            if *at > live.now() {
                break;
            }
            live.step(); // leave the clock mid-instant: the command must still replay
            live.command(cmd(json)).unwrap();
            script.next();
        }
    }
    let log = live.command_log();
    assert_eq!(log.len(), live.commands_applied());
    let mut replay = sim(preset);
    replay.schedule_commands(&log).unwrap();
    replay.run_to_end();
    (live, replay)
}

fn assert_same_run(live: &Sim, replay: &Sim) {
    assert_eq!(live.trace_hash(), replay.trace_hash());
    assert_eq!(live.series().to_csv(), replay.series().to_csv());
    let (a, b) = (Summary::of(live), Summary::of(replay));
    assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap());
    assert!(a.ledger_balanced, "ledger balanced");
}

/// Every kind of command, given live at awkward instants, replays exactly.
#[test]
fn live_commands_replay_exactly() {
    let cases: &[(&str, &[(u64, &str)])] = &[
        (
            "peak-shaving",
            &[
                (500_000_000, r#"{"set_rate": {"producer": "flash-sale", "rate": 20000}}"#),
                (2 * SEC, r#"{"set_consumers": {"consumer": "order-writer", "count": 3}}"#),
                (3 * SEC, r#"{"set_consumers": {"consumer": "order-writer", "count": 2}}"#),
            ],
        ),
        (
            "consumer-crash-manual-ack",
            &[
                (4_200_000_000, r#"{"crash_consumer": {"consumer": "worker", "instance": 1}}"#),
                (4_300_000_000, r#"{"set_prefetch": {"consumer": "worker", "prefetch": 1}}"#),
                (6 * SEC, r#"{"restart_consumer": {"consumer": "worker", "instance": 1}}"#),
                (7 * SEC, r#"{"set_rate": {"producer": "app", "rate": 400}}"#),
                (9 * SEC, r#"{"set_rate": {"producer": "app", "rate": 0}}"#),
                (11 * SEC, r#"{"set_rate": {"producer": "app", "rate": 50}}"#),
            ],
        ),
        (
            "order-decoupling",
            &[
                (5 * SEC, r#"{"service_down": {"service": "payment"}}"#),
                (8 * SEC, r#"{"service_up": {"service": "payment"}}"#),
                (25 * SEC, r#"{"service_up": {"service": "inventory"}}"#),
                (30 * SEC, r#"{"service_down": {"service": "inventory"}}"#),
                (45 * SEC, r#"{"service_up": {"service": "inventory"}}"#),
            ],
        ),
        ("consumer-crash-auto-ack", &[(4_600_000_000, r#"{"set_consumers": {"consumer": "worker", "count": 1}}"#)]),
    ];
    for (preset, script) in cases {
        let (live, replay) = live_and_replay(preset, script);
        assert_eq!(live.command_log().len(), script.len(), "{preset}");
        assert_same_run(&live, &replay);
        // And the commands changed the run: it is not the preset's own.
        let mut plain = sim(preset);
        plain.run_to_end();
        assert_ne!(plain.trace_hash(), live.trace_hash(), "{preset}");
    }
}

/// A log survives JSON (the page puts it in a URL) and replays the same.
#[test]
fn the_log_round_trips_through_json() {
    let (live, _) = live_and_replay(
        "poison-message-dlq",
        &[(3_333_333_333, r#"{"set_consumers": {"consumer": "payment-worker", "count": 1}}"#)],
    );
    let text = serde_json::to_string(&live.command_log()).unwrap();
    let mut replay = sim("poison-message-dlq");
    replay.schedule_commands(&TimedCommand::log_from_json(&text).unwrap()).unwrap();
    replay.run_to_end();
    assert_eq!(live.trace_hash(), replay.trace_hash());
}

/// A crash through a command behaves exactly like the scenario's own fault.
#[test]
fn a_crash_command_matches_a_scheduled_fault() {
    let mut scenario = presets::load("consumer-crash-manual-ack").unwrap();
    let faults = std::mem::take(&mut scenario.faults);
    let mut by_command = Sim::new(scenario).unwrap();
    by_command.run_until(5 * SEC);
    by_command.command(cmd(r#"{"crash_consumer": {"consumer": "worker", "instance": 0}}"#)).unwrap();
    by_command.run_until(12 * SEC);
    by_command.command(cmd(r#"{"restart_consumer": {"consumer": "worker", "instance": 0}}"#)).unwrap();
    by_command.run_to_end();
    let (ours, theirs) = (Summary::of(&by_command), common::run_preset("consumer-crash-manual-ack"));
    assert_eq!(faults.len(), 2);
    assert_eq!((ours.produced, ours.states.processed, ours.redeliveries), (theirs.produced, theirs.states.processed, theirs.redeliveries));
}

/// More consumers drain peak shaving's backlog faster: three token buckets
/// of 1,000/s drain 99,000 messages in about 33 s instead of 99 s.
#[test]
fn scaling_out_drains_the_backlog_faster() {
    let mut s = sim("peak-shaving");
    s.run_until(SEC);
    s.command(cmd(r#"{"set_consumers": {"consumer": "order-writer", "count": 3}}"#)).unwrap();
    s.run_until(40 * SEC);
    let summary = Summary::of(&s);
    assert_eq!(summary.states.processed, 100_000);
    assert_eq!(summary.consumers.len(), 3);
    assert!(summary.consumers.iter().all(|c| c.processed > 30_000), "{:?}", summary.consumers);
    assert!(summary.ledger_balanced);
}

/// Rate 0 pauses a producer; a later rate resumes it at that rate.
#[test]
fn rate_zero_pauses_a_producer() {
    let mut s = sim("mmc-erlang-c");
    s.run_until(10 * SEC);
    s.command(cmd(r#"{"set_rate": {"producer": "clients", "rate": 0}}"#)).unwrap();
    let paused = Summary::of(&s).published;
    s.run_until(20 * SEC);
    assert_eq!(Summary::of(&s).published, paused);
    s.command(cmd(r#"{"set_rate": {"producer": "clients", "rate": 100}}"#)).unwrap();
    s.run_until(30 * SEC);
    let sent = Summary::of(&s).published - paused;
    assert!((900..=1100).contains(&sent), "{sent} messages in 10 s at 100/s");
}

/// A live outage: sync requests fail while the service is down, queued work
/// waits in its queue, and everything drains once it is up — no consumer
/// stays blocked.
#[test]
fn a_live_outage_holds_work_until_the_service_is_up() {
    let mut scenario = presets::load("order-decoupling").unwrap();
    scenario.services[0].outages.clear(); // only the live outage
    let mut s = Sim::new(scenario).unwrap();
    s.run_until(10 * SEC);
    s.command(cmd(r#"{"service_down": {"service": "inventory"}}"#)).unwrap();
    s.run_until(20 * SEC);
    let down = Summary::of(&s);
    let sync = down.requests.iter().find(|r| r.name == "sync-checkout").unwrap();
    assert!(sync.failed > 50, "sync orders fail while inventory is down: {}", sync.failed);
    assert!(down.queues[0].depth > 50, "inventory tasks wait: {}", down.queues[0].depth);
    let topology = Topology::of(&s);
    assert!(topology.nodes.iter().any(|n| matches!(n.kind, NodeKind::Service { down: true, live_outage: true, .. })));
    s.command(cmd(r#"{"service_up": {"service": "inventory"}}"#)).unwrap();
    s.run_to_end();
    let end = Summary::of(&s);
    assert_eq!(end.states.processed, end.produced, "every task is done by the end");
    assert!(end.ledger_balanced);
}

/// A service taken down and never brought up keeps its consumers waiting to the end.
#[test]
fn a_service_left_down_keeps_its_work_queued() {
    let mut s = sim("order-decoupling");
    s.run_until(45 * SEC);
    s.command(cmd(r#"{"service_down": {"service": "payment"}}"#)).unwrap();
    s.run_to_end();
    let end = Summary::of(&s);
    let payment = end.queues.iter().find(|q| q.name == "payment-tasks").unwrap();
    assert!(payment.depth > 100, "{}", payment.depth);
    assert!(end.ledger_balanced);
}

/// Raising prefetch lets auto-ack-free manual consumers hold more at once.
#[test]
fn raising_prefetch_gives_consumers_more_credit() {
    let mut s = sim("consumer-crash-manual-ack");
    s.run_until(4_100_000_000);
    s.command(cmd(r#"{"set_prefetch": {"consumer": "worker", "prefetch": 50}}"#)).unwrap();
    s.run_until(4_200_000_000);
    let holding: u64 = Summary::of(&s).consumers.iter().map(|c| c.holding).max().unwrap();
    assert!(holding > 10, "an instance holds {holding}, more than the old prefetch of 10");
}

/// Bad commands are refused with the path and what is allowed, changing nothing.
#[test]
fn bad_commands_are_refused() {
    let mut s = sim("peak-shaving");
    s.run_until(SEC);
    let before = s.trace_hash();
    let cases = [
        (r#"{"set_rate": {"producer": "nobody", "rate": 5}}"#, "set_rate.producer", "flash-sale"),
        (r#"{"set_rate": {"producer": "flash-sale", "rate": -5}}"#, "set_rate.rate", "from 0 to 1e9"),
        (r#"{"set_prefetch": {"consumer": "order-writer", "prefetch": 0}}"#, "set_prefetch.prefetch", "from 1"),
        (r#"{"crash_consumer": {"consumer": "order-writer", "instance": 4}}"#, "crash_consumer.instance", "0 to 0"),
        (r#"{"service_down": {"service": "db"}}"#, "service_down.service", "none"),
        (r#"{"set_consumers": {"consumer": "order-writer", "count": 10001}}"#, "set_consumers.count", "10000"),
    ];
    for (json, path, hint) in cases {
        let err = s.command(cmd(json)).unwrap_err();
        assert_eq!(err.path, path, "{json}");
        assert!(err.to_string().contains(hint), "{err}");
    }
    assert_eq!(s.trace_hash(), before);
    assert!(s.command_log().is_empty());
    let past = TimedCommand::log_from_json(r#"[{"at": "0.5s", "command": {"set_rate": {"producer": "flash-sale", "rate": 1}}}]"#).unwrap();
    assert_eq!(s.schedule_commands(&past).unwrap_err().path, "[0].at");
}

/// The topology lists every node and edge with the indices journal events use.
#[test]
fn topology_describes_nodes_edges_and_events() {
    let t = Topology::of(&sim("poison-message-dlq"));
    let ids: Vec<&str> = t.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["producer:checkout", "queue:payments", "queue:payments.dlq", "consumer:payment-worker"]);
    let edge = |from: &str, to: &str, kind| t.edges.iter().any(|e| e.from == from && e.to == to && e.kind == kind);
    assert!(edge("producer:checkout", "queue:payments", EdgeKind::Publish));
    assert!(edge("queue:payments", "queue:payments.dlq", EdgeKind::DeadLetter));
    assert!(edge("queue:payments", "consumer:payment-worker", EdgeKind::Deliver));
    let NodeKind::Consumer { instances, prefetch, .. } = &t.nodes[3].kind else { panic!() };
    assert_eq!((instances.len(), *prefetch), (3, 5));
    let published = t.events[mqsim::observe::LifeKind::Published as usize].unwrap();
    assert_eq!((published.at, published.state), (mqsim::observe::topology::Subject::Queue, Some(mqsim::ledger::MsgState::Stored)));
    let joined = t.events[mqsim::observe::LifeKind::MemberJoined as usize].unwrap();
    assert!(!joined.message, "a Kafka member joining is about a node, not a message");

    let t = Topology::of(&sim("order-decoupling"));
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["nodes"][0]["kind"], "request_flow");
    assert!(t.edges.iter().any(|e| e.from == "request_flow:sync-checkout" && e.to == "service:payment" && e.kind == EdgeKind::Call));
    assert!(t.edges.iter().any(|e| e.from == "consumer:inventory-worker" && e.to == "service:inventory" && e.kind == EdgeKind::Call));
    assert_eq!(t.edges.iter().filter(|e| e.from == "request_flow:queued-checkout").count(), 3);

    let mut s = sim("peak-shaving");
    s.command(cmd(r#"{"set_consumers": {"consumer": "order-writer", "count": 4}}"#)).unwrap();
    let t = Topology::of(&s);
    let NodeKind::Consumer { instances, .. } = &t.nodes[2].kind else { panic!() };
    assert_eq!(instances.iter().map(|i| (i.index, i.instance)).collect::<Vec<_>>(), [(0, 0), (1, 1), (2, 2), (3, 3)]);
}

/// A message watched before it is produced has its whole life recorded; a
/// live one can be looked up with its place in the queue. Watching changes nothing.
#[test]
fn a_watched_message_has_its_whole_life() {
    let mut watched = sim("poison-message-dlq");
    for id in 0..16 {
        watched.watch_message(id);
    }
    watched.run_to_end();
    let mut plain = sim("poison-message-dlq");
    plain.run_to_end();
    assert_eq!(watched.trace_hash(), plain.trace_hash());
    for id in 0..16 {
        let life = watched.message_life(id);
        assert!(life.watched && life.live.is_none(), "{id} ended");
        let kinds: Vec<LifeKind> = life.events.iter().map(|e| e.kind).collect();
        assert_eq!(kinds[0], LifeKind::Published, "{id}");
        assert!(matches!(kinds.last(), Some(LifeKind::Acked | LifeKind::DeadLetteredDeliveryLimit)), "{id}: {kinds:?}");
        assert!(life.events.windows(2).all(|w| w[0].t <= w[1].t));
    }

    let mut s = sim("peak-shaving");
    s.run_until(SEC);
    let life = s.message_life(50_000);
    let view = life.live.expect("message 50,000 waits in the queue at t = 1 s");
    assert_eq!((view.state, view.queue.as_str(), view.producer.as_deref()), (MsgState::Stored, "orders", Some("flash-sale")));
    assert_eq!(view.born_ms, 500.0);
    // Permits at 0, 1, … 1,000 ms: messages 0 to 1,000 are done, 1,001 is in flight.
    assert_eq!(view.position, Some(50_000 - 1_002));
    assert!(!life.watched && life.events.is_empty());
    s.watch_message(50_000);
    s.run_until(60 * SEC);
    let kinds: Vec<LifeKind> = s.message_life(50_000).events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [LifeKind::Delivered, LifeKind::Acked]);
    assert_eq!(s.message_life(50_000).events[1].t, 50_000 * NANOS_PER_MILLI, "its permit comes at 50 s");
}

/// Exchanges, topics and Kafka consumer groups appear in the topology with
/// their edges.
#[test]
fn topology_includes_exchanges_topics_and_groups() {
    let t = Topology::of(&sim("exchange-routing"));
    assert!(t.nodes.iter().any(|n| n.id.starts_with("exchange:")));
    assert!(t.edges.iter().any(|e| e.from.starts_with("exchange:") && e.to.starts_with("queue:")));
    let t = Topology::of(&sim("backlog-emergency"));
    assert!(t.edges.iter().any(|e| e.from == "producer:shop-a" && e.to == "topic:orders-a"));
    assert!(t.edges.iter().any(|e| e.from == "topic:orders-b" && e.to == "consumer_group:add-partitions"));
    let json = serde_json::to_value(&t).unwrap();
    let group = json["nodes"].as_array().unwrap().iter().find(|n| n["id"] == "consumer_group:add-consumers").unwrap().clone();
    let members = group["members"].as_array().unwrap();
    let running = members.iter().filter(|m| m["running"] == true).count();
    assert_eq!((members.len(), running), (4, 2));
}

/// The page's Step always shows something happen: every `step_visible` moves
/// the trace hash (bookkeeping events alone never make a silent step), while
/// a plain kernel `step` sometimes does not.
#[test]
fn step_visible_always_records_an_event() {
    for preset in ["peak-shaving", "async-response-time", "kafka-idle-consumers"] {
        let mut s = sim(preset);
        let mut silent_kernel_steps = 0;
        for _ in 0..3_000 {
            let before = s.trace_hash();
            if !s.step() {
                break;
            }
            if s.trace_hash() == before {
                silent_kernel_steps += 1;
            }
        }
        assert!(silent_kernel_steps > 0, "{preset}: every kernel event recorded something, so the test shows nothing");
        for i in 0..3_000 {
            let before = s.trace_hash();
            if !s.step_visible() {
                assert!(s.finished(), "{preset}: step_visible stopped before the end");
                break;
            }
            assert_ne!(s.trace_hash(), before, "{preset}: visible step {i} recorded nothing");
        }
    }
}
