// The queueing-theory panel: for each queue and Kafka group, the model the
// engine says fits it (the summary's `model`, `note` and `burst`; see
// src/summary.rs) next to what was measured:
// - "mmc": λ, μ, c, ρ and the M/M/c waiting time and length beside the
//   measured ones, with the engine's note when the formula is only a
//   reference (not Markovian; a Kafka group's members as separate queues);
// - "burst": a one-off burst's fluid model, the peak backlog h − r·d at
//   t = d and the drain time h / r, beside the measured peak and drain;
// - "none": no figures, and why in words.
// Every number is the engine's; the page only sets them side by side.
import { formatCount, formatMs, formatNumber } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { $, element } from './dom.js';
import { page } from './run.js';

const MMC_HEADINGS = ['theory.lambda', 'theory.mu', 'theory.c', 'theory.rho', 'theory.wq', 'theory.l'];

export function renderTheory(summary) {
  const lang = page.lang;
  const groups = summary.kafka ? summary.kafka.groups : [];
  const items = [...summary.queues, ...groups].filter((q) => q.model || q.overlay);
  if (items.length === 0) {
    $('theory').textContent = t(lang, 'theory.none');
    return;
  }
  $('theory').replaceChildren(...items.map(theoryItem));
}

/** One queue's or group's section: its name, the model's name, the figures and the note. */
function theoryItem(q) {
  const lang = page.lang;
  // A build before the engine named its models: M/M/c wherever there is an overlay.
  const model = q.model ?? 'mmc';
  const label = q.topic ? `${q.name} (${q.topic})` : q.name;
  const head = element('h3', {}, element('span', { text: label }), element('small', { class: 'model', text: t(lang, `theory.model.${model}`) }));
  const item = element('section', { class: 'theory-item', 'data-queue': q.name, 'data-model': model, 'data-note': q.note ?? '' }, head);
  if (model === 'mmc' && q.overlay) item.append(mmcTable(q.overlay), ...notes(q, true));
  else if (model === 'burst' && q.burst) item.append(burstTable(q.burst), ...notes(q, false));
  else item.append(...notes(q, false));
  return item;
}

/** The engine's note in words, or, for M/M/c without one, that the formula applies; and an unstable queue flagged. */
function notes(q, mmc) {
  const lang = page.lang;
  const out = [];
  if (mmc && q.overlay.unstable) out.push(element('p', { class: 'theory-note unstable', text: `⚠ ${t(lang, 'theory.unstable')}` }));
  let text = '';
  if (q.note) text = t(lang, `theory.note.${q.note}`);
  else if (mmc && q.overlay.partitioned_among != null) text = partitioned(q.overlay.partitioned_among); // a build before notes
  else if (mmc) text = t(lang, q.overlay.markovian ? 'theory.markovian' : 'theory.not-markovian');
  if (text) out.push(element('p', { class: 'theory-note', text }));
  return out;
}

function partitioned(members) {
  return members === 1 ? t(page.lang, 'theory.partitioned-one') : t(page.lang, 'theory.partitioned', { members });
}

/** λ, μ, c, ρ, then the simulated wait and length beside M/M/c's. */
function mmcTable(o) {
  const lang = page.lang;
  const n = (x, d = 2) => formatNumber(x, lang, d);
  const table = element('table', { class: 'theory-table' });
  const head = table.createTHead().insertRow();
  for (const key of MMC_HEADINGS) head.append(element('th', { text: t(lang, key) }));
  const row = table.createTBody().insertRow();
  const wq = o.wq_analytic_ms == null ? '∞' : formatMs(o.wq_analytic_ms);
  const cells = [n(o.lambda, 1), n(o.mu, 1), String(o.servers), n(o.rho, 3), `${formatMs(o.wq_simulated_ms)} vs ${wq}`, `${n(o.l_measured)} vs ${n(o.l_little)}`];
  cells.forEach((text, i) => {
    const cell = row.insertCell();
    cell.textContent = text;
    if (i === 3 && o.unstable) cell.className = 'unstable';
  });
  row.cells[3].dataset.value = String(o.rho);
  return table;
}

/** The burst: h, d, λ and r, then the fluid model's peak and drain time beside the measured ones. */
function burstTable(b) {
  const lang = page.lang;
  const given = element('p', {
    class: 'burst-given',
    text: t(lang, 'theory.burst-given', { h: formatCount(b.arrived, lang), d: formatMs(b.length_ms), lambda: formatNumber(b.arrival_rate, lang, 1), r: formatNumber(b.capacity, lang, 1) }),
  });
  const table = element('table', { class: 'theory-table burst-table' });
  const head = table.createTHead().insertRow();
  for (const key of ['theory.burst-figure', 'theory.burst-predicted', 'theory.burst-measured']) head.append(element('th', { text: t(lang, key) }));
  const body = table.createTBody();
  const at = (value, ms) => t(lang, 'theory.burst-at', { value: formatCount(value, lang), t: formatMs(ms) });
  burstRow(body, 'peak', t(lang, 'theory.burst-peak'), [at(b.predicted_peak, b.predicted_peak_at_ms), b.predicted_peak], [at(b.measured_peak, b.measured_peak_at_ms), b.measured_peak]);
  const drained = b.measured_drain_ms == null ? [t(lang, 'theory.burst-not-empty'), null] : [formatMs(b.measured_drain_ms), b.measured_drain_ms];
  burstRow(body, 'drain', t(lang, 'theory.burst-drain'), [formatMs(b.predicted_drain_ms), b.predicted_drain_ms], drained);
  const out = element('div', { class: 'burst' }, given, table);
  if (!b.arrivals_ended) out.append(element('p', { class: 'theory-note', text: t(lang, 'theory.burst-so-far') }));
  return out;
}

function burstRow(body, name, label, [predicted, predictedValue], [measured, measuredValue]) {
  const row = body.insertRow();
  row.dataset.figure = name;
  for (const [text, value] of [[label, null], [predicted, predictedValue], [measured, measuredValue]]) {
    const cell = row.insertCell();
    cell.textContent = text;
    if (value != null) cell.dataset.value = String(value);
  }
}
