// The charts panel: one card per chart the scenario's series call for
// (lib/charts.js picks them), each with a PNG export; the series CSV export.
import { Chart, chartKinds, download } from '../lib/charts.js';
import { t } from '../lib/i18n.js';
import { $, element, guarded } from './dom.js';
import { page } from './run.js';
import { scenarioName } from './share.js';

let charts = [];

/** (Re)builds the charts for the current session and language. */
export function buildCharts() {
  for (const chart of charts) chart.destroy();
  charts = [];
  const container = $('charts');
  container.replaceChildren();
  const session = page.session;
  const names = Object.keys(session.sim.series(0));
  for (const kind of chartKinds(names)) {
    const title = t(page.lang, `charts.${kind}`);
    const png = element('button', { type: 'button', class: 'small', text: t(page.lang, 'charts.png'), 'aria-label': `${t(page.lang, 'charts.png')}: ${title}` });
    const plot = element('div', { class: 'chart' });
    const figure = element('figure', { class: 'chart-card', 'data-chart': kind }, element('figcaption', {}, element('span', { text: title }), png), plot);
    container.append(figure);
    const chart = new Chart(plot, kind, names, { lang: page.lang, endMs: session.endMs });
    png.addEventListener('click', guarded(async () => download(`${scenarioName()}-${kind}.png`, await chart.png(title))));
    charts.push(chart);
  }
  if (session.columns) updateCharts();
}

/** Gives every chart the samples accumulated so far. */
export function updateCharts() {
  for (const chart of charts) chart.update(page.session.columns);
}

export function resizeCharts() {
  for (const chart of charts) chart.resize();
}

export function exportCsv() {
  download(`${scenarioName()}-series.csv`, new Blob([page.session.sim.seriesCsv()], { type: 'text/csv' }));
}
