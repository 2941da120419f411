// A widget's control bar: play/pause, reset, speed, the switch between a
// demo's variants, and the demo's live actions as buttons built from the
// current topology. Every action goes through the element's `command()`,
// so it is recorded and replayed by the "open in the full simulator" link.
import { t } from '../lib/i18n.js';
import { encodeShare } from '../lib/share.js';
import { element, rebuildIf } from './dom.js';
import { wt } from './strings.js';

/**
 * The full simulator's page, beside www/ where the widgets are served as
 * files (a copy of www/, the npm package, a CDN). A bundler moves this module
 * where no such page is: Vite into a chunk of its own, webpack writes the
 * source file's file: URL in place of import.meta.url. Then the link is not
 * offered. (Not `new URL('…', import.meta.url)`: from that, Vite would copy
 * index.html without the page's modules, and webpack would try to bundle it.)
 */
const MODULE_URL = new URL(import.meta.url);
const SERVED_AS_FILES = MODULE_URL.protocol !== 'file:' && MODULE_URL.pathname.endsWith('/widgets/controls.js');
const FULL_SIMULATOR = SERVED_AS_FILES ? new URL('../../index.html', MODULE_URL.href).href : null;
/** Simulated seconds per real second; Infinity is "max": as fast as the frame budget allows. */
export const WIDGET_SPEEDS = [0.1, 0.5, 1, 2, 5, 10, 50, 200, Infinity];

/** The offered speed nearest to `speed` ("max" only for max itself). */
export function nearestSpeed(speed) {
  if (speed === Infinity) return Infinity;
  const finite = WIDGET_SPEEDS.filter(Number.isFinite);
  return finite.reduce((best, v) => (Math.abs(v - speed) < Math.abs(best - speed) ? v : best));
}

function speedLabel(v, lang) {
  return v === Infinity ? wt(lang, 'widget.speed-max') : `${v}×`;
}

export function renderBar(el) {
  const lang = el.lang;
  const $ = el.$;
  const bar = $('.bar');
  const locked = el.locked;
  bar.hidden = !el.controls && !locked;
  bar.setAttribute('aria-label', wt(lang, 'widget.controls'));
  const play = $('.play');
  play.textContent = wt(lang, el.running ? 'widget.pause' : 'widget.play');
  play.setAttribute('aria-pressed', String(el.running));
  play.disabled = !el.session || el.session.finished;
  $('.reset').textContent = wt(lang, 'widget.reset');
  $('.speed-label').hidden = locked;
  $('.speed-label span').textContent = wt(lang, 'widget.speed');
  const select = $('.speed');
  rebuildIf(select, lang, () => WIDGET_SPEEDS.map((v) => new Option(speedLabel(v, lang), v === Infinity ? 'max' : String(v))));
  const speed = nearestSpeed(el.speed);
  select.value = speed === Infinity ? 'max' : String(speed);
  $('progress').setAttribute('aria-label', wt(lang, 'widget.progress'));
  const open = $('.open');
  open.textContent = wt(lang, 'widget.open');
  open.hidden = !FULL_SIMULATOR;
  if (el.session && FULL_SIMULATOR) encodeShare({ ...el.session.shareState(), lang }).then((hash) => (open.href = `${FULL_SIMULATOR}${hash}`));
  renderVariants(el);
  renderActions(el, true);
}

/** The select's value as a speed. */
export function speedOf(value) {
  return value === 'max' ? Infinity : Number(value);
}

/** Buttons switching between the demo's variants (e.g. manual and automatic acks). */
function renderVariants(el) {
  const box = el.$('.variants');
  const variants = el.demo?.variants ?? [];
  box.hidden = variants.length === 0 || !el.session || el.locked;
  if (box.hidden) return;
  const lang = el.lang;
  box.setAttribute('aria-label', wt(lang, 'widget.variant'));
  const current = el.session.source.preset;
  rebuildIf(box, `${lang}|${current}`, () =>
    variants.map((v) =>
      element('button', {
        type: 'button',
        'data-preset': v.preset,
        'aria-pressed': String(v.preset === current),
        text: v.label[lang],
        onclick: () => {
          if (v.preset !== el.session?.source.preset) el.scenario = v.preset;
        },
      }),
    ),
  );
}

/** Buttons for the demo's live actions, from the current topology. */
export function renderActions(el, force = false) {
  const box = el.$('.actions');
  if (!el.session || el.locked) {
    box.dataset.shape = '';
    return box.replaceChildren();
  }
  const topo = el.session.topology;
  const lang = el.lang;
  const shape = JSON.stringify([lang, topo.nodes.map((n) => [n.instances?.map((i) => i.alive), n.live_outage])]);
  if (!force && shape === box.dataset.shape) return;
  box.dataset.shape = shape;
  box.replaceChildren(...actionButtons(el, el.config.actions ?? [], topo, lang));
}

function actionButtons(el, actions, topo, lang) {
  const buttons = [];
  const act = (text, cmd, className = '') =>
    element('button', {
      type: 'button',
      class: className,
      text,
      onclick: () => {
        try {
          el.command(cmd);
        } catch (err) {
          el.fail(err);
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
    const rate = currentRate(el.session, producer);
    if (rate != null) {
      buttons.push(act(`${t(lang, 'live.rate')} ÷2`, { set_rate: { producer: producer.name, rate: rate / 2 } }));
      buttons.push(act(`${t(lang, 'live.rate')} ×2`, { set_rate: { producer: producer.name, rate: rate * 2 } }));
    }
  }
  if (actions.includes('crash') && consumer) {
    const alive = consumer.instances.find((i) => i.alive);
    const dead = consumer.instances.find((i) => !i.alive);
    const names = { consumer: consumer.name };
    if (alive) buttons.push(act(wt(lang, 'widget.crash', { ...names, n: alive.instance }), { crash_consumer: { consumer: consumer.name, instance: alive.instance } }, 'fault'));
    if (dead) buttons.push(act(wt(lang, 'widget.restart', { ...names, n: dead.instance }), { restart_consumer: { consumer: consumer.name, instance: dead.instance } }, 'recover'));
  }
  if (actions.includes('service')) {
    for (const service of topo.nodes.filter((n) => n.kind === 'service')) {
      buttons.push(
        service.live_outage
          ? act(`${service.name}: ${t(lang, 'live.up')}`, { service_up: { service: service.name } }, 'recover')
          : act(`${service.name}: ${t(lang, 'live.down')}`, { service_down: { service: service.name } }, 'fault'),
      );
    }
  }
  return buttons;
}

/** The producer's rate as last set: by a recorded command, else the scenario's. */
function currentRate(session, producer) {
  const log = session.commandLog().filter((c) => c.command.set_rate?.producer === producer.name);
  if (log.length) return log.at(-1).command.set_rate.rate;
  const spec = JSON.parse(session.sim.scenarioJson()).producers[producer.index];
  return spec.arrivals.constant?.rate ?? spec.arrivals.poisson?.rate ?? null;
}
