// The VitePress example (examples/vitepress/), built with `npm run build`
// from the packed mqsim-widgets tarball, served statically under its base
// (/guide/) as any static host would: each page's widget runs to its end,
// client-side navigation brings the next page's widget up, the <mq-sim> with
// the site's own scenario gives the trace hash `mqsim run` gives, dark mode
// reaches the widgets, an <mq-lesson> finds the lesson files Vite copied from
// the package, and nothing logs an error.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, nativeSummary, runAllToEnd } from '../e2e/helpers.mjs';
import { invalidScenarioError, navigate as sharedNavigate, openSite } from './site.mjs';

const SITE = path.join(ROOT, 'examples/vitepress/docs/.vitepress/dist');
const BASE = '/guide/';
const OWN_SCENARIO = path.join(ROOT, 'examples/vitepress/docs/public/scenarios/bookshop.json');

let env;
let page;

before(async () => {
  ({ env, page } = await openSite(SITE, BASE));
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

const navigate = (linkText, widget) => sharedNavigate(page, linkText, widget);

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
  const bar = await page.$eval('mq-reliability-demo', (el) => el.shadowRoot.querySelector('.play').textContent);
  assert.ok(['播放', '暂停'].includes(bar), bar);
});

test('the <mq-sim> with the site’s own scenario (through withBase) gives mqsim run’s trace hash', { timeout: 180_000 }, async () => {
  await navigate('Our own scenario', 'mq-sim');
  assert.equal(await page.$eval('mq-sim', (el) => el.getAttribute('scenario')), `${BASE}scenarios/bookshop.json`);
  const [own] = await runAllToEnd(page);
  assert.equal(own.hash, (await nativeSummary(OWN_SCENARIO)).trace_hash);
  const watch = await page.$eval('mq-sim', (el) => el.shadowRoot.querySelector('.watch').textContent);
  assert.match(watch, /^A bookshop's order queue/, 'the scenario’s own description');
});

test('an invalid scenario in the built site fires mq-error with its JSON path, shown in the widget', { timeout: 60_000 }, async () => {
  const error = await invalidScenarioError(page, '.vp-doc');
  assert.equal(error.path, 'producers[0].arrivals.poisson.rate');
  assert.equal(error.shown, error.message);
});

test('VitePress’s dark mode (html.dark) reaches the widgets', { timeout: 60_000 }, async () => {
  const background = () => page.$eval('mq-sim', (el) => getComputedStyle(el.shadowRoot.querySelector('.frame')).backgroundColor);
  const light = await background();
  await page.getByRole('switch', { name: /dark/i }).first().click();
  await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
  await page.waitForFunction((light) => getComputedStyle(document.querySelector('mq-sim').shadowRoot.querySelector('.frame')).backgroundColor !== light, light, { timeout: 5_000 });
  assert.deepEqual([light, await background()], ['rgb(255, 255, 255)', 'rgb(31, 35, 40)']);
});

test('the <mq-lesson> page: the lesson Vite bundled from the package asks, runs, and shows the 99,000 orders this run measured', { timeout: 180_000 }, async () => {
  await navigate('a lesson', 'mq-lesson');
  const lesson = (testid) => page.locator(`mq-lesson [data-testid="${testid}"]`);
  assert.equal(await lesson('lesson-progress').innerText(), 'Step 1 of 3');
  assert.equal(await lesson('lesson-step-title').innerText(), 'The spike');
  await lesson('lesson-input').fill('50000');
  await lesson('lesson-run').click();
  await lesson('lesson-verdict').waitFor({ timeout: 120_000 });
  assert.equal(await lesson('lesson-prediction').innerText(), '50,000 orders');
  assert.equal(await lesson('lesson-measured').innerText(), '99,000 orders');
  assert.equal(await lesson('lesson-verdict').getAttribute('data-right'), 'false');
  // Next shows the second step, from the same bundled lesson file.
  await lesson('lesson-next').click();
  await page.waitForFunction(() => document.querySelector('mq-lesson').shadowRoot.querySelector('[data-testid="lesson-progress"]')?.textContent === 'Step 2 of 3');
});

test('no console errors, page errors or failed requests', () => {
  assert.deepEqual(env.problems, []);
});
