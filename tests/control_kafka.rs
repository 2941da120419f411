//! Live commands on the log family: brokers, partitions, acks, commit mode
//! and group size changed while a run goes on — each a change a learner can
//! make from the page, each replayable from the run's log.

mod common;

use mqsim::engine::{Command, Sim};
use mqsim::observe::topology::NodeKind;
use mqsim::observe::Topology;
use mqsim::scenario::presets;
use mqsim::summary::Summary;

const SEC: u64 = 1_000_000_000;

fn cmd(json: &str) -> Command {
    Command::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn sim(preset: &str) -> Sim {
    Sim::new(presets::load(preset).unwrap()).unwrap()
}

/// `preset` without its scheduled faults.
fn without_faults(preset: &str) -> Sim {
    let mut scenario = presets::load(preset).unwrap();
    scenario.faults.clear();
    Sim::new(scenario).unwrap()
}

/// Runs `sim` giving each command at its time, then to the end.
fn run_with(mut sim: Sim, script: &[(u64, &str)]) -> Sim {
    for (at, json) in script {
        sim.run_until(*at);
        sim.command(cmd(json)).unwrap();
    }
    sim.run_to_end();
    sim
}

/// Replays `live`'s command log on a fresh copy of `preset` and checks the runs match.
fn assert_replays(preset: &str, live: &Sim) {
    let mut replay = sim(preset);
    replay.schedule_commands(&live.command_log()).unwrap();
    replay.run_to_end();
    assert_eq!(live.trace_hash(), replay.trace_hash(), "{preset}: the replay differs");
    assert!(Summary::of(live).ledger_balanced);
}

fn kafka(summary: &Summary) -> &mqsim::kafka::view::KafkaSummary {
    summary.kafka.as_ref().expect("a Kafka scenario")
}

fn topic_lost(summary: &Summary, topic: &str) -> u64 {
    kafka(summary).topics.iter().find(|t| t.name == topic).unwrap().stats.lost
}

fn group<'a>(summary: &'a Summary, name: &str) -> &'a mqsim::kafka::view::GroupSummary {
    kafka(summary).groups.iter().find(|g| g.name == name).unwrap()
}

fn error_path(sim: &mut Sim, json: &str) -> String {
    sim.command(cmd(json)).expect_err(json).path
}

/// Crashing and restarting a broker from the page is the scheduled fault:
/// the same losses per acks setting as the preset's own crash at 5.045 s.
#[test]
fn broker_commands_match_the_scheduled_faults() {
    let live = run_with(
        without_faults("kafka-acks-leader-crash"),
        &[(5_045_000_000, r#"{"crash_broker": {"broker": 0}}"#), (12 * SEC, r#"{"restart_broker": {"broker": 0}}"#)],
    );
    let (ours, theirs) = (Summary::of(&live), common::run_preset("kafka-acks-leader-crash"));
    for topic in ["acks0", "acks1", "acksall"] {
        assert_eq!(topic_lost(&ours, topic), topic_lost(&theirs, topic), "{topic}");
    }
    assert!(topic_lost(&ours, "acks1") > 0 && topic_lost(&ours, "acksall") == 0);
    assert!(kafka(&ours).brokers.iter().all(|b| b.alive), "broker 0 is back");
}

/// Switching the acks=1 producer to acks=all before the leader dies saves
/// its un-replicated tail: nothing is lost on that topic any more.
#[test]
fn set_acks_all_before_a_crash_prevents_the_loss() {
    let plain = common::run_preset("kafka-acks-leader-crash");
    assert!(topic_lost(&plain, "acks1") > 0, "the preset loses acks=1 records");
    let live = run_with(sim("kafka-acks-leader-crash"), &[(2 * SEC, r#"{"set_acks": {"producer": "leader-ack", "acks": "all"}}"#)]);
    let ours = Summary::of(&live);
    assert_eq!(topic_lost(&ours, "acks1"), 0);
    assert_eq!(kafka(&ours).producers.iter().find(|p| p.name == "leader-ack").unwrap().acks, mqsim::scenario::Acks::All);
    assert_replays("kafka-acks-leader-crash", &live);
}

/// Switching the at-least-once group to commit before processing turns the
/// crash's duplicates into losses: at-most-once.
#[test]
fn set_commit_before_processing_turns_duplicates_into_loss() {
    let plain = common::run_preset("kafka-commit-modes-crash");
    let before = group(&plain, "at-least-once");
    assert!(before.stats.duplicates > 0 && before.stats.lost == 0);
    let live = run_with(
        sim("kafka-commit-modes-crash"),
        &[(5 * SEC, r#"{"set_commit": {"consumer": "at-least-once", "commit": "before_processing"}}"#)],
    );
    let ours = Summary::of(&live);
    let after = group(&ours, "at-least-once");
    assert_eq!(after.commit, mqsim::scenario::CommitMode::BeforeProcessing);
    assert!(after.stats.lost > 0, "at-most-once loses what it committed and never processed");
    assert_eq!(after.stats.duplicates, 0);
    assert_replays("kafka-commit-modes-crash", &live);
}

/// Switching auto-commit off and on again restarts its 1 s interval at the
/// switch: the timers set before lapse, so the group commits at 2.1 s and
/// not at 2.0 s, and in both runs — toggled, or switched to `auto` once.
#[test]
fn switching_commit_mode_restarts_the_auto_commit_interval() {
    let committed = |s: &Sim| -> Vec<Option<u64>> {
        group(&Summary::of(s), "auto-commit").partitions.iter().map(|p| p.committed).collect()
    };
    let mut toggled = sim("kafka-commit-modes-crash");
    toggled.run_until(SEC);
    toggled.command(cmd(r#"{"set_commit": {"consumer": "auto-commit", "commit": "after_processing"}}"#)).unwrap();
    let mut once = sim("kafka-commit-modes-crash");
    for s in [&mut toggled, &mut once] {
        s.run_until(SEC + 100_000_000);
        s.command(cmd(r#"{"set_commit": {"consumer": "auto-commit", "commit": "auto"}}"#)).unwrap();
        let at_switch = committed(s);
        s.run_until(2_050_000_000);
        assert_eq!(committed(s), at_switch, "no commit between the switch and 2.1 s");
        s.run_until(2_150_000_000);
        assert_ne!(committed(s), at_switch, "the restarted interval commits at 2.1 s");
    }
}

/// Growing a group past its partition count leaves the extra members idle,
/// visibly; shrinking it hands their partitions back after a rebalance.
#[test]
fn set_consumers_on_a_group_adds_idle_members_beyond_the_partitions() {
    let mut s = sim("kafka-commit-modes-crash");
    s.run_until(2 * SEC);
    s.command(cmd(r#"{"set_consumers": {"consumer": "at-least-once", "count": 6}}"#)).unwrap();
    s.run_until(4 * SEC);
    let summary = Summary::of(&s);
    let g = group(&summary, "at-least-once");
    assert_eq!(g.members.len(), 6);
    assert_eq!(g.members.iter().filter(|m| m.running).count(), 6);
    assert_eq!(g.members.iter().filter(|m| m.idle).count(), 2, "4 partitions for 6 members");
    s.command(cmd(r#"{"set_consumers": {"consumer": "at-least-once", "count": 1}}"#)).unwrap();
    s.run_until(6 * SEC);
    let summary = Summary::of(&s);
    let g = group(&summary, "at-least-once");
    let running: Vec<_> = g.members.iter().filter(|m| m.running).collect();
    assert_eq!(running.len(), 1);
    assert_eq!(running[0].partitions.len(), 4, "the one member left owns every partition");
    s.run_to_end();
    assert_replays("kafka-commit-modes-crash", &s);
}

/// Adding partitions live shows in the topology at once, and every group
/// reading the topic rebalances onto them.
#[test]
fn add_partitions_grows_the_topic_and_rebalances() {
    let mut s = sim("kafka-commit-modes-crash");
    s.run_until(3 * SEC);
    s.command(cmd(r#"{"add_partitions": {"topic": "events", "partitions": 6}}"#)).unwrap();
    let topo = Topology::of(&s);
    let parts = topo
        .nodes
        .iter()
        .find_map(|n| match &n.kind {
            NodeKind::Topic { partitions, .. } => Some(partitions.len()),
            _ => None,
        })
        .unwrap();
    assert_eq!(parts, 6);
    s.run_until(5 * SEC);
    let summary = Summary::of(&s);
    let g = group(&summary, "at-least-once");
    assert_eq!(g.partitions.len(), 6);
    assert!(g.partitions.iter().all(|p| p.owner.is_some()), "every partition has an owner after the rebalance");
    s.run_to_end();
    assert_replays("kafka-commit-modes-crash", &s);
}

/// A slowed queue consumer falls behind: the same run with one of its
/// instances ten times slower ends with a deeper peak backlog.
#[test]
fn slow_consumer_deepens_a_queue_backlog() {
    let plain = common::run_preset("consumer-crash-manual-ack");
    let live = run_with(
        without_faults("consumer-crash-manual-ack"),
        &[(SEC, r#"{"slow_consumer": {"consumer": "worker", "instance": 0, "factor": 10}}"#)],
    );
    let ours = Summary::of(&live);
    assert!(ours.peak_backlog.messages > plain.peak_backlog.messages, "{} vs {}", ours.peak_backlog.messages, plain.peak_backlog.messages);
}

/// The topology tells the page each partition's offsets and each group's
/// committed offset there, consistently: log start ≤ committed ≤ HW ≤ LEO.
#[test]
fn topology_shows_offsets_per_partition_and_group() {
    let mut s = sim("kafka-commit-modes-crash");
    s.run_until(8 * SEC);
    let topo = Topology::of(&s);
    let mut seen = 0;
    for node in &topo.nodes {
        if let NodeKind::Topic { partitions, brokers, .. } = &node.kind {
            assert!(!brokers.is_empty());
            for p in partitions {
                assert!(p.log_start <= p.hw && p.hw <= p.leo, "{p:?}");
                assert!(p.leo > 0, "records were written");
                assert_eq!(p.groups.len(), 3, "three groups read the topic");
                for g in &p.groups {
                    let committed = g.committed.expect("every group has committed by 8 s");
                    assert!(committed <= p.hw && g.lag == p.hw - committed, "{g:?}");
                    seen += 1;
                }
            }
        }
        if let NodeKind::ConsumerGroup { members, .. } = &node.kind {
            let owned: usize = members.iter().map(|m| m.partitions.len()).sum();
            assert_eq!(owned, 4, "each partition has one member in each group");
        }
    }
    assert_eq!(seen, 12);
}

/// Wrong live commands name the field and say what is allowed.
#[test]
fn wrong_kafka_commands_name_the_field() {
    let mut s = sim("kafka-acks-leader-crash");
    s.run_until(SEC);
    assert_eq!(error_path(&mut s, r#"{"crash_broker": {"broker": 3}}"#), "crash_broker.broker");
    assert_eq!(error_path(&mut s, r#"{"add_partitions": {"topic": "acks0", "partitions": 1}}"#), "add_partitions.partitions");
    assert_eq!(error_path(&mut s, r#"{"add_partitions": {"topic": "nope", "partitions": 2}}"#), "add_partitions.topic");
    assert_eq!(error_path(&mut s, r#"{"set_acks": {"producer": "all-replicas", "acks": "1"}}"#), "set_acks.acks");
    assert_eq!(error_path(&mut s, r#"{"set_prefetch": {"consumer": "read-acks0", "prefetch": 5}}"#), "set_prefetch.consumer");
    assert_eq!(error_path(&mut s, r#"{"crash_consumer": {"consumer": "read-acks0", "instance": 4}}"#), "crash_consumer.instance");
    assert_eq!(error_path(&mut s, r#"{"slow_consumer": {"consumer": "read-acks0", "instance": 0, "factor": 0.5}}"#), "slow_consumer.factor");
    let mut queue = sim("peak-shaving");
    assert_eq!(error_path(&mut queue, r#"{"crash_broker": {"broker": 0}}"#), "crash_broker.broker");
    assert_eq!(error_path(&mut queue, r#"{"set_acks": {"producer": "flash-sale", "acks": "1"}}"#), "set_acks.producer");
    assert_eq!(error_path(&mut queue, r#"{"set_commit": {"consumer": "order-writer", "commit": "auto"}}"#), "set_commit.consumer");
    assert_eq!(s.commands_applied() + queue.commands_applied(), 0, "nothing wrong was applied");
}
