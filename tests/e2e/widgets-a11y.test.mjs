// Accessibility of the docs page and its widgets, checked by axe-core (npm)
// in both languages, with the widgets loaded and one of them mid-run: no
// serious or critical violation. axe-core looks inside the widgets' open
// shadow roots.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { AXE_BLOCKING, launch, runAxe } from './helpers.mjs';

let env;

before(async () => {
  env = await launch();
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

async function openDocs(lang) {
  const page = await env.newPage();
  await page.addInitScript(() => {
    window.readyCount = 0;
    document.addEventListener('mq-ready', () => window.readyCount++);
    document.addEventListener('mq-error', () => window.readyCount++);
  });
  await page.goto(new URL(`www/docs.html?lang=${lang}`, env.server.url).href);
  await page.waitForFunction(() => {
    const widgets = [...document.querySelectorAll('main *')].filter((el) => el.localName.startsWith('mq-'));
    return widgets.length > 0 && window.readyCount === widgets.length;
  }, null, { timeout: 30_000 });
  // One widget mid-run, so that its counters, figures and charts hold data.
  await page.locator('mq-producer-consumer-demo').scrollIntoViewIfNeeded();
  await page.$eval('mq-producer-consumer-demo', (el) => {
    el.speed = 10;
    el.play();
  });
  await page.waitForFunction(() => document.querySelector('mq-producer-consumer-demo').summary.now_ms > 3_000);
  await page.$eval('mq-producer-consumer-demo', (el) => el.pause());
  return page;
}

for (const lang of ['en', 'zh']) {
  test(`the docs page has no serious or critical accessibility violation (${lang})`, { timeout: 90_000 }, async () => {
    const page = await openDocs(lang);
    const violations = await runAxe(page);
    const blocking = violations.filter((v) => AXE_BLOCKING.has(v.impact));
    assert.deepEqual(blocking, [], JSON.stringify(blocking, null, 2));
    await page.close();
  });
}

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
