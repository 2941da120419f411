// The Docusaurus example (examples/docusaurus/, React 19), built with
// `npm run build` from the packed mqsim-widgets tarball, served statically
// under its baseUrl (/docs/) as any static host would: each page's widget
// runs to its end, client-side navigation brings the next page's widget up
// with its `controls=""` (React 19 sets it as a property), the <mq-sim> with
// the site's own scenario gives the trace hash `mqsim run` gives, dark mode
// reaches the widgets, an <mq-lesson> finds the lesson files webpack copied
// from the package, and nothing logs an error.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, nativeSummary, runAllToEnd } from '../e2e/helpers.mjs';
import { invalidScenarioError, navigate as sharedNavigate, openSite } from './site.mjs';

const SITE = path.join(ROOT, 'examples/docusaurus/build');
const BASE = '/docs/';
const OWN_SCENARIO = path.join(ROOT, 'examples/docusaurus/static/scenarios/bookshop.json');

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
  const error = await invalidScenarioError(page, 'article');
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

test('the <mq-lesson> page, in Chinese: the lesson webpack bundled from the package confirms a right prediction of 350 ms', { timeout: 180_000 }, async () => {
  await navigate('a lesson, in Chinese', 'mq-lesson');
  const lesson = (testid) => page.locator(`mq-lesson [data-testid="${testid}"]`);
  assert.equal(await lesson('lesson-progress').innerText(), '第 1 步，共 3 步');
  assert.equal(await lesson('lesson-step-title').innerText(), '同步调用链');
  await lesson('lesson-input').fill('350');
  await lesson('lesson-run').click();
  await lesson('lesson-verdict').waitFor({ timeout: 120_000 });
  assert.equal(await lesson('lesson-prediction').innerText(), '350 毫秒');
  assert.equal(await lesson('lesson-measured').innerText(), '350 毫秒');
  assert.equal(await lesson('lesson-verdict').innerText(), '答对了：模拟结果与你一致。');
});

test('no console errors, page errors or failed requests', () => {
  assert.deepEqual(env.problems, []);
});
