//! Consumer group rebalancing, eager against cooperative (preset
//! `kafka-rebalance-eager-vs-cooperative`: two groups, the same faults).

mod kafka_support;

use kafka_support::{group, preset, run, run_with_journal, samples};
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
