//! Partition assignors in running groups: `range` and `round_robin` deal a
//! topic's partitions as Kafka's `RangeAssignor` and `RoundRobinAssignor`
//! do, every member works only its own partitions, and a member leaving
//! hands its partitions to the survivors by the same rule.

mod kafka_support;

use kafka_support::{group, run, run_with_journal, scenario};
use mqsim::observe::LifeKind;
use serde_json::json;

/// Seven partitions, three members (or two after `leave` at 10 s), the given assignor.
fn seven_partitions(assignor: &str, leave: bool) -> mqsim::scenario::Scenario {
    let faults = if leave {
        json!([{ "at": "10s", "action": { "leave_group": { "consumer": "readers", "instance": 1 } } }])
    } else {
        json!([])
    };
    scenario(json!({
        "name": format!("assignor-{assignor}"),
        "seed": 3,
        "duration": "20s",
        "topics": [{ "name": "events", "partitions": 7 }],
        "producers": [{ "name": "app", "topic": "events", "keys": 70, "arrivals": { "poisson": { "rate": 700 } }, "stop": "18s" }],
        "consumers": [{ "name": "readers", "topic": "events", "count": 3, "service": { "constant": "1ms" },
                        "kafka": { "assignor": assignor, "commit": "after_processing" } }],
        "faults": faults,
    }))
}

fn owned(s: &mqsim::summary::Summary) -> Vec<Vec<u32>> {
    group(s, "readers").members.iter().map(|m| m.partitions.clone()).collect()
}

/// `range` gives each member a consecutive run; the first 7 % 3 members take one more.
#[test]
fn range_deals_consecutive_runs() {
    let (_, s) = run(seven_partitions("range", false));
    assert_eq!(owned(&s), [vec![0, 1, 2], vec![3, 4], vec![5, 6]]);
}

/// `round_robin` deals the partitions to the members in turn.
#[test]
fn round_robin_deals_in_turn() {
    let (_, s) = run(seven_partitions("round_robin", false));
    assert_eq!(owned(&s), [vec![0, 3, 6], vec![1, 4], vec![2, 5]]);
}

/// Every record a member processes comes from a partition it owns.
#[test]
fn members_process_only_their_own_partitions() {
    for (assignor, want) in [("range", [vec![0, 1, 2], vec![3, 4], vec![5, 6]]), ("round_robin", [vec![0, 3, 6], vec![1, 4], vec![2, 5]])] {
        let (_, s, journal) = run_with_journal(seven_partitions(assignor, false));
        let members = &group(&s, "readers").members;
        assert!(members.iter().all(|m| m.processed > 0), "{assignor}: every member works");
        // A record's partition is where it was appended (the journal's node
        // for `Appended`); the member that processed it is `Processed`'s node.
        let partition_of: std::collections::HashMap<u64, u32> =
            journal.iter().filter(|e| e.kind == LifeKind::Appended).map(|e| (e.msg, e.node)).collect();
        let mut seen = 0;
        for event in journal.iter().filter(|e| e.kind == LifeKind::Processed) {
            let (partition, member) = (partition_of[&event.msg], event.node);
            assert!(want[member as usize].contains(&partition), "{assignor}: member {member} processed partition {partition}");
            seen += 1;
        }
        assert!(seen > 0, "{assignor}: the journal holds processed records");
    }
}

/// After a member leaves, the survivors split all seven partitions by the same rule.
#[test]
fn a_leave_reassigns_by_the_same_rule() {
    let (_, s) = run(seven_partitions("range", true));
    assert_eq!(owned(&s), [vec![0, 1, 2, 3], vec![], vec![4, 5, 6]]);
    let (_, s) = run(seven_partitions("round_robin", true));
    assert_eq!(owned(&s), [vec![0, 2, 4, 6], vec![], vec![1, 3, 5]]);
}
