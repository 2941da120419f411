// The simulator page. It renders and sends commands; every number it shows
// comes from the wasm API (./pkg, built by scripts/build-web.sh). This file
// owns the animation loop and the DOM; lib/ holds what the widgets share.
import { Chart, chartKinds, download } from './lib/charts.js';
import { FlowView } from './lib/flow-view.js';
import { formatCount, formatMs, formatNumber, formatSeconds } from './lib/format.js';
import { LANGS, describeCommand, detectLang, groupPresets, presetText, t } from './lib/i18n.js';
import { lineOfPath } from './lib/json-lines.js';
import { STATE_STYLE } from './lib/palette.js';
import { join as joinFrameLoop, wake as wakeFrameLoop } from './lib/frame-loop.js';
import { SPEEDS, Session } from './lib/session.js';
import { decodeShare, encodeShare } from './lib/share.js';
import { loadWasm } from './lib/wasm.js';

const DEFAULT_PRESET = 'peak-shaving';
const DEFAULT_SPEED = 10;
const SLOW_UI_MS = 250; // the log, theory table and inspector refresh this often
const CHART_UI_MS = 250;
const COUNTER_UI_MS = 100; // counters and status: fast enough to read, without a layout every frame
const LOG_CAPACITY = 5000; // journal events kept for the log and the inspector
const LOG_ROWS = 200;
const LOG_ROWS_RUNNING = 40; // while running: the rows in view and some; all of them again when it stops
const STEP_NUDGE_MS = 350; // after a single step, show its messages mid-way
const SLOW_FACTOR = 10; // the "slow" fault button multiplies service times by this
const EDITOR_DEBOUNCE_MS = 250;
const LEGEND_STATES = ['stored', 'in_flight', 'redelivered', 'processed', 'dead_lettered', 'duplicate', 'lost', 'dropped'];
const STORAGE_LANG = 'mqsim.lang';
const FLOW_HEIGHT = [260, 620]; // the canvas grows with the topology within these CSS pixels

const $ = (id) => document.getElementById(id);

const state = {
  api: null,
  lang: 'en',
  session: null,
  view: null,
  charts: [],
  running: false,
  toEnd: false,
  runTo: null,
  speedIndex: SPEEDS.indexOf(DEFAULT_SPEED),
  lastSlowUi: 0,
  lastChartUi: 0,
  lastCounterUi: 0,
  dirty: true,
  nudge: 0,
  log: [], // {t, kind, msg, node, key} or {t, command}
  logTotal: 0,
  inspected: null,
  /** Loads started; a load that finds a later one started gives way to it. */
  loads: 0,
  editorTimer: 0,
};

// ---- language ---------------------------------------------------------------

function applyLanguage(lang) {
  state.lang = lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(lang, el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(lang, el.dataset.i18nPlaceholder);
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  $('summary').setAttribute('aria-label', t(lang, 'counters.label'));
  try {
    localStorage.setItem(STORAGE_LANG, lang);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this visit.
  }
  if (state.inspected == null) $('inspector').textContent = t(lang, 'inspector.empty');
  if (!state.api) return;
  fillPresets();
  renderScenarioText();
  renderLegend();
  if (state.view) state.view.lang = lang;
  if (state.session) {
    buildCharts();
    renderLive();
    renderAll(true);
  }
  syncUrl();
}

// ---- errors -----------------------------------------------------------------

function showError(err) {
  const el = $('error');
  el.textContent = `${t(state.lang, 'error.prefix')}: ${err instanceof Error ? err.message : String(err)}`;
  el.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

function guarded(fn) {
  return (...args) => {
    try {
      const out = fn(...args);
      if (out instanceof Promise) out.catch(showError);
    } catch (err) {
      showError(err);
    }
  };
}

// ---- scenario picker ----------------------------------------------------------

function currentPreset() {
  return state.session?.source.preset ?? null;
}

function fillPresets() {
  const select = $('preset');
  const list = state.api.presets();
  select.replaceChildren();
  for (const group of groupPresets(state.lang, list)) {
    const optgroup = document.createElement('optgroup');
    optgroup.label = group.title;
    for (const preset of group.presets) optgroup.append(new Option(preset.title, preset.name));
    select.append(optgroup);
  }
  const custom = new Option(t(state.lang, 'scenario.custom'), '');
  custom.hidden = true;
  select.append(custom);
  select.value = currentPreset() ?? '';
}

function renderScenarioText() {
  const preset = currentPreset();
  const list = state.api.presets();
  const description = list.find((p) => p.name === preset)?.description ?? '';
  const text = preset ? presetText(state.lang, preset, description) : { title: t(state.lang, 'scenario.custom'), watch: customDescription() };
  $('scenario-title').textContent = text.title;
  $('description').textContent = text.watch;
}

function customDescription() {
  try {
    return JSON.parse(state.session.source.json).description ?? '';
  } catch {
    return '';
  }
}

// ---- loading a run ------------------------------------------------------------

/**
 * Loads a scenario source ({preset} or {json}, seed?) and replays `log`. A
 * preset's text is fetched first (once; see lib/wasm.js); if another load
 * starts meanwhile, the later one wins.
 */
async function load(source, log = []) {
  const generation = ++state.loads;
  if (source.preset && source.json == null) {
    source = { ...source, json: await state.api.presetJson(source.preset) };
    if (generation !== state.loads) return;
  }
  stop();
  clearError();
  const session = new Session(state.api, source, log);
  state.session?.free();
  state.session = session;
  resetViews();
  $('seed').value = String(session.source.seed);
  $('preset').value = source.preset ?? '';
  renderScenarioText();
  buildCharts();
  renderLive();
  renderAll(true);
  syncUrl();
}

function resetViews() {
  state.view.clear();
  state.view.setTopology(state.session.topology);
  state.log = [];
  state.logTotal = 0;
  state.inspected = null;
  state.view.selected = null;
  $('inspector').textContent = t(state.lang, 'inspector.empty');
  markDirty();
}

function reset(seed) {
  stop();
  clearError();
  state.session.reset(seed);
  resetViews();
  $('seed').value = String(state.session.source.seed);
  buildCharts();
  renderLive();
  renderAll(true);
  syncUrl();
}

// ---- the loop -----------------------------------------------------------------

function start({ toEnd = false, runTo = null } = {}) {
  const s = state.session;
  if (!s || s.finished) return;
  state.toEnd = toEnd;
  state.runTo = runTo;
  state.running = true;
  state.view.playing = true;
  renderStatus();
  wakeFrameLoop();
}

function stop() {
  state.running = false;
  state.toEnd = false;
  state.runTo = null;
  if (state.view) state.view.playing = false;
  renderStatus();
}

/** Something changed that the next frame must draw; wakes the shared loop if it slept. */
function markDirty() {
  state.dirty = true;
  wakeFrameLoop();
}

/**
 * The page as a client of the page's one frame loop (lib/frame-loop.js): the
 * loop advances the session by the speed (or to Run-to's instant, or the end)
 * within its share of the frame budget, then calls frame().
 */
const pageClient = {
  get session() {
    return state.session;
  },
  get running() {
    return state.running;
  },
  get speed() {
    return SPEEDS[state.speedIndex];
  },
  get until() {
    if (state.runTo != null) return state.runTo;
    return state.toEnd ? Infinity : null;
  },
  wantsFrame() {
    if (!state.session || !state.view) return false;
    return state.running || state.dirty || (state.view.playing && state.view.particles.length > 0);
  },
  frame(now, gap, tick) {
    const s = state.session;
    if (state.running && (s.finished || (state.runTo != null && s.nowMs >= state.runTo))) finishRun();
    ingestEvents(tick.simElapsedMs);
    const changed = state.dirty || state.running;
    if (changed) renderAll(false, now);
    if (changed || state.view.particles.length) {
      state.view.draw(gap);
      if (state.nudge) {
        state.view.clock += state.nudge;
        state.nudge = 0;
      }
    }
    state.dirty = false;
  },
  fail(err) {
    stop();
    showError(err);
  },
};

function finishRun() {
  stop();
  state.view.playing = true; // let the last messages finish their hops
  markDirty();
}

/** Drains the journal into the canvas and the log. */
function ingestEvents(simElapsedMs) {
  const s = state.session;
  const columns = s.drain();
  s.refreshTopology();
  state.view.setTopology(s.topology);
  if (columns.length === 0 && simElapsedMs === 0) return;
  state.view.ingest(columns, simElapsedMs);
  appendLog(columns);
  markDirty();
}

function appendLog(columns) {
  const n = columns.length;
  state.logTotal += n;
  const from = Math.max(0, n - LOG_CAPACITY);
  for (let i = from; i < n; i++) {
    state.log.push({ t: columns.t_ms[i], kind: columns.kind[i], msg: columns.msg[i], node: columns.node[i], key: columns.key[i] });
  }
  if (state.log.length > LOG_CAPACITY) state.log.splice(0, state.log.length - LOG_CAPACITY);
}

// ---- rendering ---------------------------------------------------------------

function renderAll(force, now = performance.now()) {
  const s = state.session;
  const summary = s.summary();
  state.view.setSummary(summary);
  if (force || !state.running || now - state.lastCounterUi > COUNTER_UI_MS) {
    state.lastCounterUi = now;
    renderCounters(summary);
    renderStatus();
  }
  if (force || now - state.lastChartUi > CHART_UI_MS) {
    state.lastChartUi = now;
    if (s.pullSeries() || force) for (const chart of state.charts) chart.update(s.columns);
  }
  // While running, the slower parts refresh a few times a second; when paused, at once.
  if (force || !state.running || now - state.lastSlowUi > SLOW_UI_MS) {
    state.lastSlowUi = now;
    renderTheory(summary);
    renderPartitions();
    renderLog();
    renderInspector();
    renderLiveState();
    renderFlowNote();
    $('flow-description').textContent = state.view.describe();
  }
  if (force) state.view.draw(0);
}

function setValue(id, value, text) {
  const el = $(id);
  const raw = value == null ? '' : String(value);
  if (el.dataset.value === raw && el.textContent === text) return;
  el.textContent = text;
  el.dataset.value = raw;
}

function renderCounters(s) {
  const lang = state.lang;
  const count = (id, n) => setValue(id, n, formatCount(n, lang));
  count('published', s.published);
  count('produced', s.produced);
  // A message published to several queues is several copies, and the other counters count copies.
  const copies = s.produced !== s.published ? t(lang, 'counter.copies', { n: formatCount(s.produced, lang) }) : '';
  if ($('copies').textContent !== copies) {
    $('copies').textContent = copies;
    $('copies').title = copies ? t(lang, 'counter.copies-title') : '';
  }
  count('processed', s.states.processed);
  count('in-flight', s.states.in_flight);
  count('stored', s.states.stored + s.states.in_flight);
  count('redeliveries', s.redeliveries);
  count('duplicates', s.duplicates);
  // Out-of-order deliveries come with the Kafka model; until its summary has them, there are none.
  count('out-of-order', s.out_of_order ?? 0);
  count('dead-lettered', s.dead_lettered_total);
  count('expired', s.states.expired);
  count('lost', s.states.lost);
  count('dropped', s.states.dropped);
  count('peak-backlog', s.peak_backlog.messages);
  setValue('peak-backlog-at', s.peak_backlog.at_ms, formatMs(s.peak_backlog.at_ms));
  const latency = s.latency_ms.count > 0;
  setValue('latency-p50', latency ? s.latency_ms.p50 : null, latency ? formatMs(s.latency_ms.p50) : '–');
  setValue('latency-p95', latency ? s.latency_ms.p95 : null, latency ? formatMs(s.latency_ms.p95) : '–');
  setValue('latency-p99', latency ? s.latency_ms.p99 : null, latency ? formatMs(s.latency_ms.p99) : '–');
  setValue('trace-hash', s.trace_hash, s.trace_hash);
  setValue('ledger', s.ledger_balanced, t(lang, s.ledger_balanced ? 'counter.ledger-ok' : 'counter.ledger-bad'));
}

function statusName() {
  const s = state.session;
  if (!s) return 'loading';
  if (s.finished) return 'finished';
  if (state.running) return 'running';
  return s.nowMs > 0 || s.sim.commandsApplied > 0 ? 'paused' : 'ready';
}

function renderStatus() {
  const s = state.session;
  const name = statusName();
  const status = $('status');
  status.textContent = t(state.lang, `status.${name}`);
  status.dataset.state = name;
  const lang = state.lang;
  $('play').textContent = t(lang, state.running ? 'controls.pause' : 'controls.play');
  $('play').setAttribute('aria-pressed', String(state.running));
  const done = !s || s.finished;
  for (const id of ['play', 'step', 'run-to', 'run-to-end']) $(id).disabled = done;
  $('reset').disabled = !s;
  if (!s) return;
  setValue('sim-time', s.nowMs, formatMs(s.nowMs));
  setValue('end-time', s.endMs, formatMs(s.endMs));
  $('progress').value = s.endMs > 0 ? s.nowMs / s.endMs : 0;
}

function renderFlowNote() {
  const v = state.view;
  const notes = [];
  if (v.sampleEvery > 1) notes.push(t(state.lang, 'flow.sampled', { n: formatCount(v.sampleEvery, state.lang) }));
  if (state.session.topology.nodes.some((n) => n.kind === 'topic')) notes.push(t(state.lang, 'flow.partitions'));
  const text = notes.join(' ');
  if ($('flow-note').textContent !== text) $('flow-note').textContent = text;
}

function renderLegend() {
  const list = $('legend');
  list.replaceChildren();
  for (const name of LEGEND_STATES) {
    const style = STATE_STYLE[name];
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${style.shape}`;
    swatch.style.setProperty('--swatch', style.colour);
    li.append(swatch, t(state.lang, `state.${name}`));
    list.append(li);
  }
}

// ---- charts -----------------------------------------------------------------------

function buildCharts() {
  for (const chart of state.charts) chart.destroy();
  state.charts = [];
  const container = $('charts');
  container.replaceChildren();
  const names = Object.keys(state.session.sim.series(0));
  for (const kind of chartKinds(names)) {
    const figure = document.createElement('figure');
    figure.className = 'chart-card';
    figure.dataset.chart = kind;
    const caption = document.createElement('figcaption');
    const title = document.createElement('span');
    title.textContent = t(state.lang, `charts.${kind}`);
    const png = document.createElement('button');
    png.type = 'button';
    png.className = 'small';
    png.textContent = t(state.lang, 'charts.png');
    png.setAttribute('aria-label', `${t(state.lang, 'charts.png')}: ${title.textContent}`);
    caption.append(title, png);
    const plot = document.createElement('div');
    plot.className = 'chart';
    figure.append(caption, plot);
    container.append(figure);
    const chart = new Chart(plot, kind, names, { lang: state.lang, endMs: state.session.endMs });
    png.addEventListener('click', guarded(async () => download(`${scenarioName()}-${kind}.png`, await chart.png(title.textContent))));
    state.charts.push(chart);
  }
  state.session.columns && state.charts.forEach((c) => c.update(state.session.columns));
}

function scenarioName() {
  return state.session.summary().scenario;
}

// ---- queueing theory -------------------------------------------------------------

function renderTheory(summary) {
  const lang = state.lang;
  const groups = summary.kafka ? summary.kafka.groups : [];
  const rows = [...summary.queues, ...groups].filter((q) => q.overlay);
  const el = $('theory');
  if (rows.length === 0) {
    el.innerHTML = '';
    el.textContent = t(lang, 'theory.none');
    return;
  }
  const n = (x, d = 2) => formatNumber(x, lang, d);
  const table = document.createElement('table');
  table.className = 'theory-table';
  const head = table.createTHead().insertRow();
  for (const key of ['theory.queue', 'theory.lambda', 'theory.mu', 'theory.c', 'theory.rho', 'theory.wq', 'theory.l']) {
    const th = document.createElement('th');
    th.textContent = t(lang, key);
    head.append(th);
  }
  const body = table.createTBody();
  for (const q of rows) {
    const o = q.overlay;
    const row = body.insertRow();
    row.dataset.queue = q.name;
    const wq = o.wq_analytic_ms == null ? '∞' : formatMs(o.wq_analytic_ms);
    const label = q.topic ? `${q.name} (${q.topic})` : q.name;
    const cells = [label, n(o.lambda, 1), n(o.mu, 1), String(o.servers), n(o.rho, 3), `${formatMs(o.wq_simulated_ms)} vs ${wq}`, `${n(o.l_measured)} vs ${n(o.l_little)}`];
    cells.forEach((text, i) => {
      const cell = row.insertCell();
      cell.textContent = text;
      if (i === 4 && o.unstable) cell.className = 'unstable';
    });
    const note = body.insertRow();
    const cell = note.insertCell();
    cell.colSpan = 7;
    cell.className = 'theory-note';
    const parts = [];
    if (o.unstable) parts.push(`⚠ ${t(lang, 'theory.unstable')}`);
    if (o.partitioned_among === 1) parts.push(t(lang, 'theory.partitioned-one'));
    else if (o.partitioned_among != null) parts.push(t(lang, 'theory.partitioned', { members: o.partitioned_among }));
    else parts.push(t(lang, o.markovian ? 'theory.markovian' : 'theory.not-markovian'));
    cell.textContent = parts.join(' · ');
    if (o.unstable) cell.classList.add('unstable');
  }
  el.replaceChildren(table);
}

// ---- Kafka partitions -------------------------------------------------------------

/** One table per topic: each partition's leader, ISR and offsets, and each group's committed offset and lag there. */
function renderPartitions() {
  const lang = state.lang;
  const nodes = state.session.topology.nodes;
  const topics = nodes.filter((n) => n.kind === 'topic');
  $('kafka-panel').hidden = topics.length === 0;
  if (topics.length === 0) return;
  const groupName = new Map(nodes.filter((n) => n.kind === 'consumer_group').map((n) => [n.index, n.name]));
  const tables = topics.map((topic) => {
    const table = document.createElement('table');
    table.className = 'theory-table';
    table.dataset.topic = topic.name;
    const caption = table.createCaption();
    caption.textContent = `${t(lang, 'node.topic')} ${topic.name}`;
    const groups = topic.partitions[0]?.groups.map((g) => g.group) ?? [];
    const head = table.createTHead().insertRow();
    const headings = ['kafka.partition', 'kafka.leader', 'kafka.isr', 'kafka.log-start', 'kafka.leo', 'kafka.hw'].map((key) => t(lang, key));
    for (const g of groups) headings.push(t(lang, 'kafka.group', { group: groupName.get(g) ?? `#${g}` }));
    for (const text of headings) {
      const th = document.createElement('th');
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    for (const p of topic.partitions) {
      const row = body.insertRow();
      row.dataset.partition = String(p.partition);
      const cells = [`P${p.partition}`, p.leader == null ? t(lang, 'kafka.offline') : `b${p.leader}`, `${p.isr.join(',') || '—'} / ${p.replicas.join(',')}`, formatCount(p.log_start, lang), formatCount(p.leo, lang), formatCount(p.hw, lang)];
      for (const g of p.groups) cells.push(`${g.committed == null ? '—' : formatCount(g.committed, lang)} / ${formatCount(g.lag, lang)}`);
      cells.forEach((text, i) => {
        const cell = row.insertCell();
        cell.textContent = text;
        if ((i === 1 && p.leader == null) || (i === 2 && p.isr.length < p.replicas.length)) cell.className = 'unstable';
      });
      p.groups.forEach((g, k) => {
        const cell = row.cells[6 + k];
        cell.dataset.committed = g.committed == null ? '' : String(g.committed);
        cell.dataset.lag = String(g.lag);
      });
      row.cells[4].dataset.value = String(p.leo);
      row.cells[5].dataset.value = String(p.hw);
    }
    return table;
  });
  $('partitions').replaceChildren(...tables);
}

// ---- live controls --------------------------------------------------------------

function scenarioObject() {
  return JSON.parse(state.session.sim.scenarioJson());
}

/** A producer's rate as last set: by a recorded command, else the scenario's. */
function currentRate(name, spec) {
  const set = state.session.commandLog().filter((c) => c.command.set_rate?.producer === name);
  if (set.length) return set.at(-1).command.set_rate.rate;
  const a = spec.arrivals;
  return a.constant?.rate ?? a.poisson?.rate ?? '';
}

function field(labelText, input) {
  const label = document.createElement('label');
  label.className = 'field';
  const span = document.createElement('span');
  span.textContent = labelText;
  label.append(span, input);
  return label;
}

function button(text, onClick, testid) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (testid) b.dataset.testid = testid;
  b.addEventListener('click', guarded(onClick));
  return b;
}

function numberInput(value, min, testid) {
  const input = document.createElement('input');
  input.type = 'number';
  input.min = String(min);
  input.step = 'any';
  input.value = String(value);
  input.dataset.testid = testid;
  return input;
}

/** Applies a live command and records it in the URL; a wrong one shows its error. */
function command(cmd) {
  clearError();
  state.session.command(cmd);
  state.view.setTopology(state.session.topology);
  markDirty();
  renderLive();
  renderAll(true);
  syncUrl();
}

function renderLive() {
  const lang = state.lang;
  const el = $('live');
  el.replaceChildren();
  const scenario = scenarioObject();
  const cluster = state.session.topology.nodes.find((n) => n.kind === 'topic');
  if (cluster) el.append(brokerRow(cluster.brokers));
  for (const node of state.session.topology.nodes) {
    const row = document.createElement('div');
    row.className = 'live-row';
    row.dataset.node = node.id;
    const name = document.createElement('strong');
    name.textContent = node.name;
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = t(lang, `node.${node.kind}`);
    row.append(name, kind);
    if (node.kind === 'producer') {
      const input = numberInput(currentRate(node.name, scenario.producers[node.index]), 0, `rate-${node.name}`);
      row.append(field(t(lang, 'live.rate'), input), button(t(lang, 'live.apply'), () => command({ set_rate: { producer: node.name, rate: Number(input.value) } }), `apply-rate-${node.name}`));
      if (node.acks) {
        const acks = select(['0', '1', 'all'], node.acks, `acks-${node.name}`, (value) => command({ set_acks: { producer: node.name, acks: value } }));
        row.append(field(t(lang, 'live.acks'), acks));
      }
    } else if (node.kind === 'topic') {
      row.append(button(t(lang, 'live.add-partition'), () => command({ add_partitions: { topic: node.name, partitions: node.partitions.length + 1 } }), `add-partition-${node.name}`));
    } else if (node.kind === 'consumer_group') {
      const running = node.members.filter((m) => m.running && !m.leaving).length;
      const minus = button('−', () => command({ set_consumers: { consumer: node.name, count: Math.max(0, running - 1) } }), `minus-${node.name}`);
      const plus = button('+', () => command({ set_consumers: { consumer: node.name, count: running + 1 } }), `plus-${node.name}`);
      minus.setAttribute('aria-label', `${node.name}: ${t(lang, 'live.members')} −1`);
      plus.setAttribute('aria-label', `${node.name}: ${t(lang, 'live.members')} +1`);
      const count = document.createElement('output');
      count.textContent = String(running);
      count.dataset.testid = `count-${node.name}`;
      const commit = select(['auto', 'after_processing', 'before_processing'], node.commit, `commit-${node.name}`, (value) => command({ set_commit: { consumer: node.name, commit: value } }), (v) => t(lang, `commit.${v}`));
      const line = document.createElement('div');
      line.className = 'live-line';
      line.append(minus, field(t(lang, 'live.members'), count), plus, field(t(lang, 'live.commit'), commit));
      row.append(line, instanceButtons(node.name, node.members.map((m) => ({ instance: m.instance, alive: m.running, slow: m.slow }))));
    } else if (node.kind === 'consumer') {
      const alive = node.instances.filter((i) => i.alive).length;
      const count = numberInput(alive, 0, `count-${node.name}`);
      count.step = '1';
      const minus = button('−', () => command({ set_consumers: { consumer: node.name, count: Math.max(0, alive - 1) } }), `minus-${node.name}`);
      const plus = button('+', () => command({ set_consumers: { consumer: node.name, count: alive + 1 } }), `plus-${node.name}`);
      minus.setAttribute('aria-label', `${node.name}: ${t(lang, 'live.instances')} −1`);
      plus.setAttribute('aria-label', `${node.name}: ${t(lang, 'live.instances')} +1`);
      count.addEventListener('change', guarded(() => command({ set_consumers: { consumer: node.name, count: Math.round(Number(count.value)) } })));
      const prefetch = numberInput(node.prefetch, 1, `prefetch-${node.name}`);
      prefetch.step = '1';
      const instances = instanceButtons(node.name, node.instances);
      const line = document.createElement('div');
      line.className = 'live-line';
      line.append(minus, field(t(lang, 'live.instances'), count), plus, field(t(lang, 'live.prefetch'), prefetch), button(t(lang, 'live.apply'), () => command({ set_prefetch: { consumer: node.name, prefetch: Math.round(Number(prefetch.value)) } }), `apply-prefetch-${node.name}`));
      row.append(line, instances);
    } else if (node.kind === 'service') {
      const b = node.live_outage
        ? button(t(lang, 'live.up'), () => command({ service_up: { service: node.name } }), `up-${node.name}`)
        : button(t(lang, 'live.down'), () => command({ service_down: { service: node.name } }), `down-${node.name}`);
      b.className = node.live_outage ? 'recover' : 'fault';
      row.append(b);
      if (node.down) kind.textContent += ` · ${t(lang, 'node.down')}`;
    } else {
      continue;
    }
    el.append(row);
  }
  renderCommandLog();
}

/** The Kafka cluster's brokers, each with a crash or restart button. */
function brokerRow(brokers) {
  const lang = state.lang;
  const row = document.createElement('div');
  row.className = 'live-row';
  row.dataset.node = 'kafka-cluster';
  const name = document.createElement('strong');
  name.textContent = t(lang, 'live.cluster');
  const box = document.createElement('div');
  box.className = 'instances';
  for (const b of brokers) {
    const action = b.alive ? 'crash_broker' : 'restart_broker';
    const el = button(t(lang, b.alive ? 'live.crash-broker' : 'live.restart-broker', { n: b.id }), () => command({ [action]: { broker: b.id } }), `${b.alive ? 'crash' : 'restart'}-broker-${b.id}`);
    el.className = b.alive ? 'fault' : 'recover';
    box.append(el);
  }
  row.append(name, box);
  return row;
}

/** Crash/restart and slow/normal buttons for each instance of a consumer (queue or Kafka group). */
function instanceButtons(consumer, instances) {
  const lang = state.lang;
  const box = document.createElement('div');
  box.className = 'instances';
  for (const inst of instances) {
    const action = inst.alive ? 'crash_consumer' : 'restart_consumer';
    const b = button(t(lang, inst.alive ? 'live.crash' : 'live.restart', { n: inst.instance }), () => command({ [action]: { consumer, instance: inst.instance } }), `${inst.alive ? 'crash' : 'restart'}-${consumer}-${inst.instance}`);
    b.className = inst.alive ? 'fault' : 'recover';
    box.append(b);
    if (!inst.alive) continue;
    const slow = inst.slow !== 1;
    const factor = slow ? 1 : SLOW_FACTOR;
    const s = button(t(lang, slow ? 'live.normal' : 'live.slow', { n: inst.instance }), () => command({ slow_consumer: { consumer, instance: inst.instance, factor } }), `${slow ? 'normal' : 'slow'}-${consumer}-${inst.instance}`);
    s.className = slow ? 'recover' : 'fault';
    box.append(s);
  }
  return box;
}

function select(values, current, testid, onChange, label = (v) => v) {
  const el = document.createElement('select');
  el.dataset.testid = testid;
  for (const v of values) {
    const option = document.createElement('option');
    option.value = v;
    option.textContent = label(v);
    option.selected = v === current;
    el.append(option);
  }
  el.addEventListener('change', guarded(() => onChange(el.value)));
  return el;
}

/** Keeps instance and service buttons in step with the run (faults in the scenario change them too). */
function renderLiveState() {
  const shape = JSON.stringify(
    state.session.topology.nodes.map((n) => [n.id, n.instances?.map((i) => [i.alive, i.slow]), n.down, n.live_outage, n.acks, n.commit, n.members?.map((m) => [m.running && !m.leaving, m.slow]), n.brokers?.map((b) => b.alive), n.partitions?.length]),
  );
  if (shape !== state.liveShape) {
    state.liveShape = shape;
    renderLive();
  }
}

function renderCommandLog() {
  const list = $('command-log');
  list.replaceChildren();
  const log = state.session.commandLog();
  const applied = state.session.sim.commandsApplied;
  if (log.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = t(state.lang, 'live.log-empty');
    list.append(li);
    return;
  }
  log.forEach((entry, i) => {
    const li = document.createElement('li');
    li.textContent = `${entry.at} — ${describeCommand(state.lang, entry.command)}`;
    if (i >= applied) li.className = 'pending';
    list.append(li);
  });
}

// ---- event log --------------------------------------------------------------------

function kindInfo(k) {
  return state.session.topology.events[k];
}

function whereName(entry) {
  const info = kindInfo(entry.kind);
  const topo = state.session.topology;
  if (info.at === 'queue') return topo.nodes.find((n) => n.kind === 'queue' && n.index === entry.node)?.name ?? `#${entry.node}`;
  if (info.at === 'partition') {
    for (const n of topo.nodes) {
      const p = n.kind === 'topic' && n.partitions.find((q) => q.index === entry.node);
      if (p) return `${n.name}-${p.partition}`;
    }
  }
  if (info.at === 'member') {
    for (const n of topo.nodes) {
      const m = n.kind === 'consumer_group' && n.members.find((q) => q.index === entry.node);
      if (m) return `${n.name}#${m.instance}`;
    }
  }
  if (info.at === 'group') return topo.nodes.find((n) => n.kind === 'consumer_group' && n.index === entry.node)?.name ?? `#${entry.node}`;
  if (info.at === 'kafka_producer') return topo.nodes.find((n) => n.kind === 'producer' && n.kafka_index === entry.node)?.name ?? `#${entry.node}`;
  if (info.at === 'broker') return `broker ${entry.node}`;
  if (info.at !== 'consumer') return `#${entry.node}`;
  for (const n of topo.nodes) {
    if (n.kind !== 'consumer') continue;
    const inst = n.instances.find((i) => i.index === entry.node);
    if (inst) return `${n.name}#${inst.instance}`;
  }
  return `#${entry.node}`;
}

function logMatches(entry, filter, search) {
  const info = kindInfo(entry.kind);
  if (filter === 'messages' && !info.message) return false;
  if (filter === 'faults' && info.message) return false;
  if (!search) return true;
  return (info.message && String(entry.msg) === search) || whereName(entry).includes(search) || info.kind.includes(search);
}

function renderLog() {
  const filter = $('log-filter').value;
  const search = $('log-search').value.trim();
  const limit = state.running ? LOG_ROWS_RUNNING : LOG_ROWS;
  const rows = [];
  const commands = filter === 'messages' ? [] : state.session.commandLog().slice(0, state.session.sim.commandsApplied);
  for (let i = state.log.length - 1; i >= 0 && rows.length < limit; i--) {
    const entry = state.log[i];
    if (logMatches(entry, filter, search)) rows.push(entry);
  }
  for (const c of commands) {
    const text = describeCommand(state.lang, c.command);
    if (!search || text.includes(search)) rows.push({ t: parseDurationMs(c.at), text });
  }
  rows.sort((a, b) => b.t - a.t);
  // The rows are kept and only their text changes: rebuilding two hundred rows
  // a few times a second cost a long run most of its frame time in layout.
  const body = $('log').tBodies[0];
  const shown = rows.slice(0, limit);
  shown.forEach((entry, i) => {
    const row = body.rows[i] ?? body.insertRow();
    while (row.cells.length < 4) row.insertCell();
    const [time, kind, msg, where] = row.cells;
    setText(time, formatSeconds(entry.t));
    if (entry.text) {
      setClass(row, 'action');
      setText(kind, t(state.lang, 'log.action'));
      setText(msg, '');
      setText(where, entry.text);
      return;
    }
    const info = kindInfo(entry.kind);
    setClass(row, info.message ? `kind-${info.kind}` : 'fault');
    setText(kind, t(state.lang, `kind.${info.kind}`));
    setText(where, whereName(entry));
    if (!info.message) {
      setText(msg, '–');
      return;
    }
    let link = msg.firstElementChild;
    if (!link) {
      link = document.createElement('button');
      link.type = 'button';
      link.className = 'link';
      msg.replaceChildren(link);
    }
    link.dataset.msg = String(entry.msg);
    setText(link, `#${entry.msg}`);
  });
  while (body.rows.length > shown.length) body.deleteRow(-1);
  $('log-count').textContent = t(state.lang, 'log.showing', { shown: formatCount(shown.length, state.lang), total: formatCount(state.log.length, state.lang) });
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setClass(el, name) {
  if (el.className !== name) el.className = name;
}

/** "5.2s" → 5200 (a command's time, for ordering log rows). */
function parseDurationMs(text) {
  const m = /^([\d.]+)(ns|us|ms|s|m|h|d)$/.exec(text);
  if (!m) return 0;
  const scale = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[m[2]];
  return Number(m[1]) * scale;
}

// ---- inspector ----------------------------------------------------------------------

function inspect(id) {
  if (id == null || !Number.isFinite(id) || id < 0) return;
  state.inspected = id;
  state.view.selected = id;
  state.session.sim.watchMessage(id);
  $('inspect-id').value = String(id);
  renderInspector();
  markDirty();
}

function renderInspector() {
  const id = state.inspected;
  const el = $('inspector');
  const lang = state.lang;
  if (id == null) return;
  const life = state.session.sim.messageLife(id);
  const parts = [];
  const title = document.createElement('h3');
  title.textContent = `#${id}`;
  parts.push(title);
  if (life.live) {
    const v = life.live;
    const dl = document.createElement('dl');
    dl.className = 'facts';
    const fact = (key, value) => {
      if (value == null || value === '') return;
      const dt = document.createElement('dt');
      dt.textContent = t(lang, `inspector.${key}`);
      const dd = document.createElement('dd');
      dd.textContent = value;
      dl.append(dt, dd);
    };
    fact('state', t(lang, `state.${v.state}`));
    fact('queue', v.queue);
    fact('position', v.position == null ? null : formatCount(v.position, lang));
    fact('holder', v.holder);
    fact('deliveries', String(v.deliveries));
    fact('born', formatSeconds(v.born_ms));
    fact('producer', v.producer);
    fact('key', String(v.key));
    if (v.poison) fact('poison', '✓');
    parts.push(dl);
  } else {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = t(lang, 'inspector.gone');
    parts.push(p);
  }
  // Its life: events kept in the log from before it was watched, then those recorded since.
  const known = new Map();
  for (const e of state.log) {
    const info = kindInfo(e.kind);
    if (info.message && e.msg === id) known.set(`${e.t}/${info.kind}`, { t: e.t, kind: info.kind, where: whereName(e) });
  }
  // The table is indexed by kind code; codes no kind uses are null.
  const kindIndex = new Map(state.session.topology.events.flatMap((e, i) => (e ? [[e.kind, i]] : [])));
  for (const e of life.events) {
    const t_ms = e.t / 1e6;
    known.set(`${t_ms}/${e.kind}`, { t: t_ms, kind: e.kind, where: whereName({ kind: kindIndex.get(e.kind), node: e.node }) });
  }
  const history = [...known.values()].sort((a, b) => a.t - b.t);
  const h = document.createElement('h4');
  h.textContent = t(lang, 'inspector.history');
  parts.push(h);
  const ol = document.createElement('ol');
  ol.className = 'history';
  ol.dataset.testid = 'history';
  for (const e of history) {
    const li = document.createElement('li');
    li.dataset.kind = e.kind;
    li.textContent = `${formatSeconds(e.t)} · ${t(lang, `kind.${e.kind}`)} · ${e.where}`;
    ol.append(li);
  }
  parts.push(ol);
  if (life.watched) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = t(lang, 'inspector.watching');
    parts.push(p);
  }
  el.replaceChildren(...parts);
}

// ---- sharing and export ----------------------------------------------------------------

async function shareUrl() {
  const hash = await encodeShare({ ...state.session.shareState(), lang: state.lang });
  return `${location.origin}${location.pathname}${hash}`;
}

function syncUrl() {
  if (!state.session) return;
  shareUrl()
    .then((url) => history.replaceState(null, '', url))
    .catch(showError);
}

async function copyShareLink() {
  const url = await shareUrl();
  history.replaceState(null, '', url);
  try {
    await navigator.clipboard.writeText(url);
    flashButton($('share'), t(state.lang, 'controls.shared'));
  } catch {
    // No clipboard (an insecure context, or permission refused): the address bar has the link.
    flashButton($('share'), url.length > 60 ? `${url.slice(0, 57)}…` : url);
  }
}

function flashButton(b, text) {
  const before = b.textContent;
  b.textContent = text;
  setTimeout(() => (b.textContent = before), 1600);
}

function exportScenario() {
  const text = state.session.sim.scenarioJson();
  download(`${scenarioName()}.json`, new Blob([text], { type: 'application/json' }));
}

function exportCsv() {
  download(`${scenarioName()}-series.csv`, new Blob([state.session.sim.seriesCsv()], { type: 'text/csv' }));
}

// ---- scenario editor --------------------------------------------------------------------

function openEditor() {
  // A preset opens as the engine reads it, every default written out, so
  // that the editor shows each knob there is; a custom scenario as it was written.
  const { preset, json } = state.session.source;
  const text = preset ? state.session.sim.scenarioJson() : json;
  $('editor-text').value = text;
  $('editor').showModal();
  checkEditor();
  $('editor-text').focus();
}

function editorLineHeight() {
  return parseFloat(getComputedStyle($('editor-text')).lineHeight) || 18;
}

function checkEditor() {
  const text = $('editor-text').value;
  const lines = text.split('\n').length;
  const problem = state.api.scenarioProblem(text);
  const line = problem ? problem.line ?? (problem.path ? lineOfPath(text, problem.path) : null) : null;
  $('editor-gutter').textContent = Array.from({ length: lines }, (_, i) => (i + 1 === line ? `⚠ ${i + 1}` : String(i + 1))).join('\n');
  $('editor-problem').textContent = problem ? (line ? `${t(state.lang, 'editor.line', { line })}: ${problem.message}` : problem.message) : t(state.lang, 'editor.valid');
  $('editor-problem').classList.toggle('bad', Boolean(problem));
  $('editor-apply').disabled = Boolean(problem);
  const mark = $('editor-mark');
  const bubble = $('editor-bubble');
  mark.hidden = bubble.hidden = !line;
  if (line) {
    const top = 8 + (line - 1) * editorLineHeight() - $('editor-text').scrollTop;
    mark.style.top = `${top}px`;
    bubble.style.top = `${top + editorLineHeight()}px`;
    bubble.textContent = problem.message;
  }
  bubble.dataset.line = line ?? '';
}

function syncEditorScroll() {
  $('editor-gutter').scrollTop = $('editor-text').scrollTop;
  checkEditor();
}

function applyEditor() {
  const text = $('editor-text').value;
  if (state.api.scenarioProblem(text)) return;
  $('editor').close();
  return load({ json: text });
}

async function loadFile(file) {
  const text = await file.text();
  $('editor-text').value = text;
  if (!$('editor').open) $('editor').showModal();
  checkEditor();
}

// ---- wiring -----------------------------------------------------------------------------

function speedLabel(index) {
  const speed = SPEEDS[index];
  return speed === Infinity ? t(state.lang, 'controls.speed-max') : `${speed}×`;
}

function setSpeed(index) {
  state.speedIndex = Math.max(0, Math.min(SPEEDS.length - 1, index));
  $('speed').value = String(state.speedIndex);
  $('speed-value').textContent = speedLabel(state.speedIndex);
  $('speed').setAttribute('aria-valuetext', speedLabel(state.speedIndex));
}

function togglePlay() {
  if (state.running) stop();
  else start();
}

function stepOnce() {
  stop();
  state.session.step();
  state.nudge = STEP_NUDGE_MS;
  markDirty();
}

function runTo() {
  const seconds = Number($('run-to-time').value);
  if (!Number.isFinite(seconds) || seconds * 1000 <= state.session.nowMs) return;
  start({ runTo: seconds * 1000 });
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || $('editor').open) return;
  const tag = e.target.tagName;
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag)) return;
  if (tag === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
  const actions = {
    ' ': togglePlay,
    s: stepOnce,
    r: () => reset(),
    '[': () => setSpeed(state.speedIndex - 1),
    ']': () => setSpeed(state.speedIndex + 1),
  };
  const action = actions[e.key.toLowerCase?.() ?? e.key] ?? actions[e.key];
  if (!action || !state.session) return;
  e.preventDefault();
  guarded(action)();
}

function onCanvasClick(e) {
  const rect = e.target.getBoundingClientRect();
  const id = state.view.hit(e.clientX - rect.left, e.clientY - rect.top);
  if (id != null) inspect(id);
}

function wire() {
  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => applyLanguage(b.dataset.lang));
  for (const b of document.querySelectorAll('[data-colour]')) {
    b.addEventListener('click', () => {
      state.view.colourBy = b.dataset.colour;
      for (const other of document.querySelectorAll('[data-colour]')) other.setAttribute('aria-pressed', String(other === b));
    });
  }
  $('preset').addEventListener('change', guarded((e) => e.target.value && load({ preset: e.target.value })));
  $('play').addEventListener('click', guarded(togglePlay));
  $('step').addEventListener('click', guarded(stepOnce));
  $('run-to').addEventListener('click', guarded(runTo));
  $('run-to-time').addEventListener('keydown', (e) => e.key === 'Enter' && guarded(runTo)());
  $('run-to-end').addEventListener('click', guarded(() => start({ toEnd: true })));
  $('reset').addEventListener('click', guarded(() => reset()));
  $('speed').max = String(SPEEDS.length - 1);
  $('speed').addEventListener('input', (e) => setSpeed(Number(e.target.value)));
  $('seed').addEventListener('change', guarded((e) => reset(Math.max(0, Math.floor(Number(e.target.value) || 0)))));
  $('new-seed').addEventListener('click', guarded(() => reset(state.api.randomSeed())));
  $('share').addEventListener('click', guarded(copyShareLink));
  $('edit').addEventListener('click', guarded(openEditor));
  $('file').addEventListener('change', guarded((e) => e.target.files[0] && loadFile(e.target.files[0])));
  $('file-label').addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), $('file').click()));
  $('export-json').addEventListener('click', guarded(exportScenario));
  $('export-csv').addEventListener('click', guarded(exportCsv));
  $('editor-text').addEventListener('input', () => {
    clearTimeout(state.editorTimer);
    state.editorTimer = setTimeout(guarded(checkEditor), EDITOR_DEBOUNCE_MS);
  });
  $('editor-text').addEventListener('scroll', syncEditorScroll);
  $('editor-apply').addEventListener('click', guarded(applyEditor));
  $('inspect-form').addEventListener('submit', (e) => {
    e.preventDefault();
    guarded(inspect)(Number($('inspect-id').value));
  });
  $('follow-next').addEventListener('click', guarded(() => inspect(state.session.summary().produced)));
  $('log-filter').addEventListener('change', () => renderLog());
  $('log-search').addEventListener('input', () => renderLog());
  $('log').tBodies[0].addEventListener('click', (e) => {
    const link = e.target.closest('button.link');
    if (link) guarded(inspect)(Number(link.dataset.msg));
  });
  $('flow').addEventListener('click', onCanvasClick);
  document.addEventListener('keydown', onKey);
  window.addEventListener('resize', () => {
    for (const chart of state.charts) chart.resize();
    markDirty();
  });
  window.addEventListener('error', (e) => showError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));
}

async function main() {
  const shared = await decodeShare(location.hash).catch(() => null);
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_LANG);
  } catch {
    stored = null;
  }
  const lang = detectLang(shared?.lang ?? stored ?? undefined);
  applyLanguage(LANGS.includes(lang) ? lang : 'en');
  wire();
  setSpeed(state.speedIndex);
  state.api = await loadWasm();
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  state.view = new FlowView($('flow'), { lang: state.lang, reducedMotion: reducedMotion.matches, autoHeight: FLOW_HEIGHT });
  reducedMotion.addEventListener('change', (e) => (state.view.reducedMotion = e.matches));
  fillPresets();
  renderLegend();
  $('preset').disabled = false;
  const presetNames = state.api.presets().map((p) => p.name);
  if (shared?.preset || shared?.json) {
    const source = shared.preset ? { preset: shared.preset, seed: shared.seed } : { json: shared.json, seed: shared.seed };
    await load(source, shared.log);
  } else {
    await load({ preset: presetNames.includes(DEFAULT_PRESET) ? DEFAULT_PRESET : presetNames[0] });
  }
  joinFrameLoop(pageClient);
  document.body.dataset.ready = 'true';
}

main().catch(showError);
