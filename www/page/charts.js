// The charts panel: one card per chart the scenario's series call for
// (lib/chart-lines.js picks them: no queue chart without queues, the Kafka
// charts where there are consumer groups), each with a PNG export and every
// fault and live action marked; the lag chart shows each partition on demand.
import { Chart, chartKinds, download } from '../lib/charts.js';
import { t } from '../lib/i18n.js';
import { $, element, guarded } from './dom.js';
import { chartMarkers } from './markers.js';
import { page } from './run.js';
import { scenarioName } from './share.js';

let charts = [];
/** The lag chart shows each partition's lag rather than each group's total. */
let perPartition = false;

/** (Re)builds the charts for the current session and language. */
export function buildCharts() {
  for (const chart of charts) chart.destroy();
  charts = [];
  const container = $('charts');
  container.replaceChildren();
  const names = Object.keys(page.session.sim.series(0));
  for (const kind of chartKinds(names)) charts.push(chartCard(container, kind, names));
  if (page.session.columns) updateCharts();
}

function chartCard(container, kind, names) {
  const lang = page.lang;
  const title = t(lang, `charts.${kind}`);
  const png = element('button', { type: 'button', class: 'small', text: t(lang, 'charts.png'), 'aria-label': `${t(lang, 'charts.png')}: ${title}` });
  const caption = element('figcaption', {}, element('span', { text: title }));
  if (kind === 'lag') caption.append(partitionToggle());
  caption.append(png);
  const plot = element('div', { class: 'chart' });
  const figure = element('figure', { class: 'chart-card', 'data-chart': kind }, caption, plot);
  container.append(figure);
  const chart = new Chart(plot, kind, names, { lang, endMs: page.session.endMs, perPartition, markers: chartMarkers });
  png.addEventListener('click', guarded(async () => download(`${scenarioName()}-${kind}.png`, await chart.png(title))));
  return chart;
}

/** "Per partition": the lag chart's switch between each group's total and each partition's lag. */
function partitionToggle() {
  const b = element('button', { type: 'button', class: 'small', 'aria-pressed': String(perPartition), testid: 'lag-per-partition', text: t(page.lang, 'charts.per-partition') });
  b.addEventListener(
    'click',
    guarded(() => {
      perPartition = !perPartition;
      buildCharts();
    }),
  );
  return b;
}

/** Gives every chart the samples accumulated so far (and draws the markers up to now). */
export function updateCharts() {
  for (const chart of charts) chart.update(page.session.columns);
}

export function resizeCharts() {
  for (const chart of charts) chart.resize();
}

export function exportCsv() {
  download(`${scenarioName()}-series.csv`, new Blob([page.session.sim.seriesCsv()], { type: 'text/csv' }));
}
