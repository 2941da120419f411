// The "Queueing theory" figures of a widget: the model the engine says
// applies to a queue, next to what the simulation measured. Every figure is
// the summary's (its `overlay`); this module only lays them out, and shows
// nothing for a queue the engine has no model for.
import { formatMs, formatNumber } from '../lib/format.js';
import { element, rebuildIf } from './dom.js';
import { wt } from './strings.js';

/** M/M/c: utilisation, mean wait against Erlang C, L against Little's law. */
function mmcRows(o, lang) {
  const rows = [
    {
      key: 'rho',
      label: wt(lang, 'figures.rho'),
      text: wt(lang, 'figures.rho-value', {
        rho: formatNumber(o.rho, lang, 2),
        lambda: formatNumber(o.lambda, lang, 1),
        mu: formatNumber(o.mu, lang, 1),
        c: o.servers,
      }),
      values: { rho: o.rho },
    },
  ];
  if (o.unstable) return { rows, note: wt(lang, 'figures.unstable') };
  rows.push(
    {
      key: 'wq',
      label: wt(lang, 'figures.wq'),
      text: wt(lang, 'figures.vs', { a: formatMs(o.wq_simulated_ms), b: formatMs(o.wq_analytic_ms) }),
      values: { simulated: o.wq_simulated_ms, analytic: o.wq_analytic_ms },
    },
    {
      key: 'l',
      label: wt(lang, 'figures.l'),
      text: wt(lang, 'figures.vs', { a: formatNumber(o.l_measured, lang, 2), b: formatNumber(o.l_little, lang, 2) }),
      values: { measured: o.l_measured, little: o.l_little },
    },
  );
  return { rows, note: wt(lang, o.markovian ? 'figures.markovian' : 'figures.not-markovian') };
}

/**
 * The figures of `kind` ('mmc' or 'burst') for the scenario's first queue:
 * {rows, note}, or null when the engine has no such model for it (yet).
 */
export function theoryFigures(summary, kind, lang) {
  const queue = summary.queues[0];
  if (!queue) return null;
  // The engine says which model applies (summary.queues[].model); before it did, M/M/c was the only one.
  const model = queue.model ?? 'mmc';
  if (model !== kind) return null;
  if (!queue.overlay) return { rows: [], note: wt(lang, 'figures.empty') };
  return kind === 'mmc' ? mmcRows(queue.overlay, lang) : null;
}

/** Draws the figures into `box` (a <section> with an <h3> and a <dl>). */
export function renderFigures(box, kind, summary, lang) {
  const figures = theoryFigures(summary, kind, lang);
  box.hidden = !figures;
  box.querySelector('h3').textContent = wt(lang, 'figures.title');
  const dl = box.querySelector('dl');
  const note = box.querySelector('p');
  if (!figures) return;
  rebuildIf(dl, `${lang}|${figures.rows.map((r) => r.key).join(',')}`, () =>
    figures.rows.map((r) => element('div', { 'data-figure': r.key }, element('dt'), element('dd'))),
  );
  figures.rows.forEach((r, i) => {
    const div = dl.children[i];
    div.querySelector('dt').textContent = r.label;
    const dd = div.querySelector('dd');
    dd.textContent = r.text;
    for (const [k, v] of Object.entries(r.values)) dd.dataset[k] = String(v);
  });
  note.textContent = figures.note;
}
