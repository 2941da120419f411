// The Docusaurus example (examples/docusaurus/, React 19), built with
// `npm run build` from the packed mqsim-widgets tarball, served statically
// under its baseUrl (/docs/) as any static host would: each page's widget
// runs to its end, client-side navigation brings the next page's widget up
// with its `controls=""` (React 19 sets it as a property), the <mq-sim> with
// the site's own scenario gives the trace hash `mqsim run` gives, dark mode
// reaches the widgets, and nothing logs an error.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, countWidgetEvents, launch, nativeSummary, runAllToEnd, waitForWidgets } from '../e2e/helpers.mjs';

const SITE = path.join(ROOT, 'examples/docusaurus/build');
const BASE = '/docs/';
const OWN_SCENARIO = path.join(ROOT, 'examples/docusaurus/static/scenarios/bookshop.json');

let env;
let page;

before(async () => {
  assert.ok(existsSync(path.join(SITE, 'index.html')), 'the example is not built: run bash scripts/test-examples.sh');
  env = await launch({ root: SITE, base: BASE });
  page = await env.newPage();
  await page.addInitScript(countWidgetEvents);
  await page.goto(env.server.url);
  await waitForWidgets(page);
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

/** Follows a link in the page, as a reader does: Docusaurus's router swaps the content without loading a page. */
async function navigate(linkText, widget) {
  await page.evaluate(() => (window.samePage = true));
  await page.getByRole('link', { name: linkText }).first().click();
  await page.waitForFunction((widget) => document.querySelector(widget)?.summary != null, widget, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.samePage), true, 'client-side navigation, not a page load');
}

test('the English demo on the home page runs to its end', { timeout: 180_000 }, async () => {
  const [peak] = await runAllToEnd(page);
  assert.deepEqual([peak.tag, peak.lang], ['mq-peak-shaving-demo', 'en']);
  assert.equal(peak.hash, (await nativeSummary('peak-shaving')).trace_hash);
  const title = await page.$eval('mq-peak-shaving-demo', (el) => el.shadowRoot.querySelector('.title').textContent);
  assert.match(title, /^Peak shaving/);
});

test('after client-side navigation, the Chinese demo runs to its end', { timeout: 180_000 }, async () => {
  await navigate('可靠性', 'mq-reliability-demo');
  const [reliability] = await runAllToEnd(page);
  assert.deepEqual([reliability.tag, reliability.lang], ['mq-reliability-demo', 'zh']);
  assert.equal(reliability.hash, (await nativeSummary('consumer-crash-manual-ack')).trace_hash);
  const bar = await page.$eval('mq-reliability-demo', (el) => ({ controls: el.controls, shown: !el.shadowRoot.querySelector('.bar').hidden, play: el.shadowRoot.querySelector('.play').textContent }));
  assert.deepEqual({ ...bar, play: ['播放', '暂停'].includes(bar.play) }, { controls: true, shown: true, play: true }, 'controls="" is on after navigation');
});

test('the <mq-sim> with the site’s own scenario (through useBaseUrl) gives mqsim run’s trace hash', { timeout: 180_000 }, async () => {
  await navigate('Our own scenario', 'mq-sim');
  assert.equal(await page.$eval('mq-sim', (el) => el.getAttribute('scenario')), `${BASE}scenarios/bookshop.json`);
  const [own] = await runAllToEnd(page);
  assert.equal(own.hash, (await nativeSummary(OWN_SCENARIO)).trace_hash);
  const watch = await page.$eval('mq-sim', (el) => el.shadowRoot.querySelector('.watch').textContent);
  assert.match(watch, /^A bookshop's order queue/, 'the scenario’s own description');
});

test('an invalid scenario in the built site fires mq-error with its JSON path, shown in the widget', { timeout: 60_000 }, async () => {
  const error = await page.evaluate(async () => {
    const el = document.createElement('mq-sim');
    el.setAttribute('scenario', '{"name": "bad", "seed": 1, "duration": "10s", "queues": [{"name": "q"}], "producers": [{"name": "p", "queue": "q", "arrivals": {"poisson": {"rate": -5}}}], "consumers": [{"name": "c", "queue": "q", "service": {"constant": "10ms"}}]}');
    const reported = new Promise((resolve) => el.addEventListener('mq-error', (e) => resolve(e.detail), { once: true }));
    document.querySelector('article').append(el);
    const detail = await reported;
    const shown = el.shadowRoot.querySelector('.error').textContent;
    el.remove();
    return { ...detail, shown };
  });
  assert.equal(error.path, 'producers[0].arrivals.poisson.rate');
  assert.equal(error.shown, error.message);
});

test('Docusaurus’s dark mode (html[data-theme=dark]) reaches the widgets', { timeout: 60_000 }, async () => {
  const background = () => page.$eval('mq-sim', (el) => getComputedStyle(el.shadowRoot.querySelector('.frame')).backgroundColor);
  const light = await background();
  // The navbar's toggle steps through its modes (system, light, dark): click until dark.
  for (let i = 0; i < 3 && (await page.evaluate(() => document.documentElement.dataset.theme)) !== 'dark'; i++) {
    await page.getByRole('button', { name: /dark mode|light mode|system mode/i }).first().click();
  }
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.waitForFunction((light) => getComputedStyle(document.querySelector('mq-sim').shadowRoot.querySelector('.frame')).backgroundColor !== light, light, { timeout: 5_000 });
  assert.deepEqual([light, await background()], ['rgb(255, 255, 255)', 'rgb(31, 35, 40)']);
});

test('no console errors, page errors or failed requests', () => {
  assert.deepEqual(env.problems, []);
});
