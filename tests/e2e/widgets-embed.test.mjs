// End-to-end tests of embedding the widgets in a page of one's own: one
// script, any scenario (a preset, a URL, inline JSON), what is fetched, how
// the element upgrades, its boolean properties, and how it fails.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, launch } from './helpers.mjs';

const SCRIPT = '<script type="module" src="/www/widgets/mqsim-widgets.js"></script>';

let env;

before(async () => {
  env = await launch();
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

/** A new page at /<name>.html whose body is `html`; `requests` lists every path it fetched. */
async function pageWith(name, html) {
  const page = await env.newPage();
  const url = new URL(`${name}.html`, env.server.url).href;
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><html lang="en"><body>${html}</body></html>` }));
  const requests = [];
  page.on('request', (req) => requests.push(new URL(req.url()).pathname));
  await page.addInitScript(() => {
    window.mqEvents = [];
    for (const name of ['mq-ready', 'mq-error']) document.addEventListener(name, (e) => window.mqEvents.push({ name, detail: e.detail }));
  });
  await page.goto(url);
  return { page, requests };
}

function events(page, name) {
  return page.evaluate((name) => window.mqEvents.filter((e) => e.name === name), name);
}

test('a bare page: one script, a preset, a scenario URL and inline JSON', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('bare', SCRIPT);
  const results = await page.evaluate(async () => {
    await customElements.whenDefined('mq-sim');
    const make = (attrs) =>
      new Promise((resolve) => {
        const el = document.createElement('mq-sim');
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        el.addEventListener('mq-ready', (e) => resolve({ ok: true, scenario: e.detail.scenario }), { once: true });
        el.addEventListener('mq-error', (e) => resolve({ ok: false, message: e.detail.message }), { once: true });
        document.body.append(el);
      });
    const inline = await (await fetch('/scenarios/mmc-erlang-c.json')).text();
    return {
      preset: await make({ scenario: 'peak-shaving', controls: '' }),
      url: await make({ scenario: '/scenarios/order-decoupling.json' }),
      inline: await make({ scenario: inline.replace('"mmc-erlang-c"', '"inline-mmc"') }),
    };
  });
  assert.deepEqual(results.preset, { ok: true, scenario: 'peak-shaving' });
  assert.deepEqual(results.url, { ok: true, scenario: 'order-decoupling' });
  assert.deepEqual(results.inline, { ok: true, scenario: 'inline-mmc' });
  await page.close();
});

test('a page with one demo fetches the preset index and that one preset, nothing more', { timeout: 60_000 }, async () => {
  const { page, requests } = await pageWith('one-demo', `${SCRIPT}<mq-peak-shaving-demo></mq-peak-shaving-demo>`);
  await page.waitForFunction(() => document.querySelector('mq-peak-shaving-demo')?.summary != null, null, { timeout: 30_000 });
  const pkg = requests.filter((p) => p.startsWith('/www/pkg/'));
  assert.deepEqual(pkg.filter((p) => p.startsWith('/www/pkg/presets/')).sort(), ['/www/pkg/presets/index.json', '/www/pkg/presets/peak-shaving.json']);
  assert.ok(pkg.includes('/www/pkg/mqsim_bg.wasm'), pkg.join(' '));
  await page.close();
});

test('an element with its scenario set before the upgrade loads it once', { timeout: 60_000 }, async () => {
  // The element is parsed before the (deferred) module defines it: the upgrade
  // reports the scenario attribute and connects the element, and must load once.
  const { page, requests } = await pageWith('upgrade', `<mq-sim scenario="/scenarios/order-decoupling.json"></mq-sim>${SCRIPT}`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  await page.waitForTimeout(500); // time for a second load to show itself
  assert.equal(requests.filter((p) => p === '/scenarios/order-decoupling.json').length, 1);
  assert.equal((await events(page, 'mq-ready')).length, 1);
  await page.close();
});

test('a scenario from a URL shows its own description', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('described', `${SCRIPT}<mq-sim scenario="/scenarios/order-decoupling.json"></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  const shown = await page.$eval('mq-sim', (el) => ({ title: el.shadowRoot.querySelector('.title').textContent, watch: el.shadowRoot.querySelector('.watch').textContent }));
  const scenario = JSON.parse(await readFile(path.join(ROOT, 'scenarios/order-decoupling.json'), 'utf8'));
  assert.equal(shown.title, 'order-decoupling');
  assert.equal(shown.watch, scenario.description);
  await page.close();
});

test('an <mq-sim> shows the charts and counters its preset’s text names', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('named', `${SCRIPT}<mq-sim scenario="kafka-rebalance-eager-vs-cooperative"></mq-sim><mq-sim scenario="async-response-time"></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length === 2, null, { timeout: 30_000 });
  const shown = await page.$$eval('mq-sim', (els) =>
    els.map((el) => ({
      charts: [...el.shadowRoot.querySelectorAll('.charts figure')].map((f) => f.dataset.chart),
      counters: [...el.shadowRoot.querySelectorAll('.counters [data-counter]')].map((c) => c.dataset.counter),
    })),
  );
  assert.deepEqual(shown[0].charts, ['owned'], 'the rebalance text names “Partitions owned”');
  assert.ok(shown[0].counters.includes('duplicates'), 'and “Duplicates”');
  assert.deepEqual(shown[1].charts, ['response'], 'the async text names “User response time”');
  await page.close();
});

test('boolean properties follow attribute semantics: "" means on', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('booleans', `${SCRIPT}<mq-sim scenario="peak-shaving"></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  const states = await page.$eval('mq-sim', (el) => {
    const bar = () => !el.shadowRoot.querySelector('.bar').hidden;
    const out = { initially: [el.controls, bar()] };
    el.controls = ''; // what React 19 sets for <mq-sim controls="">
    out.empty = [el.controls, el.hasAttribute('controls'), bar()];
    el.controls = false;
    out.off = [el.controls, el.hasAttribute('controls'), bar()];
    el.locked = 'locked';
    out.locked = [el.locked, el.hasAttribute('locked')];
    el.locked = null;
    out.unlocked = [el.locked, el.hasAttribute('locked')];
    return out;
  });
  assert.deepEqual(states, {
    initially: [false, false],
    empty: [true, true, true],
    off: [false, false, false],
    locked: [true, true],
    unlocked: [false, false],
  });
  await page.close();
});

test('a widget that fails collapses to its error message', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('broken', `${SCRIPT}<mq-sim scenario='{"name": "x"' controls></mq-sim><mq-sim scenario="peak-shaving" controls></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length >= 2, null, { timeout: 30_000 });
  const [error] = await events(page, 'mq-error');
  assert.match(error.detail.message, /JSON/);
  const [broken, working] = await page.$$eval('mq-sim', (els) =>
    els.map((el) => ({
      height: el.getBoundingClientRect().height,
      error: el.shadowRoot.querySelector('.error').hidden ? null : el.shadowRoot.querySelector('.error').textContent,
      stage: el.shadowRoot.querySelector('.stage').getBoundingClientRect().height,
      bar: el.shadowRoot.querySelector('.bar').getBoundingClientRect().height,
    })),
  );
  assert.equal(broken.error, error.detail.message, 'the message is shown');
  assert.deepEqual([broken.stage, broken.bar], [0, 0], 'no empty diagram or controls');
  assert.ok(broken.height < 150 && working.height > 300, `${broken.height} px vs ${working.height} px`);
  await page.close();
});

test('boolean attributes as React 18 writes them: controls="" and locked="" are on', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('react18', `${SCRIPT}<mq-sim scenario="peak-shaving" controls="" locked=""></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  const shown = await page.$eval('mq-sim', (el) => ({
    controls: el.controls,
    locked: el.locked,
    bar: !el.shadowRoot.querySelector('.bar').hidden,
    speed: !el.shadowRoot.querySelector('.speed-label').hidden,
  }));
  assert.deepEqual(shown, { controls: true, locked: true, bar: true, speed: false });
  await page.close();
});

test('a boolean property set to "" before the upgrade (React 19 on a client-side navigation) is on after it', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('react19', '');
  const shown = await page.evaluate(async () => {
    const el = document.createElement('mq-sim');
    el.scenario = 'peak-shaving';
    el.controls = ''; // an own property on the plain element: the upgrade must move it to the accessor
    document.body.append(el);
    const ready = new Promise((resolve) => el.addEventListener('mq-ready', resolve, { once: true }));
    const script = Object.assign(document.createElement('script'), { type: 'module', src: '/www/widgets/mqsim-widgets.js' });
    document.head.append(script);
    await ready;
    return { controls: el.controls, attribute: el.getAttribute('controls'), bar: !el.shadowRoot.querySelector('.bar').hidden };
  });
  assert.deepEqual(shown, { controls: true, attribute: '', bar: true });
  await page.close();
});

test('an element whose scenario fails, set before the upgrade, fetches it once and reports one mq-error', { timeout: 60_000 }, async () => {
  const { page, requests } = await pageWith('upgrade-fails', `<mq-sim scenario="/scenarios/no-such-file.json"></mq-sim>${SCRIPT}`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  await page.waitForTimeout(500); // time for a second load to show itself
  assert.equal(requests.filter((p) => p === '/scenarios/no-such-file.json').length, 1);
  const errors = await events(page, 'mq-error');
  assert.equal(errors.length, 1);
  assert.match(errors[0].detail.message, /scenarios\/no-such-file\.json \(HTTP 404\)/);
  await page.close();
});

test('an inline scenario shows its own description', { timeout: 60_000 }, async () => {
  const scenario = JSON.parse(await readFile(path.join(ROOT, 'scenarios/mmc-erlang-c.json'), 'utf8'));
  scenario.name = 'inline-described';
  scenario.description = 'Ten consumers, one queue: an inline scenario’s own words.';
  const attribute = JSON.stringify(scenario).replaceAll("'", '&#39;');
  const { page } = await pageWith('inline-described', `${SCRIPT}<mq-sim scenario='${attribute}'></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  const shown = await page.$eval('mq-sim', (el) => ({ title: el.shadowRoot.querySelector('.title').textContent, watch: el.shadowRoot.querySelector('.watch').textContent }));
  assert.deepEqual(shown, { title: 'inline-described', watch: scenario.description });
  await page.close();
});

test('an invalid scenario fires mq-error with its JSON path, and the widget shows it', { timeout: 60_000 }, async () => {
  const bad = '{"name": "bad", "seed": 1, "duration": "10s", "queues": [{"name": "q"}], "producers": [{"name": "p", "queue": "q", "arrivals": {"poisson": {"rate": -5}}}], "consumers": [{"name": "c", "queue": "q", "service": {"constant": "10ms"}}]}';
  const { page } = await pageWith('invalid', `${SCRIPT}<mq-sim scenario='${bad}'></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  const [error] = await events(page, 'mq-error');
  assert.equal(error.detail.path, 'producers[0].arrivals.poisson.rate');
  assert.match(error.detail.message, /^This scenario is not valid: scenario at `producers\[0\]\.arrivals\.poisson\.rate`: /);
  const shown = await page.$eval('mq-sim', (el) => el.shadowRoot.querySelector('.error').textContent);
  assert.equal(shown, error.detail.message);
  await page.close();
});

test('a missing wasm module reads as one, in English and in Chinese, not as a blank box', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('no-wasm', '');
  await page.route('**/mqsim_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.evaluate(() => {
    document.body.innerHTML = '<mq-sim scenario="peak-shaving"></mq-sim><mq-sim scenario="peak-shaving" lang="zh"></mq-sim>';
    document.head.append(Object.assign(document.createElement('script'), { type: 'module', src: '/www/widgets/mqsim-widgets.js' }));
  });
  await page.waitForFunction(() => window.mqEvents.length === 2, null, { timeout: 30_000 });
  const shown = await page.$$eval('mq-sim', (els) => els.map((el) => el.shadowRoot.querySelector('.error').textContent));
  assert.match(shown[0], /^The simulator could not be loaded: http:\/\/[^ ]+\/www\/pkg\/mqsim_bg\.wasm \(HTTP 404\)\. Deploy the widget’s files together/);
  assert.match(shown[1], /^无法加载模拟器：http:\/\/[^ ]+\/www\/pkg\/mqsim_bg\.wasm（HTTP 404）。/);
  await page.close();
});

test('a missing preset file reads as one, naming the file', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('no-preset', '');
  await page.route('**/presets/peak-shaving.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.evaluate(() => {
    document.body.innerHTML = '<mq-peak-shaving-demo></mq-peak-shaving-demo>';
    document.head.append(Object.assign(document.createElement('script'), { type: 'module', src: '/www/widgets/mqsim-widgets.js' }));
  });
  await page.waitForFunction(() => window.mqEvents.length === 1, null, { timeout: 30_000 });
  const [error] = await events(page, 'mq-error');
  assert.match(error.detail.message, /^The scenario could not be loaded: http:\/\/[^ ]+\/www\/pkg\/presets\/peak-shaving\.json \(HTTP 404\)/);
  const shown = await page.$eval('mq-peak-shaving-demo', (el) => ({ error: el.shadowRoot.querySelector('.error').textContent, stage: el.shadowRoot.querySelector('.stage').getBoundingClientRect().height }));
  assert.deepEqual(shown, { error: error.detail.message, stage: 0 });
  await page.close();
});

/** The widget's frame background, once it equals `want` (the theme is applied on the page's change). */
async function frameBackground(page, want) {
  const read = () => page.$eval('mq-sim', (el) => getComputedStyle(el.shadowRoot.querySelector('.frame')).backgroundColor);
  await page
    .waitForFunction((want) => getComputedStyle(document.querySelector('mq-sim').shadowRoot.querySelector('.frame')).backgroundColor === want, want, { timeout: 5_000 })
    .catch(() => {});
  return read();
}

const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(31, 35, 40)';

test('the theme follows a docs site’s dark class (VitePress html.dark) and data-theme (Docusaurus)', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('theme-class', `${SCRIPT}<mq-sim scenario="peak-shaving"></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  assert.equal(await frameBackground(page, LIGHT), LIGHT);
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  assert.equal(await frameBackground(page, DARK), DARK, 'html.dark');
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
  assert.equal(await frameBackground(page, LIGHT), LIGHT);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  assert.equal(await frameBackground(page, DARK), DARK, 'html[data-theme=dark]');
  await page.evaluate(() => document.querySelector('mq-sim').setAttribute('theme', 'light'));
  assert.equal(await frameBackground(page, LIGHT), LIGHT, 'the theme attribute wins');
  await page.close();
});

test('the theme follows the system’s prefers-color-scheme unless the site chose light', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('theme-system', `${SCRIPT}<mq-sim scenario="peak-shaving"></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await frameBackground(page, DARK), DARK);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  assert.equal(await frameBackground(page, LIGHT), LIGHT, 'a reader who picked light on a dark system');
  await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
  assert.equal(await frameBackground(page, DARK), DARK);
  await page.evaluate(() => (document.documentElement.style.colorScheme = 'light'));
  assert.equal(await frameBackground(page, LIGHT), LIGHT, 'a page that declares itself light-only');
  await page.close();
});

test('a site sets the widget’s colours through --mq-* custom properties, in either theme', { timeout: 60_000 }, async () => {
  const css = '<style>mq-sim { --mq-bg: rgb(1, 2, 3); } html.dark mq-sim { --mq-bg: rgb(4, 5, 6); }</style>';
  const { page } = await pageWith('theme-vars', `${css}${SCRIPT}<mq-sim scenario="peak-shaving"></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length > 0, null, { timeout: 30_000 });
  assert.equal(await frameBackground(page, 'rgb(1, 2, 3)'), 'rgb(1, 2, 3)');
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  assert.equal(await frameBackground(page, 'rgb(4, 5, 6)'), 'rgb(4, 5, 6)');
  await page.close();
});

test('several widgets playing share one animation-frame loop', { timeout: 60_000 }, async () => {
  const { page } = await pageWith('three', `${SCRIPT}<mq-sim scenario="mmc-erlang-c"></mq-sim><mq-sim scenario="peak-shaving"></mq-sim><mq-sim scenario="consumer-crash-manual-ack"></mq-sim>`);
  await page.waitForFunction(() => window.mqEvents.length === 3, null, { timeout: 30_000 });
  await page.setViewportSize({ width: 1320, height: 3000 }); // all three on screen, so all three play
  // Count the frame callbacks waiting at once: one loop keeps one waiting.
  await page.evaluate(() => {
    window.pendingFrames = 0;
    window.mostPendingFrames = 0;
    const request = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) => {
      window.mostPendingFrames = Math.max(window.mostPendingFrames, ++window.pendingFrames);
      return request((now) => {
        window.pendingFrames--;
        callback(now);
      });
    };
    for (const el of document.querySelectorAll('mq-sim')) el.play();
  });
  await page.waitForFunction(() => [...document.querySelectorAll('mq-sim')].every((el) => el.summary.now_ms > 1_000), null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => window.mostPendingFrames), 1);
  await page.close();
});

test('no console errors or page errors', () => {
  // The deliberately broken widgets and missing files.
  const expected = ['not valid JSON', 'no-such-file.json', 'mqsim_bg.wasm', 'peak-shaving.json', '404'];
  const problems = env.problems.filter((p) => !expected.some((e) => p.includes(e)));
  assert.deepEqual(problems, []);
});
