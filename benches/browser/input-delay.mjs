// Input delay while the page runs a long scenario to its end: 10,000,000
// messages (benches/scenarios/memory-10m.json, about 20 M kernel events)
// with Run to end, a key pressed every PRESS_EVERY_MS of real time. Each
// keydown's delay is its handler's time minus the event's own timestamp (when
// the browser received it), as the Event Timing API counts input delay; the
// page ignores the key. Target: the worst delay under INPUT_TARGET_MS, i.e.
// the page answers within a few frames while each frame spends its budget
// (www/lib/frame-loop.js) on the simulation.
//
// Part of the browser benchmark (frame-time.mjs runs it; scripts/bench.sh
// runs that). This was an e2e assertion until a loaded machine failed it at
// 168 ms: a figure about speed belongs here, with its target, not in a test.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCENARIO = path.join(HERE, '../scenarios/memory-10m.json');
const PRESS_EVERY_MS = 250;
const RUN_TIMEOUT_MS = 600_000;
export const INPUT_TARGET_MS = 100;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the 10 M-message scenario to its end in a fresh page; returns the input delays and the run's real time. */
export async function inputDelay(env) {
  const json = await readFile(SCENARIO, 'utf8');
  const page = await env.newPage();
  await page.goto(new URL(`/#scenario=j${Buffer.from(json).toString('base64url')}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.evaluate(() => {
    window.inputDelays = [];
    document.addEventListener('keydown', (e) => {
      if (e.key === 'x') window.inputDelays.push(performance.now() - e.timeStamp);
    });
  });
  const started = Date.now();
  await page.click('#run-to-end');
  let presses = 0;
  while ((await page.getAttribute('[data-testid="status"]', 'data-state')) === 'running') {
    if (Date.now() - started > RUN_TIMEOUT_MS) throw new Error(`still running after ${RUN_TIMEOUT_MS / 1000} s`);
    await page.keyboard.press('x');
    presses++;
    await page.waitForTimeout(PRESS_EVERY_MS);
  }
  const seconds = (Date.now() - started) / 1000;
  const delays = await page.evaluate(() => window.inputDelays);
  const processed = Number(await page.getAttribute('#processed', 'data-value'));
  await page.close();
  return {
    messages: processed,
    run_s: seconds,
    presses,
    answered: delays.length,
    median_ms: median(delays),
    worst_ms: Math.max(...delays),
    target_ms: INPUT_TARGET_MS,
  };
}
