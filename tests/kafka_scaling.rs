//! Partitions cap a group's parallelism: a one-partition topic runs at one
//! consumer's speed, members beyond the partition count sit idle, and more
//! partitions raise the ceiling (presets `kafka-global-order` and
//! `kafka-idle-consumers`).

mod kafka_support;

use kafka_support::{group, preset, run, sample_at, samples};

/// A single-partition topic (global order) is read by one member however
/// many there are: 100 records/s here, while 150/s arrive.
#[test]
fn a_global_order_topic_runs_at_one_consumers_speed() {
    let (_, s) = run(preset("kafka-global-order"));
    let g = group(&s, "ledger-workers");
    assert_eq!(g.members.iter().filter(|m| m.idle).count(), 3);
    // 10 ms each from t = 0.1 s (the first assignment) to 20 s.
    assert!((1_985..=1_991).contains(&g.stats.processed), "{}", g.stats.processed);
    assert!(g.lag > 850, "lag {}", g.lag);
    let parallel = group(&s, "order-workers");
    assert!(parallel.lag < 10 && parallel.members.iter().all(|m| !m.idle));
}

/// Six members on three partitions: three idle, visibly, in the summary
/// and in the series, while the lag grows.
#[test]
fn more_members_than_partitions_sit_idle() {
    let (sim, _) = run(preset("kafka-idle-consumers"));
    assert_eq!(sample_at(&sim, "idle.workers", 10_000.0), 3.0);
    assert_eq!(sample_at(&sim, "active.workers", 10_000.0), 3.0);
    assert!(sample_at(&sim, "lag.workers", 14_000.0) > sample_at(&sim, "lag.workers", 5_000.0) + 1_000.0);
    let mut early = preset("kafka-idle-consumers");
    early.duration.0 = 14_000_000_000;
    let (_, s) = run(early);
    assert_eq!(group(&s, "workers").members.iter().filter(|m| m.idle).count(), 3);
}

/// Growing the topic to six partitions gives every member one: the group
/// drains faster than records arrive and the backlog disappears.
#[test]
fn adding_partitions_raises_the_ceiling() {
    let (sim, s) = run(preset("kafka-idle-consumers"));
    let before = samples(&sim, "consume_rate", 5_000.0, 14_000.0);
    let after = samples(&sim, "consume_rate", 19_000.0, 22_000.0);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(mean(&before) < 800.0, "three partitions drain {:.0}/s", mean(&before));
    assert!(mean(&after) > 1_100.0, "six partitions drain {:.0}/s", mean(&after));
    assert_eq!(sample_at(&sim, "idle.workers", 25_000.0), 0.0);
    assert_eq!(group(&s, "workers").lag, 0);
    assert!(sample_at(&sim, "lag.workers.orders-5", 10_000.0).is_nan(), "partition 5 does not exist yet");
}

/// Global order, as its text gives it: lag is what is not yet committed, and
/// offsets are committed every 5 s, so after each commit order-workers' lag
/// is back to 0 while ledger-workers' is 395, 645 and 895 at 10, 15 and 20 s.
#[test]
fn a_global_order_topics_lag_after_each_commit_grows_by_50_a_second() {
    let (sim, _) = run(preset("kafka-global-order"));
    let at = |group: &str, t| sample_at(&sim, &format!("lag.{group}"), t);
    assert_eq!([at("ledger-workers", 10_000.0), at("ledger-workers", 15_000.0), at("ledger-workers", 20_000.0)], [395.0, 645.0, 895.0]);
    for t in [5_000.0, 10_000.0, 15_000.0, 20_000.0] {
        assert!(at("order-workers", t) <= 1.0, "order-workers' lag at {t} ms: {}", at("order-workers", t));
    }
    assert!(at("ledger-workers", 19_900.0) > 1_300.0, "the tooth before the last commit");
}

/// Idle consumers, as its text gives it: three partitions drain at most 750
/// a second of the 900 arriving, and the lag climbs to 1,214, 2,104 and 2,501
/// at 5, 10 and 15 s.
#[test]
fn idle_members_leave_a_lag_of_1_214_2_104_and_2_501() {
    let (sim, _) = run(preset("kafka-idle-consumers"));
    let lag: Vec<f64> = [5_000.0, 10_000.0, 15_000.0].iter().map(|&t| sample_at(&sim, "lag.workers", t)).collect();
    assert_eq!(lag, [1_214.0, 2_104.0, 2_501.0]);
}
