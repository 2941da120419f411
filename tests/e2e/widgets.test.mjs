// End-to-end tests of the embeddable widgets, on the docs page that shows
// them all (www/docs.html) and on a bare page that only includes the module.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, screenshotPath } from './helpers.mjs';

const DEMOS = [
  'mq-architecture-demo',
  'mq-producer-consumer-demo',
  'mq-decoupling-demo',
  'mq-peak-shaving-demo',
  'mq-reliability-demo',
  'mq-idempotence-demo',
  'mq-comparison-demo',
];

let env;
let page;

before(async () => {
  env = await launch();
  page = await env.newPage();
  // Count the widgets' events from the start.
  await page.addInitScript(() => {
    window.mqEvents = [];
    for (const name of ['mq-ready', 'mq-tick', 'mq-finished', 'mq-error']) {
      document.addEventListener(name, (e) => window.mqEvents.push({ name, tag: e.target.localName, detail: e.detail }));
    }
  });
  await page.goto(new URL('www/docs.html?lang=en', env.server.url).href);
  await page.waitForFunction((n) => window.mqEvents.filter((e) => e.name === 'mq-ready').length >= n, DEMOS.length + 1, { timeout: 30_000 });
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

function shadowText(selector) {
  return page.$eval(selector, (el) => el.shadowRoot.textContent);
}

function nowMs(selector) {
  return page.$eval(selector, (el) => el.summary?.now_ms ?? null);
}

test('every demo element renders on the docs page', async () => {
  for (const tag of DEMOS) {
    const info = await page.$eval(tag, (el) => ({
      title: el.shadowRoot.querySelector('.title').textContent,
      canvas: el.shadowRoot.querySelector('canvas').clientHeight,
      coming: el.shadowRoot.querySelector('.frame').classList.contains('coming'),
      charts: el.shadowRoot.querySelectorAll('.chart canvas').length,
    }));
    assert.ok(info.title.length > 10, `${tag} has a title`);
    assert.equal(info.coming, false, tag);
    assert.ok(info.canvas > 100, `${tag} draws its diagram`);
    assert.equal(info.charts, 1, `${tag} has a chart`);
    await page.locator(tag).scrollIntoViewIfNeeded();
    await page.locator(tag).screenshot({ path: screenshotPath(`widget-${tag}.png`) });
  }
  const ready = await page.evaluate(() => window.mqEvents.filter((e) => e.name === 'mq-ready').map((e) => [e.tag, e.detail.preset]));
  assert.ok(ready.some(([tag, preset]) => tag === 'mq-peak-shaving-demo' && preset === 'peak-shaving'), JSON.stringify(ready));
  assert.ok(ready.some(([tag, preset]) => tag === 'mq-sim' && preset === 'poison-message-dlq'));
});

test('the autoplaying peak-shaving demo runs while visible and ticks', { timeout: 60_000 }, async () => {
  await page.locator('mq-peak-shaving-demo').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.mqEvents.some((e) => e.name === 'mq-tick' && e.tag === 'mq-peak-shaving-demo' && e.detail.backlog > 0));
  const backlog = await page.$eval('mq-peak-shaving-demo', (el) => Number(el.shadowRoot.querySelector('[data-counter="stored"] dd').dataset.value));
  assert.ok(backlog > 0, `backlog ${backlog}`);
});

test('a widget off-screen pauses and resumes when scrolled back', { timeout: 60_000 }, async () => {
  await page.locator('mq-peak-shaving-demo').scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await page.locator('#embedding').scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  const away = await nowMs('mq-peak-shaving-demo');
  await page.waitForTimeout(800);
  assert.equal(await nowMs('mq-peak-shaving-demo'), away, 'no simulated time passes off-screen');
  await page.locator('mq-peak-shaving-demo').scrollIntoViewIfNeeded();
  await page.waitForFunction((t) => document.querySelector('mq-peak-shaving-demo').summary.now_ms > t, away);
});

test('widgets do not interfere: each runs its own simulation', { timeout: 60_000 }, async () => {
  await page.locator('mq-reliability-demo').scrollIntoViewIfNeeded();
  const before = await nowMs('mq-idempotence-demo');
  await page.$eval('mq-reliability-demo', (el) => el.shadowRoot.querySelector('.play').click());
  await page.waitForFunction(() => document.querySelector('mq-reliability-demo').summary.now_ms > 5200);
  await page.$eval('mq-reliability-demo', (el) => el.pause());
  assert.equal(await nowMs('mq-idempotence-demo'), before, 'the same preset in another element did not move');
  // A live action from the demo's own button: crash a consumer.
  await page.$eval('mq-reliability-demo', (el) => el.shadowRoot.querySelector('.actions button.fault').click());
  const log = await page.$eval('mq-reliability-demo', (el) => el.session.commandLog());
  assert.equal(log.length, 1);
  assert.ok(log[0].command.crash_consumer, JSON.stringify(log));
});

test('a locked widget is play-only and can run to its end', { timeout: 60_000 }, async () => {
  const bar = await page.$eval('mq-sim', (el) => ({
    actions: el.shadowRoot.querySelectorAll('.actions button').length,
    speedHidden: el.shadowRoot.querySelector('.speed-label').hidden,
    play: !el.shadowRoot.querySelector('.play').disabled,
  }));
  assert.deepEqual(bar, { actions: 0, speedHidden: true, play: true });
  const refused = await page.$eval('mq-sim', (el) => {
    try {
      el.command({ set_consumers: { consumer: 'payment-worker', count: 1 } });
      return false;
    } catch {
      return true;
    }
  });
  assert.ok(refused, 'a locked widget refuses commands');
  await page.locator('mq-sim').scrollIntoViewIfNeeded();
  await page.$eval('mq-sim', (el) => {
    el.speed = Infinity;
    el.play();
  });
  await page.waitForFunction(() => window.mqEvents.some((e) => e.name === 'mq-finished' && e.tag === 'mq-sim'), null, { timeout: 45_000 });
  const finished = await page.evaluate(() => window.mqEvents.find((e) => e.name === 'mq-finished' && e.tag === 'mq-sim').detail.summary);
  assert.equal(finished.ledger_balanced, true);
  assert.equal(finished.scenario, 'poison-message-dlq');
});

test('the docs page and its widgets switch to Chinese', async () => {
  await page.click('[data-set-lang="zh"]');
  assert.match(await shadowText('mq-peak-shaving-demo'), /削峰填谷/);
  assert.match(await shadowText('mq-comparison-demo'), /队列、扇出交换机与 Kafka 日志对比/);
  assert.match(await page.textContent('h1'), /在页面中运行的消息队列/);
  await page.screenshot({ path: screenshotPath('docs-zh.png'), fullPage: true });
  await page.click('[data-set-lang="en"]');
  await page.screenshot({ path: screenshotPath('docs-en.png'), fullPage: true });
});

test('a bare page: one script, a preset, a scenario URL and inline JSON', { timeout: 60_000 }, async () => {
  const bare = await env.newPage();
  await bare.goto(new URL('www/docs.html', env.server.url).href); // any page of the site, as a base URL
  const results = await bare.evaluate(async () => {
    document.body.innerHTML = '';
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
      broken: await make({ scenario: '{"name": "x"' }),
    };
  });
  assert.deepEqual(results.preset, { ok: true, scenario: 'peak-shaving' });
  assert.deepEqual(results.url, { ok: true, scenario: 'order-decoupling' });
  assert.deepEqual(results.inline, { ok: true, scenario: 'inline-mmc' });
  assert.equal(results.broken.ok, false);
  await bare.close();
});

test('a page with one demo fetches the preset index and that one preset, nothing more', { timeout: 60_000 }, async () => {
  const one = await env.newPage();
  const pageUrl = new URL('one-demo.html', env.server.url).href;
  await one.route(pageUrl, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><script type="module" src="/www/widgets/mqsim-widgets.js"></script><mq-peak-shaving-demo></mq-peak-shaving-demo>',
    }),
  );
  const fetched = [];
  one.on('request', (req) => {
    const { pathname } = new URL(req.url());
    if (pathname.startsWith('/www/pkg/')) fetched.push(pathname);
  });
  await one.goto(pageUrl);
  await one.waitForFunction(() => document.querySelector('mq-peak-shaving-demo')?.summary != null, null, { timeout: 30_000 });
  assert.deepEqual(fetched.filter((p) => p.startsWith('/www/pkg/presets/')).sort(), [
    '/www/pkg/presets/index.json',
    '/www/pkg/presets/peak-shaving.json',
  ]);
  assert.ok(fetched.includes('/www/pkg/mqsim_bg.wasm'), fetched.join(' '));
  await one.close();
});

test('no console errors or page errors', () => {
  const problems = env.problems.filter((p) => !p.includes('not valid JSON')); // the deliberately broken widget
  assert.deepEqual(problems, []);
});
