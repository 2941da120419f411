// A widget's charts: the kinds its demo names, each with its title above it
// and the run's faults and live actions marked on it.
// The page's chart kinds (lib/charts.js) plus two the widgets' texts need:
// "Redelivered and lost" and "Duplicates and dedup hits". Each chart takes
// its columns from the simulation's sampled series by name.
import { Chart } from '../lib/charts.js';
import { t } from '../lib/i18n.js';
import { element } from './dom.js';
import { wt } from './strings.js';

const CHART_HEIGHT = 170;

/** Lines of the widget-only chart kinds, or null for a kind lib/charts.js draws. */
function ownLines(kind, names, lang) {
  if (kind === 'redelivered-lost') {
    return [
      { column: 'redelivered', label: t(lang, 'series.redelivered') },
      { column: 'lost', label: t(lang, 'series.lost') },
    ];
  }
  if (kind === 'duplicates') {
    // Per group where the engine samples it, else the totals.
    const groups = names.filter((n) => n.startsWith('duplicates.')).map((n) => n.slice('duplicates.'.length));
    if (groups.length) return groups.map((g) => ({ column: `duplicates.${g}`, label: wt(lang, 'series.group-duplicates', { group: g }) }));
    return [
      { column: 'duplicates', label: wt(lang, 'series.duplicates') },
      { column: 'dedup_hits', label: wt(lang, 'series.dedup-hits'), dash: [6, 4] },
    ];
  }
  return null;
}

function title(kind, lang) {
  const own = { 'redelivered-lost': 'chart.redelivered-lost', duplicates: 'chart.duplicates' }[kind];
  return own ? wt(lang, own) : t(lang, `charts.${kind}`);
}

/** The charts of one widget in `target`; `update` feeds them the accumulated series. */
export class Plots {
  /** `markers`: a function returning the markers to draw now ([{tMs, label, source}]). */
  constructor(target, kinds, names, { lang, endMs, markers = null }) {
    this.target = target;
    this.charts = [];
    target.replaceChildren();
    target.hidden = kinds.length === 0;
    // Every box first, then the charts: each takes its box's width once the grid has placed them all.
    const boxes = kinds.map((kind) => {
      const plot = element('div', { class: 'plot' });
      target.append(element('figure', { 'data-chart': kind }, element('figcaption', { text: title(kind, lang) }), plot));
      return plot;
    });
    this.charts = kinds.map((kind, i) => new Chart(boxes[i], kind, names, { lang, height: CHART_HEIGHT, endMs, lines: ownLines(kind, names, lang), markers }));
    // A chart is as wide as its box: follow the box (the page's width, a phone turned).
    this.widths = boxes.map((b) => b.clientWidth);
    this.observer = new ResizeObserver(() => {
      boxes.forEach((box, i) => {
        if (box.clientWidth === this.widths[i]) return;
        this.widths[i] = box.clientWidth;
        this.charts[i]?.resize();
      });
    });
    for (const box of boxes) this.observer.observe(box);
  }

  get kinds() {
    return this.charts.map((c) => c.kind);
  }

  update(columns) {
    for (const chart of this.charts) chart.update(columns);
  }

  /** Draws again with the same data (new markers). */
  redraw() {
    for (const chart of this.charts) chart.redraw();
  }

  destroy() {
    this.observer.disconnect();
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }
}
