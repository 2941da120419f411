//! Consumer group rebalancing, eager against cooperative (preset
//! `kafka-rebalance-eager-vs-cooperative`: two groups, the same faults).

mod kafka_support;

use kafka_support::{group, ms, preset, run, run_with_journal, samples};
use mqsim::observe::LifeKind;

/// Eager rebalancing stops every partition at every rebalance; cooperative
/// stops only the partitions that move, so its total pause is shorter.
#[test]
fn eager_rebalancing_pauses_longer_than_cooperative() {
    let (_, s) = run(preset("kafka-rebalance-eager-vs-cooperative"));
    let (eager, cooperative) = (group(&s, "eager").unowned_partition_ms, group(&s, "cooperative").unowned_partition_ms);
    assert!(eager > 1.5 * cooperative, "eager {eager} ms, cooperative {cooperative} ms");
}

/// Around the join at t = 10 s the eager group consumes nothing (stop the
/// world) while the cooperative group keeps most of its partitions going.
#[test]
fn eager_stops_the_world_and_cooperative_does_not() {
    let (sim, _) = run(preset("kafka-rebalance-eager-vs-cooperative"));
    let eager = samples(&sim, "active.eager", 10_000.0, 10_200.0);
    let cooperative = samples(&sim, "active.cooperative", 10_000.0, 10_200.0);
    assert!(eager.contains(&0.0), "eager: {eager:?}");
    assert!(cooperative.iter().all(|&a| a >= 4.0), "cooperative: {cooperative:?}");
}

/// Cooperative rebalancing takes an extra round when partitions move: the
/// owner revokes them first, then a second round hands them over.
#[test]
fn cooperative_rebalancing_revokes_before_reassigning() {
    let (_, s, journal) = run_with_journal(preset("kafka-rebalance-eager-vs-cooperative"));
    assert!(group(&s, "cooperative").stats.rebalances > group(&s, "eager").stats.rebalances);
    let revoked = journal.iter().filter(|e| e.kind == LifeKind::PartitionsRevoked).count();
    assert!(revoked > 0);
}

/// A joining member gets a share; after a leave and a crash the last member
/// owns every partition, in both groups.
#[test]
fn partitions_follow_membership() {
    let (_, s) = run(preset("kafka-rebalance-eager-vs-cooperative"));
    for name in ["eager", "cooperative"] {
        let g = group(&s, name);
        assert!(g.members[2].processed > 0, "{name}: the member that joined worked");
        assert_eq!(g.members[2].partitions, [0, 1, 2, 3, 4, 5], "{name}");
        assert!(!g.members[0].running && !g.members[1].running, "{name}");
        assert_eq!(g.lag, 0, "{name}: the survivor drains the topic");
    }
}

/// The crash (detected after the 5 s session timeout) makes both groups
/// repeat what the dead member processed since its last auto-commit; the
/// graceful leave, which commits first, repeats nothing.
#[test]
fn a_crash_causes_duplicates_in_both_protocols() {
    let mut before_crash = preset("kafka-rebalance-eager-vs-cooperative");
    before_crash.duration.0 = 29_000_000_000;
    let (_, s) = run(before_crash);
    for name in ["eager", "cooperative"] {
        assert_eq!(group(&s, name).stats.duplicates, 0, "{name}: joins and leaves repeat nothing");
    }
    let (_, s) = run(preset("kafka-rebalance-eager-vs-cooperative"));
    for name in ["eager", "cooperative"] {
        assert!(group(&s, name).stats.duplicates > 0, "{name}");
        assert_eq!(group(&s, name).stats.lost, 0, "{name}");
    }
}

/// A group of `count` members, the first `initial` started, on a
/// six-partition topic nobody writes to during the run: only ownership changes.
fn idle_group(assignor: &str, count: u32, initial: u32, faults: serde_json::Value) -> mqsim::scenario::Scenario {
    kafka_support::scenario(serde_json::json!({
        "name": format!("idle-{assignor}"),
        "seed": 1,
        "duration": "5s",
        "topics": [{ "name": "t", "partitions": 6 }],
        // Scenarios need a producer; this one starts after the run ends.
        "producers": [{ "name": "none", "topic": "t", "arrivals": { "constant": { "rate": 1 } }, "start": "1h" }],
        "consumers": [{ "name": "g", "topic": "t", "count": count, "service": { "constant": "1ms" },
                        "kafka": { "assignor": assignor, "initial_members": initial, "rebalance_delay": "100ms", "session_timeout": "10s" } }],
        "faults": faults,
    }))
}

fn owned_by_instance(sim: &mqsim::engine::Sim) -> Vec<Vec<u32>> {
    let s = mqsim::summary::Summary::of(sim);
    group(&s, "g").members.iter().map(|m| m.partitions.clone()).collect()
}

/// A consumer that restarts is a new process: the eager sticky assignor
/// has no memory of what it owned (StickyAssignor keeps it in the
/// consumer's user data), so its old partitions are dealt like unowned ones.
#[test]
fn a_restarted_member_claims_nothing_it_owned_before() {
    // Two members start with [0, 2, 4] and [1, 3, 5]. At 1 s member 0
    // crashes and comes straight back, and member 2 joins: member 1 keeps
    // two of its own, and the rest (0, 2, 4, 5) go round robin to the two
    // members with nothing. Had member 0 remembered, it would keep [0, 2].
    let member = |instance: u32| serde_json::json!({ "consumer": "g", "instance": instance });
    let faults = serde_json::json!([
        { "at": "1s", "action": { "crash_consumer": member(0) } },
        { "at": "1s", "action": { "restart_consumer": member(0) } },
        { "at": "1s", "action": { "join_group": member(2) } },
    ]);
    let mut sim = mqsim::engine::Sim::new(idle_group("sticky", 3, 2, serde_json::json!([]))).unwrap();
    sim.run_until(ms(900));
    assert_eq!(owned_by_instance(&sim), [vec![0, 2, 4], vec![1, 3, 5], vec![]]);
    let (sim, _) = run(idle_group("sticky", 3, 2, faults));
    assert_eq!(owned_by_instance(&sim), [vec![0, 4], vec![1, 3], vec![2, 5]]);
}

/// The cooperative sticky assignor counts what a member owns now
/// (`Subscription.ownedPartitions`): a partition it revoked, waiting for
/// the follow-up round, is nobody's, even if the group changed meanwhile.
#[test]
fn a_revoked_partition_is_nobodys_in_the_follow_up_round() {
    // Three members own [0, 3], [1, 4], [2, 5]. Member 3 joins, and the
    // assignment moves partition 5 from member 2 to it. Before member 2
    // revokes it, member 0 leaves. The follow-up round has members 1, 2, 3
    // with [1, 4], [2] and nothing: 0, 3 and 5 go round robin to members 2
    // and 3. (Counting 5 as member 2's would keep it there.)
    let mut sim = mqsim::engine::Sim::new(idle_group("cooperative_sticky", 4, 3, serde_json::json!([]))).unwrap();
    sim.run_until(ms(900));
    assert_eq!(owned_by_instance(&sim), [vec![0, 3], vec![1, 4], vec![2, 5], vec![]]);
    let m = |instance| sim.kafka().member_index("g", instance).unwrap();
    let (m0, m2, m3) = (m(0), m(2), m(3));
    sim.join_member(m3);
    while sim.kafka().members[m2 as usize].revoke.is_empty() {
        assert!(sim.step(), "the join's assignment never asked member 2 to revoke");
    }
    sim.leave_member(m0);
    sim.run_until(ms(3_000));
    assert_eq!(owned_by_instance(&sim), [vec![], vec![1, 4], vec![0, 2], vec![3, 5]]);
}
