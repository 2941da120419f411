// The "Queueing theory" figures of a widget: the model the engine says
// applies to a queue (summary.queues[].model: "mmc", "burst" or "none"),
// next to what the simulation measured. Every figure is the summary's; this
// module only lays them out. Where no model applies, it says why, in the
// engine's words (its `note`, a vocabulary key).
import { formatCount, formatMs, formatNumber } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { element, rebuildIf } from './dom.js';
import { wt } from './strings.js';

/** Why M/M/c does not apply, or is only a reference: the engine's note in words. */
function noteText(note, lang) {
  return t(lang, `theory.note.${note}`);
}

/** M/M/c: utilisation, mean wait against Erlang C, L against Little's law. */
function mmcRows(q, lang) {
  const o = q.overlay;
  const rows = [
    {
      key: 'rho',
      label: wt(lang, 'figures.rho'),
      text: wt(lang, 'figures.rho-value', { rho: formatNumber(o.rho, lang, 2), lambda: formatNumber(o.lambda, lang, 1), mu: formatNumber(o.mu, lang, 1), c: o.servers }),
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
  const note = q.note ? noteText(q.note, lang) : wt(lang, o.markovian ? 'figures.markovian' : 'figures.not-markovian');
  return { rows, note };
}

/** The burst model: the predicted peak h − r·d at t = d and drain time h / r, next to the measured ones. */
function burstRows(q, lang) {
  const b = q.burst;
  const at = (n, ms) => wt(lang, 'figures.at', { n: formatCount(n, lang), t: formatMs(ms) });
  return {
    rows: [
      {
        key: 'burst-peak',
        label: wt(lang, 'figures.burst-peak'),
        text: wt(lang, 'figures.vs', { a: at(b.predicted_peak, b.predicted_peak_at_ms), b: at(b.measured_peak, b.measured_peak_at_ms) }),
        values: { predicted: b.predicted_peak, predictedAt: b.predicted_peak_at_ms, measured: b.measured_peak, measuredAt: b.measured_peak_at_ms },
      },
      {
        key: 'burst-drain',
        label: wt(lang, 'figures.burst-drain'),
        text: wt(lang, 'figures.vs', { a: formatMs(b.predicted_drain_ms), b: formatMs(b.measured_drain_ms) }),
        values: { predicted: b.predicted_drain_ms, measured: b.measured_drain_ms ?? '' },
      },
    ],
    note: noteText('one_off_burst', lang),
  };
}

/**
 * The figures of the scenario's first queue for a demo about `kind` ('mmc'
 * or 'burst'): {rows, note}, or null when there is nothing to say (the
 * engine finds another model, or a build without models and a burst demo).
 */
export function theoryFigures(summary, kind, lang) {
  const q = summary.queues[0];
  if (!q) return null;
  // A build from before the engine named its models had M/M/c only.
  const model = q.model ?? (kind === 'mmc' ? 'mmc' : null);
  if (!q.overlay && model !== 'burst') return model === kind || model === 'none' ? { rows: [], note: wt(lang, 'figures.empty') } : null;
  if (model === 'mmc' && kind === 'mmc') return mmcRows(q, lang);
  if (model === 'burst' && kind === 'burst' && q.burst) return burstRows(q, lang);
  // No model applies (a live change, a crash…): why, in words.
  if (model === 'none' && q.note) return { rows: [], note: noteText(q.note, lang) };
  return null;
}

/** Draws the figures into `box` (a <section> with an <h3>, a <dl> and a <p>). */
export function renderFigures(box, kind, summary, lang) {
  const figures = theoryFigures(summary, kind, lang);
  box.hidden = !figures;
  if (!figures) return;
  box.querySelector('h3').textContent = wt(lang, 'figures.title');
  const dl = box.querySelector('dl');
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
  dl.hidden = figures.rows.length === 0;
  box.querySelector('p').textContent = figures.note;
}
