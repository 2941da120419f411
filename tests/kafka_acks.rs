//! Producer acknowledgements against a leader crash (preset
//! `kafka-acks-leader-crash`): what each `acks` setting loses.

mod kafka_support;

use kafka_support::{group, kafka, preset, run, topic};
use mqsim::engine::Sim;

/// acks=0 loses the un-replicated tail and what it sent on the connection
/// the crash closed, and nothing of the two seconds until fencing: a
/// connection to the dead broker is refused, so the producer keeps those
/// records and sends them to the new leader.
#[test]
fn acks_zero_loses_the_tail_and_what_was_on_the_wire() {
    let (_, s) = run(preset("kafka-acks-leader-crash"));
    let acks0 = topic(&s, "acks0");
    let on_the_wire = kafka(&s).producers.iter().find(|p| p.name == "fire-and-forget").unwrap().stats.failed_records;
    assert!(on_the_wire > 0, "a batch was on its way when the broker died");
    assert_eq!(acks0.stats.lost, acks0.stats.truncated + on_the_wire);
    assert!(acks0.stats.lost < 100, "the records of the two seconds without a leader are not lost: {}", acks0.stats.lost);
    assert!(acks0.stats.lost > topic(&s, "acks1").stats.lost, "acks=0 loses more than acks=1");
}

/// acks=1 loses exactly the records the leader had and broker 1 (the next
/// leader) did not when the leader crashed: acknowledged, never replicated.
#[test]
fn acks_one_loses_exactly_the_unreplicated_tail() {
    let mut sim = Sim::new(preset("kafka-acks-leader-crash")).unwrap();
    let crash = sim.scenario().faults[0].at.0;
    sim.run_until(crash);
    let k = sim.kafka();
    let t = k.topics.iter().position(|t| t.name == "acks1").unwrap();
    let p = &k.partitions[k.topics[t].partitions[0] as usize];
    assert_eq!((p.replicas[0].broker, p.replicas[1].broker), (0, 1));
    let tail = p.replicas[0].leo - p.replicas[1].leo;
    assert!(tail > 0, "the crash must leave an un-replicated tail");
    sim.run_to_end();
    let s = mqsim::summary::Summary::of(&sim);
    assert_eq!(topic(&s, "acks1").stats.lost, tail);
    assert_eq!(group(&s, "read-acks1").stats.lost, tail, "the group never sees the tail");
    assert_eq!(topic(&s, "acks1").stats.truncated, tail);
}

/// acks=all with min.insync.replicas 2 on three replicas loses nothing: the
/// unacknowledged tail is truncated and retried, and every record is
/// processed exactly once.
#[test]
fn acks_all_with_three_replicas_loses_nothing() {
    let (_, s) = run(preset("kafka-acks-leader-crash"));
    let all = topic(&s, "acksall");
    assert!(all.stats.truncated > 0, "the crash truncated an unacknowledged tail");
    assert_eq!(all.stats.lost, 0);
    let g = group(&s, "read-acksall");
    assert_eq!((g.stats.processed, g.stats.duplicates, g.stats.lost), (15_000, 0, 0));
}

/// The truncated leader comes back as a follower, catches up and rejoins the ISR.
#[test]
fn the_old_leader_rejoins_the_isr_after_restarting() {
    let (_, s) = run(preset("kafka-acks-leader-crash"));
    for name in ["acks0", "acks1", "acksall"] {
        let p = &topic(&s, name).partitions[0];
        assert_eq!(p.leader, Some(1), "{name}");
        assert_eq!(p.isr, [0, 1, 2], "{name}");
        assert_eq!(p.hw, p.leo, "{name}");
    }
}
