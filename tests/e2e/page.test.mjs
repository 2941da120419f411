// End-to-end test of the web page in headless Chromium (Debian's, never a
// downloaded one). Needs `scripts/build-web.sh` to have run; `scripts/test.sh`
// does that. Run alone with `node --test tests/e2e/`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = path.join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
];
// The presets this test knows about; the page may list more.
const PRESETS = ['peak-shaving', 'mmc-erlang-c', 'consumer-crash-manual-ack', 'consumer-crash-auto-ack', 'poison-message-dlq'];
const RUN_TIMEOUT_MS = 60_000;

let server;
let browser;
let page;
const problems = []; // console errors and uncaught page errors

before(async () => {
  assert.ok(
    existsSync(path.join(ROOT, 'www/pkg/mqsim.js')) && existsSync(path.join(ROOT, 'www/vendor/uPlot.esm.js')),
    'www/pkg or www/vendor is missing: run scripts/build-web.sh first',
  );
  await mkdir(RESULTS, { recursive: true });
  server = await startServer({ root: ROOT, port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
});

after(async () => {
  if (page) await page.screenshot({ path: path.join(RESULTS, 'e2e-final.png'), fullPage: true }).catch(() => {});
  await browser?.close();
  await server?.close();
});

/** The raw values the page put in the summary's `data-value` attributes. */
function readSummary() {
  return page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll('#summary dd')) out[el.id] = el.dataset.value;
    return out;
  });
}

/** The native CLI's result for a preset: {summary, series}. */
async function nativeRun(preset) {
  const { stdout } = await promisify(execFile)(
    'cargo',
    ['run', '--release', '--quiet', '--bin', 'mqsim', '--', 'run', preset, '--format', 'json'],
    { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(stdout);
}

test('the page loads the presets and draws an empty chart', async () => {
  const names = await page.$$eval('#preset option', (options) => options.map((o) => o.value));
  for (const name of PRESETS) assert.ok(names.includes(name), `preset ${name} missing from ${names}`);
  assert.equal(await page.inputValue('#preset'), 'peak-shaving');
  assert.equal(await page.getAttribute('[data-testid="status"]', 'data-state'), 'ready');
  assert.equal(await page.locator('#chart canvas').count(), 1, 'the chart has a canvas');
  assert.match(await page.textContent('#description'), /100,000/);
  assert.equal(await page.isHidden('#error'), true);
});

test('peak-shaving runs to the end with the right numbers', { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
  await page.selectOption('#preset', 'peak-shaving');
  await page.click('#run-to-end');
  await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: RUN_TIMEOUT_MS });
  const s = await readSummary();
  assert.equal(s.produced, '100000');
  assert.equal(s.processed, '100000');
  for (const id of ['in-flight', 'stored', 'dead-lettered', 'dropped', 'lost', 'redeliveries']) assert.equal(s[id], '0', id);
  const peak = Number(s['peak-backlog']);
  assert.ok(peak >= 99000 && peak <= 99001, `peak backlog ${peak}`);
  const peakAt = Number(s['peak-backlog-at']);
  assert.ok(Math.abs(peakAt - 1000) <= 50, `peak backlog at ${peakAt} ms, expected about 1 s`);
  assert.equal(s.ledger, 'true');
  assert.match(s['trace-hash'], /^[0-9a-f]{16}$/);
  assert.equal(await page.textContent('#ledger'), 'balanced');
  assert.equal(await page.textContent('#produced'), '100,000');
  // Latency percentiles: the last of 100,000 messages waits about 99 s.
  const [p50, p95, p99] = ['latency-p50', 'latency-p95', 'latency-p99'].map((id) => Number(s[id]));
  assert.ok(p50 > 40_000 && p50 < p95 && p95 < p99 && p99 < 100_000, `latency ${p50} ${p95} ${p99}`);
  assert.equal(Number(await page.getAttribute('#sim-time', 'data-value')), 102_000);
  assert.equal(await page.locator('#chart canvas').count(), 1);
  await page.screenshot({ path: path.join(RESULTS, 'peak-shaving.png'), fullPage: true });
});

test('the page and the native CLI agree on peak-shaving', { timeout: 600_000 }, async () => {
  const native = await nativeRun('peak-shaving');
  const shown = await readSummary();
  assert.equal(shown['trace-hash'], native.summary.trace_hash);
  assert.equal(Number(shown['peak-backlog']), native.summary.peak_backlog.messages);
  // The whole summary, computed afresh in the page's wasm, equals the native one.
  const inPage = await page.evaluate(async () => {
    const api = await import('/www/pkg/mqsim.js');
    await api.default();
    const sim = api.Simulation.fromPreset('peak-shaving');
    sim.runToEnd();
    const summary = sim.summary();
    sim.free();
    return summary;
  });
  assert.deepEqual(inPage, native.summary);
});

test('a bad scenario throws an Error naming the JSON path', async () => {
  const result = await page.evaluate(async () => {
    const api = await import('/www/pkg/mqsim.js');
    await api.default();
    const scenario = JSON.parse(api.presetJson('peak-shaving'));
    scenario.producers[0].arrivals = { poisson: { rate: -5 } };
    try {
      new api.Simulation(JSON.stringify(scenario));
      return { threw: false };
    } catch (err) {
      return { threw: true, isError: err instanceof Error, message: String(err.message) };
    }
  });
  assert.equal(result.threw, true, 'new Simulation accepted a negative rate');
  assert.equal(result.isError, true, 'what was thrown is an Error');
  assert.match(result.message, /producers\[0\]\.arrivals\.poisson\.rate/);
  assert.doesNotMatch(result.message, /\n/, 'the message is one line');
});

test('every preset runs to the end in the page', { timeout: RUN_TIMEOUT_MS * 4 }, async () => {
  const names = await page.$$eval('#preset option', (options) => options.map((o) => o.value));
  for (const name of names.filter((n) => n !== 'peak-shaving')) {
    await page.selectOption('#preset', name);
    await page.click('#run-to-end');
    await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: RUN_TIMEOUT_MS });
    const s = await readSummary();
    assert.equal(s.ledger, 'true', `${name}: ledger balanced`);
    assert.match(s['trace-hash'], /^[0-9a-f]{16}$/, name);
  }
});

test('no console errors or page errors', () => {
  assert.deepEqual(problems, []);
});
