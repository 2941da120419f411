//! The series columns the Kafka charts draw, per consumer group: partitions
//! owned (a rebalance's unowned time is a dip), committed offsets against
//! the high watermark, and running counts of lost, duplicate and
//! out-of-order records.

mod kafka_support;

use kafka_support::{group, preset, run, sample_at, samples};

/// At every sample, the high-watermark total minus the committed total is
/// the group's lag, and nothing is committed beyond the high watermark.
#[test]
fn committed_and_high_watermark_add_up_to_the_lag() {
    let (sim, _) = run(preset("kafka-commit-modes-crash"));
    for g in ["auto-commit", "at-least-once", "at-most-once"] {
        let series = sim.series();
        let (lag, committed, hw) = (
            series.column(&format!("lag.{g}")).unwrap(),
            series.column(&format!("committed.{g}")).unwrap(),
            series.column(&format!("hw.{g}")).unwrap(),
        );
        for i in 0..series.len() {
            assert_eq!(hw[i] - committed[i], lag[i], "{g}, sample {i}");
            assert!(committed[i] <= hw[i]);
        }
        assert!(hw.last().unwrap() > &9_000.0, "{g}: the topic took 500 records/s for 20 s");
    }
}

/// The eager group owns none of its six partitions while a rebalance it
/// started at t = 10 s is under way, and all six before and after; the
/// cooperative group never drops below the partitions that do not move.
#[test]
fn owned_partitions_dip_during_an_eager_rebalance() {
    let (sim, _) = run(preset("kafka-rebalance-eager-vs-cooperative"));
    assert_eq!(sample_at(&sim, "owned.eager", 9_000.0), 6.0);
    assert!(samples(&sim, "owned.eager", 10_000.0, 10_200.0).contains(&0.0));
    assert_eq!(sample_at(&sim, "owned.eager", 11_000.0), 6.0);
    let cooperative = samples(&sim, "owned.cooperative", 10_000.0, 10_300.0);
    assert!(cooperative.iter().all(|&n| n >= 4.0), "{cooperative:?}");
}

/// The group counts are running totals that end at the group summary's
/// figures: at-most-once loses and never duplicates, at-least-once
/// duplicates and never loses (kafka-commit-modes-crash).
#[test]
fn lost_and_duplicates_per_group_end_at_the_summary() {
    let (sim, s) = run(preset("kafka-commit-modes-crash"));
    for g in ["auto-commit", "at-least-once", "at-most-once"] {
        let stats = &group(&s, g).stats;
        for (column, total) in [("lost", stats.lost), ("duplicates", stats.duplicates), ("out_of_order", stats.out_of_order)] {
            let values = sim.series().column(&format!("{column}.{g}")).unwrap();
            assert_eq!(*values.last().unwrap(), total as f64, "{column}.{g}");
            assert!(values.windows(2).all(|w| w[0] <= w[1]), "{column}.{g} only grows");
        }
    }
    assert_eq!(sample_at(&sim, "lost.at-most-once", 10_000.0), 0.0, "nothing lost before the crash at 10.05 s");
    assert!(group(&s, "at-most-once").stats.lost > 0 && group(&s, "at-most-once").stats.duplicates == 0);
    assert!(group(&s, "at-least-once").stats.duplicates > 0 && group(&s, "at-least-once").stats.lost == 0);
}

/// Out of order, per group: in kafka-key-ordering the single-threaded group
/// is never out of order and the thread pool is.
#[test]
fn out_of_order_is_counted_per_group() {
    let (sim, _) = run(preset("kafka-key-ordering"));
    let last = |g: &str| *sim.series().column(&format!("out_of_order.{g}")).unwrap().last().unwrap();
    assert_eq!(last("single-thread"), 0.0);
    assert_eq!(last("key-ordered"), 0.0);
    assert!(last("thread-pool") > 0.0);
    assert_eq!(last("single-thread") + last("key-ordered") + last("thread-pool"), *sim.series().column("out_of_order").unwrap().last().unwrap());
}

/// The CSV export has the same columns.
#[test]
fn the_csv_has_the_group_columns() {
    let (sim, _) = run(preset("kafka-key-ordering"));
    let header = sim.series().to_csv().lines().next().unwrap().to_string();
    for column in ["owned.thread-pool", "committed.thread-pool", "hw.thread-pool", "lost.thread-pool", "duplicates.thread-pool", "out_of_order.thread-pool"] {
        assert!(header.split(',').any(|c| c == column), "{column} in {header}");
    }
}
