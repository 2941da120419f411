// Shared setup for the browser end-to-end tests: the static server, Debian's
// headless Chromium (never a downloaded one) and a page that records every
// console error and uncaught exception.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = path.join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
];
export const VIEWPORT = { width: 1320, height: 1000 };

/** Starts the server and the browser; `problems` collects console errors and page errors. */
export async function launch() {
  assert.ok(
    existsSync(path.join(ROOT, 'www/pkg/mqsim.js')) && existsSync(path.join(ROOT, 'www/vendor/uPlot.esm.js')),
    'www/pkg or www/vendor is missing: run scripts/build-web.sh first',
  );
  await mkdir(RESULTS, { recursive: true });
  const server = await startServer({ root: ROOT, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const problems = [];
  const watch = (page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    return page;
  };
  const newPage = async (options = {}) => watch(await browser.newPage({ viewport: VIEWPORT, acceptDownloads: true, ...options }));
  return { server, browser, problems, newPage };
}

export function screenshotPath(name) {
  return path.join(RESULTS, name);
}
