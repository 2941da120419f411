// What the example sites' tests share: a built site served under its base
// path with the widgets up, a reader's client-side navigation, and an invalid
// scenario added to a page. Each site's test file keeps only what differs
// (its paths, its router's and theme's markup, its pages).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { countWidgetEvents, launch, waitForWidgets } from '../e2e/helpers.mjs';

/** Serves the built `site` under `base` and opens its home page: {env, page}. */
export async function openSite(site, base) {
  assert.ok(existsSync(path.join(site, 'index.html')), 'the example is not built: run bash scripts/test-examples.sh');
  const env = await launch({ root: site, base });
  const page = await env.newPage();
  await page.addInitScript(countWidgetEvents);
  await page.goto(env.server.url);
  await waitForWidgets(page);
  return { env, page };
}

/** Follows a link in the page, as a reader does: the site's router swaps the content without loading a page. */
export async function navigate(page, linkText, widget) {
  await page.evaluate(() => (window.samePage = true));
  await page.getByRole('link', { name: linkText }).first().click();
  await page.waitForFunction((widget) => document.querySelector(widget)?.summary != null, widget, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.samePage), true, 'client-side navigation, not a page load');
}

/** Adds an <mq-sim> with an invalid scenario to `container`: its mq-error's detail and the message the widget shows. */
export function invalidScenarioError(page, container) {
  return page.evaluate(async (container) => {
    const el = document.createElement('mq-sim');
    el.setAttribute('scenario', '{"name": "bad", "seed": 1, "duration": "10s", "queues": [{"name": "q"}], "producers": [{"name": "p", "queue": "q", "arrivals": {"poisson": {"rate": -5}}}], "consumers": [{"name": "c", "queue": "q", "service": {"constant": "10ms"}}]}');
    const reported = new Promise((resolve) => el.addEventListener('mq-error', (e) => resolve(e.detail), { once: true }));
    document.querySelector(container).append(el);
    const detail = await reported;
    const shown = el.shadowRoot.querySelector('.error').textContent;
    el.remove();
    return { ...detail, shown };
  }, container);
}
