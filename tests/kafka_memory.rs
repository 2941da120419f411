//! Memory follows live messages in the log family too: a processed record
//! keeps only its log entry, and retention bounds the log.

mod kafka_support;

use kafka_support::{run, scenario, topic};
use serde_json::json;

/// 60,000 records, two groups that keep up and a size-limited topic: the
/// message store never holds more than a few hundred copies at once, and
/// each partition keeps at most its retained record count.
#[test]
fn processed_records_cost_only_their_log_entry() {
    let s = scenario(json!({
        "name": "memory", "seed": 1, "duration": "30s",
        "cluster": { "retention_check_interval": "1s" },
        "topics": [{ "name": "t", "partitions": 2, "retention": { "records": 5000 } }],
        "producers": [{ "name": "p", "topic": "t", "keys": 100, "arrivals": { "poisson": { "rate": 2000 } } }],
        "consumers": [
            { "name": "a", "topic": "t", "count": 2, "service": { "constant": "200us" } },
            { "name": "b", "topic": "t", "service": { "constant": "100us" } }
        ]
    }));
    let (sim, s) = run(s);
    assert!(s.published > 55_000);
    let (live, high_water) = sim.memory();
    assert!(high_water < 2_000, "at most {high_water} copies were ever live at once");
    assert!(live < 500);
    for p in &topic(&s, "t").partitions {
        assert!(p.leo - p.log_start <= 5_000 + 2_000, "retention keeps about 5,000 per partition: {}", p.leo - p.log_start);
    }
}
