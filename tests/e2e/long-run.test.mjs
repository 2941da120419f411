// A long run in the page: 10,000,000 messages (benches/scenarios/memory-10m.json,
// about 20 M kernel events) run to the end while the progress bar advances and
// the page keeps answering input. Behaviour only: how fast, and how soon input
// is answered, are benchmarks (benches/browser/input-delay.mjs, run by
// scripts/bench.sh; the figures and their targets are in BENCHMARKS.md).
// Run alone with `node --test tests/e2e/long-run.test.mjs` after scripts/build-web.sh.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, launch, screenshotPath } from './helpers.mjs';

const SCENARIO = path.join(ROOT, 'benches/scenarios/memory-10m.json');
const PRESS_EVERY_MS = 250;

let env;

before(async () => {
  env = await launch();
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

/** The page's share-link fragment for a scenario given as JSON text (uncompressed form). */
function shareHash(json) {
  return `#scenario=j${Buffer.from(json).toString('base64url')}`;
}

test('a 10 M-message run goes to the end with a moving progress bar, and every key press is answered', { timeout: 900_000 }, async () => {
  const json = await readFile(SCENARIO, 'utf8');
  const page = await env.newPage();
  await page.goto(new URL(`/${shareHash(json)}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.equal(await page.getAttribute('[data-testid="status"]', 'data-state'), 'ready');

  // Every value the progress bar shows (read each animation frame), and every key press the page receives.
  await page.evaluate(() => {
    window.progressSeen = [];
    window.keysAnswered = 0;
    document.addEventListener('keydown', (e) => {
      if (e.key === 'x') window.keysAnswered++;
    });
    const bar = document.getElementById('progress');
    const watch = () => {
      if (window.progressSeen.at(-1) !== bar.value) window.progressSeen.push(bar.value);
      if (document.getElementById('status').dataset.state !== 'finished') requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });

  await page.click('#run-to-end');
  let presses = 0;
  while ((await page.getAttribute('[data-testid="status"]', 'data-state')) === 'running') {
    await page.keyboard.press('x');
    presses++;
    await page.waitForTimeout(PRESS_EVERY_MS);
  }
  await page.screenshot({ path: screenshotPath('long-run.png') });

  assert.equal(await page.getAttribute('[data-testid="status"]', 'data-state'), 'finished');
  assert.equal(await page.getAttribute('#published', 'data-value'), '10000000');
  assert.equal(await page.getAttribute('#processed', 'data-value'), '10000000');
  assert.equal(await page.getAttribute('#ledger', 'data-value'), 'true');
  assert.equal(Number(await page.$eval('#progress', (p) => p.value)), 1);

  // The bar moved forward in many steps (the run takes many frames), and never back.
  const progress = await page.evaluate(() => window.progressSeen);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i] >= progress[i - 1], `progress went back: ${progress.join(' ')}`);
  assert.ok(progress.filter((p) => p > 0 && p < 1).length >= 4, `progress hardly moved: ${progress.join(' ')}`);

  // The page answered input while it ran: every key pressed reached it.
  assert.equal(await page.evaluate(() => window.keysAnswered), presses, `${presses} key presses`);
  assert.deepEqual(env.problems, []);
  await page.close();
});
