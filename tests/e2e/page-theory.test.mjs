// The theory panel applies a model only where it fits (issue G §6), as the
// engine's summary says (model, note, burst): the burst model's prediction
// next to the measurement for peak shaving, M/M/c for M/M/10, words instead
// of figures once consumers were added live, and for a Kafka group that
// rebalanced.
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

async function open(preset, lang = 'en') {
  await page.goto('about:blank');
  await page.goto(new URL(`/#preset=${preset}&lang=${lang}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

async function runTo(seconds) {
  await page.fill('#run-to-time', String(seconds));
  await page.click('#run-to');
  await page.waitForFunction((ms) => Number(document.getElementById('sim-time').dataset.value) >= ms && document.getElementById('status').dataset.state !== 'running', seconds * 1000, { timeout: RUN_TIMEOUT_MS });
}

async function runToEnd() {
  await page.click('#run-to-end');
  await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: RUN_TIMEOUT_MS });
}

/** A burst figure's cells: {predicted, measured} raw values, and the row's text. */
function burstFigure(queue, figure) {
  return page.$eval(`#theory [data-queue="${queue}"] tr[data-figure="${figure}"]`, (row) => ({
    predicted: row.cells[1].dataset.value == null ? null : Number(row.cells[1].dataset.value),
    measured: row.cells[2].dataset.value == null ? null : Number(row.cells[2].dataset.value),
    text: row.textContent,
  }));
}

test('peak shaving: the burst model predicts 99,000 at 1 s and 100 s to drain, next to the measured 99,000 at 1 s and about 100 s', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  await open('peak-shaving');
  await runToEnd();
  const orders = page.locator('#theory [data-queue="orders"]');
  assert.equal(await orders.getAttribute('data-model'), 'burst');
  assert.doesNotMatch(await orders.textContent(), /unstable|ρ/, 'no M/M/c figures for a burst');
  const peak = await burstFigure('orders', 'peak');
  assert.equal(peak.predicted, 99_000);
  assert.equal(peak.measured, 99_000);
  assert.match(peak.text, /99,000 at t = 1\.00 s.*99,000 at t = 1\.00 s/);
  const drain = await burstFigure('orders', 'drain');
  assert.equal(drain.predicted, 100_000);
  assert.ok(Math.abs(drain.measured - 100_000) < 100, `drained in ${drain.measured} ms`);
  assert.match(await orders.textContent(), /h = 100,000 messages arrived over d = 1\.00 s.*r = 1,000/);
  await orders.screenshot({ path: screenshotPath('theory-burst.png') });
});

test('M/M/10: M/M/c applies, and the panel sets its figures next to the measured ones', { timeout: RUN_TIMEOUT_MS }, async () => {
  await open('mmc-erlang-c');
  await runTo(20);
  const jobs = page.locator('#theory [data-queue="jobs"]');
  assert.equal(await jobs.getAttribute('data-model'), 'mmc');
  assert.equal(await jobs.getAttribute('data-note'), '');
  assert.match(await jobs.textContent(), /M\/M\/c applies \(Poisson arrivals, exponential service\)/);
  const engine = await page.evaluate(async () => (await import('/www/page/run.js')).page.session.summary().queues[0].overlay);
  assert.equal(Number(await jobs.locator('td[data-value]').getAttribute('data-value')), engine.rho, 'ρ as the engine has it');
  assert.ok(engine.rho > 0.8 && engine.rho < 1, `ρ ${engine.rho}`);
});

test('consumers added live: no single c describes the queue, so the panel shows no M/M/c figures and says why', { timeout: RUN_TIMEOUT_MS }, async () => {
  await open('mmc-erlang-c');
  await runTo(5);
  await page.click('[data-testid="plus-worker"]');
  await page.click('[data-testid="plus-worker"]');
  await runTo(10);
  const jobs = page.locator('#theory [data-queue="jobs"]');
  assert.equal(await jobs.getAttribute('data-model'), 'none');
  assert.equal(await jobs.getAttribute('data-note'), 'consumers_changed');
  assert.equal(await jobs.locator('table').count(), 0, 'no figures');
  assert.match(await jobs.textContent(), /The number of consumers changed during the run, so no single c describes it: M\/M\/c does not apply\./);
});

test('a Kafka group that rebalanced: no model, and why, in both languages', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  for (const [lang, words] of [
    ['en', /rebalanced, so no single c describes it/],
    ['zh', /重平衡/],
  ]) {
    await open('kafka-rebalance-eager-vs-cooperative', lang);
    await runToEnd();
    for (const group of ['eager', 'cooperative']) {
      const item = page.locator(`#theory [data-queue="${group}"]`);
      assert.equal(await item.getAttribute('data-model'), 'none', `${group} (${lang})`);
      assert.equal(await item.getAttribute('data-note'), 'kafka_members_changed');
      assert.equal(await item.locator('table').count(), 0);
      assert.match(await item.textContent(), words);
    }
  }
});

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
