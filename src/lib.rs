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
//! 1. [`json`] and [`time`] — strict JSON in (every problem named by its
//!    path) and out; simulated time is an integer count of nanoseconds, and
//!    scenario files write durations as `"350ms"` and parse them exactly.
//! 2. [`kernel`] — the discrete-event kernel: a [`kernel::Scheduler`] ordered by
//!    (time, scheduling sequence), one seeded Xoshiro256++ stream
//!    ([`kernel::SimRng`]), the distributions sampled from it with portable
//!    math ([`kernel::Dist`]) and arrival processes. It knows nothing about
//!    queues. [`theory`] holds the queueing closed forms runs are compared with.
//! 3. [`ledger`] and [`message`] — every message has an id and exactly one
//!    [`ledger::MsgState`] at every instant; the ledger counts them by state, and
//!    "produced = the sum of the states" always holds.
//! 4. [`scenario`] — the strict JSON format as data: topology, workload, faults,
//!    run length and seed, and the commands a page sends live. Every rejection
//!    names the JSON path. It imports no family and no engine module.
//! 5. [`observe`] — the recorder: the lifecycle journal (for animation), the
//!    trace hash (for golden tests), the sampled time series, markers, the
//!    watched messages and the log family's history; and, read from the
//!    worlds, the topology to draw.
//! 6. [`context`] — the narrow simulation context, SimPy's `Environment`
//!    with the few things every family writes to: clock and pending events,
//!    RNG, message store and ledger, recorder. The only shared state, and the
//!    one path by which a message changes state.
//! 7. The families, each a world that owns its state and handles its own
//!    events through the context, and which never import each other: [`amqp`], the queue family
//!    (exchanges and routing, FIFO queues, competing consumers, prefetch,
//!    ack/nack, requeue, retries with backoff, TTL, delayed messages,
//!    dead-lettering with reasons, idempotent consumers, publisher confirms,
//!    broker crashes and request-reply); [`kafka`], the log family
//!    (partitioned, replicated logs, batching producers with acks and retries,
//!    consumer groups with offsets, lag and rebalancing); [`system`], services
//!    and user request flows around them.
//! 8. [`engine`] — `Sim`: builds the context and every world from a
//!    scenario, then runs it: the closed `Event` enum and its dispatch to the
//!    worlds, where families meet, producers, faults, live commands,
//!    sampling, and the API the front ends use. It holds no family logic.
//! 9. [`summary`] — the end-of-run summary.
//!
//! `wasm` (built for `wasm32` only) is the thin JavaScript adapter, and
//! `src/main.rs` the command line; neither holds simulation logic.
//!
//! ## Layout
//!
//! Every module, bottom layer first (ARCHITECTURE.md has each one's
//! invariant and boundary, and the layering `tests/layering.rs` checks):
//!
//! ```text
//! src/
//!   lib.rs            this tour
//!   json/             mod.rs (parse, JsonError), value.rs (text to Value, duplicate keys refused),
//!                     read.rs (FromJson, read_struct!, read_enum!), write.rs (the one serializer),
//!                     num.rs (floats as {} and {:.N} write them, without core's formatting),
//!                     schema.rs (JsonSchema: the same lists as a JSON Schema; native only)
//!   time.rs           SimTime, Duration, exact parsing, readable_ms
//!   kernel/           scheduler.rs, rng.rs, dist.rs, ziggurat.rs, profile.rs (shaped rates),
//!                     rate_limit.rs (GCRA), arrivals.rs (ArrivalProcess)
//!   theory.rs         queueing-theory closed forms, the overlay and its text line
//!   ledger.rs         MsgState, Ledger
//!   message.rs        Message<A>, MessageStore<A> (a slab: memory follows live messages)
//!   scenario/         mod.rs (types), amqp.rs, kafka.rs, system.rs (each family's types and checks),
//!                     autoscale.rs (the group autoscaler), command.rs (Command, TimedCommand),
//!                     validate.rs, error.rs, presets.rs
//!   observe/          journal.rs, kinds.rs (how to read each event kind), trace.rs, series.rs,
//!                     latency.rs, wait.rs, markers.rs, watch.rs, history.rs (the recorder);
//!                     topology.rs (drawing, from a Worlds view), vocabulary.rs
//!   context.rs        Ctx<E, M>: scheduler, RNG, store, ledger, recorder; set_state
//!   amqp/             mod.rs (World, Event, MsgMeta, Neighbours), exchange.rs, routing.rs, publish.rs, queue.rs,
//!                     consumer.rs, retry.rs, deadletter.rs, delay.rs, dedup.rs, confirm.rs, rpc.rs,
//!                     pubsub.rs, autoscale.rs, choreography.rs, inspect.rs
//!   kafka/            mod.rs (World, Event), partitioner.rs, topic.rs, replication.rs, producer.rs,
//!                     group.rs, assignor.rs, consumer.rs, ordering.rs, autoscale.rs, live.rs, view.rs
//!   system/           mod.rs (World, Event), service.rs, request.rs (services, user request flows, outbox)
//!   engine/           mod.rs (Sim, Event), dispatch.rs (events to worlds), producer.rs, fault.rs,
//!                     control.rs (live commands),
//!                     cmd/ (mod.rs: Action; amqp.rs, kafka.rs, system.rs: each family's actions,
//!                     which live commands and scenario faults both resolve into),
//!                     bridge.rs (where families meet), view.rs (Sim::worlds, Topology::of, the
//!                     families' answers to the front ends),
//!                     mark.rs, sample.rs
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
pub mod context;
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
