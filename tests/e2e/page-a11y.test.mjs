// Accessibility of the simulator page checked by a machine: axe-core (npm)
// on index.html in English and Chinese, with a queue preset and a Kafka
// preset mid-run (counters, charts, tables and the log filled). No serious or
// critical violation; nor the moderate ones issue G found (two landmarks with
// one name, content outside any landmark).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { AXE_BLOCKING, launch, runAxe } from './helpers.mjs';

const PRESETS = { 'peak-shaving': 12, 'kafka-rebalance-eager-vs-cooperative': 31 };
const ALSO_FAIL = new Set(['landmark-unique', 'region']);

let env;

before(async () => {
  env = await launch();
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

async function openMidRun(preset, seconds, lang) {
  const page = await env.newPage();
  await page.goto(new URL(`/#preset=${preset}&lang=${lang}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.fill('#run-to-time', String(seconds));
  await page.click('#run-to');
  await page.waitForFunction((ms) => Number(document.getElementById('sim-time').dataset.value) >= ms && document.getElementById('status').dataset.state !== 'running', seconds * 1000, { timeout: 60_000 });
  return page;
}

for (const lang of ['en', 'zh']) {
  for (const [preset, seconds] of Object.entries(PRESETS)) {
    test(`the page has no serious or critical accessibility violation (${preset}, ${lang})`, { timeout: 90_000 }, async () => {
      const page = await openMidRun(preset, seconds, lang);
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang === 'zh' ? 'zh-CN' : 'en');
      const violations = await runAxe(page);
      const failing = violations.filter((v) => AXE_BLOCKING.has(v.impact) || ALSO_FAIL.has(v.id));
      assert.deepEqual(failing, [], JSON.stringify(failing, null, 2));
      // The diagram's canvas is an image with a name (its panel's title) and a description of what it shows.
      const canvas = await page.$eval('#flow', (el) => ({ name: document.getElementById(el.getAttribute('aria-labelledby')).textContent, description: document.getElementById(el.getAttribute('aria-describedby')).textContent }));
      assert.ok(canvas.name.length > 0 && canvas.description.length > 20, JSON.stringify(canvas));
      await page.close();
    });
  }
}

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
