//! Markers: every fault, every live action and every engine event that
//! changes the system is kept for the whole run, apart from the journal's
//! ring, with its time, its subject named as the page names it, its source,
//! and, for an engine event caused by a fault or an action, which one.

use mqsim::engine::{Command, Sim};
use mqsim::observe::markers::{Marker, Source};
use mqsim::scenario::presets;
use serde_json::{Value, json};

const S: u64 = 1_000_000_000;

/// Runs a preset to its end with a journal of 16 events, far too few to
/// hold the run: markers do not depend on the ring.
fn run(name: &str) -> Sim {
    let mut sim = Sim::with_journal(presets::load(name).unwrap(), 16).unwrap();
    sim.run_to_end();
    sim
}

/// Each marker as (t in ms, kind, subject, source, by).
fn rows(sim: &Sim) -> Vec<(f64, String, String, &'static str, Option<u32>)> {
    sim.markers().all().iter().map(row).collect()
}

fn row(m: &Marker) -> (f64, String, String, &'static str, Option<u32>) {
    let v = serde_json::to_value(m).unwrap();
    let source = match m.source {
        Source::Fault => "fault",
        Source::Action => "action",
        Source::Engine => "engine",
    };
    (v["t_ms"].as_f64().unwrap(), v["kind"].as_str().unwrap().into(), m.subject.clone(), source, m.by)
}

fn r(t_ms: f64, kind: &str, subject: &str, source: &'static str, by: Option<u32>) -> (f64, String, String, &'static str, Option<u32>) {
    (t_ms, kind.into(), subject.into(), source, by)
}

/// A scheduled crash and restart are marked as faults, each followed by
/// the engine's crash or restart it caused, pointing back to it.
#[test]
fn faults_are_marked_with_what_they_caused() {
    let sim = run("consumer-crash-manual-ack");
    assert_eq!(
        rows(&sim),
        [
            r(5000.0, "crash_consumer", "worker#0", "fault", None),
            r(5000.0, "consumer_crashed", "worker#0", "engine", Some(0)),
            r(12000.0, "restart_consumer", "worker#0", "fault", None),
            r(12000.0, "consumer_restarted", "worker#0", "engine", Some(2)),
        ]
    );
    let detail = serde_json::to_value(&sim.markers().all()[0]).unwrap()["detail"].clone();
    assert_eq!(detail, json!({"command": {"crash_consumer": {"consumer": "worker", "instance": 0}}}));
}

/// Live actions are marked at the instant they apply, with the command as
/// the log writes it; scaling in marks each instance it stops.
#[test]
fn live_actions_are_marked() {
    let mut sim = Sim::new(presets::load("consumer-crash-manual-ack").unwrap()).unwrap();
    sim.run_until(2 * S);
    sim.command(Command::SetRate { producer: "app".into(), rate: 50.0 }).unwrap();
    sim.run_until(3 * S);
    sim.command(Command::SetConsumers { consumer: "worker".into(), count: 1 }).unwrap();
    sim.run_until(4 * S);
    let all = rows(&sim);
    assert_eq!(
        all,
        [
            r(2000.0, "set_rate", "app", "action", None),
            r(3000.0, "set_consumers", "worker", "action", None),
            r(3000.0, "consumer_crashed", "worker#1", "engine", Some(1)),
        ]
    );
    let detail = serde_json::to_value(&sim.markers().all()[0]).unwrap()["detail"].clone();
    assert_eq!(detail, json!({"command": {"set_rate": {"producer": "app", "rate": 50.0}}}));
}

/// A Kafka run keeps every join, leave, crash, session expiry and
/// rebalance, even though its journal kept only its last 16 events: the
/// eager group's story in kafka-rebalance-eager-vs-cooperative.
#[test]
fn kafka_membership_and_rebalances_are_kept_in_full() {
    let sim = run("kafka-rebalance-eager-vs-cooperative");
    let eager: Vec<(f64, String, String)> = rows(&sim)
        .into_iter()
        .filter(|(_, _, subject, _, _)| subject.starts_with("eager"))
        .map(|(t, kind, subject, _, _)| ((t / 100.0).floor() / 10.0, kind, subject))
        .collect();
    let expected: Vec<(f64, &str, &str)> = vec![
        (0.0, "rebalance_started", "eager"),
        (0.1, "rebalance_completed", "eager"),
        (10.0, "join_group", "eager#2"),
        (10.0, "member_joined", "eager#2"),
        (10.0, "rebalance_started", "eager"),
        (10.1, "rebalance_completed", "eager"),
        (20.0, "leave_group", "eager#0"),
        (20.0, "member_left", "eager#0"),
        (20.0, "rebalance_started", "eager"),
        (20.1, "rebalance_completed", "eager"),
        (30.0, "crash_consumer", "eager#1"),
        (30.0, "member_crashed", "eager#1"),
        (35.0, "session_expired", "eager#1"),
        (35.0, "rebalance_started", "eager"),
        (35.1, "rebalance_completed", "eager"),
    ];
    let expected: Vec<(f64, String, String)> = expected.into_iter().map(|(t, k, s)| (t, k.into(), s.into())).collect();
    assert_eq!(eager, expected);
    assert!(sim.journal_overwritten() > 100_000, "the journal's ring lost most of the run");
}

/// A broker crash is marked, then its fencing one session later and the
/// partition it leaves offline, named `broker N` and `topic-partition`.
#[test]
fn broker_crashes_fencing_and_elections_are_marked() {
    let sim = run("kafka-clean-election");
    let all = rows(&sim);
    assert!(all.contains(&r(3000.0, "crash_broker", "broker 1", "fault", None)));
    assert!(all.contains(&r(4000.0, "broker_fenced", "broker 1", "engine", None)));
    assert!(all.contains(&r(9000.0, "partition_offline", "payments-0", "engine", None)));
    let elected = sim.markers().all().iter().find(|m| serde_json::to_value(m.kind).unwrap() == "leader_elected").unwrap();
    let v = serde_json::to_value(elected).unwrap();
    assert_eq!((v["t_ms"].as_f64(), v["subject"].as_str(), &v["detail"]), (Some(15000.0), Some("payments-0"), &json!({"broker": 0})));
}

/// A service's scheduled outage window is marked where it begins and ends,
/// as the `service_down` and `service_up` a person could have typed.
#[test]
fn scheduled_outages_are_marked_as_faults() {
    let sim = run("order-decoupling");
    assert_eq!(
        rows(&sim),
        [r(20000.0, "service_down", "inventory", "fault", None), r(40000.0, "service_up", "inventory", "fault", None)]
    );
}

/// An outage is marked when the run reaches it, in time order with the rest,
/// even when nothing else happens at that instant.
#[test]
fn an_outage_is_marked_when_the_run_reaches_it() {
    let mut sim = Sim::new(presets::load("order-decoupling").unwrap()).unwrap();
    sim.run_until(20 * S - 1);
    assert_eq!(sim.markers().len(), 0);
    sim.run_until(20 * S);
    assert_eq!(sim.markers().len(), 1);
}

/// The autoscaler's instances are marked when they start taking work and
/// when they stop.
#[test]
fn autoscaled_instances_are_marked() {
    let sim = run("flash-sale-layers");
    let kinds: Vec<(String, String)> = rows(&sim).into_iter().map(|(_, k, s, _, _)| (k, s)).collect();
    let started = kinds.iter().filter(|(k, _)| k == "consumer_started").count();
    let stopped = kinds.iter().filter(|(k, _)| k == "consumer_stopped").count();
    let summary = mqsim::summary::Summary::of(&sim);
    assert_eq!(started as u64, summary.autoscaling[0].scaled_up);
    assert!(stopped > 0 && kinds.iter().all(|(_, s)| s.starts_with("order-writer#")));
}

/// Markers are in time order, serialize as the page reads them, and do not
/// change the run: the trace hash is the golden one.
#[test]
fn markers_are_in_time_order_and_leave_the_trace_alone() {
    let golden: Value = serde_json::from_str(include_str!("golden/presets.json")).unwrap();
    for preset in presets::PRESETS {
        let sim = run(preset.name);
        let times: Vec<u64> = sim.markers().all().iter().map(|m| m.t).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{}: {times:?}", preset.name);
        assert_eq!(sim.trace_hash().hex(), golden[preset.name]["trace_hash"], "{}", preset.name);
        for m in sim.markers().all() {
            let v = serde_json::to_value(m).unwrap();
            let kind = v["kind"].as_str().unwrap();
            let vocabulary = serde_json::to_value(mqsim::observe::vocabulary()).unwrap();
            assert!(vocabulary["marker_kinds"].as_array().unwrap().iter().any(|k| k == kind), "{kind}");
            if m.source != Source::Engine {
                assert!(v["detail"]["command"].is_object(), "{v}");
            }
        }
    }
}
