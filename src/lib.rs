//! # mqsim — a deterministic message-queue simulator
//!
//! mqsim lets a learner *watch* a message queue behave: a spike of 100,000
//! orders become a 99,000-message backlog and drain; a consumer crash return
//! its unacknowledged messages (or lose them, with auto-ack); a poison message
//! travel to the dead-letter queue after its third delivery. The same Rust core
//! runs in the terminal (`mqsim run`), in tests, and in the browser as wasm.
//!
//! ## A guided tour
//!
//! Read the modules in this order:
//!
//! 1. [`time`] — simulated time is an integer count of nanoseconds; scenario
//!    files write durations as `"350ms"` and parse them exactly.
//! 2. [`kernel`] — the discrete-event kernel: a [`kernel::Scheduler`] ordered by
//!    (time, scheduling sequence), one seeded Xoshiro256++ stream
//!    ([`kernel::SimRng`]) and the distributions sampled from it with portable
//!    math ([`kernel::Dist`]). It knows nothing about queues.
//! 3. [`message`] and [`ledger`] — every message has an id and exactly one
//!    [`ledger::MsgState`] at every instant; the ledger counts them by state, and
//!    "produced = the sum of the states" always holds.
//! 4. [`scenario`] — the strict JSON format: topology, workload, faults, run
//!    length and seed. Every rejection names the JSON path.
//! 5. [`engine`] — builds the topology from a scenario, then runs it: the
//!    closed `Event` enum, producers, faults and sampling.
//! 6. [`amqp`] — the queue family of semantics: exchanges and routing, FIFO
//!    queues, competing consumers, prefetch, ack/nack, requeue, retries with
//!    backoff, TTL, delayed messages, dead-lettering with reasons, idempotent
//!    consumers, publisher confirms, broker crashes and request-reply.
//!    [`kafka`] — the log family: partitioned, replicated logs, batching
//!    producers with acks and retries, consumer groups with offsets, lag and
//!    rebalancing.
//! 7. [`observe`] and [`summary`] — what can be seen: the lifecycle journal (for
//!    animation), the trace hash (for golden tests), the sampled time series and
//!    the end-of-run summary.
//!
//! `wasm` (built for `wasm32` only) is the thin JavaScript adapter, and
//! `src/main.rs` the command line; neither holds simulation logic.
//!
//! ## Layout
//!
//! ```text
//! src/
//!   lib.rs            this tour
//!   time.rs           SimTime, durations
//!   json.rs           strict JSON reading that names the path of a problem, and writing
//!   json/read.rs      FromJson: each type's reader, from a list of its fields (read_struct!)
//!   json/schema.rs    JsonSchema: the same lists as a JSON Schema (native only)
//!   kernel/           scheduler.rs, rng.rs, dist.rs, ziggurat.rs
//!   message.rs        Message, MessageStore (a slab: memory follows live messages)
//!   ledger.rs         MsgState, Ledger
//!   scenario/         mod.rs (types), amqp.rs, kafka.rs, system.rs (each family's types and checks),
//!                     validate.rs, error.rs, presets.rs
//!   system/           service.rs, request.rs (services, user request flows, outbox)
//!   theory.rs         queueing-theory closed forms and the overlay
//!   engine/           mod.rs (Sim, Event), producer.rs, fault.rs, mark.rs, sample.rs
//!   amqp/             exchange.rs, publish.rs, queue.rs, consumer.rs, retry.rs, deadletter.rs,
//!                     delay.rs, dedup.rs, confirm.rs, rpc.rs, pubsub.rs, inspect.rs, routing.rs,
//!                     autoscale.rs, choreography.rs
//!   kafka/            partitioner.rs, topic.rs, replication.rs, producer.rs,
//!                     group.rs, assignor.rs, consumer.rs, ordering.rs, view.rs
//!   observe/          journal.rs, markers.rs, trace.rs, series.rs, latency.rs, wait.rs,
//!                     topology.rs, vocabulary.rs
//!   summary.rs        Summary, its text form
//!   lesson/           mod.rs (the lesson format), measure.rs, check.rs (runs steps, checks
//!                     promises; native only: the page measures in www/lib/lesson-measure.js)
//!   wasm.rs           #[wasm_bindgen] API (wasm32 only)
//!   main.rs           the `mqsim` CLI (native only)
//! lessons/            the guided lessons (docs/lessons.md), compiled into the CLI
//! scenarios/          bundled presets, compiled in with include_str! (the page's wasm leaves
//!                     them out and fetches them from www/pkg/presets/)
//! tests/              scenario-style integration tests; golden/ holds trace hashes
//! www/, index.html    the page (renders and sends commands; no simulation logic)
//! ```
//!
//! ## A minimal run
//!
//! ```
//! use mqsim::engine::Sim;
//! use mqsim::scenario::presets;
//! use mqsim::summary::Summary;
//!
//! let mut sim = Sim::new(presets::load("peak-shaving").unwrap()).unwrap();
//! sim.run_until(999_999_999); // the end of the one-second spike
//! let s = Summary::of(&sim);
//! assert_eq!(s.states.stored + s.states.in_flight, 99_000);
//! ```

pub mod amqp;
pub mod engine;
pub mod json;
pub mod kafka;
pub mod kernel;
// Lessons are read and checked natively only: the page evaluates their
// measures in JS from `summary()` and `series()`, and the wasm is at its size budget.
#[cfg(not(target_arch = "wasm32"))]
pub mod lesson;
pub mod ledger;
pub mod message;
pub mod observe;
pub mod scenario;
pub mod summary;
pub mod system;
pub mod theory;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
