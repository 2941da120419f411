//! The JavaScript API: the one place with `#[wasm_bindgen]`.
//!
//! A thin adapter over `engine::Sim`: it converts arguments and results and
//! turns `ScenarioError`s into JS `Error`s with the same one-line text the CLI
//! prints. It holds no simulation logic. Times cross the boundary as
//! milliseconds in an `f64` (exact to the nanosecond for runs up to about
//! 104 days), because a Rust `u64` would arrive as a BigInt.
//!
//! The bundled presets are not in this API: their texts would be 11 KB of
//! the module gzipped, and a page that embeds one widget needs one of them.
//! `scripts/build-web.sh` puts them beside the module as JSON files
//! (`www/pkg/presets/`), and `www/lib/wasm.js` fetches them on demand.

use wasm_bindgen::prelude::*;

use crate::engine::{Command, Sim, TimedCommand};
use crate::json;
use crate::observe::{Cause, Topology};
use crate::scenario::{Scenario, ScenarioError};
use crate::summary::Summary;
use crate::time::{NANOS_PER_MILLI, SimTime, as_millis_f64};

// Talc instead of Rust's default wasm allocator (dlmalloc): the module is
// smaller and allocation faster (talc's README_WASM.md benchmarks). Without
// realloc in place, which only saves copies, it is smaller still. Allocation
// has no part in the simulation's results, so traces are unchanged.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// A panic is a bug (every error the API can meet is a typed `JsError`).
// Debug builds, which the wasm-bindgen tests run, print its message to the
// console; the page's release module leaves the hook out, as it brings
// core's formatting of the panic's payload and 1.1 KB gzipped with it.
#[wasm_bindgen(start)]
fn start() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}

/// A value for JS, as JSON text through `JSON.parse`: the one serializer
/// (`json::write`) serves every type the API returns and the scenario's own
/// pretty JSON, so each type's `Serialize` is compiled once. Infinities arrive
/// as ±Infinity; NaN, which no output holds, would arrive as null.
fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let text = json::write(value, json::Style::Js).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("could not pass a value to JS"))
}

/// JSON text from a JS value: a string as it is, anything else through `JSON.stringify`.
fn json_text(value: &JsValue) -> Result<String, JsError> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    js_sys::JSON::stringify(value)
        .map(String::from)
        .map_err(|_| JsError::new("expected JSON text or a value JSON.stringify accepts"))
}

fn ms_to_nanos(ms: f64) -> SimTime {
    if ms.is_finite() && ms > 0.0 { libm::round(ms * NANOS_PER_MILLI as f64) as SimTime } else { 0 }
}

/// A running simulation.
#[wasm_bindgen]
pub struct Simulation {
    sim: Sim,
}

#[wasm_bindgen]
impl Simulation {
    /// Parses and checks a scenario; a bad one throws an `Error` whose message
    /// names the JSON path.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario_json: &str) -> Result<Simulation, JsError> {
        Sim::from_json(scenario_json).map(|sim| Simulation { sim }).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Current simulated time in ms.
    #[wasm_bindgen(getter, js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        as_millis_f64(self.sim.now())
    }

    /// When the run ends, in ms.
    #[wasm_bindgen(getter, js_name = endMs)]
    pub fn end_ms(&self) -> f64 {
        as_millis_f64(self.sim.end())
    }

    #[wasm_bindgen(getter)]
    pub fn finished(&self) -> bool {
        self.sim.finished()
    }

    /// Runs one kernel event; false when nothing is left to run.
    pub fn step(&mut self) -> bool {
        self.sim.step()
    }

    /// Runs kernel events until something a learner can see happens: a
    /// lifecycle event or a live command. The page's Step button uses this.
    #[wasm_bindgen(js_name = stepVisible)]
    pub fn step_visible(&mut self) -> bool {
        self.sim.step_visible()
    }

    /// Runs every event due by `t_ms` (capped at the end of the run).
    #[wasm_bindgen(js_name = runUntil)]
    pub fn run_until(&mut self, t_ms: f64) {
        self.sim.run_until(ms_to_nanos(t_ms));
    }

    /// Runs at most `max_events` kernel events, so that the page can keep each
    /// slice of work short. Returns how many ran.
    #[wasm_bindgen(js_name = runEvents)]
    pub fn run_events(&mut self, max_events: u32) -> u32 {
        let mut ran = 0;
        while ran < max_events && self.sim.step() {
            ran += 1;
        }
        ran
    }

    #[wasm_bindgen(js_name = runToEnd)]
    pub fn run_to_end(&mut self) {
        self.sim.run_to_end();
    }

    /// The summary: counts by state, latency percentiles, peaks (see `Summary`).
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&Summary::of(&self.sim))
    }

    /// The time series from sample `from` on, as `{column: number[]}`.
    pub fn series(&self, from: Option<u32>) -> Result<JsValue, JsError> {
        to_js(&self.sim.series().since(from.unwrap_or(0) as usize))
    }

    /// Samples taken so far.
    #[wasm_bindgen(getter, js_name = seriesLength)]
    pub fn series_length(&self) -> u32 {
        self.sim.series().len() as u32
    }

    /// The lifecycle events since the last call (for animation):
    /// `[{t, msg, kind, node, key, due?, origin?, reason?, redelivered?}]`,
    /// `t` in ns; `reason` (a `vocabulary().reasons` name) on events that put
    /// a message back, `redelivered: true` on a redelivery.
    #[wasm_bindgen(js_name = drainEvents)]
    pub fn drain_events(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.sim.drain_journal())
    }

    /// The lifecycle events since the last call as columns, the cheap form for
    /// animating many events a frame: `{length, t_ms: Float64Array, msg:
    /// Float64Array, kind: Uint8Array, node: Uint32Array, key: Uint32Array,
    /// reason: Uint8Array, redelivered: Uint8Array}`. `kind` is the kind's
    /// code, which indexes `topology().events`. `reason` is why a message was
    /// put back, a code indexing `vocabulary().reasons`: 0 (`"none"`) for
    /// events without one. `redelivered` is 1 on a delivery or fetch of a
    /// message delivered before, else 0.
    #[wasm_bindgen(js_name = drainEventColumns)]
    pub fn drain_event_columns(&mut self) -> Result<JsValue, JsError> {
        let events = self.sim.drain_journal();
        let t: Vec<f64> = events.iter().map(|e| as_millis_f64(e.t)).collect();
        let msg: Vec<f64> = events.iter().map(|e| e.msg as f64).collect();
        let kind: Vec<u8> = events.iter().map(|e| e.kind as u8).collect();
        let node: Vec<u32> = events.iter().map(|e| e.node).collect();
        let key: Vec<u32> = events.iter().map(|e| e.key).collect();
        let reason: Vec<u8> = events.iter().map(|e| Cause::code(e.reason)).collect();
        let redelivered: Vec<u8> = events.iter().map(|e| u8::from(e.redelivered)).collect();
        let out = js_sys::Object::new();
        let set = |name: &str, value: JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(name), &value);
        let ok = set("length", JsValue::from(events.len() as u32)).is_ok()
            && set("t_ms", js_sys::Float64Array::from(&t[..]).into()).is_ok()
            && set("msg", js_sys::Float64Array::from(&msg[..]).into()).is_ok()
            && set("kind", js_sys::Uint8Array::from(&kind[..]).into()).is_ok()
            && set("node", js_sys::Uint32Array::from(&node[..]).into()).is_ok()
            && set("key", js_sys::Uint32Array::from(&key[..]).into()).is_ok()
            && set("reason", js_sys::Uint8Array::from(&reason[..]).into()).is_ok()
            && set("redelivered", js_sys::Uint8Array::from(&redelivered[..]).into()).is_ok();
        if ok { Ok(out.into()) } else { Err(JsError::new("could not build the event columns")) }
    }

    /// The trace hash, as 16 hex digits.
    #[wasm_bindgen(getter, js_name = traceHash)]
    pub fn trace_hash(&self) -> String {
        self.sim.trace_hash().hex()
    }

    /// The scenario as pretty JSON.
    #[wasm_bindgen(js_name = scenarioJson)]
    pub fn scenario_json(&self) -> String {
        self.sim.scenario().to_json_pretty()
    }

    /// Moves up to `limit` dead letters (all when omitted) from dead-letter
    /// queue `queue` back to the queues they came from; returns how many
    /// moved, or throws if `queue` is not a dead-letter queue.
    #[wasm_bindgen(js_name = replayDeadLetters)]
    pub fn replay_dead_letters(&mut self, queue: &str, limit: Option<u32>) -> Result<u32, JsError> {
        self.sim.replay_dead_letters(queue, limit.map(u64::from)).map(|n| n as u32).map_err(|e| JsError::new(&e))
    }

    /// The dead letters in dead-letter queue `queue`, oldest first (at most
    /// `limit`, default 100): `[{msg, origin, reason, from, deliveries, born_ms}]`.
    #[wasm_bindgen(js_name = deadLetters)]
    pub fn dead_letters(&self, queue: &str, limit: Option<u32>) -> Result<JsValue, JsError> {
        let letters = self.sim.dead_letters(queue, limit.unwrap_or(100) as usize).map_err(|e| JsError::new(&e))?;
        to_js(&letters)
    }

    /// Messages held for a delay or a retry, earliest due first (at most
    /// `limit`, default 100): `[{msg, due_ms, hold}]`.
    #[wasm_bindgen(js_name = delayedMessages)]
    pub fn delayed_messages(&self, limit: Option<u32>) -> Result<JsValue, JsError> {
        to_js(&self.sim.delayed_messages(limit.unwrap_or(100) as usize))
    }

    /// The time series as CSV with a header row (what `mqsim run --format csv` writes).
    #[wasm_bindgen(js_name = seriesCsv)]
    pub fn series_csv(&self) -> String {
        self.sim.series().to_csv()
    }

    /// The topology as it is now: `{nodes, edges, events}` (see `observe::topology`).
    pub fn topology(&self) -> Result<JsValue, JsError> {
        to_js(&Topology::of(&self.sim))
    }

    /// Applies a live command at the current simulated time, e.g.
    /// `{crash_consumer: {consumer: "worker", instance: 0}}` (an object or JSON
    /// text). A wrong one throws an `Error` naming the path and changes nothing.
    pub fn command(&mut self, command: JsValue) -> Result<(), JsError> {
        let command = Command::from_json(&json_text(&command)?).map_err(|e| JsError::new(&e.to_string()))?;
        self.sim.command(command).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Schedules a log of live actions to replay, `[{at: "5.2s", command: {…}}]`
    /// (an array or JSON text), as `commandLog` returns it.
    #[wasm_bindgen(js_name = scheduleCommands)]
    pub fn schedule_commands(&mut self, log: JsValue) -> Result<(), JsError> {
        let log = TimedCommand::log_from_json(&json_text(&log)?).map_err(|e| JsError::new(&e.to_string()))?;
        self.sim.schedule_commands(&log).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The run's log of live actions, applied then pending: `[{at, command}]`.
    #[wasm_bindgen(js_name = commandLog)]
    pub fn command_log(&self) -> Result<JsValue, JsError> {
        to_js(&self.sim.command_log())
    }

    /// How many entries of `commandLog` have been applied.
    #[wasm_bindgen(getter, js_name = commandsApplied)]
    pub fn commands_applied(&self) -> u32 {
        self.sim.commands_applied() as u32
    }

    /// Starts recording the life of message `id` (one that exists or one to come).
    #[wasm_bindgen(js_name = watchMessage)]
    pub fn watch_message(&mut self, id: f64) {
        self.sim.watch_message(id as u64);
    }

    /// Message `id`: `{id, watched, live: {state, queue, position, …} | null,
    /// events}`; its `events` are `drainEvents()`'s, with `reason` and
    /// `redelivered` where they apply.
    #[wasm_bindgen(js_name = messageLife)]
    pub fn message_life(&self, id: f64) -> Result<JsValue, JsError> {
        to_js(&self.sim.message_life(id as u64))
    }

    /// The markers from index `from` on (default 0), kept for the whole run
    /// apart from the journal's ring: every fault, every live action, and
    /// every engine event that changes the system (a consumer crashed or
    /// came back, a member joined or left, a rebalance, a broker crashed or
    /// was fenced, a leader elected, a partition added, an instance the
    /// autoscaler started or stopped), in time order:
    /// `[{t_ms, kind, subject, source: "fault" | "action" | "engine",
    /// detail?, by?}]`. `kind` is a `vocabulary().marker_kinds` name (a
    /// fault's or command's name, or an event kind); `subject` names what
    /// it happened to as the page does (`worker#0`, `broker 1`,
    /// `orders-3`, a queue, a group…; "" for the queue family's broker);
    /// `detail` is `{command: {…}}` for a fault or an action (as the
    /// scenario or command log writes it; a service's scheduled outage as
    /// `service_down`/`service_up`), or `{generation | broker | partitions:
    /// n}` for some engine events; `by` is the index of the fault or action
    /// whose application caused an engine marker. E.g.
    /// `{"t_ms": 10000, "kind": "crash_consumer", "subject": "worker#1",
    /// "source": "fault", "detail": {"command": {"crash_consumer":
    /// {"consumer": "worker", "instance": 1}}}}` followed by `{"t_ms":
    /// 10000, "kind": "consumer_crashed", "subject": "worker#1", "source":
    /// "engine", "by": 0}`.
    pub fn markers(&self, from: Option<u32>) -> Result<JsValue, JsError> {
        to_js(self.sim.markers().since(from.unwrap_or(0) as usize))
    }

    /// How many markers are kept (the next `markers(from)` starts there).
    #[wasm_bindgen(getter, js_name = markerCount)]
    pub fn marker_count(&self) -> u32 {
        self.sim.markers().len() as u32
    }

    /// Markers not kept because the run reached the cap of 100,000.
    #[wasm_bindgen(getter, js_name = markersDropped)]
    pub fn markers_dropped(&self) -> f64 {
        self.sim.markers().dropped() as f64
    }

    /// Journal events lost because they were not drained in time.
    #[wasm_bindgen(getter, js_name = journalOverwritten)]
    pub fn journal_overwritten(&self) -> f64 {
        self.sim.journal_overwritten() as f64
    }
}

/// Every key the engine can put on screen, grouped, each list of strings
/// taken from the engine's own tables (see `observe::vocabulary`):
/// `{event_kinds, states, reasons, commands, faults, marker_kinds,
/// marker_sources, models, theory_notes, dead_letter_reasons, commit_modes,
/// assignors}`. `reasons[code]` names the codes of `drainEventColumns()`'s
/// `reason` column (`reasons[0]` is `"none"`).
#[wasm_bindgen]
pub fn vocabulary() -> Result<JsValue, JsError> {
    to_js(&crate::observe::vocabulary())
}

/// Checks a scenario without building it: throws the same error `new
/// Simulation` would, or returns nothing.
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(scenario_json: &str) -> Result<(), JsError> {
    Scenario::from_json(scenario_json).map(|_| ()).map_err(|e| JsError::new(&e.to_string()))
}

/// What is wrong with a scenario, for an editor: `null` when it is valid,
/// else `{message, path, line, column}` — `path` the JSON path of the value
/// at fault ("" for syntax errors), `line`/`column` set for syntax errors.
#[wasm_bindgen(js_name = scenarioProblem)]
pub fn scenario_problem(scenario_json: &str) -> Result<JsValue, JsError> {
    let Err(err) = Scenario::from_json(scenario_json) else { return Ok(JsValue::NULL) };
    let (line, column) = match &err {
        ScenarioError::Syntax { line, column, .. } => (Some(*line), Some(*column)),
        _ => (None, None),
    };
    to_js(&serde_json::json!({ "message": err.to_string(), "path": err.path(), "line": line, "column": column }))
}

/// The partition Apache Kafka's default partitioner assigns to a string key
/// among `partitions`; throws when `partitions` is 0.
#[wasm_bindgen(js_name = partitionFor)]
pub fn partition_for(key: &str, partitions: u32) -> Result<u32, JsError> {
    crate::kafka::partitioner::partition_for_key(key.as_bytes(), partitions)
        .ok_or_else(|| JsError::new("a topic needs at least 1 partition"))
}

/// A fresh random seed from the browser's crypto source, for a "new seed" button.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> f64 {
    let mut bytes = [0u8; 4];
    // Seeds are kept below 2^32 so that they survive a trip through a URL and a JS number.
    let _ = getrandom::fill(&mut bytes);
    f64::from(u32::from_le_bytes(bytes))
}
