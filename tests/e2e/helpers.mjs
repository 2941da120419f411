// Shared setup for the browser end-to-end tests: the static server, Debian's
// headless Chromium (never a downloaded one), a page that records every
// console error and uncaught exception, and axe-core's accessibility check.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = path.join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
];
export const VIEWPORT = { width: 1320, height: 1000 };

/**
 * Starts the server and the browser; `problems` collects console errors and page errors.
 * By default the server serves the repository at /; `{root, base}` serve another
 * folder (a built site) at another path (`/mqsim/`).
 */
export async function launch({ root = ROOT, base = '/' } = {}) {
  assert.ok(
    existsSync(path.join(ROOT, 'www/pkg/mqsim.js')) && existsSync(path.join(ROOT, 'www/vendor/uPlot.esm.js')),
    'www/pkg or www/vendor is missing: run scripts/build-web.sh first',
  );
  await mkdir(RESULTS, { recursive: true });
  const server = await startServer({ root, port: 0, base });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const problems = [];
  const watch = (page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    return page;
  };
  const newPage = async (options = {}) => watch(await browser.newPage({ viewport: VIEWPORT, acceptDownloads: true, ...options }));
  return { server, browser, problems, newPage };
}

export function screenshotPath(name) {
  return path.join(RESULTS, name);
}

/** axe-core's impacts that fail a test; "moderate" and "minor" are reported, not failed on. */
export const AXE_BLOCKING = new Set(['serious', 'critical']);

const require = createRequire(import.meta.url);
let axeSource = null;

/**
 * axe-core (npm, package.json's devDependencies) run on the page as it is now,
 * looking inside open shadow roots too: its violations as
 * [{id, impact, help, targets}], every impact, for the caller to filter
 * (e.g. with AXE_BLOCKING).
 */
export async function runAxe(page, context = 'document') {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (selector) => {
    const target = selector === 'document' ? document : document.querySelector(selector);
    return (await window.axe.run(target, { resultTypes: ['violations'] })).violations;
  }, context);
  return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * The native CLI's summary of a scenario (a preset name or a scenario file):
 * `mqsim run … --format json`'s `summary`, to compare a widget's trace hash with.
 */
export async function nativeSummary(scenario) {
  const { stdout } = await promisify(execFile)('cargo', ['run', '--release', '--quiet', '--bin', 'mqsim', '--', 'run', scenario, '--format', 'json'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout).summary;
}

/** Waits until every mq-* element on the page has sent mq-ready or mq-error (counted by `countWidgetEvents`). */
export async function waitForWidgets(page, timeout = 60_000) {
  await page.waitForFunction(
    () => {
      const widgets = [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('mq-'));
      return widgets.length > 0 && (window.mqEvents ?? []).filter((e) => e.name === 'mq-ready' || e.name === 'mq-error').length >= widgets.length;
    },
    null,
    { timeout },
  );
}

/** An init script: records every widget event in window.mqEvents, from the page's start. */
export function countWidgetEvents() {
  window.mqEvents = [];
  for (const name of ['mq-ready', 'mq-finished', 'mq-error']) {
    document.addEventListener(name, (e) => window.mqEvents.push({ name, tag: e.target.localName, id: e.target.id, detail: name === 'mq-finished' ? { trace_hash: e.detail.summary.trace_hash, now_ms: e.detail.summary.now_ms } : e.detail }));
  }
}

/** Plays every widget on the page to its end at full speed, one after the other; resolves to [{tag, id, lang, hash}] in page order. */
export async function runAllToEnd(page, timeout = 120_000) {
  const count = await page.evaluate(() => [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('mq-')).length);
  for (let i = 0; i < count; i++) {
    await page.evaluate((i) => {
      const el = [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('mq-'))[i];
      el.scrollIntoView(); // an off-screen widget pauses
      el.finishedRun = false;
      el.addEventListener('mq-finished', () => (el.finishedRun = true), { once: true });
      el.reset();
      el.speed = 'max';
      el.play();
    }, i);
    await page.waitForFunction((i) => [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('mq-'))[i].finishedRun, i, { timeout });
  }
  return page.evaluate(() => [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('mq-')).map((el) => ({ tag: el.localName, id: el.id, lang: el.lang, hash: el.summary.trace_hash })));
}
