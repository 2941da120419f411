//! Properties that hold for every valid scenario, checked on generated ones.
//!
//! The generator builds small but varied topologies: one to three queues
//! (with and without max-length in every overflow mode, delivery limits,
//! message TTLs and dead-letter queues, which may even form a cycle),
//! producers with constant, Poisson and arbitrary arrivals, delayed publishing
//! and poison messages, consumer groups with every service distribution,
//! prefetch, both ack modes and failures, and consumer and broker crashes and
//! restarts. A second generator does the same for the log family (Kafka):
//! clusters of 1 to 4 brokers, replicated topics with clean or unclean
//! election and retention, producers with every acks, idempotence,
//! batching and retry setting, consumer groups with every assignor and
//! commit mode, and broker and consumer crashes and restarts. Sizes are kept
//! small so that the suite takes seconds;
//! `PROPTEST_CASES=1000 cargo test --test properties` searches harder. The
//! Kafka runs are also checked against their history
//! (`kafka_support::history`: acknowledged writes, offsets, commits, order).
#![cfg(not(target_arch = "wasm32"))]

mod kafka_support;

use kafka_support::history::run_checked;
use mqsim::engine::Sim;
use mqsim::scenario::Scenario;
use mqsim::summary::Summary;
use mqsim::time::{NANOS_PER_MILLI, NANOS_PER_SEC};
use proptest::prelude::*;
use serde_json::{Value, json};

/// No generated scenario comes near this many events; it only turns a
/// would-be endless run into a failure instead of a hang.
const EVENT_CAP: u64 = 5_000_000;

/// A duration as scenario files write it.
fn ms(n: u64) -> Value {
    json!(format!("{n}ms"))
}

/// Runs `scenario` twice at once and once in slices of `slice_ms`: all three
/// give the same trace hash and event count.
fn same_trace_at_once_and_in_slices(scenario: Scenario, slice_ms: u64) -> Result<(), TestCaseError> {
    let mut whole = Sim::with_journal(scenario.clone(), 0).unwrap();
    whole.run_to_end();
    let mut again = Sim::with_journal(scenario.clone(), 0).unwrap();
    again.run_to_end();
    prop_assert_eq!(whole.trace_hash(), again.trace_hash());
    let mut sliced = Sim::with_journal(scenario, 16).unwrap();
    let mut t = 0;
    while !sliced.finished() {
        t += slice_ms * NANOS_PER_MILLI;
        sliced.run_until(t);
        sliced.drain_journal();
    }
    prop_assert_eq!(whole.trace_hash(), sliced.trace_hash());
    prop_assert_eq!(whole.events(), sliced.events());
    Ok(())
}

/// 64 cases unless `PROPTEST_CASES` asks for another number. A failure
/// prints its minimal scenario; nothing is written next to the sources.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig { failure_persistence: None, ..ProptestConfig::default() };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config
}

// The generators write scenario JSON, as a person would, rather than build
// the Rust types: new optional fields then never break them, and parsing
// (with its validation) is exercised too.

/// Any distribution of durations up to about `max_ms`, each kind with
/// parameters that pass validation (a positive mean, min <= max, ...).
fn dist(max_ms: u64) -> impl Strategy<Value = Value> {
    prop_oneof![
        (1..=max_ms).prop_map(|m| json!({ "constant": ms(m) })),
        (0..=max_ms, 1..=max_ms).prop_map(|(a, b)| json!({ "uniform": { "min": ms(a.min(b)), "max": ms(a.max(b)) } })),
        (1..=max_ms).prop_map(|m| json!({ "exponential": { "mean": ms(m) } })),
        (1..=max_ms, 0..=max_ms).prop_map(|(m, s)| json!({ "normal": { "mean": ms(m), "std_dev": ms(s) } })),
        (1..=max_ms, 0.0..1.0f64).prop_map(|(m, sigma)| json!({ "lognormal": { "median": ms(m), "sigma": sigma } })),
        prop::collection::vec((1..=max_ms, 0.1..5.0f64), 1..4)
            .prop_map(|rows| json!({ "empirical": rows.into_iter().map(|(v, w)| json!([ms(v), w])).collect::<Vec<_>>() })),
    ]
}

/// A queue. Draining scenarios leave out `block` overflow, which holds
/// producers back rather than settling messages.
fn queue(i: usize, queues: usize, draining: bool) -> impl Strategy<Value = Value> {
    let overflow = if draining {
        prop_oneof![Just("drop_head"), Just("reject_publish")].boxed()
    } else {
        prop_oneof![Just("drop_head"), Just("reject_publish"), Just("block")].boxed()
    };
    (prop::option::of(1..40u64), overflow, prop::option::of(1..5u32), prop::option::of(0..queues), prop::option::of(1..500u64))
        .prop_map(move |(max_length, overflow, delivery_limit, dead_letter, ttl)| {
            let mut q = json!({ "name": format!("q{i}"), "overflow": overflow });
            if let Some(n) = max_length {
                q["max_length"] = json!(n);
            }
            if let Some(n) = delivery_limit {
                q["delivery_limit"] = json!(n);
            }
            // Any other queue, so dead-letter chains and cycles occur too.
            if let Some(d) = dead_letter.filter(|&d| d != i) {
                q["dead_letter"] = json!(format!("q{d}"));
            }
            if let Some(t) = ttl {
                q["message_ttl"] = ms(t);
            }
            q
        })
}

fn arrivals() -> impl Strategy<Value = Value> {
    prop_oneof![
        (1.0..400.0f64).prop_map(|rate| json!({ "constant": { "rate": rate } })),
        (1.0..400.0f64).prop_map(|rate| json!({ "poisson": { "rate": rate } })),
        dist(20).prop_map(|gaps| json!({ "every": gaps })),
    ]
}

/// What producers of both families share: arrivals from a start time, an
/// optional stop and count, keys and a poison fraction. A draining scenario's
/// producer stops within a second and sends no poison.
fn common_producer(i: usize, draining: bool, keys: BoxedStrategy<u32>) -> impl Strategy<Value = Value> {
    let poison = if draining { Just(0.0).boxed() } else { prop_oneof![Just(0.0), 0.0..0.3f64].boxed() };
    let stop = if draining { (1..1000u64).prop_map(Some).boxed() } else { prop::option::of(1..1500u64).boxed() };
    (arrivals(), 0..300u64, stop, prop::option::of(1..300u64), keys, poison).prop_map(move |(arrivals, start, stop, count, keys, poison)| {
        let mut p = json!({
            "name": format!("p{i}"),
            "arrivals": arrivals,
            "start": ms(start),
            "keys": keys,
            "poison_fraction": poison,
        });
        if let Some(after) = stop {
            p["stop"] = ms(start + after);
        }
        if let Some(n) = count {
            p["count"] = json!(n);
        }
        p
    })
}

/// A producer. In a draining scenario it always stops within 1.3 s and
/// sends no poison (a poison message with no delivery limit is retried
/// forever, by design, so it would never drain).
fn producer(i: usize, queues: usize, draining: bool) -> impl Strategy<Value = Value> {
    let delay = prop::option::of(prop_oneof![(1..50u64).prop_map(|d| json!({ "fixed": ms(d) })), dist(30).prop_map(|d| json!({ "random": d }))]);
    (common_producer(i, draining, (0..4u32).boxed()), 0..queues, delay).prop_map(|(mut p, queue, delay)| {
        p["queue"] = json!(format!("q{queue}"));
        if let Some(d) = delay {
            p["delay"] = d;
        }
        p
    })
}

fn consumer(i: usize, queues: usize) -> impl Strategy<Value = Value> {
    (0..queues, dist(20), 1..=4u32, prop_oneof![Just("manual"), Just("auto")], prop_oneof![Just(0.0), 0.0..0.5f64])
        .prop_map(move |(queue, service, prefetch, ack, failure)| {
            json!({
                "name": format!("c{i}"),
                "queue": format!("q{queue}"),
                "service": service,
                "prefetch": prefetch,
                "ack": ack,
                "failure_probability": failure,
            })
        })
}

/// A whole scenario. A draining one runs an hour of simulated time after
/// its producers stop, which is far more than any generated backlog needs,
/// and has no broker crash (a broker left down would hold messages back).
fn scenario(draining: bool) -> impl Strategy<Value = Scenario> {
    (1..=3usize, 1..=3usize, 0..=3usize)
        .prop_flat_map(move |(nq, np, nc)| {
            let queues: Vec<_> = (0..nq).map(|i| queue(i, nq, draining)).collect();
            let producers: Vec<_> = (0..np).map(|i| producer(i, nq, draining)).collect();
            // Consumer counts are needed to pick valid instances, so faults
            // are drawn as raw picks and resolved against the consumers below.
            let consumers: Vec<_> = (0..nc).map(|i| (consumer(i, nq), 1..=3u32)).collect();
            let kinds = if draining { 2u8 } else { 4 };
            let faults = prop::collection::vec((any::<usize>(), any::<u32>(), 0..kinds, 0..2000u64), 0..4);
            let (duration, sample_every) = if draining {
                (Just(1300 + 3_600_000u64).boxed(), Just(2000u64).boxed())
            } else {
                ((100..2000u64).boxed(), (10..200u64).boxed())
            };
            (queues, producers, consumers, faults, any::<u64>(), duration, sample_every)
        })
        .prop_map(|(queues, producers, consumers, picks, seed, duration, sample_every)| {
            let consumers: Vec<Value> = consumers
                .into_iter()
                .map(|(mut c, count)| {
                    c["count"] = json!(count);
                    c
                })
                .collect();
            let faults: Vec<Value> = picks
                .into_iter()
                .filter_map(|(group, instance, kind, at)| {
                    let action = match kind {
                        0 | 1 if consumers.is_empty() => return None,
                        0 | 1 => {
                            let c = &consumers[group % consumers.len()];
                            let target = json!({
                                "consumer": c["name"],
                                "instance": instance % c["count"].as_u64().unwrap() as u32,
                            });
                            if kind == 0 { json!({ "crash_consumer": target }) } else { json!({ "restart_consumer": target }) }
                        }
                        2 => json!({ "crash_amqp_broker": {} }),
                        _ => json!({ "restart_amqp_broker": {} }),
                    };
                    Some(json!({ "at": ms(at), "action": action }))
                })
                .collect();
            let doc = json!({
                "name": "generated",
                "seed": seed,
                "duration": ms(duration),
                "sample_every": ms(sample_every),
                "queues": queues,
                "producers": producers,
                "consumers": consumers,
                "faults": faults,
            });
            Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("generated an invalid scenario: {e}\n{doc:#}"))
        })
}

/// Runs a scenario event by event, checking after each one that time did
/// not go backwards and that the ledger matches where messages really are.
fn step_through(scenario: Scenario) -> Result<Sim, TestCaseError> {
    let mut sim = Sim::with_journal(scenario, 0).map_err(|e| TestCaseError::fail(format!("rejected: {e}")))?;
    let mut last = sim.now();
    while sim.step() {
        prop_assert!(sim.now() >= last, "time went back from {} to {}", last, sim.now());
        last = sim.now();
        prop_assert!(sim.ledger_matches_world(), "the ledger disagrees with the world at {} ns", sim.now());
        prop_assert!(sim.events() < EVENT_CAP, "the run did not finish within {EVENT_CAP} events");
    }
    Ok(sim)
}

proptest! {
    #![proptest_config(config())]

    /// Any valid scenario runs without panicking, with time monotone and the ledger matching after every event.
    #[test]
    fn runs_keep_time_monotone_and_the_books_balanced(scenario in scenario(false)) {
        let sim = step_through(scenario)?;
        let summary = Summary::of(&sim);
        prop_assert!(summary.ledger_balanced);
        prop_assert!(summary.finished);
    }

    /// The same scenario and seed give the same trace, run at once or in uneven slices.
    #[test]
    fn the_same_seed_gives_the_same_trace(scenario in scenario(false), slice_ms in 1..300u64) {
        same_trace_at_once_and_in_slices(scenario, slice_ms)?;
    }

    /// After producers stop and the run drains, every message is terminal or waits where no alive consumer reads.
    #[test]
    fn a_drained_run_leaves_every_message_terminal_or_accounted_for(scenario in scenario(true)) {
        let reader_of = |queue: &str| -> Vec<&str> {
            scenario.consumers.iter().filter(|c| c.queue.as_deref() == Some(queue)).map(|c| c.name.as_str()).collect()
        };
        let groups: Vec<(String, Vec<&str>)> =
            scenario.queues.iter().map(|q| (q.name.clone(), reader_of(&q.name))).collect();
        let sim = step_through(scenario.clone())?;
        let s = Summary::of(&sim);
        prop_assert!(s.ledger_balanced);
        prop_assert!(sim.now() >= 3_600 * NANOS_PER_SEC);
        prop_assert_eq!(s.states.producing, 0);
        prop_assert_eq!(s.states.delayed, 0, "messages still delayed after an hour of draining");
        prop_assert_eq!(s.states.in_flight, 0, "messages still in flight after an hour of draining");
        for c in &s.consumers {
            prop_assert_eq!(c.holding, 0, "{} still holds messages", &c.name);
        }
        for (q, (name, readers)) in s.queues.iter().zip(&groups) {
            let read_by_someone_alive = s.consumers.iter().any(|c| {
                c.alive && readers.iter().any(|group| c.name.split('#').next() == Some(group))
            });
            if read_by_someone_alive {
                prop_assert_eq!(q.depth, 0, "queue {} has an alive consumer but still holds messages", name);
            }
        }
        prop_assert_eq!(s.states.stored + s.states.dead_lettered, s.queues.iter().map(|q| q.depth).sum::<u64>());
    }
}

// The log family (Kafka). The same properties, on generated clusters,
// topics, producers and consumer groups.

/// A topic on a cluster of `brokers`: 1 to 6 partitions, a replication
/// factor the cluster can hold, any `min_insync_replicas` up to it, clean or
/// unclean election, and retention by time (or none at all, or Kafka's
/// default of 7 days) and by record count. A draining scenario always has a
/// retention time of at most a minute, so that what no live member will
/// ever read is deleted within the drain.
fn topic(i: usize, brokers: u32, draining: bool) -> impl Strategy<Value = Value> {
    let time = if draining {
        (50..60_000u64).prop_map(|t| Some(ms(t))).boxed()
    } else {
        prop_oneof![Just(None), Just(Some(Value::Null)), (20..3_000u64).prop_map(|t| Some(ms(t)))].boxed()
    };
    (1..=6u32, 1..=brokers.min(3), any::<u32>(), any::<bool>(), time, prop::option::of(1..200u64)).prop_map(
        move |(partitions, replication_factor, isr_pick, unclean, time, records)| {
            let mut retention = json!({});
            if let Some(t) = time {
                retention["time"] = t;
            }
            if let Some(n) = records {
                retention["records"] = json!(n);
            }
            json!({
                "name": format!("t{i}"),
                "partitions": partitions,
                "replication_factor": replication_factor,
                "min_insync_replicas": 1 + isr_pick % replication_factor,
                "unclean_leader_election": unclean,
                "retention": retention,
            })
        },
    )
}

/// A producer's `kafka` settings: acks 0, 1 or all; idempotence left to
/// Kafka's default, or set where Kafka allows it; lingering and batching;
/// 1 to 7 requests in flight; no retries, a few or Kafka's `MAX_INT`, bounded
/// by a delivery timeout that leaves room for lingering and one request.
fn producer_kafka() -> impl Strategy<Value = Value> {
    let acks = prop_oneof![Just("0"), Just("1"), Just("all")];
    let retries = prop_oneof![Just(Some(0u32)), (1..5u32).prop_map(Some), Just(None)];
    let idempotent = prop_oneof![Just(None), Just(Some(false)), Just(Some(true))];
    let partitioner = prop_oneof![Just("default"), Just("round_robin")];
    (acks, 0..20u64, 1..50u32, retries, 1..200u64, 10..2_000u64, 0..5_000u64, 1..=7u32, idempotent, partitioner).prop_map(
        |(acks, linger, batch_size, retries, backoff, request_timeout, slack, max_in_flight, idempotent, partitioner)| {
            let mut k = json!({
                "acks": acks,
                "linger": ms(linger),
                "batch_size": batch_size,
                "retry_backoff": ms(backoff),
                "request_timeout": ms(request_timeout),
                "delivery_timeout": ms(linger + request_timeout + slack),
                "max_in_flight": max_in_flight,
                "partitioner": partitioner,
            });
            if let Some(n) = retries {
                k["retries"] = json!(n);
            }
            // Kafka refuses idempotence without acks=all, with more than 5
            // requests in flight or without retries.
            let may_be_idempotent = acks == "all" && max_in_flight <= 5 && retries != Some(0);
            match idempotent {
                Some(true) if !may_be_idempotent => {}
                Some(on) => k["idempotent"] = json!(on),
                None => {}
            }
            k
        },
    )
}

/// A producer writing to a topic, keyed (1 to 20 keys) or not. In a
/// draining scenario it stops within a second and sends no poison (a
/// poison record is retried in place for ever, by design, blocking its
/// partition).
fn topic_producer(i: usize, topics: usize, draining: bool) -> impl Strategy<Value = Value> {
    let keys = prop_oneof![Just(0u32), 1..20u32].boxed();
    (common_producer(i, draining, keys), 0..topics, prop::option::of(producer_kafka())).prop_map(|(mut p, topic, kafka)| {
        p["topic"] = json!(format!("t{topic}"));
        if let Some(k) = kafka {
            p["kafka"] = k;
        }
        p
    })
}

/// A consumer group's `kafka` settings: every assignor (the eager ones and
/// the cooperative sticky one), every commit mode, concurrency with every
/// processing order, both offset resets.
fn consumer_kafka(draining: bool) -> impl Strategy<Value = Value> {
    let assignor = prop_oneof![Just("range"), Just("round_robin"), Just("sticky"), Just("cooperative_sticky")];
    let commit = prop_oneof![Just("auto"), Just("after_processing"), Just("before_processing")];
    let ordering = prop_oneof![Just("unordered"), Just("key"), Just("partition")];
    let reset = prop_oneof![Just("earliest"), Just("latest")];
    // An auto-commit timer ticks through the whole drain; keep it coarse there.
    let auto_commit = if draining { (200..5_000u64).boxed() } else { (1..2_000u64).boxed() };
    (assignor, commit, auto_commit, 50..3_000u64, 0..200u64, 1..100u32, 1..=4u32, ordering, reset).prop_map(
        |(assignor, commit, auto_commit, session, rebalance, max_poll, concurrency, ordering, reset)| {
            json!({
                "assignor": assignor,
                "commit": commit,
                "auto_commit_interval": ms(auto_commit),
                "session_timeout": ms(session),
                "rebalance_delay": ms(rebalance),
                "max_poll_records": max_poll,
                "concurrency": concurrency,
                "ordering": ordering,
                "auto_offset_reset": reset,
            })
        },
    )
}

/// A consumer group of 1 to 5 members reading one topic.
fn topic_consumer(i: usize, topics: usize, draining: bool) -> impl Strategy<Value = Value> {
    (0..topics, 1..=5u32, dist(20), prop_oneof![Just(0.0), 0.0..0.5f64], consumer_kafka(draining)).prop_map(
        move |(topic, count, service, failure, kafka)| {
            json!({
                "name": format!("g{i}"),
                "topic": format!("t{topic}"),
                "count": count,
                "service": service,
                "failure_probability": failure,
                "kafka": kafka,
            })
        },
    )
}

/// How long a draining Kafka scenario runs after its producers stop (they
/// all stop by 1.3 s, and every crashed broker is back by 6 s): ten
/// minutes, which is far more than any generated timeout (delivery at most
/// ~7 s, sessions and fencing at most 3 s) or retention time (at most a
/// minute, checked at least every 10 s) needs.
const KAFKA_DRAIN_MS: u64 = 600_000;

/// A whole Kafka scenario: 1 to 4 brokers, 1 or 2 topics, 1 to 3 producers
/// and 1 to 3 consumer groups (a topic may have none), and up to seven
/// faults in the first 3 s: broker crashes and restarts, consumer crashes and restarts. In
/// a draining scenario every broker crash is followed by a restart of that
/// broker (so every broker is up at the end), while a crashed consumer may
/// stay down.
fn kafka_scenario(draining: bool) -> impl Strategy<Value = Scenario> {
    kafka_doc(draining).prop_map(|doc| parse(&doc))
}

/// A generated scenario document, parsed.
fn parse(doc: &Value) -> Scenario {
    Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("generated an invalid scenario: {e}\n{doc:#}"))
}

/// A Kafka scenario as the JSON document `kafka_scenario` parses, for
/// properties whose failures print the (shrunk) scenario as a file would hold it.
fn kafka_doc(draining: bool) -> impl Strategy<Value = Value> {
    (1..=4u32, 1..=2usize, 1..=3usize, 1..=3usize)
        .prop_flat_map(move |(nb, nt, np, ng)| {
            let topics: Vec<_> = (0..nt).map(|i| topic(i, nb, draining)).collect();
            let producers: Vec<_> = (0..np).map(|i| topic_producer(i, nt, draining)).collect();
            let groups: Vec<_> = (0..ng).map(|i| topic_consumer(i, nt, draining)).collect();
            let check = if draining { (100..10_000u64).boxed() } else { (10..1_000u64).boxed() };
            let cluster = (0..5u64, 1..20u64, 20..1_000u64, 10..1_000u64, check);
            // (kind, which broker or group, which member, when, restart after)
            let faults = prop::collection::vec((0..4u8, any::<u32>(), any::<u32>(), 0..3000u64, 1..3000u64), 0..8);
            let (duration, sample_every) = if draining {
                (Just(1300 + KAFKA_DRAIN_MS).boxed(), Just(2000u64).boxed())
            } else {
                ((100..4000u64).boxed(), (10..200u64).boxed())
            };
            (Just(nb), cluster, topics, producers, groups, faults, any::<u64>(), duration, sample_every)
        })
        .prop_map(move |(brokers, (net, fetch, lag_max, fence, check), topics, producers, groups, picks, seed, duration, sample_every)| {
            let mut faults = Vec::new();
            for (kind, which, instance, at, restart_after) in picks {
                let broker = json!({ "broker": which % brokers });
                let group = &groups[which as usize % groups.len()];
                let member = json!({ "consumer": group["name"], "instance": instance % group["count"].as_u64().unwrap() as u32 });
                match kind {
                    0 => {
                        faults.push(json!({ "at": ms(at), "action": { "crash_broker": broker } }));
                        if draining {
                            faults.push(json!({ "at": ms(at + restart_after), "action": { "restart_broker": broker } }));
                        }
                    }
                    1 if draining => {}
                    1 => faults.push(json!({ "at": ms(at), "action": { "restart_broker": broker } })),
                    2 => faults.push(json!({ "at": ms(at), "action": { "crash_consumer": member } })),
                    _ => faults.push(json!({ "at": ms(at), "action": { "restart_consumer": member } })),
                }
            }
            json!({
                "name": "generated-kafka",
                "seed": seed,
                "duration": ms(duration),
                "sample_every": ms(sample_every),
                "cluster": {
                    "brokers": brokers,
                    "network_delay": ms(net),
                    "replica_fetch_delay": ms(fetch),
                    "replica_lag_time_max": ms(lag_max),
                    "broker_session_timeout": ms(fence),
                    "retention_check_interval": ms(check),
                },
                "topics": topics,
                "producers": producers,
                "consumers": groups,
                "faults": faults,
            })
        })
}

/// What every Kafka summary shows of every partition, whatever happened:
/// the log start is at most the high watermark, which is at most the log end.
fn check_partition_offsets(summary: &Summary) -> Result<(), TestCaseError> {
    let kafka = summary.kafka.as_ref().expect("a scenario with topics has a Kafka summary");
    for t in &kafka.topics {
        for p in &t.partitions {
            prop_assert!(
                p.log_start <= p.hw && p.hw <= p.leo,
                "{}-{}: log start {}, high watermark {}, log end {}",
                t.name,
                p.partition,
                p.log_start,
                p.hw,
                p.leo
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Any valid Kafka scenario runs without panicking, with time monotone, the ledger matching after every event and sane partition offsets.
    #[test]
    fn kafka_runs_keep_time_monotone_and_the_books_balanced(scenario in kafka_scenario(false)) {
        let sim = step_through(scenario)?;
        let summary = Summary::of(&sim);
        prop_assert!(summary.ledger_balanced);
        prop_assert!(summary.finished);
        check_partition_offsets(&summary)?;
    }

    /// The same Kafka scenario and seed give the same trace, run at once or in uneven slices.
    #[test]
    fn kafka_the_same_seed_gives_the_same_trace(scenario in kafka_scenario(false), slice_ms in 1..300u64) {
        same_trace_at_once_and_in_slices(scenario, slice_ms)?;
    }

    /// After producers stop, every broker is back and the run drains, every Kafka copy is terminal.
    ///
    /// What the model promises (ARCHITECTURE.md, "How the ledger counts a
    /// record"): a copy is `producing` while its producer holds it, and a
    /// delivery timeout bounds that; `in_flight` while a member holds it,
    /// which a running member finishes and a crashed one gives back to the
    /// log (or loses); `stored` while its group is owed it. A stored copy is
    /// not terminal: the log keeps a record after every group processed it,
    /// but then the copy is `processed` and only the log entry remains; a copy
    /// no live member will read (every member of its group crashed, or no
    /// group reads the topic) stays `stored` until retention deletes it,
    /// `expired`. Draining scenarios therefore always have a retention time
    /// of at most a minute: ten minutes after the producers stop, no copy is
    /// producing, in flight or stored, every copy is processed, expired,
    /// dropped or lost, retention has emptied every log up to its high
    /// watermark (which has caught up with the log end, all brokers being
    /// up again), and no group lags.
    #[test]
    fn kafka_a_drained_run_leaves_every_copy_terminal(scenario in kafka_scenario(true)) {
        let sim = step_through(scenario)?;
        let s = Summary::of(&sim);
        prop_assert!(s.ledger_balanced);
        prop_assert!(sim.now() >= KAFKA_DRAIN_MS * NANOS_PER_MILLI);
        check_partition_offsets(&s)?;
        let st = &s.states;
        prop_assert_eq!(st.producing, 0, "records still with their producers after the drain");
        prop_assert_eq!(st.in_flight, 0, "copies still in flight after the drain");
        prop_assert_eq!(st.stored, 0, "copies still stored after the drain");
        prop_assert_eq!(st.delayed + st.dead_lettered, 0, "the log family neither delays nor dead-letters");
        prop_assert_eq!(st.processed + st.expired + st.dropped + st.lost, s.produced);
        let kafka = s.kafka.as_ref().unwrap();
        prop_assert!(kafka.brokers.iter().all(|b| b.alive), "every broker crash was followed by a restart");
        for t in &kafka.topics {
            for p in &t.partitions {
                prop_assert_eq!(p.hw, p.leo, "{}-{}: the high watermark lags the log end with every broker up", &t.name, p.partition);
                prop_assert_eq!(p.log_start, p.hw, "{}-{}: retention left records older than its limit", &t.name, p.partition);
            }
        }
        for g in &kafka.groups {
            prop_assert_eq!(g.lag, 0, "group {} still lags", &g.name);
        }
    }
}

/// Runs a generated Kafka scenario with its history kept and checks it
/// (`kafka_support::history`); a violation fails with the scenario's JSON,
/// which proptest has shrunk to the smallest one it found.
fn check_history(doc: &Value) -> Result<(), TestCaseError> {
    let (_, summary, report) = run_checked(parse(doc));
    prop_assert!(summary.ledger_balanced);
    if let Some(violations) = report.describe() {
        let json = serde_json::to_string_pretty(doc).unwrap_or_default();
        return Err(TestCaseError::fail(format!("{violations}\n{:?}\nscenario:\n{json}\n", report.counts)));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// A generated Kafka run keeps its history's promises: no write acknowledged with acks=all lost but by an unclean election, no offset given twice, no commit going back or skipping an unprocessed record, the ordering detector right.
    #[test]
    fn kafka_histories_keep_their_promises(doc in kafka_doc(false)) {
        check_history(&doc)?;
    }

    /// The same, over drained runs: every crashed broker restarts and the run goes on for ten minutes.
    #[test]
    fn kafka_drained_histories_keep_their_promises(doc in kafka_doc(true)) {
        check_history(&doc)?;
    }
}
