// The minimal page: pick a preset, run it in time slices, show the summary and a
// chart. The simulation lives in wasm (./pkg, built by scripts/build-web.sh);
// this file owns only the loop and the DOM. Every number shown comes from the
// wasm API.
import init, { Simulation, presets } from './pkg/mqsim.js';
import uPlot from './vendor/uPlot.esm.js';

const DEFAULT_PRESET = 'peak-shaving';
// Real time the simulation may take per animation frame, so the page stays responsive.
const FRAME_BUDGET_MS = 12;
// Simulated time run per `runUntil` call; the budget is checked between calls.
const SLICE_MS = 50;
// A long gap between frames (a background tab) is not caught up all at once.
const MAX_FRAME_GAP_MS = 100;
const CHART_HEIGHT = 320;
const CHART_COLUMNS = ['t_ms', 'backlog', 'produce_rate', 'consume_rate'];

const $ = (id) => document.getElementById(id);

const state = {
  sim: null,
  running: false,
  toEnd: false, // "Run to end": as fast as the frame budget allows
  lastFrame: 0,
  columns: emptyColumns(),
  chart: null,
};

function emptyColumns() {
  return Object.fromEntries(CHART_COLUMNS.map((name) => [name, []]));
}

// ---- formatting -----------------------------------------------------------

function formatCount(n) {
  return n == null ? '–' : n.toLocaleString('en-US');
}

function formatMs(ms) {
  if (ms == null) return '–';
  // 999.99 ms would print as "1000.0 ms": switch to seconds where the rounding does.
  if (Math.abs(ms) >= 999.95) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(1)} ms`;
}

function setValue(id, value, text) {
  const el = $(id);
  el.textContent = text;
  el.dataset.value = value == null ? '' : String(value);
}

// ---- errors ---------------------------------------------------------------

function showError(err) {
  const el = $('error');
  el.textContent = `Error: ${err instanceof Error ? err.message : String(err)}`;
  el.hidden = false;
  stop();
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

// ---- the simulation -------------------------------------------------------

function isDone(sim) {
  return sim.nowMs >= sim.endMs;
}

function loadPreset(name) {
  stop();
  clearError();
  state.sim?.free();
  state.sim = null;
  state.sim = Simulation.fromPreset(name);
  state.columns = emptyColumns();
  const preset = presets().find((p) => p.name === name);
  $('description').textContent = preset?.description ?? '';
  resetChart();
  render();
}

/** Runs simulated time up to `targetMs`, within the frame budget. */
function advance(sim, targetMs) {
  const deadline = performance.now() + FRAME_BUDGET_MS;
  let t = sim.nowMs;
  const end = Math.min(targetMs, sim.endMs);
  while (t < end && performance.now() < deadline) {
    t = Math.min(end, t + SLICE_MS);
    sim.runUntil(t);
  }
}

/** Appends the samples taken since the last call to the chart's columns. */
function pullSeries(sim) {
  const from = state.columns.t_ms.length;
  if (sim.seriesLength <= from) return false;
  const fresh = sim.series(from);
  for (const name of CHART_COLUMNS) state.columns[name].push(...fresh[name]);
  return true;
}

// ---- the loop -------------------------------------------------------------

function start(toEnd) {
  if (!state.sim || isDone(state.sim)) return;
  state.toEnd = state.toEnd || toEnd;
  if (state.running) return;
  state.running = true;
  state.lastFrame = performance.now();
  requestAnimationFrame(frame);
  renderStatus();
}

function stop() {
  state.running = false;
  state.toEnd = false;
  renderStatus();
}

function frame(now) {
  if (!state.running || !state.sim) return;
  try {
    const sim = state.sim;
    const gap = Math.min(Math.max(now - state.lastFrame, 0), MAX_FRAME_GAP_MS);
    state.lastFrame = now;
    const speed = Number($('speed').value);
    advance(sim, state.toEnd ? sim.endMs : sim.nowMs + gap * speed);
    if (isDone(sim)) state.running = false;
    render();
    if (state.running) requestAnimationFrame(frame);
  } catch (err) {
    showError(err);
  }
}

// ---- rendering ------------------------------------------------------------

function render() {
  const sim = state.sim;
  if (!sim) return;
  renderSummary(sim.summary());
  if (pullSeries(sim)) renderChart();
  renderStatus();
}

function renderStatus() {
  const sim = state.sim;
  const status = $('status');
  let label = 'loading…';
  let st = 'loading';
  if (sim) {
    st = isDone(sim) ? 'finished' : state.running ? 'running' : sim.nowMs > 0 ? 'paused' : 'ready';
    label = st;
    setValue('sim-time', sim.nowMs, formatMs(sim.nowMs));
    setValue('end-time', sim.endMs, formatMs(sim.endMs));
  }
  status.textContent = label;
  status.dataset.state = st;
  $('play').textContent = state.running ? 'Pause' : 'Play';
  $('play').disabled = !sim || isDone(sim);
  $('run-to-end').disabled = !sim || isDone(sim);
  $('reset').disabled = !sim;
}

function renderSummary(s) {
  setValue('produced', s.produced, formatCount(s.produced));
  setValue('processed', s.states.processed, formatCount(s.states.processed));
  setValue('in-flight', s.states.in_flight, formatCount(s.states.in_flight));
  setValue('stored', s.states.stored, formatCount(s.states.stored));
  setValue('dead-lettered', s.states.dead_lettered, formatCount(s.states.dead_lettered));
  setValue('dropped', s.states.dropped, formatCount(s.states.dropped));
  setValue('lost', s.states.lost, formatCount(s.states.lost));
  setValue('redeliveries', s.redeliveries, formatCount(s.redeliveries));
  setValue('latency-p50', s.latency_ms.p50, formatMs(s.latency_ms.p50));
  setValue('latency-p95', s.latency_ms.p95, formatMs(s.latency_ms.p95));
  setValue('latency-p99', s.latency_ms.p99, formatMs(s.latency_ms.p99));
  setValue('peak-backlog', s.peak_backlog.messages, formatCount(s.peak_backlog.messages));
  setValue('peak-backlog-at', s.peak_backlog.at_ms, formatMs(s.peak_backlog.at_ms));
  setValue('ledger', s.ledger_balanced, s.ledger_balanced ? 'balanced' : 'NOT balanced');
  setValue('trace-hash', s.trace_hash, s.trace_hash);
}

// The rate axis is logarithmic (a burst of 100,000/s beside a consumer's 1,000/s),
// where a zero or missing rate has no place: it is left as a gap.
function positiveOrNull(column) {
  return column.map((v) => (v > 0 ? v : null));
}

function chartData() {
  const c = state.columns;
  return [c.t_ms.map((t) => t / 1000), c.backlog, positiveOrNull(c.produce_rate), positiveOrNull(c.consume_rate)];
}

function chartWidth() {
  return Math.max($('chart').clientWidth, 300);
}

function resetChart() {
  state.chart?.destroy();
  const options = {
    width: chartWidth(),
    height: CHART_HEIGHT,
    scales: { x: { time: false }, rate: { distr: 3 } },
    legend: { live: false },
    axes: [
      { label: 'simulated time (s)' },
      { label: 'backlog (messages)', size: 70 },
      { label: 'rate (messages/s, log scale)', scale: 'rate', side: 1, size: 70, grid: { show: false } },
    ],
    series: [
      { label: 't (s)' },
      { label: 'backlog', stroke: '#c0392b', width: 2, fill: 'rgba(192, 57, 43, 0.08)' },
      { label: 'produce rate', scale: 'rate', stroke: '#2471a3', width: 1 },
      { label: 'consume rate', scale: 'rate', stroke: '#229954', width: 1 },
    ],
  };
  state.chart = new uPlot(options, chartData(), $('chart'));
}

function renderChart() {
  state.chart?.setData(chartData());
}

// ---- wiring ---------------------------------------------------------------

function fillPresets(select) {
  for (const { name, description } of presets()) {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    option.title = description;
    select.append(option);
  }
  select.value = [...select.options].some((o) => o.value === DEFAULT_PRESET) ? DEFAULT_PRESET : select.options[0]?.value;
}

function guarded(fn) {
  return (...args) => {
    try {
      fn(...args);
    } catch (err) {
      showError(err);
    }
  };
}

function wire() {
  $('preset').addEventListener('change', guarded((e) => loadPreset(e.target.value)));
  $('play').addEventListener('click', guarded(() => (state.running ? stop() : start(false))));
  $('run-to-end').addEventListener('click', guarded(() => start(true)));
  $('reset').addEventListener('click', guarded(() => loadPreset($('preset').value)));
  window.addEventListener('resize', () => state.chart?.setSize({ width: chartWidth(), height: CHART_HEIGHT }));
  window.addEventListener('error', (e) => showError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));
}

async function main() {
  wire();
  await init();
  fillPresets($('preset'));
  $('preset').disabled = false;
  loadPreset($('preset').value);
  document.body.dataset.ready = 'true';
}

main().catch(showError);
