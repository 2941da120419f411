// The charts panel: one card per chart the scenario's series call for
// (lib/chart-lines.js picks them: no queue chart without queues, the Kafka
// charts where there are consumer groups), each with a PNG export and every
// fault and live action marked; the lag chart shows each partition on demand.
import { Chart, chartKinds, download } from '../lib/charts.js';
import { formatNumber, formatSeconds } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { $, element, guarded } from './dom.js';
import { chartMarkers, markerList, markerText } from './markers.js';
import { page } from './run.js';
import { scenarioName } from './share.js';

/** [{chart, text}]: each chart and the text alternative under it. */
let charts = [];
/** The lag chart shows each partition's lag rather than each group's total. */
let perPartition = false;

/** (Re)builds the charts for the current session and language. */
export function buildCharts() {
  for (const { chart } of charts) chart.destroy();
  charts = [];
  const container = $('charts');
  container.replaceChildren();
  const names = Object.keys(page.session.sim.series(0));
  for (const kind of chartKinds(names)) charts.push(chartCard(container, kind, names));
  updateCharts();
}

function chartCard(container, kind, names) {
  const lang = page.lang;
  const title = t(lang, `charts.${kind}`);
  const png = element('button', { type: 'button', class: 'small', text: t(lang, 'charts.png'), 'aria-label': `${t(lang, 'charts.png')}: ${title}` });
  const caption = element('figcaption', {}, element('span', { text: title }));
  if (kind === 'lag') caption.append(partitionToggle());
  caption.append(png);
  const plot = element('div', { class: 'chart', 'aria-hidden': 'true' });
  // What the canvas shows, in words: the last sample of each line, and the marked faults and actions.
  const text = element('p', { class: 'visually-hidden chart-now', testid: `chart-now-${kind}` });
  const figure = element('figure', { class: 'chart-card', 'data-chart': kind }, caption, plot, text);
  container.append(figure);
  const chart = new Chart(plot, kind, names, { lang, endMs: page.session.endMs, perPartition, markers: chartMarkers });
  png.addEventListener('click', guarded(async () => download(`${scenarioName()}-${kind}.png`, await chart.png(title))));
  return { chart, text };
}

/** The text alternative of a chart: "at 31.000 s: eager 1,156; cooperative 187. Marked: …" (each value also in a data-value). */
function describeChart({ chart, text }) {
  const lang = page.lang;
  const now = chart.latest();
  const items = (now?.lines ?? []).map((line) => element('span', { 'data-column': line.column, 'data-value': line.value == null ? '' : String(line.value), text: `${line.label} ${line.value == null ? '–' : formatNumber(line.value, lang, 2)}; ` }));
  const marked = markerList().filter((m) => m.source !== 'engine');
  text.replaceChildren(
    now ? `${t(lang, 'charts.at', { t: formatSeconds(now.tMs) })}: ` : '',
    ...items,
    marked.length ? `${t(lang, 'charts.marked')}: ${marked.map((m) => `${formatSeconds(m.tMs)} ${markerText(m)}`).join('; ')}` : '',
  );
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
  for (const card of charts) {
    card.chart.update(page.session.columns);
    describeChart(card);
  }
}

export function resizeCharts() {
  for (const { chart } of charts) chart.resize();
}

export function exportCsv() {
  download(`${scenarioName()}-series.csv`, new Blob([page.session.sim.seriesCsv()], { type: 'text/csv' }));
}
