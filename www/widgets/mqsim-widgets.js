// mqsim's embeddable widgets: standard custom elements, one per demo of the
// design documents plus a generic <mq-sim>. One module include is enough:
//
//   <script type="module" src="https://example.org/mqsim/www/widgets/mqsim-widgets.js"></script>
//   <mq-peak-shaving-demo controls></mq-peak-shaving-demo>
//
// Everything else (the wasm, uPlot, styles) is loaded relative to this
// file's own URL. All elements on a page share one wasm module; each has its
// own simulation, pauses while off-screen, and reports through bubbling,
// composed events: mq-ready, mq-tick, mq-finished, mq-error.
import { Chart } from '../lib/charts.js';
import { FlowView } from '../lib/flow-view.js';
import { formatCount, formatMs } from '../lib/format.js';
import { detectLang, presetText, t } from '../lib/i18n.js';
import { FRAME_BUDGET_MS, Session } from '../lib/session.js';
import { encodeShare } from '../lib/share.js';
import { loadWasm } from '../lib/wasm.js';

const WIDGET_CSS = new URL('./widget.css', import.meta.url).href;
const UPLOT_CSS = new URL('../vendor/uPlot.min.css', import.meta.url).href;
const FULL_SIMULATOR = new URL('../../index.html', import.meta.url).href;
const DEFAULT_HEIGHT = 240; // CSS px of the diagram
const CHART_HEIGHT = 170;
const TICK_EVENT_MS = 250; // how often mq-tick fires while running
const SLOW_UI_MS = 200;
const COUNTER_UI_MS = 100; // counters: fast enough to read, without a layout every frame
const MAX_FRAME_GAP_MS = 100;
const WIDGET_SPEEDS = [0.1, 0.5, 1, 2, 5, 10, 50, 200, Infinity];

/**
 * Which preset each demo element shows, with its default speed, chart and
 * live actions. `presets` lists candidates in order of preference: the first
 * one bundled (www/pkg/presets/) wins, so a demo moves to a better preset (say one from
 * the AMQP or Kafka model) by adding its name in front. A demo with no
 * available preset shows an honest "coming with the … model" note.
 */
export const DEMOS = {
  'mq-architecture-demo': {
    presets: ['order-decoupling'],
    speed: 5,
    chart: 'response',
    actions: ['service'],
    title: { en: 'Message queue architecture: the order system', zh: '消息队列架构：订单系统' },
  },
  'mq-producer-consumer-demo': {
    presets: ['mmc-erlang-c'],
    speed: 1,
    chart: 'depth',
    actions: ['rate', 'consumers'],
    title: { en: 'Producers, a queue and competing consumers', zh: '生产者、队列与竞争消费者' },
  },
  'mq-decoupling-demo': {
    presets: ['order-decoupling'],
    speed: 5,
    chart: 'depth',
    actions: ['service'],
    title: { en: 'Decoupling: a service down, the orders still taken', zh: '系统解耦：服务宕机，订单照常接收' },
  },
  'mq-peak-shaving-demo': {
    presets: ['peak-shaving'],
    speed: 10,
    chart: 'depth',
    actions: ['consumers'],
    title: { en: 'Peak shaving: 100,000 orders in one second', zh: '削峰填谷：一秒涌入 100,000 个订单' },
  },
  'mq-reliability-demo': {
    presets: ['consumer-crash-manual-ack'],
    speed: 2,
    chart: 'outcomes',
    actions: ['crash'],
    title: { en: 'Reliability: a consumer crash with manual acks', zh: '可靠性：手动确认下的消费者宕机' },
  },
  'mq-idempotence-demo': {
    presets: ['idempotent-consumer'],
    speed: 2,
    chart: 'outcomes',
    actions: ['crash'],
    note: {
      en: 'About 1 % of acks are lost, so the broker redelivers work that was already done. The group without dedup charges twice; the one that remembers message ids for a minute never does; a 2 s window forgets too soon.',
      zh: '约 1% 的确认丢失，Broker 会重新投递已经处理过的消息。没有去重的消费组会重复扣款；记住消息 ID 一分钟的幂等消费者从不重复；2 秒的去重窗口则忘得太早。',
    },
    title: { en: 'Idempotence: why the same message can arrive twice', zh: '幂等：同一条消息为什么会到达两次' },
  },
  'mq-comparison-demo': {
    presets: ['queue-vs-log'],
    speed: 2,
    chart: 'depth',
    actions: ['rate'],
    title: { en: 'Queue, fanout exchange and Kafka log compared', zh: '队列、扇出交换机与 Kafka 日志对比' },
    note: {
      en: 'One workload three ways: a shared queue delivers each order to one service; a fanout exchange copies it to every service; a Kafka log keeps one copy and each consumer group reads it at its own offset.',
      zh: '同一负载的三种方式：共享队列把每个订单只交给一个服务；扇出交换机为每个服务复制一份；Kafka 日志只保存一份，每个消费者组按自己的位点读取。',
    },
  },
};

const BOOLEAN_ATTRIBUTES = ['autoplay', 'controls', 'locked'];

function emit(el, name, detail) {
  el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

function element(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

const TEMPLATE = `
  <link rel="stylesheet" href="${UPLOT_CSS}">
  <link rel="stylesheet" href="${WIDGET_CSS}">
  <div class="frame" part="frame">
    <header part="header">
      <strong class="title"></strong>
      <span class="status" role="status"></span>
    </header>
    <p class="watch" part="description"></p>
    <p class="note" hidden></p>
    <div class="stage">
      <canvas part="diagram" role="img"></canvas>
      <p class="alt visually-hidden"></p>
    </div>
    <dl class="counters" part="counters"></dl>
    <div class="chart" part="chart"></div>
    <div class="bar" part="controls">
      <button type="button" class="play primary"></button>
      <button type="button" class="reset"></button>
      <label class="speed-label"><span></span><select class="speed"></select></label>
      <span class="actions"></span>
      <progress max="1" value="0"></progress>
      <a class="open" target="_blank" rel="noopener"></a>
    </div>
    <p class="error" role="alert" hidden></p>
  </div>`;

const COUNTERS = [
  ['published', (s) => s.published],
  ['processed', (s) => s.states.processed],
  ['stored', (s) => s.states.stored + s.states.in_flight],
  ['redelivered', (s) => s.redeliveries],
  ['dead_lettered', (s) => s.dead_lettered_total],
  ['lost', (s) => s.states.lost],
];

/** The generic widget: `<mq-sim scenario="peak-shaving">` (a preset name, a URL or inline JSON). */
export class MqSimElement extends HTMLElement {
  static observedAttributes = ['scenario', 'autoplay', 'controls', 'lang', 'height', 'seed', 'locked', 'speed'];

  /** Registers the element under `tag` unless something already is. */
  static define(tag = 'mq-sim', registry = customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return this;
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML = TEMPLATE;
    this.$ = (selector) => this.shadowRoot.querySelector(selector);
    this.session = null;
    this.view = null;
    this.chart = null;
    this.running = false;
    this.visible = true;
    this.finishedSent = false;
    this.generation = 0;
    this.raf = 0;
    this.lastTick = 0;
    this.lastSlowUi = 0;
    this.$('.play').addEventListener('click', () => (this.running ? this.pause() : this.play()));
    this.$('.reset').addEventListener('click', () => this.reset());
    this.$('.speed').addEventListener('change', (e) => (this.speed = Number(e.target.value)));
    this.$('canvas').addEventListener('click', (e) => this.onCanvasClick(e));
  }

  // ---- attributes mirrored by properties ----

  get scenario() {
    return this.getAttribute('scenario') ?? '';
  }

  set scenario(value) {
    this.setAttribute('scenario', value);
  }

  get lang() {
    return detectLang(this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || undefined);
  }

  set lang(value) {
    this.setAttribute('lang', value);
  }

  get height() {
    const h = Number(this.getAttribute('height'));
    return Number.isFinite(h) && h > 80 ? h : DEFAULT_HEIGHT;
  }

  set height(value) {
    this.setAttribute('height', String(value));
  }

  get seed() {
    const seed = this.getAttribute('seed');
    return seed == null || seed === '' ? null : Number(seed);
  }

  set seed(value) {
    if (value == null) this.removeAttribute('seed');
    else this.setAttribute('seed', String(value));
  }

  get speed() {
    const speed = this.getAttribute('speed');
    if (speed === 'max') return Infinity;
    return speed == null ? this.demo?.speed ?? 1 : Number(speed);
  }

  set speed(value) {
    this.setAttribute('speed', value === Infinity ? 'max' : String(value));
  }

  /** Start playing once ready (and visible), unless the reader prefers reduced motion. */
  get autoplay() {
    return this.hasAttribute('autoplay');
  }

  set autoplay(value) {
    this.toggleAttribute('autoplay', Boolean(value));
  }

  /** Show the control bar: play, reset, speed and the demo's live actions. */
  get controls() {
    return this.hasAttribute('controls');
  }

  set controls(value) {
    this.toggleAttribute('controls', Boolean(value));
  }

  /** Play-only: play, pause and reset, no live actions or speed. */
  get locked() {
    return this.hasAttribute('locked');
  }

  set locked(value) {
    this.toggleAttribute('locked', Boolean(value));
  }

  /** The demo's table entry (none for <mq-sim>). */
  get demo() {
    return DEMOS[this.localName] ?? null;
  }

  /** The live simulation's summary (null before it is ready). */
  get summary() {
    return this.session?.summary() ?? null;
  }

  // ---- lifecycle ----

  connectedCallback() {
    for (const name of BOOLEAN_ATTRIBUTES) this.upgradeProperty(name);
    this.upgradeProperty('scenario');
    this.upgradeProperty('seed');
    this.observer = new IntersectionObserver((entries) => this.onVisibility(entries.at(-1).isIntersecting));
    this.observer.observe(this);
    this.motion = matchMedia('(prefers-reduced-motion: reduce)');
    this.$('canvas').style.height = `${this.height}px`;
    this.load();
  }

  disconnectedCallback() {
    this.observer?.disconnect();
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.running = false;
    this.chart?.destroy();
    this.chart = null;
    this.session?.free();
    this.session = null;
    this.generation++;
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.isConnected) return;
    if (name === 'scenario' || name === 'seed') this.load();
    else if (name === 'height') {
      this.$('canvas').style.height = `${this.height}px`;
      this.view?.layout();
    } else if (name === 'lang') this.renderTexts();
    else if (name === 'controls' || name === 'locked') this.renderBar();
    else if (name === 'speed') this.renderBar();
  }

  /** A property set before the element was upgraded shadows the accessor; move it to the attribute. */
  upgradeProperty(name) {
    if (Object.prototype.hasOwnProperty.call(this, name)) {
      const value = this[name];
      delete this[name];
      this[name] = value;
    }
  }

  // ---- loading ----

  /** Resolves the scenario: a preset name, a URL to a JSON file, or inline JSON. */
  async source(api) {
    const names = api.presets().map((p) => p.name);
    const demo = this.demo;
    const wanted = this.scenario.trim() || demo?.presets.find((name) => names.includes(name)) || (demo ? '' : 'peak-shaving');
    if (!wanted) return null;
    if (names.includes(wanted)) return { preset: wanted, json: await api.presetJson(wanted) };
    if (wanted.startsWith('{')) return { json: wanted };
    const response = await fetch(new URL(wanted, document.baseURI));
    if (!response.ok) throw new Error(`${wanted}: HTTP ${response.status}`);
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
      if (!source) {
        this.coming = true;
        this.renderTexts();
        emit(this, 'mq-ready', { scenario: null, preset: null, seed: null, coming: this.demo?.coming ?? null });
        return;
      }
      this.coming = false;
      if (this.seed != null) source.seed = this.seed;
      this.$('.frame').classList.remove('coming');
      this.session = new Session(api, source);
      this.view ??= new FlowView(this.$('canvas'), { lang: this.lang, reducedMotion: this.motion.matches });
      this.view.clear();
      this.view.setTopology(this.session.topology);
      this.finishedSent = false;
      this.buildChart();
      this.renderTexts();
      this.render(true);
      this.startLoop();
      emit(this, 'mq-ready', { scenario: this.session.summary().scenario, preset: source.preset ?? null, seed: this.session.source.seed });
      if (this.hasAttribute('autoplay') && !this.motion.matches) this.play();
    } catch (err) {
      this.fail(err);
    }
  }

  fail(err) {
    const message = err instanceof Error ? err.message : String(err);
    this.pause();
    const box = this.$('.error');
    box.textContent = message;
    box.hidden = false;
    emit(this, 'mq-error', { message });
  }

  // ---- playing ----

  play() {
    if (!this.session || this.session.finished) return;
    this.running = true;
    if (this.view) this.view.playing = this.visible;
    this.renderBar();
  }

  pause() {
    this.running = false;
    if (this.view) this.view.playing = false;
    this.renderBar();
  }

  reset() {
    if (!this.session) return;
    this.pause();
    this.session.reset();
    this.view.clear();
    this.view.setTopology(this.session.topology);
    this.finishedSent = false;
    this.buildChart();
    this.render(true);
  }

  /** Runs one event. */
  step() {
    this.pause();
    this.session?.step();
  }

  /** Applies a live command (refused in locked mode). */
  command(cmd) {
    if (this.hasAttribute('locked')) throw new Error('this widget is locked (play only)');
    this.session.command(cmd);
    this.view.setTopology(this.session.topology);
    this.renderBar();
    this.render(true);
  }

  onVisibility(visible) {
    this.visible = visible;
    if (this.view) this.view.playing = this.running && visible;
    if (visible) this.startLoop();
  }

  startLoop() {
    if (this.raf || !this.session) return;
    this.lastFrame = performance.now();
    const frame = (now) => {
      this.raf = 0;
      if (!this.session || !this.isConnected) return;
      // Off-screen widgets stop running and drawing; they resume where they were.
      if (!this.visible) return;
      this.raf = requestAnimationFrame(frame);
      try {
        this.frame(now);
      } catch (err) {
        this.fail(err);
      }
    };
    this.raf = requestAnimationFrame(frame);
  }

  frame(now) {
    const gap = Math.min(Math.max(now - this.lastFrame, 0), MAX_FRAME_GAP_MS);
    this.lastFrame = now;
    const s = this.session;
    const before = s.nowMs;
    if (this.running) {
      const speed = this.speed;
      s.advance(speed === Infinity ? Infinity : before + gap * speed, FRAME_BUDGET_MS);
      if (s.finished) this.finish();
    }
    const columns = s.drain();
    s.refreshTopology();
    this.view.setTopology(s.topology);
    if (columns.length || s.nowMs !== before) this.view.ingest(columns, s.nowMs - before);
    if (this.running || columns.length || this.view.particles.length) this.render(false, now, gap);
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

  buildChart() {
    this.chart?.destroy();
    this.chart = null;
    const kind = this.demo?.chart ?? 'depth';
    const names = Object.keys(this.session.sim.series(0));
    const target = this.$('.chart');
    target.replaceChildren();
    const resolved = kind === 'response' && !names.some((n) => n.startsWith('response_p50_ms.')) ? 'depth' : kind;
    this.chart = new Chart(target, resolved, names, { lang: this.lang, height: CHART_HEIGHT, endMs: this.session.endMs });
    this.chartKind = resolved;
  }

  render(force, now = performance.now(), gap = 0) {
    const s = this.session;
    if (!s) return;
    const summary = s.summary();
    this.view.setSummary(summary);
    this.view.draw(gap);
    if (force || now - (this.lastCounters ?? 0) > COUNTER_UI_MS) {
      this.lastCounters = now;
      this.renderCounters(summary);
      this.$('progress').value = s.endMs ? s.nowMs / s.endMs : 0;
      this.$('.status').textContent = `${formatMs(s.nowMs)} / ${formatMs(s.endMs)}`;
    }
    const slow = force || now - this.lastSlowUi > SLOW_UI_MS;
    if (slow) {
      this.lastSlowUi = now;
      if (s.pullSeries() || force) this.chart.update(s.columns);
      this.$('.alt').textContent = this.view.describe();
      this.renderActions();
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

  renderCounters(summary) {
    const lang = this.lang;
    const dl = this.$('.counters');
    if (dl.childElementCount !== COUNTERS.length) {
      dl.replaceChildren(...COUNTERS.map(([key]) => element('div', { 'data-counter': key }, element('dt'), element('dd'))));
    }
    COUNTERS.forEach(([key, read], i) => {
      const box = dl.children[i];
      box.querySelector('dt').textContent = t(lang, `counter.${key}`);
      const value = read(summary);
      const dd = box.querySelector('dd');
      dd.textContent = formatCount(value, lang);
      dd.dataset.value = String(value);
      // A message published to several queues is several copies; the other counters count copies.
      if (key === 'published' && summary.produced !== summary.published) {
        dd.title = t(lang, 'counter.copies-title');
        dd.append(element('small', { text: ` ${t(lang, 'counter.copies', { n: formatCount(summary.produced, lang) })}` }));
      }
    });
  }

  renderTexts() {
    if (this.coming) return this.renderComing();
    const lang = this.lang;
    if (this.view) this.view.lang = lang;
    const demo = this.demo;
    const preset = this.session?.source.preset;
    const text = preset ? presetText(lang, preset) : { title: this.session?.summary().scenario ?? '', watch: '' };
    this.$('.title').textContent = demo?.title[lang] ?? text.title;
    this.$('.watch').textContent = text.watch;
    const note = this.$('.note');
    note.hidden = !demo?.note;
    note.textContent = demo?.note?.[lang] ?? '';
    this.$('canvas').setAttribute('aria-label', this.$('.title').textContent);
    if (this.session) {
      this.buildChart();
      this.render(true);
    }
    this.renderBar();
  }

  renderComing() {
    const lang = this.lang;
    const demo = this.demo;
    this.$('.title').textContent = demo?.title[lang] ?? '';
    this.$('.watch').textContent = t(lang, 'widget.coming', { model: demo?.coming ?? '' });
    const note = this.$('.note');
    note.hidden = !demo?.note;
    note.textContent = demo?.note?.[lang] ?? '';
    this.$('.frame').classList.add('coming');
  }

  renderBar() {
    const lang = this.lang;
    const bar = this.$('.bar');
    bar.hidden = !this.hasAttribute('controls') && !this.hasAttribute('locked');
    const locked = this.hasAttribute('locked');
    const play = this.$('.play');
    play.textContent = t(lang, this.running ? 'widget.pause' : 'widget.play');
    play.setAttribute('aria-pressed', String(this.running));
    play.disabled = !this.session || this.session.finished;
    this.$('.reset').textContent = t(lang, 'widget.reset');
    const speedLabel = this.$('.speed-label');
    speedLabel.hidden = locked;
    speedLabel.querySelector('span').textContent = t(lang, 'widget.speed');
    const select = this.$('.speed');
    if (select.options.length !== WIDGET_SPEEDS.length) {
      select.replaceChildren(...WIDGET_SPEEDS.map((v) => new Option(v === Infinity ? 'max' : `${v}×`, String(v))));
    }
    const speed = this.speed;
    select.value = String(WIDGET_SPEEDS.reduce((best, v) => (Math.abs(v - speed) < Math.abs(best - speed) ? v : best)));
    const open = this.$('.open');
    open.textContent = t(lang, 'widget.open');
    if (this.session) {
      encodeShare({ ...this.session.shareState(), lang }).then((hash) => (open.href = `${FULL_SIMULATOR}${hash}`));
    }
    this.renderActions(true);
  }

  /** Buttons for the demo's live actions, from the current topology. */
  renderActions(force = false) {
    const box = this.$('.actions');
    if (!this.session || this.hasAttribute('locked')) return box.replaceChildren();
    const topo = this.session.topology;
    const shape = JSON.stringify([this.lang, topo.nodes.map((n) => [n.instances?.map((i) => i.alive), n.live_outage])]);
    if (!force && shape === this.actionShape) return;
    this.actionShape = shape;
    const lang = this.lang;
    const actions = this.demo?.actions ?? ['consumers'];
    const buttons = [];
    const act = (text, cmd, className = '') =>
      element('button', {
        type: 'button',
        class: className,
        text,
        onclick: () => {
          try {
            this.command(cmd);
          } catch (err) {
            this.fail(err);
          }
        },
      });
    const consumer = topo.nodes.find((n) => n.kind === 'consumer');
    const producer = topo.nodes.find((n) => n.kind === 'producer');
    if (actions.includes('consumers') && consumer) {
      const alive = consumer.instances.filter((i) => i.alive).length;
      buttons.push(act(`− ${t(lang, 'node.consumer')}`, { set_consumers: { consumer: consumer.name, count: Math.max(0, alive - 1) } }));
      buttons.push(act(`+ ${t(lang, 'node.consumer')}`, { set_consumers: { consumer: consumer.name, count: alive + 1 } }));
    }
    if (actions.includes('rate') && producer) {
      const rate = this.currentRate(producer);
      if (rate != null) {
        buttons.push(act(`${t(lang, 'live.rate')} ÷2`, { set_rate: { producer: producer.name, rate: rate / 2 } }));
        buttons.push(act(`${t(lang, 'live.rate')} ×2`, { set_rate: { producer: producer.name, rate: rate * 2 } }));
      }
    }
    if (actions.includes('crash') && consumer) {
      const alive = consumer.instances.find((i) => i.alive);
      const dead = consumer.instances.find((i) => !i.alive);
      if (alive) buttons.push(act(t(lang, 'live.crash', { n: alive.instance }), { crash_consumer: { consumer: consumer.name, instance: alive.instance } }, 'fault'));
      if (dead) buttons.push(act(t(lang, 'live.restart', { n: dead.instance }), { restart_consumer: { consumer: consumer.name, instance: dead.instance } }, 'recover'));
    }
    if (actions.includes('service')) {
      for (const service of topo.nodes.filter((n) => n.kind === 'service').slice(0, 1)) {
        buttons.push(
          service.live_outage
            ? act(`${service.name}: ${t(lang, 'live.up')}`, { service_up: { service: service.name } }, 'recover')
            : act(`${service.name}: ${t(lang, 'live.down')}`, { service_down: { service: service.name } }, 'fault'),
        );
      }
    }
    box.replaceChildren(...buttons);
  }

  /** The producer's rate as last set: by a recorded command, else the scenario's. */
  currentRate(producer) {
    const log = this.session.commandLog().filter((c) => c.command.set_rate?.producer === producer.name);
    if (log.length) return log.at(-1).command.set_rate.rate;
    const spec = JSON.parse(this.session.sim.scenarioJson()).producers[producer.index];
    return spec.arrivals.constant?.rate ?? spec.arrivals.poisson?.rate ?? null;
  }

  onCanvasClick(e) {
    const rect = e.target.getBoundingClientRect();
    const id = this.view?.hit(e.clientX - rect.left, e.clientY - rect.top);
    if (id == null) return;
    this.view.selected = id;
    emit(this, 'mq-message', { id, life: this.session.sim.messageLife(id) });
  }
}

/** A demo element: its preset and actions come from the DEMOS table. */
export class MqDemoElement extends MqSimElement {}

/** Defines <mq-sim> and every demo element; safe to call twice. */
export function defineAll(registry = customElements) {
  MqSimElement.define('mq-sim', registry);
  for (const tag of Object.keys(DEMOS)) {
    if (!registry.get(tag)) registry.define(tag, class extends MqDemoElement {});
  }
}

defineAll();
