//! The summary as the wasm API writes it (`json::write`, compact style):
//! every object has each key once (`JSON.parse` would keep only the last),
//! and a Kafka group carries what the page shows for it.

mod common;

use std::collections::BTreeSet;
use std::fmt;

use mqsim::engine::Sim;
use mqsim::json::{Style, write};
use mqsim::scenario::presets::{self, PRESETS};
use mqsim::summary::Summary;
use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

/// Any JSON value, read only to refuse an object that has a key twice.
struct NoKeyTwice;

impl<'de> Deserialize<'de> for NoKeyTwice {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NoKeyTwiceVisitor)
    }
}

struct NoKeyTwiceVisitor;

impl<'de> Visitor<'de> for NoKeyTwiceVisitor {
    type Value = NoKeyTwice;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<NoKeyTwice, E> {
        Ok(NoKeyTwice)
    }
    fn visit_i64<E>(self, _: i64) -> Result<NoKeyTwice, E> {
        Ok(NoKeyTwice)
    }
    fn visit_u64<E>(self, _: u64) -> Result<NoKeyTwice, E> {
        Ok(NoKeyTwice)
    }
    fn visit_f64<E>(self, _: f64) -> Result<NoKeyTwice, E> {
        Ok(NoKeyTwice)
    }
    fn visit_str<E>(self, _: &str) -> Result<NoKeyTwice, E> {
        Ok(NoKeyTwice)
    }
    fn visit_unit<E>(self) -> Result<NoKeyTwice, E> {
        Ok(NoKeyTwice)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NoKeyTwice, A::Error> {
        while seq.next_element::<NoKeyTwice>()?.is_some() {}
        Ok(NoKeyTwice)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoKeyTwice, A::Error> {
        let mut keys = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key.clone()) {
                return Err(de::Error::custom(format!("key `{key}` twice")));
            }
            map.next_value::<NoKeyTwice>()?;
        }
        Ok(NoKeyTwice)
    }
}

/// The summary text the wasm API hands to `JSON.parse`.
fn js_text(summary: &Summary) -> String {
    write(summary, Style::Js).unwrap().replace("Infinity", "1e999")
}

/// No object in any preset's summary, mid-run or at the end, has a key twice.
#[test]
fn no_summary_object_has_a_key_twice() {
    for preset in PRESETS {
        let mut sim = Sim::new(presets::load(preset.name).unwrap()).unwrap();
        sim.run_until(sim.end() / 2);
        for _ in 0..2 {
            let text = js_text(&Summary::of(&sim));
            if let Err(e) = serde_json::from_str::<NoKeyTwice>(&text) {
                panic!("{}: {e}", preset.name);
            }
            sim.run_to_end();
        }
    }
}

/// A Kafka group's summary has its lag, processed, duplicates, lost, out
/// of order, rebalances, unowned time, both kinds of skipped records and
/// its redeliveries, as the page reads them.
#[test]
fn a_kafka_group_summary_has_what_the_page_shows() {
    let summary = common::run_preset("kafka-rebalance-eager-vs-cooperative");
    let value: serde_json::Value = serde_json::from_str(&js_text(&summary)).unwrap();
    let eager = &value["kafka"]["groups"][0];
    assert_eq!(eager["name"], "eager");
    for field in [
        "lag", "processed", "duplicates", "lost", "out_of_order", "rebalances", "unowned_partition_ms", "skipped",
        "skipped_by_reset", "redelivered", "failures",
    ] {
        assert!(eager[field].is_number(), "{field}: {eager}");
    }
    let group = &summary.kafka.as_ref().unwrap().groups[0];
    assert_eq!(eager["rebalances"], group.stats.rebalances);
    assert_eq!(eager["duplicates"], group.stats.duplicates);
    assert!(group.stats.duplicates > 0, "the crash at 30 s repeats what was processed since the last commit");
}
