// One simulation and what views need from it: running simulated time in
// short slices, live commands, the journal, the accumulated series. The
// page's one animation loop (lib/frame-loop.js) decides how much to run each
// frame and with how much of the frame's budget.
import { FRAME_BUDGET_MS } from './frame-loop.js';

// Kept exported here for code written before the loop moved to lib/frame-loop.js.
export { FRAME_BUDGET_MS };
/**
 * Each `runUntil` call should take about this much real time, so that the
 * budget, checked between calls, is kept. The simulated time a call covers
 * adapts to how busy the run is: from SLICE_MIN_MS to SLICE_MAX_MS.
 */
const SLICE_TARGET_MS = 1;
const SLICE_MIN_MS = 0.001;
const SLICE_MAX_MS = 50;
/** Speeds offered: simulated ms per real ms (Infinity: as fast as the budget allows). */
export const SPEEDS = [0.001, 0.01, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 1000, 10000, Infinity];

export class Session {
  /**
   * @param api the wasm API (see lib/wasm.js)
   * @param source {json, preset?, seed?}: the scenario's text and, when it
   *   is a bundled preset's, the preset's name (see lib/wasm.js's presetJson)
   * @param log recorded live actions to replay ([{at, command}])
   */
  constructor(api, source, log = []) {
    this.api = api;
    this.source = { ...source };
    this.sliceMs = SLICE_MAX_MS; // simulated ms per runUntil call; adapts (see advance)
    this.sim = null;
    this.load(log);
  }

  /** (Re)builds the simulation from the source and schedules `log`. */
  load(log = []) {
    this.sim?.free();
    this.sim = null;
    const { json, seed } = this.source;
    if (seed == null) {
      this.sim = new this.api.Simulation(json);
    } else {
      const scenario = JSON.parse(json);
      scenario.seed = seed;
      this.sim = new this.api.Simulation(JSON.stringify(scenario));
    }
    this.source.seed = this.sim.summary().seed;
    if (log.length) this.sim.scheduleCommands(log);
    this.columns = null;
    this.refreshTopology();
  }

  /** Starts over with the same scenario (and seed unless one is given), keeping no live actions. */
  reset(seed) {
    if (seed != null) this.source.seed = seed;
    this.load([]);
  }

  /** Starts over and replays the given live actions. */
  replay(log) {
    this.load(log);
  }

  free() {
    this.sim?.free();
    this.sim = null;
  }

  get nowMs() {
    return this.sim.nowMs;
  }

  get endMs() {
    return this.sim.endMs;
  }

  get finished() {
    return this.sim.nowMs >= this.sim.endMs || this.sim.finished;
  }

  /** Runs simulated time up to `targetMs` (capped at the end) within `budgetMs` of real time. */
  advance(targetMs, budgetMs = FRAME_BUDGET_MS) {
    const deadline = performance.now() + budgetMs;
    const end = Math.min(targetMs, this.sim.endMs);
    let t = this.sim.nowMs;
    let now = performance.now();
    while (t < end && now < deadline) {
      t = Math.min(end, t + this.sliceMs);
      this.sim.runUntil(t);
      const took = performance.now() - now;
      now += took;
      // A busy stretch of the run (a backlog draining, a burst) does many
      // events per simulated ms: cover less simulated time per call, and more
      // again when it is quiet. Only full slices teach anything.
      if (took > 2 * SLICE_TARGET_MS) this.sliceMs = Math.max(SLICE_MIN_MS, this.sliceMs / 2);
      else if (took < SLICE_TARGET_MS / 2 && t < end) this.sliceMs = Math.min(SLICE_MAX_MS, this.sliceMs * 2);
    }
    return this.sim.nowMs >= end;
  }

  /** Runs to the next thing that happens: a lifecycle event or a pending live action. */
  step() {
    return this.sim.stepVisible();
  }

  /** Applies a live command now; throws an Error naming the path when it is wrong. */
  command(command) {
    this.sim.command(command);
    this.refreshTopology();
  }

  /** The commands applied so far and those still to replay. */
  commandLog() {
    return this.sim.commandLog();
  }

  refreshTopology() {
    this.topology = this.sim.topology();
    return this.topology;
  }

  /** The journal since the last call, as typed-array columns. */
  drain() {
    return this.sim.drainEventColumns();
  }

  summary() {
    return this.sim.summary();
  }

  /** Appends samples taken since the last call; returns whether there were any. */
  pullSeries() {
    const have = this.columns ? this.columns.t_ms.length : 0;
    if (this.sim.seriesLength <= have) return false;
    const fresh = this.sim.series(have);
    if (!this.columns) {
      this.columns = fresh;
    } else {
      // A loop, not push(...values): a long run can bring more values than a call takes arguments.
      for (const [name, values] of Object.entries(fresh)) {
        const column = this.columns[name];
        for (const value of values) column.push(value);
      }
    }
    return true;
  }

  /** What a link needs to replay this run: preset (or else the scenario), seed and live actions. */
  shareState() {
    const { preset, json, seed } = this.source;
    return { preset, json: preset ? null : json, seed, log: this.commandLog() };
  }
}
