// The simulator page on a phone (390x844), in both languages, with a queue
// preset and a Kafka preset: no horizontal scroll, the controls folded into
// one row that unfolds, and, scrolled to the diagram, the diagram (at least
// 250 px of it) and a chart on screen under the sticky controls.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, screenshotPath } from './helpers.mjs';

const PHONE = { width: 390, height: 844 };
const MIN_DIAGRAM_PX = 250;
const MIN_CHART_PX = 100; // of the first chart's card, on screen with the diagram

let env;

before(async () => {
  env = await launch();
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

/** What is on screen, in CSS px: the page's width, the controls' and the first chart's place, the diagram's visible height. */
function measure(page) {
  return page.evaluate(() => {
    const dock = document.getElementById('dock').getBoundingClientRect();
    const flow = document.getElementById('flow').getBoundingClientRect();
    const chart = document.querySelector('#charts .chart-card').getBoundingClientRect();
    const visible = (r) => Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, dock.bottom));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth,
      toolbar: document.getElementById('controls').getBoundingClientRect().height,
      playHeight: document.getElementById('play').getBoundingClientRect().height,
      dock: dock.height,
      diagramOnScreen: visible(flow),
      chartOnScreen: visible(chart),
    };
  });
}

for (const lang of ['en', 'zh']) {
  for (const preset of ['peak-shaving', 'kafka-rebalance-eager-vs-cooperative']) {
    test(`on a phone the page fits its width and shows the diagram and a chart (${preset}, ${lang})`, { timeout: 90_000 }, async () => {
      const page = await env.newPage({ viewport: PHONE });
      await page.goto(new URL(`/#preset=${preset}&lang=${lang}`, env.server.url).href);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });

      // Folded: one row of controls (play, step, run to end, more); Run-to is behind "more".
      let m = await measure(page);
      assert.ok(m.toolbar < 2 * m.playHeight, `the controls are one row: ${m.toolbar} px for ${m.playHeight} px buttons`);
      assert.equal(await page.isVisible('#run-to-time'), false);
      assert.equal(await page.getAttribute('#more-controls', 'aria-expanded'), 'false');
      await page.click('#more-controls');
      assert.equal(await page.getAttribute('#more-controls', 'aria-expanded'), 'true');
      await page.fill('#run-to-time', '20');
      await page.click('#run-to');
      await page.waitForFunction(() => Number(document.getElementById('sim-time').dataset.value) >= 20_000 && document.getElementById('status').dataset.state !== 'running', null, { timeout: 60_000 });
      await page.click('#more-controls');
      assert.equal(await page.isVisible('#run-to-time'), false, 'folded again');

      // Scrolled to the diagram, under the sticky controls.
      await page.$eval('#flow-panel', (el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - document.getElementById('dock').offsetHeight));
      m = await measure(page);
      await page.screenshot({ path: screenshotPath(`phone-${preset}-${lang}.png`) });
      assert.ok(m.scrollWidth <= m.innerWidth, `no horizontal scroll: ${m.scrollWidth} px in ${m.innerWidth} px`);
      assert.ok(m.diagramOnScreen >= MIN_DIAGRAM_PX, `${m.diagramOnScreen} px of the diagram on screen (controls ${m.dock} px)`);
      assert.ok(m.chartOnScreen >= MIN_CHART_PX, `${m.chartOnScreen} px of the first chart on screen with the diagram`);
      await page.close();
    });
  }
}

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
