// End-to-end tests of the embeddable widgets on the docs page that shows them
// all (www/docs.html): each demo shows the counters, figures and charts its
// text names, and the figures its text states are the ones on screen.
// Embedding on other pages: widgets-embed.test.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { t } from '../../www/lib/i18n.js';
import { DEMOS } from '../../www/widgets/demos.js';
import { wt } from '../../www/widgets/strings.js';
import { launch, screenshotPath } from './helpers.mjs';

const TAGS = Object.keys(DEMOS);
const RUN_TIMEOUT_MS = 90_000;

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
  // Every widget on the page (the demos and the <mq-sim> ones) has loaded, or failed to.
  await page.waitForFunction(() => {
    const widgets = [...document.querySelectorAll('main *')].filter((el) => el.localName.startsWith('mq-'));
    return widgets.length > 0 && window.mqEvents.filter((e) => e.name === 'mq-ready' || e.name === 'mq-error').length === widgets.length;
  }, null, { timeout: 30_000 });
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

function nowMs(tag) {
  return page.$eval(tag, (el) => el.summary?.now_ms ?? null);
}

/** Starts the widget's run over and plays it to its end as fast as the frame budget allows. */
async function runToEnd(selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.$eval(selector, (el) => {
    el.finishedRun = false;
    el.addEventListener('mq-finished', () => (el.finishedRun = true), { once: true });
    el.reset();
    el.speed = Infinity;
    el.play();
  });
  await page.waitForFunction((selector) => document.querySelector(selector).finishedRun, selector, { timeout: RUN_TIMEOUT_MS });
}

/** Every counter box of a widget: {key: {value, text, detail}}. */
function counters(tag) {
  return page.$eval(tag, (el) =>
    Object.fromEntries(
      [...el.shadowRoot.querySelectorAll('.counters [data-counter]')].map((box) => {
        const dd = box.querySelector('dd');
        return [box.dataset.counter, { value: Number(dd.dataset.value), text: dd.firstChild.textContent, detail: dd.lastChild.textContent, label: box.querySelector('dt').textContent }];
      }),
    ),
  );
}

/** A chart's data as drawn: {label: [values]} with the x values under `t_s`. */
function chartData(tag, kind) {
  return page.$eval(
    tag,
    (el, kind) => {
      const chart = el.plots.charts.find((c) => c.kind === kind);
      const [x, ...ys] = chart.plot.data;
      return Object.fromEntries([['t_s', x], ...chart.lines.map((line, i) => [line.column, ys[i]])]);
    },
    kind,
  );
}

test('every demo element shows its diagram, counters and the charts its demo names', async () => {
  for (const tag of TAGS) {
    const info = await page.$eval(tag, (el) => ({
      title: el.shadowRoot.querySelector('.title').textContent,
      canvas: el.shadowRoot.querySelector('canvas').clientHeight,
      failed: el.shadowRoot.querySelector('.frame').classList.contains('failed'),
      charts: [...el.shadowRoot.querySelectorAll('.charts figure')].map((f) => [f.dataset.chart, f.querySelectorAll('canvas').length]),
      counters: el.shadowRoot.querySelectorAll('.counters [data-counter]').length,
    }));
    assert.ok(info.title.length > 10, `${tag} has a title`);
    assert.equal(info.failed, false, tag);
    assert.ok(info.canvas > 100, `${tag} draws its diagram`);
    assert.deepEqual(info.charts, DEMOS[tag].charts.map((kind) => [kind, 1]), `${tag}'s charts`);
    assert.equal(info.counters > 0, DEMOS[tag].counters.length > 0, `${tag}'s counters`);
  }
});

/** A string key's text: the page's (counter.*, charts.*) or the widgets' own. */
function text(lang, key) {
  return /^(counter|charts)\./.test(key) ? t(lang, key) : wt(lang, key);
}

/** The on-screen names a widget shows: chart titles, counter labels, table headers, the figures' title. */
function shownNames(tag) {
  return page.$eval(tag, (el) => {
    const root = el.shadowRoot;
    const figures = root.querySelector('.figures');
    return [
      ...[...root.querySelectorAll('.charts figcaption, .counters dt, .compare th')].map((c) => c.textContent),
      ...(figures.hidden ? [] : [figures.querySelector('h3').textContent]),
    ];
  });
}

test('a demo text names counters, charts and figures the widget shows, in both languages', async () => {
  for (const lang of ['en', 'zh']) {
    await page.click(`[data-set-lang="${lang}"]`);
    for (const tag of TAGS) {
      const watch = await page.$eval(tag, (el) => el.shadowRoot.querySelector('.watch').textContent.toLowerCase());
      const shown = (await shownNames(tag)).map((s) => s.toLowerCase());
      for (const key of DEMOS[tag].mentions) {
        const name = text(lang, key).toLowerCase();
        assert.ok(watch.includes(name), `${tag} (${lang}): its text names “${name}”`);
        assert.ok(shown.some((s) => s.includes(name)), `${tag} (${lang}) shows “${name}”: ${shown.join(' | ')}`);
      }
    }
  }
  await page.click('[data-set-lang="en"]');
});

test('an English demo text names no chart, counter or panel the widget does not show', async () => {
  // In English the text capitalises an on-screen name as the screen does ("Peak backlog", "Lost").
  const keys = [
    ...['depth', 'rates', 'latency', 'response', 'outcomes'].map((k) => `charts.${k}`),
    ...['published', 'processed', 'stored', 'in_flight', 'redelivered', 'duplicates', 'dead_lettered', 'expired', 'lost', 'dropped', 'peak'].map((k) => `counter.${k}`),
    'chart.duplicates',
    'chart.redelivered-lost',
    'figures.title',
  ];
  for (const tag of TAGS) {
    const watch = await page.$eval(tag, (el) => el.shadowRoot.querySelector('.watch').textContent);
    const shown = await shownNames(tag);
    const missing = keys.map((k) => text('en', k)).filter((name) => watch.includes(name) && !shown.some((s) => s.includes(name)));
    assert.deepEqual(missing, [], `${tag} names what it does not show`);
  }
});

test('speed "max" is shown as max', async () => {
  const shown = await page.$eval('mq-producer-consumer-demo', (el) => {
    el.speed = Infinity;
    const select = el.shadowRoot.querySelector('.speed');
    const label = select.selectedOptions[0].textContent;
    el.speed = 1;
    return label;
  });
  assert.equal(shown, 'max');
});

test('the autoplaying peak-shaving demo runs while visible and ticks', { timeout: 60_000 }, async () => {
  await page.locator('mq-peak-shaving-demo').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.mqEvents.some((e) => e.name === 'mq-tick' && e.tag === 'mq-peak-shaving-demo' && e.detail.backlog > 0));
  // mq-tick's backlog counts in-flight messages too, and the counters are
  // redrawn on their own clock: what the learner sees is the stored counter
  // growing once the burst has arrived.
  await page.waitForFunction(() => {
    const dd = document.querySelector('mq-peak-shaving-demo').shadowRoot.querySelector('.counters [data-counter="stored"] dd');
    return Number(dd?.dataset.value) > 1000;
  }, null, { timeout: 30_000 });
  const { stored } = await counters('mq-peak-shaving-demo');
  assert.ok(stored.value > 1000, `backlog ${stored.value}`);
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

test('architecture: one event per order, four copies, each service at its own pace, nothing lost', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-architecture-demo';
  await runToEnd(tag);
  const c = await counters(tag);
  const summary = await page.$eval(tag, (el) => el.summary);
  assert.equal(summary.produced, 4 * summary.published, 'four copies of each order');
  assert.equal(c.published.value, summary.published);
  assert.equal(c.published.detail, `→ ${summary.produced.toLocaleString('en-US')} copies`);
  assert.equal(c.processed.value, summary.produced, 'every copy processed once');
  assert.equal(c.lost.value, 0);
  const peaks = Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith('queue-peak.')).map(([k, v]) => [k.slice('queue-peak.'.length), v.value]));
  assert.deepEqual(Object.keys(peaks), ['inventory-events', 'payment-events', 'logistics-events', 'notification-events']);
  assert.equal(Math.max(...Object.values(peaks)), peaks['payment-events'], `payment builds the longest queue: ${JSON.stringify(peaks)}`);
  await page.locator(tag).screenshot({ path: screenshotPath('widget-architecture.png') });
});

test('architecture: a crashed inventory worker backs up inventory-events only', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-architecture-demo';
  await page.locator(tag).scrollIntoViewIfNeeded();
  await page.$eval(tag, (el) => el.reset());
  for (let i = 0; i < 2; i++) await page.$eval(tag, (el) => el.shadowRoot.querySelector('.actions button.fault').click());
  await page.$eval(tag, (el) => {
    el.speed = 5;
    el.play();
  });
  await page.waitForFunction((tag) => document.querySelector(tag).summary.now_ms > 5_000, tag, { timeout: RUN_TIMEOUT_MS });
  await page.$eval(tag, (el) => el.pause());
  const depths = await page.$eval(tag, (el) => Object.fromEntries(el.summary.queues.map((q) => [q.name, q.depth])));
  assert.ok(depths['inventory-events'] > 100, JSON.stringify(depths));
  for (const q of ['payment-events', 'logistics-events', 'notification-events']) assert.ok(depths[q] < 30, JSON.stringify(depths));
});

test('peak shaving: the backlog peaks at 99,000 at t = 1 s and drains at 1,000/s for 99 s', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-peak-shaving-demo';
  await runToEnd(tag);
  const c = await counters(tag);
  assert.equal(c.published.value, 100_000);
  assert.equal(c.peak.value, 99_000);
  assert.equal(c.peak.text, '99,000');
  assert.equal(c.peak.detail, 'at 1.00 s');
  assert.equal(c.stored.value, 0, 'drained by the end');
  const depth = await chartData(tag, 'depth');
  const peakAt = depth['depth.orders'].indexOf(Math.max(...depth['depth.orders']));
  assert.equal(depth.t_s[peakAt], 1, 'the Queue depth chart peaks at t = 1 s');
  const emptyAt = depth['depth.orders'].findIndex((v, i) => i > peakAt && v === 0);
  assert.equal(depth.t_s[emptyAt], 100, 'and is empty 99 s later');
  const rates = await chartData(tag, 'rates');
  assert.equal(Math.max(...rates.produce_rate), 100_000, 'the producer at 100,000/s');
  assert.equal(Math.max(...rates.consume_rate), 1_000, 'the consumer never passes 1,000/s');
  // The Queueing theory figures: the burst model's prediction next to the measurement.
  const burst = await page.$eval(tag, (el) => ({
    peak: { ...el.shadowRoot.querySelector('[data-figure="burst-peak"] dd').dataset },
    peakText: el.shadowRoot.querySelector('[data-figure="burst-peak"] dd').textContent,
    drain: { ...el.shadowRoot.querySelector('[data-figure="burst-drain"] dd').dataset },
    drainText: el.shadowRoot.querySelector('[data-figure="burst-drain"] dd').textContent,
  }));
  assert.equal(Number(burst.peak.predicted), 99_000);
  assert.equal(Number(burst.peak.measured), 99_000);
  assert.equal(burst.peakText, '99,000 at 1.00 s vs 99,000 at 1.00 s');
  assert.equal(burst.drainText, '100.00 s vs 100.00 s', 'empty 99 s after the peak, as h / r says');
  await page.locator(tag).screenshot({ path: screenshotPath('widget-peak-shaving.png') });
});

test('asynchronous processing: the user waits 350 ms synchronously, 155 ms asynchronously', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-sim[scenario="async-response-time"]';
  await runToEnd(tag);
  const c = await counters(tag);
  assert.equal(c['requests.sync-order'].detail, 'response p50 350.0 ms');
  assert.equal(c['requests.async-order'].detail, 'response p50 155.0 ms');
  const flows = await page.$eval(tag, (el) => el.summary.requests.map((r) => [r.name, r.response_ms.p50, r.response_ms.p99]));
  assert.deepEqual(flows, [
    ['sync-order', 350, 350],
    ['async-order', 155, 155],
  ]);
  const response = await chartData(tag, 'response');
  assert.equal(Math.max(...response['response_p50_ms.sync-order'].filter((v) => v != null)), 350, 'the User response time chart');
  assert.equal(Math.max(...response['response_p50_ms.async-order'].filter((v) => v != null)), 155);
});

test('producer-consumer: ρ ≈ 0.9, the simulated wait near Erlang C, L = λ·W', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-producer-consumer-demo';
  await runToEnd(tag);
  const figures = await page.$eval(tag, (el) => {
    const overlay = el.summary.queues[0].overlay;
    const read = (key) => ({ ...el.shadowRoot.querySelector(`[data-figure="${key}"] dd`).dataset });
    return { overlay, rho: read('rho'), wq: read('wq'), l: read('l'), shown: !el.shadowRoot.querySelector('.figures').hidden };
  });
  assert.ok(figures.shown, 'the Queueing theory figures are on screen');
  assert.equal(Number(figures.rho.rho), figures.overlay.rho, 'ρ is the summary’s');
  assert.ok(Math.abs(figures.overlay.rho - 0.9) < 0.03, `ρ ${figures.overlay.rho}`);
  assert.equal(Number(figures.wq.analytic), figures.overlay.wq_analytic_ms);
  assert.ok(Math.abs(figures.overlay.wq_simulated_ms / figures.overlay.wq_analytic_ms - 1) < 0.15, `Wq ${figures.overlay.wq_simulated_ms} vs ${figures.overlay.wq_analytic_ms}`);
  assert.ok(Math.abs(Number(figures.l.measured) / Number(figures.l.little) - 1) < 0.01, 'Little’s law');
  await page.locator(tag).screenshot({ path: screenshotPath('widget-producer-consumer.png') });
});

test('producer-consumer: doubling the rate climbs the queue, and M/M/c no longer applies', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-producer-consumer-demo';
  await page.locator(tag).scrollIntoViewIfNeeded();
  await page.$eval(tag, (el) => el.reset());
  await page.$eval(tag, (el) => [...el.shadowRoot.querySelectorAll('.actions button')].find((b) => b.textContent.endsWith('×2')).click());
  await page.$eval(tag, (el) => {
    el.speed = 5;
    el.play();
  });
  await page.waitForFunction((tag) => document.querySelector(tag).summary.now_ms > 10_000, tag, { timeout: RUN_TIMEOUT_MS });
  await page.$eval(tag, (el) => el.pause());
  const { note, backlog, model } = await page.$eval(tag, (el) => ({
    note: el.shadowRoot.querySelector('.figures p').textContent,
    backlog: el.summary.states.stored,
    model: [el.summary.queues[0].model, el.summary.queues[0].note],
  }));
  assert.deepEqual(model, ['none', 'rate_changed']);
  assert.equal(note, t('en', 'theory.note.rate_changed'), 'the figures say why');
  assert.ok(backlog > 1_000, `backlog ${backlog}`);
  const depth = await chartData(tag, 'depth');
  assert.ok(Math.max(...depth['depth.jobs']) > 1_000, 'the Queue depth chart climbs');
});

test('decoupling: synchronous checkouts fail while inventory is down, queued ones never do', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-decoupling-demo';
  await runToEnd(tag);
  const c = await counters(tag);
  const sync = c['requests.sync-checkout'];
  const queued = c['requests.queued-checkout'];
  assert.ok(sync.text.endsWith(' failed') && !sync.text.endsWith(' 0 failed'), sync.text);
  assert.match(queued.text, / 0 failed$/);
  assert.equal(sync.detail, 'response p50 1.00 s');
  assert.equal(queued.detail, 'response p50 50.0 ms');
  const summary = await page.$eval(tag, (el) => el.summary);
  assert.ok(summary.requests[0].failed > 0 && summary.requests[1].failed === 0);
  const peak = summary.queues.find((q) => q.name === 'inventory-tasks').peak;
  assert.equal(c['queue-peak.inventory-tasks'].value, peak.messages);
  assert.ok(peak.at_ms > 39_000 && peak.at_ms < 41_000, `inventory-tasks peaks when inventory is back: ${peak.at_ms}`);
  assert.equal(summary.states.stored + summary.states.in_flight, 0, 'all done once inventory is back');
});

test('reliability: manual acks lose nothing, automatic acks lose what the crashed consumer held', { timeout: 2 * RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-reliability-demo';
  await runToEnd(tag);
  const manual = await counters(tag);
  assert.ok(manual.redelivered.value > 0, 'redelivered to the survivor');
  assert.equal(manual.lost.value, 0);
  // The chart marks the crash and the restart where they happened.
  const marked = await page.$eval(tag, (el) => el.markers.forCharts('en').filter((m) => m.source === 'fault').map((m) => [m.tMs, m.label]));
  assert.deepEqual(marked, [
    [5_000, 'crash worker#0'],
    [12_000, 'restart worker#0'],
  ]);
  const ready = await page.evaluate(() => window.mqEvents.filter((e) => e.name === 'mq-ready').length);
  await page.$eval(tag, (el) => el.shadowRoot.querySelector('.variants [data-preset="consumer-crash-auto-ack"]').click());
  await page.waitForFunction((n) => window.mqEvents.filter((e) => e.name === 'mq-ready').length > n, ready);
  assert.equal(await page.$eval(tag, (el) => el.summary.scenario), 'consumer-crash-auto-ack');
  assert.equal(await page.$eval(tag, (el) => el.shadowRoot.querySelector('.variants [aria-pressed="true"]').dataset.preset), 'consumer-crash-auto-ack');
  await runToEnd(tag);
  const auto = await counters(tag);
  assert.ok(auto.lost.value > 0, `lost ${auto.lost.value}`);
  const chart = await chartData(tag, 'redelivered-lost');
  assert.equal(Math.max(...chart.lost), auto.lost.value, 'the chart shows the loss');
  await page.$eval(tag, (el) => el.shadowRoot.querySelector('.variants [data-preset="consumer-crash-manual-ack"]').click());
});

test('idempotence: duplicates without dedup and with a too-short window, none with dedup', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-idempotence-demo';
  await runToEnd(tag);
  const c = await counters(tag);
  assert.ok(c['duplicates.plain'].value > 0, 'plain charges twice');
  assert.equal(c['duplicates.plain'].detail, 'no dedup');
  assert.equal(c['duplicates.dedup'].value, 0, 'dedup never does');
  assert.match(c['duplicates.dedup'].detail, /^[1-9][\d,]* caught by dedup$/);
  assert.ok(c['duplicates.short-window'].value > 0, 'a 2 s window forgets too soon');
  const chart = await chartData(tag, 'duplicates');
  const summary = await page.$eval(tag, (el) => el.summary);
  assert.equal(Math.max(...Object.entries(chart).filter(([k]) => k !== 't_s').flatMap(([, v]) => v)) > 0, true, 'the chart has data');
  assert.equal(summary.amqp.groups.find((g) => g.name === 'plain').duplicates, c['duplicates.plain'].value);
});

test('comparison: a shared queue splits the orders, a fanout exchange and a Kafka log give each service all of them', { timeout: RUN_TIMEOUT_MS }, async () => {
  const tag = 'mq-comparison-demo';
  await runToEnd(tag);
  const rows = await page.$eval(tag, (el) =>
    Object.fromEntries([...el.shadowRoot.querySelectorAll('.compare tbody tr')].map((tr) => [tr.dataset.design, [...tr.querySelectorAll('td')].map((td) => Number(td.dataset.value))])),
  );
  const [queued, billing, shipping] = rows['shop-queue'];
  assert.ok(billing > 0 && shipping > 0 && billing + shipping === queued, `shared queue: ${rows['shop-queue']}`);
  for (const design of ['shop-fanout', 'shop-log']) {
    const [published, b, s] = rows[design];
    assert.ok(published > 0 && b === published && s === published, `${design}: ${rows[design]}`);
  }
});

test('the comparison diagram is legible at its default size and nothing overflows', async () => {
  const tag = 'mq-comparison-demo';
  await page.locator(tag).scrollIntoViewIfNeeded();
  const fit = await page.$eval(tag, (el) => {
    const frame = el.shadowRoot.querySelector('.frame');
    const stage = el.shadowRoot.querySelector('.stage');
    return { scale: el.view.scale, frame: [frame.scrollWidth, frame.clientWidth], stage: [stage.scrollWidth, stage.clientWidth] };
  });
  // The diagram's labels are 12 px at 1×: at 11 px or more they read as the page's small print.
  assert.ok(fit.scale * 12 >= 11, `the diagram is drawn at ${fit.scale}×, its labels at ${fit.scale * 12} px`);
  assert.ok(fit.frame[0] <= fit.frame[1], `frame ${fit.frame}`);
  assert.ok(fit.stage[0] <= fit.stage[1], `stage ${fit.stage}`);
  await page.locator(tag).screenshot({ path: screenshotPath('widget-comparison.png') });
});

test('widgets do not interfere: each runs its own simulation', { timeout: 60_000 }, async () => {
  await page.locator('mq-reliability-demo').scrollIntoViewIfNeeded();
  await page.$eval('mq-reliability-demo', (el) => el.reset());
  const before = await nowMs('mq-idempotence-demo');
  await page.$eval('mq-reliability-demo', (el) => {
    el.speed = 2;
    el.shadowRoot.querySelector('.play').click();
  });
  await page.waitForFunction(() => document.querySelector('mq-reliability-demo').summary.now_ms > 5200);
  await page.$eval('mq-reliability-demo', (el) => el.pause());
  assert.equal(await nowMs('mq-idempotence-demo'), before, 'another element did not move');
  // A live action from the demo's own button: crash a consumer.
  await page.$eval('mq-reliability-demo', (el) => el.shadowRoot.querySelector('.actions button.fault').click());
  const log = await page.$eval('mq-reliability-demo', (el) => el.session.commandLog());
  assert.equal(log.length, 1);
  assert.ok(log[0].command.crash_consumer, JSON.stringify(log));
});

test('a locked widget is play-only and can run to its end', { timeout: 60_000 }, async () => {
  const bar = await page.$eval('mq-sim[locked]', (el) => ({
    actions: el.shadowRoot.querySelectorAll('.actions button').length,
    speedHidden: el.shadowRoot.querySelector('.speed-label').hidden,
    play: !el.shadowRoot.querySelector('.play').disabled,
  }));
  assert.deepEqual(bar, { actions: 0, speedHidden: true, play: true });
  const refused = await page.$eval('mq-sim[locked]', (el) => {
    try {
      el.command({ set_consumers: { consumer: 'payment-worker', count: 1 } });
      return false;
    } catch {
      return true;
    }
  });
  assert.ok(refused, 'a locked widget refuses commands');
  await page.locator('mq-sim[locked]').scrollIntoViewIfNeeded();
  await page.$eval('mq-sim[locked]', (el) => {
    el.speed = Infinity;
    el.play();
  });
  await page.waitForFunction(() => window.mqEvents.some((e) => e.name === 'mq-finished' && e.detail.summary.scenario === 'poison-message-dlq'), null, { timeout: 45_000 });
  const finished = await page.evaluate(() => window.mqEvents.find((e) => e.name === 'mq-finished' && e.detail.summary.scenario === 'poison-message-dlq').detail.summary);
  assert.equal(finished.ledger_balanced, true);
});

test('the lesson on the docs page: a wrong prediction next to the 350 ms the run measured, then the step in Chinese', { timeout: RUN_TIMEOUT_MS }, async () => {
  const lesson = (testid) => page.locator(`mq-lesson [data-testid="${testid}"]`);
  await page.locator('mq-lesson').scrollIntoViewIfNeeded();
  assert.equal(await lesson('lesson-progress').innerText(), 'Step 1 of 3');
  assert.equal(await lesson('lesson-step-title').innerText(), 'The synchronous chain');
  assert.equal(await page.$eval('mq-lesson', (el) => el.shadowRoot.querySelector('.title').textContent), 'Why queues: waiting for everything, or for what matters');
  await lesson('lesson-input').fill('155');
  await lesson('lesson-run').click();
  await lesson('lesson-verdict').waitFor({ timeout: RUN_TIMEOUT_MS });
  assert.equal(await lesson('lesson-prediction').innerText(), '155 ms');
  assert.equal(await lesson('lesson-measured').innerText(), '350 ms');
  assert.equal(await lesson('lesson-verdict').getAttribute('data-right'), 'false');
  assert.match(await lesson('lesson-explain').innerText(), /100 \+ 50 \+ 100 \+ 100 = 350 ms/);
  // The widget's own run is the one measured: played to the step's end, 10 s.
  assert.equal(await nowMs('mq-lesson'), 10_000);

  await page.click('[data-set-lang="zh"]');
  assert.equal(await lesson('lesson-progress').innerText(), '第 1 步，共 3 步');
  assert.equal(await lesson('lesson-measured').innerText(), '350 毫秒');
  assert.equal(await lesson('lesson-verdict').innerText(), '这次没猜中：模拟测得的是另一个结果。');
  await page.click('[data-set-lang="en"]');
});

test('the docs page and its widgets switch to Chinese', async () => {
  await page.click('[data-set-lang="zh"]');
  const zh = await page.$eval('mq-peak-shaving-demo', (el) => el.shadowRoot.textContent);
  assert.match(zh, /削峰填谷/);
  assert.match(zh, /积压峰值/);
  assert.match(await page.$eval('mq-comparison-demo', (el) => el.shadowRoot.textContent), /队列、扇出交换机与 Kafka 日志对比/);
  assert.equal(await page.$eval('mq-producer-consumer-demo', (el) => el.shadowRoot.querySelector('.figures h3').textContent), '排队论');
  assert.match(await page.textContent('h1'), /在页面中运行的消息队列/);
  await page.screenshot({ path: screenshotPath('docs-zh.png'), fullPage: true });
  await page.click('[data-set-lang="en"]');
  await page.screenshot({ path: screenshotPath('docs-en.png'), fullPage: true });
});

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
