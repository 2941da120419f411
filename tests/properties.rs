//! Properties that hold for every valid scenario, checked on generated ones.
//!
//! The generator builds small but varied topologies: one to three queues
//! (with and without max-length in every overflow mode, delivery limits,
//! message TTLs and dead-letter queues, which may even form a cycle),
//! producers with constant, Poisson and arbitrary arrivals, delayed publishing
//! and poison messages, consumer groups with every service distribution,
//! prefetch, both ack modes and failures, and consumer and broker crashes and
//! restarts. Sizes are kept small so that the suite takes seconds;
//! `PROPTEST_CASES=1000 cargo test --test properties` searches harder.
#![cfg(not(target_arch = "wasm32"))]

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

/// A producer. In a draining scenario it always stops within 1.3 s and
/// sends no poison (a poison message with no delivery limit is retried
/// forever, by design, so it would never drain).
fn producer(i: usize, queues: usize, draining: bool) -> impl Strategy<Value = Value> {
    let poison = if draining { Just(0.0).boxed() } else { prop_oneof![Just(0.0), 0.0..0.3f64].boxed() };
    let stop = if draining { (1..1000u64).prop_map(Some).boxed() } else { prop::option::of(1..1500u64).boxed() };
    let delay = prop::option::of(prop_oneof![(1..50u64).prop_map(|d| json!({ "fixed": ms(d) })), dist(30).prop_map(|d| json!({ "random": d }))]);
    (0..queues, arrivals(), 0..300u64, stop, prop::option::of(1..300u64), 0..4u32, poison, delay).prop_map(
        move |(queue, arrivals, start, stop, count, keys, poison, delay)| {
            let mut p = json!({
                "name": format!("p{i}"),
                "queue": format!("q{queue}"),
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
            if let Some(d) = delay {
                p["delay"] = d;
            }
            p
        },
    )
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
