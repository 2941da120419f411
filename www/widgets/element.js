// The widget element: <mq-sim scenario="…"> and, through the DEMOS table,
// every demo element. It owns one simulation (a Session) and shows it as a
// diagram, counters, figures and charts; the page's shared frame loop drives
// it while it is visible. It reports through bubbling, composed events:
// mq-ready, mq-tick, mq-finished, mq-error, mq-message.
//
// Importing this module touches no DOM, fetches nothing and compiles no
// wasm (so a bundler or a server-side renderer can import it): the shadow
// DOM is built, and the simulator loaded, when the element is connected.
import { FlowView } from '../lib/flow-view.js';
import { formatMs } from '../lib/format.js';
import * as loop from '../lib/frame-loop.js';
import { presetText } from '../lib/i18n.js';
import { Session } from '../lib/session.js';
import { AssetError, loadWasm } from '../lib/wasm.js';
import { WidgetAttributes } from './attributes.js';
import { renderActions, renderBar, speedOf } from './controls.js';
import { renderCounters } from './counters.js';
import { genericDemo } from './demos.js';
import { emit } from './dom.js';
import { renderFigures } from './figures.js';
import { WidgetMarkers } from './markers.js';
import { Plots } from './plots.js';
import { renderTable } from './table.js';
import { TEMPLATE } from './template.js';
import { themeOf, unwatchTheme, watchTheme } from './theme.js';
import { wt } from './strings.js';

const MAX_AUTO_HEIGHT = 560; // a tall topology (the comparison) grows the diagram up to this
const TICK_EVENT_MS = 250; // how often mq-tick fires while running
const SLOW_UI_MS = 200; // charts, the text alternative, action buttons
const COUNTER_UI_MS = 100; // counters: fast enough to read, without a layout every frame

/**
 * The generic widget: `<mq-sim scenario="peak-shaving">` (a preset name, a URL or inline JSON).
 * The tags below are read by @custom-elements-manifest/analyzer (scripts/build-package.mjs).
 *
 * @fires {CustomEvent<{scenario: string, preset: string | null, seed: number}>} mq-ready - The scenario is loaded and drawn.
 * @fires {CustomEvent<{nowMs: number, endMs: number, published: number, processed: number, backlog: number}>} mq-tick - About four times a second while running.
 * @fires {CustomEvent<{summary: object}>} mq-finished - The run reached its end; `summary.trace_hash` equals `mqsim run`'s.
 * @fires {CustomEvent<{message: string, path: string | null}>} mq-error - Loading failed: a file missing, a scenario refused (with its JSON path).
 * @fires {CustomEvent<{id: number, life: object}>} mq-message - The reader clicked a message in the diagram.
 * @csspart frame - The card around everything.
 * @csspart header - Title and simulated time.
 * @csspart description - The scenario's or demo's text.
 * @csspart diagram - The topology and message-flow canvas.
 * @csspart counters - The counters under the diagram.
 * @csspart figures - The queueing-theory figures.
 * @csspart table - The comparison table.
 * @csspart chart - The charts' box.
 * @csspart controls - The control bar.
 * @cssprop --mq-bg - The card's background (light and dark defaults).
 * @cssprop --mq-fg - Text colour.
 * @cssprop --mq-muted - Secondary text.
 * @cssprop --mq-border - The card's border.
 * @cssprop --mq-accent - Buttons, progress and links.
 * @cssprop --mq-on-accent - Text on the accent colour.
 * @cssprop --mq-diagram-bg - The diagram's ground (stays light in dark mode).
 * @cssprop --mq-figure-bg - The charts' ground in dark mode.
 * @cssprop --mq-font - The font family.
 */
export class MqSimElement extends WidgetAttributes {
  /** Registers the element under `tag` unless something already is. */
  static define(tag = 'mq-sim', registry = globalThis.customElements) {
    if (registry && !registry.get(tag)) registry.define(tag, this);
    return this;
  }

  constructor() {
    super();
    this.session = null;
    this.view = null;
    this.plots = null;
    this.config = null;
    this.running = false;
    this.visible = true;
    this.started = false; // connected and upgraded: attribute changes now reload
    this.finishedSent = false;
    this.generation = 0;
    this.lastTick = 0;
    this.lastSlowUi = 0;
    this.lastCounters = 0;
    this.$ = (selector) => this.shadowRoot.querySelector(selector);
  }

  /** The live simulation's summary (null before it is ready). */
  get summary() {
    return this.session?.summary() ?? null;
  }

  // ---- lifecycle ----

  connectedCallback() {
    if (!this.shadowRoot) this.build();
    this.upgradeProperties();
    this.observer = new IntersectionObserver((entries) => this.onVisibility(entries.at(-1).isIntersecting));
    this.observer.observe(this);
    this.motion = matchMedia('(prefers-reduced-motion: reduce)');
    this.sizeCanvas();
    watchTheme(this);
    // Attribute changes from here on reload; those of the upgrade itself do not (one load, not two).
    this.started = true;
    this.load();
  }

  disconnectedCallback() {
    this.started = false;
    unwatchTheme(this);
    this.observer?.disconnect();
    loop.leave(this);
    this.running = false;
    this.plots?.destroy();
    this.plots = null;
    this.session?.free();
    this.session = null;
    this.generation++;
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.started) return;
    if (name === 'scenario' || name === 'seed') this.load();
    else if (name === 'height') {
      this.sizeCanvas();
      if (this.view) this.view.layoutSize = null;
      this.view?.resize();
    } else if (name === 'lang') this.renderTexts();
    else if (name === 'theme') this.applyTheme();
    else renderBar(this);
  }

  build() {
    this.attachShadow({ mode: 'open' }).innerHTML = TEMPLATE;
    this.$('.play').addEventListener('click', () => (this.running ? this.pause() : this.play()));
    this.$('.reset').addEventListener('click', () => this.reset());
    this.$('.speed').addEventListener('change', (e) => (this.speed = speedOf(e.target.value)));
    this.$('canvas').addEventListener('click', (e) => this.onCanvasClick(e));
  }

  /** Light or dark, as the `theme` attribute or the page says (theme.js). */
  applyTheme() {
    this.$('.frame').classList.toggle('dark', themeOf(this) === 'dark');
  }

  sizeCanvas() {
    this.$('canvas').style.height = `${this.height}px`;
  }

  // ---- loading ----

  /** Resolves the scenario: a preset name, a URL to a JSON file, or inline JSON. */
  async source(api) {
    const presets = api.presets();
    const names = presets.map((p) => p.name);
    const demo = this.demo;
    const wanted = this.scenario.trim() || demo?.presets.find((name) => names.includes(name)) || (demo ? '' : 'peak-shaving');
    if (!wanted) throw new WidgetError('widget.missing', { presets: demo.presets.join(', ') });
    if (names.includes(wanted)) {
      const description = presets.find((p) => p.name === wanted).description ?? '';
      return { preset: wanted, json: await api.presetJson(wanted), description };
    }
    if (wanted.startsWith('{')) return { json: wanted };
    // Relative to the page, as a link is: under a site's base path, give the URL with its base (withBase, useBaseUrl).
    const url = new URL(wanted, document.baseURI).href;
    let response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new WidgetError('widget.no-scenario', { url, reason: err.message });
    }
    if (!response.ok) throw new WidgetError('widget.no-scenario', { url, reason: `HTTP ${response.status}` });
    return { json: await response.text() };
  }

  async load() {
    const generation = ++this.generation;
    this.pause();
    try {
      const api = await loadWasm();
      const source = await this.source(api);
      if (generation !== this.generation) return; // a newer load started meanwhile
      this.session?.free();
      this.session = null;
      this.$('.frame').classList.remove('failed');
      this.$('.error').hidden = true;
      if (this.seed != null) source.seed = this.seed;
      this.failure = null;
      try {
        // A source may bring live commands to replay (a lesson step's).
        this.session = new Session(api, source, source.log ?? []);
      } catch (err) {
        throw invalidScenario(err);
      }
      this.markers = new WidgetMarkers(this.session);
      this.description = source.description ?? scenarioDescription(source.json);
      const names = Object.keys(this.session.sim.series(0));
      const watchEn = source.preset ? presetText('en', source.preset, this.description).watch : this.description;
      this.config = this.demo ?? genericDemo(names, this.session.summary(), (name) => watchEn.includes(`“${name}”`));
      this.view ??= new FlowView(this.$('canvas'), {
        lang: this.lang,
        reducedMotion: this.motion.matches,
        autoHeight: this.hasAttribute('height') ? null : [this.height, MAX_AUTO_HEIGHT],
      });
      this.view.clear();
      this.view.setTopology(this.session.topology);
      // Narrower than its columns need even drawn smaller (a phone), the diagram scrolls sideways rather than overlap its nodes.
      this.$('canvas').style.minWidth = `${this.view.narrowest}px`;
      this.finishedSent = false;
      this.renderTexts();
      this.dirty = true; // one frame to draw what the first render could not (the canvas's size)
      loop.join(this);
      emit(this, 'mq-ready', { scenario: this.session.summary().scenario, preset: source.preset ?? null, seed: this.session.source.seed });
      if (this.autoplay && !this.motion.matches) this.play();
    } catch (err) {
      if (generation === this.generation) this.fail(err instanceof AssetError ? assetFailure(err) : err);
    }
  }

  /** Shows the error in place of the widget's body, and reports it. */
  fail(err) {
    this.failure = err;
    this.pause();
    loop.leave(this);
    this.$('.frame').classList.add('failed');
    const message = this.renderFailure();
    emit(this, 'mq-error', { message, path: err.path ?? null });
  }

  /** The error's message, in the widget's language when it is the widget's own. */
  renderFailure() {
    const err = this.failure;
    const message = err instanceof WidgetError ? wt(this.lang, err.key, err.params) : err instanceof Error ? err.message : String(err);
    const box = this.$('.error');
    box.textContent = message;
    box.hidden = false;
    this.$('.title').textContent = this.demo?.title[this.lang] ?? '';
    this.$('.watch').textContent = ''; // a text about what is not shown would mislead
    return message;
  }

  // ---- playing ----

  play() {
    if (!this.session || this.session.finished) return;
    this.running = true;
    if (this.view) this.view.playing = this.visible;
    renderBar(this);
    loop.wake();
  }

  pause() {
    this.running = false;
    if (this.view) this.view.playing = false;
    if (this.shadowRoot) renderBar(this);
  }

  reset() {
    if (!this.session) return;
    this.pause();
    this.session.reset();
    this.markers = new WidgetMarkers(this.session);
    this.view.clear();
    this.view.setTopology(this.session.topology);
    this.finishedSent = false;
    this.buildPlots();
    this.render(true);
  }

  /** Runs to the next thing that happens. */
  step() {
    this.pause();
    if (!this.session) return;
    this.session.step();
    this.session.refreshTopology();
    this.view.setTopology(this.session.topology);
    this.dirty = true; // the next frame takes the step's events into the diagram
    loop.wake();
    this.render(true);
  }

  /** Applies a live command (refused in locked mode). */
  command(cmd) {
    if (this.locked) throw new Error('this widget is locked (play only)');
    this.session.command(cmd);
    this.view.setTopology(this.session.topology);
    renderBar(this);
    this.render(true);
  }

  onVisibility(visible) {
    this.visible = visible;
    if (this.view) this.view.playing = this.running && visible;
    if (visible) loop.wake();
  }

  /** For the frame loop: off-screen widgets neither run nor draw; they resume where they were. */
  wantsFrame() {
    return Boolean(this.session && this.visible && this.isConnected && (this.running || this.view.particles.length || this.dirty));
  }

  /** One animation frame, after the shared loop advanced the session: take in what happened, then draw. */
  frame(now, gap, tick) {
    const s = this.session;
    // The topology of this instant before anything is drawn, so that the diagram, the
    // counters and the table agree (a whole run can fit in one frame at max speed).
    s.refreshTopology();
    this.view.setTopology(s.topology);
    if (this.running && s.finished) this.finish();
    const columns = s.drain();
    if (columns.length || tick.simElapsedMs) this.view.ingest(columns, tick.simElapsedMs);
    this.dirty = false;
    this.render(false, now, gap);
  }

  finish() {
    this.pause();
    this.view.playing = this.visible; // let the last messages finish their hops
    if (this.finishedSent) return;
    this.finishedSent = true;
    this.render(true);
    emit(this, 'mq-finished', { summary: this.session.summary() });
  }

  // ---- rendering ----

  buildPlots() {
    this.plots?.destroy();
    const names = Object.keys(this.session.sim.series(0));
    this.session.columns = null; // the new charts start from the first sample
    const lang = this.lang;
    this.plots = new Plots(this.$('.charts'), this.config.charts, names, { lang, endMs: this.session.endMs, markers: () => this.markers?.forCharts(lang) ?? [] });
  }

  render(force, now = performance.now(), gap = 0) {
    const s = this.session;
    if (!s) return;
    const summary = s.summary();
    const lang = this.lang;
    this.view.setSummary(summary);
    this.view.draw(gap);
    if (force || now - this.lastCounters > COUNTER_UI_MS) {
      this.lastCounters = now;
      renderCounters(this.$('.counters'), this.config.counters, summary, lang);
      if (this.config.figures) renderFigures(this.$('.figures'), this.config.figures, summary, lang);
      renderTable(this.$('.compare'), this.config.table, summary, s.topology, lang);
      this.$('progress').value = s.endMs ? s.nowMs / s.endMs : 0;
      this.$('.status').textContent = `${formatMs(s.nowMs)} / ${formatMs(s.endMs)}`;
    }
    if (force || now - this.lastSlowUi > SLOW_UI_MS) {
      this.lastSlowUi = now;
      const marked = this.markers.pull();
      if (s.pullSeries() || force) this.plots.update(s.columns);
      else if (marked) this.plots.redraw();
      this.$('.alt').textContent = this.view.describe();
      renderActions(this);
    }
    if (this.running && now - this.lastTick > TICK_EVENT_MS) {
      this.lastTick = now;
      emit(this, 'mq-tick', {
        nowMs: s.nowMs,
        endMs: s.endMs,
        published: summary.published,
        processed: summary.states.processed,
        backlog: summary.states.stored + summary.states.in_flight,
      });
    }
  }

  /** Everything that depends on the language: texts, charts (their labels), the bar. */
  renderTexts() {
    const lang = this.lang;
    const demo = this.demo;
    if (this.failure) return this.renderFailure();
    if (this.view) this.view.lang = lang;
    const preset = this.session?.source.preset;
    const text = preset ? presetText(lang, preset, this.description) : { title: this.session?.summary().scenario ?? '', watch: this.description ?? '' };
    this.$('.title').textContent = demo?.title[lang] ?? text.title;
    this.$('.watch').textContent = demo?.text[lang] ?? text.watch;
    this.$('canvas').setAttribute('aria-label', wt(lang, 'widget.diagram', { title: this.$('.title').textContent }));
    if (this.session) {
      this.buildPlots();
      this.render(true);
    }
    renderBar(this);
  }

  onCanvasClick(e) {
    const rect = e.target.getBoundingClientRect();
    const id = this.view?.hit(e.clientX - rect.left, e.clientY - rect.top);
    if (id == null) return;
    this.view.selected = id;
    emit(this, 'mq-message', { id, life: this.session.sim.messageLife(id) });
  }
}

/** A failure the widget itself explains: its message is a widget string, shown in the widget's language. */
class WidgetError extends Error {
  constructor(key, params, path) {
    super(wt('en', key, params));
    this.key = key;
    this.params = params;
    this.path = path;
  }
}

/** A file the simulator needs, missing or unreachable: which one, where, and what to check. */
function assetFailure(err) {
  const key = err.kind === 'preset' ? 'widget.no-preset' : 'widget.no-wasm';
  return new WidgetError(key, { url: err.url, reason: err.reason });
}

/**
 * The simulator's refusal of a scenario, with the JSON path it names
 * (src/scenario/error.rs writes "scenario at `path`: …"; a syntax error has no path).
 */
function invalidScenario(err) {
  const message = err instanceof Error ? err.message : String(err);
  const path = /^scenario at `([^`]*)`/.exec(message)?.[1] ?? null;
  return new WidgetError('widget.invalid', { message }, path);
}

/** A scenario's own description (a URL's or inline JSON's), shown as its text. */
function scenarioDescription(json) {
  try {
    const description = JSON.parse(json).description;
    return typeof description === 'string' ? description : '';
  } catch {
    return ''; // the simulator reports the broken JSON with its path
  }
}

/** A demo element: its preset, counters, charts and actions come from the DEMOS table. */
export class MqDemoElement extends MqSimElement {}
