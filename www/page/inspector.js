// The message inspector: one message's state now (from the engine's
// messageLife) and its whole life, from the log's kept events and the
// events the engine recorded since it was watched.
import { formatCount, formatSeconds } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { $, element, guarded } from './dom.js';
import { logEntries } from './log.js';
import { eventText, kindInfo, reasonKey, whereName } from './names.js';
import { markDirty, page } from './run.js';

let inspected = null;

/** Follows message `id`: selected on the canvas, watched by the engine, shown here. */
export function inspect(id) {
  if (id == null || !Number.isFinite(id) || id < 0) return;
  inspected = id;
  page.view.selected = id;
  page.session.sim.watchMessage(id);
  $('inspect-id').value = String(id);
  renderInspector();
  markDirty();
}

/** Forgets the followed message (a new run). */
export function clearInspector() {
  inspected = null;
  if (page.view) page.view.selected = null;
  $('inspector').textContent = t(page.lang, 'inspector.empty');
}

export function renderInspector() {
  if (inspected == null) {
    $('inspector').textContent = t(page.lang, 'inspector.empty');
    return;
  }
  const life = page.session.sim.messageLife(inspected);
  const parts = [element('h3', { text: `#${inspected}` })];
  parts.push(life.live ? facts(life.live) : element('p', { class: 'hint', text: t(page.lang, 'inspector.gone') }));
  parts.push(element('h4', { text: t(page.lang, 'inspector.history') }), historyList(life));
  if (life.watched) parts.push(element('p', { class: 'hint', text: t(page.lang, 'inspector.watching') }));
  $('inspector').replaceChildren(...parts);
}

function facts(v) {
  const lang = page.lang;
  const dl = element('dl', { class: 'facts' });
  const fact = (key, value) => {
    if (value == null || value === '') return;
    dl.append(element('dt', { text: t(lang, `inspector.${key}`) }), element('dd', { text: value }));
  };
  fact('state', t(lang, `state.${v.state}`));
  fact('queue', v.queue);
  fact('position', v.position == null ? null : formatCount(v.position, lang));
  fact('holder', v.holder);
  // A message delivered more than once is a redelivery: flagged, and its history says why.
  fact('deliveries', v.deliveries > 1 ? `${v.deliveries} · ${t(lang, 'log.redelivery')}` : String(v.deliveries));
  fact('born', formatSeconds(v.born_ms));
  fact('producer', v.producer);
  fact('key', String(v.key));
  if (v.poison) fact('poison', '✓');
  return dl;
}

/** Its life: events kept in the log from before it was watched, then those recorded since. */
function historyList(life) {
  const known = new Map();
  for (const e of logEntries) {
    const info = kindInfo(e.kind);
    if (info.message && e.msg === inspected) known.set(`${e.t}/${info.kind}`, { t: e.t, kind: info.kind, where: whereName(e), reason: e.reason, redelivered: e.redelivered });
  }
  // The table is indexed by kind code; codes no kind uses are null.
  const kindIndex = new Map(page.session.topology.events.flatMap((e, i) => (e ? [[e.kind, i]] : [])));
  for (const e of life.events) {
    const tMs = e.t / 1e6;
    known.set(`${tMs}/${e.kind}`, { t: tMs, kind: e.kind, where: whereName({ kind: kindIndex.get(e.kind), node: e.node }), reason: e.reason, redelivered: e.redelivered });
  }
  const ol = element('ol', { class: 'history', testid: 'history' });
  for (const e of [...known.values()].sort((a, b) => a.t - b.t)) {
    const li = element('li', { 'data-kind': e.kind, text: `${formatSeconds(e.t)} · ${eventText(e.kind, e.reason, e.redelivered)} · ${e.where}` });
    if (reasonKey(e.reason)) li.dataset.reason = reasonKey(e.reason);
    if (e.redelivered) li.dataset.redelivered = 'true';
    ol.append(li);
  }
  return ol;
}

/** Wires the id field and "follow the next message". */
export function wireInspector() {
  $('inspect-form').addEventListener('submit', (e) => {
    e.preventDefault();
    guarded(inspect)(Number($('inspect-id').value));
  });
  $('follow-next').addEventListener('click', guarded(() => inspect(page.session.summary().produced)));
}
