// The static site that scripts/build-site.sh writes to dist/, served as a
// static host would serve it under a sub-path (/mqsim/, as GitHub Pages
// serves a project site): the page and the docs page work there, and
// nothing is fetched from outside the sub-path.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, countWidgetEvents, launch, waitForWidgets } from '../e2e/helpers.mjs';

const DIST = path.join(ROOT, 'dist');
const BASE = '/mqsim/';

let env;

before(async () => {
  assert.ok(existsSync(path.join(DIST, 'index.html')), 'dist/ is missing: run bash scripts/build-site.sh first');
  env = await launch({ root: DIST, base: BASE });
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

/** Opens `url` under the base; resolves to the page and every path it requested. */
async function open(url) {
  const page = await env.newPage();
  const requests = [];
  page.on('request', (req) => requests.push(new URL(req.url()).pathname));
  await page.addInitScript(countWidgetEvents);
  await page.goto(new URL(url, env.server.url).href);
  return { page, requests };
}

test('the page runs a preset to its end under /mqsim/', { timeout: 120_000 }, async () => {
  const { page, requests } = await open('');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.click('#run-to-end');
  await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: 90_000 });
  assert.match(await page.textContent('#trace-hash'), /^[0-9a-f]{16}$/);
  assert.deepEqual(requests.filter((p) => !p.startsWith(BASE)), [], 'everything from under the base');
  await page.close();
});

test('the docs page loads every widget under /mqsim/', { timeout: 120_000 }, async () => {
  const { page, requests } = await open('www/docs.html');
  await waitForWidgets(page);
  const events = await page.evaluate(() => window.mqEvents);
  assert.deepEqual(events.filter((e) => e.name === 'mq-error'), []);
  assert.ok(events.filter((e) => e.name === 'mq-ready').length >= 7, `${events.length} widgets ready`);
  assert.ok(requests.includes(`${BASE}www/pkg/mqsim_bg.wasm`));
  assert.deepEqual(requests.filter((p) => !p.startsWith(BASE)), [], 'everything from under the base');
  await page.close();
});

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
