// The charts a scenario gets, and the markers on them (issue G §1, §8): a
// queue scenario gets a queue-depth chart and no Kafka chart; a Kafka one gets
// consumer lag and partitions owned, and no empty queue chart; each chart's
// last values are the engine's sampled series; every fault and live action is
// marked, and the log lists them all at the end of a long run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, screenshotPath } from './helpers.mjs';

const RUN_TIMEOUT_MS = 60_000;

let env;
let page;

before(async () => {
  env = await launch();
  page = await env.newPage();
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

async function open(preset) {
  await page.goto('about:blank');
  await page.goto(new URL(`/#preset=${preset}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

async function runTo(seconds) {
  await page.fill('#run-to-time', String(seconds));
  await page.click('#run-to');
  await page.waitForFunction((ms) => Number(document.getElementById('sim-time').dataset.value) >= ms && document.getElementById('status').dataset.state !== 'running', seconds * 1000, { timeout: RUN_TIMEOUT_MS });
}

const chartKinds = () => page.$$eval('#charts .chart-card', (cards) => cards.map((c) => c.dataset.chart));

/** A chart's last values as its text alternative gives them: {column: value}. */
function chartNow(kind) {
  return page.$$eval(`[data-testid="chart-now-${kind}"] span[data-column]`, (spans) => Object.fromEntries(spans.map((s) => [s.dataset.column, s.dataset.value === '' ? null : Number(s.dataset.value)])));
}

/** The engine's sampled series now, read from the page's own simulation: {column: last value}. */
function engineLast() {
  return page.evaluate(async () => {
    const { page: p } = await import('/www/page/run.js');
    const series = p.session.sim.series(0);
    return Object.fromEntries(Object.entries(series).map(([name, values]) => [name, values.at(-1)]));
  });
}

test('a queue scenario gets queue depth and no Kafka chart; its depth chart ends at the engine’s last sample', { timeout: RUN_TIMEOUT_MS }, async () => {
  await open('peak-shaving');
  assert.deepEqual(await chartKinds(), ['depth', 'rates', 'latency', 'outcomes']);
  await runTo(1.5);
  const shown = await chartNow('depth');
  const engine = await engineLast();
  assert.equal(shown['depth.orders'], engine['depth.orders']);
  assert.ok(shown['depth.orders'] > 90_000, `the burst's backlog is on the chart: ${shown['depth.orders']}`);
});

/** The first sampled instant (ms) at which `column` of `preset` is below `below`, from a run of the engine in the page. */
function firstSampleBelow(preset, column, below) {
  return page.evaluate(
    async ({ preset, column, below }) => {
      const api = await (await import('/www/lib/wasm.js')).loadWasm();
      const sim = new api.Simulation(await api.presetJson(preset));
      sim.runToEnd();
      const series = sim.series(0);
      sim.free();
      const i = series[column].findIndex((v, k) => series.t_ms[k] > 0 && v < below);
      return i < 0 ? null : series.t_ms[i];
    },
    { preset, column, below },
  );
}

test('a Kafka scenario gets consumer lag and partitions owned, no empty queue chart, and a rebalance is a dip', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  await open('kafka-rebalance-eager-vs-cooperative');
  const kinds = await chartKinds();
  assert.ok(!kinds.includes('depth'), `no queue-depth chart without queues: ${kinds}`);
  assert.deepEqual(kinds.slice(0, 2), ['lag', 'owned'], `lag first, then partitions owned: ${kinds}`);
  const owned = 'owned.eager';
  // The eager group's first rebalance (a member joins at 10 s) revokes every partition: run to a sample inside it.
  const dip = await firstSampleBelow('kafka-rebalance-eager-vs-cooperative', owned, 6);
  assert.ok(dip >= 10_000, `eager's first dip at ${dip} ms`);
  await runTo(dip / 1000);
  const engine = await engineLast();
  const lag = await chartNow('lag');
  for (const group of ['eager', 'cooperative']) assert.equal(lag[`lag.${group}`], engine[`lag.${group}`], `lag of ${group}`);
  const shown = await chartNow('owned');
  const partitions = await page.$$eval('[data-testid="chart-now-owned"] span', (spans) => Number(spans[0].dataset.value));
  assert.equal(partitions, 6, 'the dashed line: the topic’s 6 partitions');
  assert.equal(shown[owned], engine[owned]);
  assert.ok(shown[owned] < partitions, `eager owns ${shown[owned]} of 6 during its rebalance: the dip, shaded`);
  await page.locator('[data-chart="owned"]').screenshot({ path: screenshotPath('chart-owned.png') });
  // Per partition on demand: one line per group and partition.
  await page.click('[data-testid="lag-per-partition"]');
  const perPartition = await chartNow('lag');
  assert.equal(Object.keys(perPartition).length, 12, Object.keys(perPartition).join(' '));
  assert.equal(perPartition['lag.eager.clicks-0'], engine['lag.eager.clicks-0']);
  assert.equal(await page.getAttribute('[data-testid="lag-per-partition"]', 'aria-pressed'), 'true');
  await page.click('[data-testid="lag-per-partition"]');
});

test('a Kafka scenario charts each group’s committed offset against the high watermark', { timeout: RUN_TIMEOUT_MS }, async () => {
  await open('kafka-commit-modes-crash');
  assert.ok((await chartKinds()).includes('offsets'));
  await runTo(12);
  const engine = await engineLast();
  const shown = await chartNow('offsets');
  for (const group of ['auto-commit', 'at-least-once', 'at-most-once']) {
    assert.equal(shown[`committed.${group}`], engine[`committed.${group}`], `${group} committed`);
    assert.equal(shown[`hw.${group}`], engine[`hw.${group}`], `${group} high watermark`);
    assert.ok(shown[`committed.${group}`] <= shown[`hw.${group}`]);
  }
});

test('every fault and live action is marked on every time chart, with its label', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  await open('consumer-crash-manual-ack');
  await runTo(3);
  await page.click('[data-testid="crash-worker-1"]');
  await runTo(13);
  const marks = await page.evaluate(async () => (await import('/www/page/markers.js')).chartMarkers().filter((m) => m.source !== 'engine'));
  assert.deepEqual(
    marks.map((m) => [m.tMs, m.source]),
    [
      [3000, 'action'],
      [5000, 'fault'],
      [12000, 'fault'],
    ],
  );
  assert.ok(marks.every((m) => m.label && !/^[a-z_.]+$/.test(m.label)), `labelled in words: ${marks.map((m) => m.label)}`);
  // Each time chart's text alternative lists them.
  const texts = await page.$$eval('#charts .chart-now', (ps) => ps.map((p) => p.textContent));
  assert.equal(texts.length, 4);
  for (const text of texts) assert.match(text, /3\.000 s .*5\.000 s .*12\.000 s /, text);
  await page.locator('#charts').screenshot({ path: screenshotPath('chart-markers.png') });
});

test('at the end of a Kafka run the log’s faults and actions are all there, not the ring’s latest', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  await open('kafka-rebalance-eager-vs-cooperative');
  await page.click('#run-to-end');
  await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: RUN_TIMEOUT_MS });
  await page.selectOption('#log-filter', 'faults');
  const rows = await page.$$eval('#log tbody tr', (trs) => trs.map((tr) => ({ time: tr.cells[0].textContent, kind: tr.cells[1].textContent, where: tr.cells[3].textContent, source: tr.className })));
  const faults = rows.filter((r) => r.source === 'fault');
  assert.ok(faults.length >= 6, `the scenario's six faults: ${JSON.stringify(rows.slice(0, 10))}`);
  assert.ok(rows.some((r) => r.time === '10.000 s') && rows.some((r) => r.time === '30.000 s'), 'the first and the last fault are still listed');
  assert.doesNotMatch(await page.textContent('#log-count'), /^latest 0 /);
  await page.selectOption('#log-filter', 'all');
});

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
