// The screenshots of scripts/screenshots.sh: the page (index.html) and the
// widgets' page (www/docs.html) in headless Chromium, at a desktop and a
// phone size, in English and Chinese. The page shows a queue preset and a
// Kafka preset mid-run (run to an instant, then playing for a moment, so that
// messages are on their way), and a lesson step after its reveal; the phone
// also gets a picture of what is on screen once scrolled to the diagram. Needs www/pkg (scripts/build-web.sh).
//
// Usage: node scripts/screenshots.mjs [--out DIR]
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { ROOT, launch } from '../tests/e2e/helpers.mjs';

const SIZES = { desktop: { width: 1440, height: 1000 }, phone: { width: 390, height: 844 } };
const LANGS = ['en', 'zh'];
/** Each preset and the simulated instant (s) it is shown at. */
const PRESETS = { 'peak-shaving': 20, 'kafka-rebalance-eager-vs-cooperative': 31 };
const PLAY_MS = 700; // real time it plays at 1x before the picture

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** The page, run to `seconds`, then playing at 1x for a moment. */
async function simulator(env, size, lang, preset, seconds, dir) {
  const page = await env.newPage({ viewport: SIZES[size] });
  await page.goto(new URL(`/#preset=${preset}&lang=${lang}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  const folded = await page.isVisible('#more-controls');
  if (folded) await page.click('#more-controls');
  await page.fill('#run-to-time', String(seconds));
  await page.click('#run-to');
  await page.waitForFunction((ms) => Number(document.getElementById('sim-time').dataset.value) >= ms && document.getElementById('status').dataset.state !== 'running', seconds * 1000, { timeout: 120_000 });
  await page.$eval('#speed', (el) => {
    const labels = [];
    for (let i = 0; i <= Number(el.max); i++) {
      el.value = String(i);
      el.dispatchEvent(new Event('input'));
      labels.push(document.getElementById('speed-value').textContent);
    }
    el.value = String(labels.indexOf('1×'));
    el.dispatchEvent(new Event('input'));
  });
  if (folded) await page.click('#more-controls');
  await page.click('#play');
  await page.waitForTimeout(PLAY_MS);
  const name = `page-${preset}-${size}-${lang}`;
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  if (size === 'phone') {
    // What is on screen once scrolled down to the diagram, under the sticky controls.
    await page.$eval('#flow-panel', (el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - document.getElementById('dock').offsetHeight - 8));
    await page.waitForTimeout(100);
    await page.screenshot({ path: path.join(dir, `${name}-diagram.png`) });
  }
  await page.close();
  return name;
}

/** A lesson step on the page after a wrong prediction: the prediction next to the measured value, and the explanation. */
async function lesson(env, size, lang, dir) {
  const page = await env.newPage({ viewport: SIZES[size] });
  await page.goto(new URL(`/#lesson=peak-shaving&step=1&lang=${lang}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.fill('#lesson [data-testid="lesson-input"]', '50000');
  await page.click('#lesson [data-testid="lesson-run"]');
  await page.waitForSelector('#lesson [data-testid="lesson-verdict"]', { timeout: 120_000 });
  const name = `lesson-peak-shaving-${size}-${lang}`;
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  await page.close();
  return name;
}

/** www/docs.html with every widget loaded. */
async function docs(env, size, lang, dir) {
  const page = await env.newPage({ viewport: SIZES[size] });
  await page.goto(new URL(`/www/docs.html?lang=${lang}`, env.server.url).href);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1500);
  const name = `docs-${size}-${lang}`;
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  await page.close();
  return name;
}

const dir = path.resolve(ROOT, option('--out', 'screenshots'));
await mkdir(dir, { recursive: true });
const env = await launch();
try {
  for (const size of Object.keys(SIZES)) {
    for (const lang of LANGS) {
      for (const [preset, seconds] of Object.entries(PRESETS)) console.log(`${await simulator(env, size, lang, preset, seconds, dir)}.png`);
      console.log(`${await lesson(env, size, lang, dir)}.png`);
      console.log(`${await docs(env, size, lang, dir)}.png`);
    }
  }
  if (env.problems.length) console.log(`page problems: ${env.problems.join(' | ')}`);
  console.log(`written to ${dir}`);
} finally {
  await env.browser.close();
  await env.server.close();
}
