// End-to-end tests of the simulator page (index.html) in headless Chromium.
// Needs `scripts/build-web.sh` to have run; `scripts/test.sh` does that. Run
// alone with `node --test tests/e2e/`. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ROOT, launch, screenshotPath } from './helpers.mjs';

// The presets this test knows about; the page may list more.
const PRESETS = ['peak-shaving', 'mmc-erlang-c', 'consumer-crash-manual-ack', 'consumer-crash-auto-ack', 'poison-message-dlq', 'async-response-time', 'order-decoupling'];
const RUN_TIMEOUT_MS = 60_000;
const COUNTER_IDS = ['published', 'produced', 'processed', 'in-flight', 'stored', 'redeliveries', 'duplicates', 'out-of-order', 'dead-lettered', 'expired', 'lost', 'dropped', 'peak-backlog', 'peak-backlog-at', 'latency-p50', 'latency-p95', 'latency-p99', 'trace-hash', 'ledger'];

let env;
let page;

before(async () => {
  env = await launch();
  page = await env.newPage();
  await open(page, '/');
});

after(async () => {
  if (page) await page.screenshot({ path: screenshotPath('e2e-final.png'), fullPage: true }).catch(() => {});
  await env?.browser.close();
  await env?.server.close();
});

async function open(p, url) {
  await p.goto(new URL(url, env.server.url).href);
  await p.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

/** The raw values behind the counters (their `data-value` attributes). */
function readCounters(p = page) {
  return p.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.getElementById(id).dataset.value])), COUNTER_IDS);
}

async function state(p = page) {
  return p.getAttribute('[data-testid="status"]', 'data-state');
}

async function runToEnd(p = page) {
  await p.click('#run-to-end');
  await p.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: RUN_TIMEOUT_MS });
}

async function runTo(seconds, p = page) {
  await p.fill('#run-to-time', String(seconds));
  await p.click('#run-to');
  await p.waitForFunction((ms) => Number(document.getElementById('sim-time').dataset.value) >= ms && document.getElementById('status').dataset.state !== 'running', seconds * 1000, { timeout: RUN_TIMEOUT_MS });
}

async function choose(preset, p = page) {
  await p.selectOption('#preset', preset);
  await p.waitForFunction((name) => location.hash.includes(`preset=${name}`), preset);
}

/** The native CLI's result for a preset: {summary, series}. */
async function nativeRun(preset) {
  const { stdout } = await promisify(execFile)('cargo', ['run', '--release', '--quiet', '--bin', 'mqsim', '--', 'run', preset, '--format', 'json'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

test('the page loads every preset, grouped by topic, and draws the topology', async () => {
  const names = await page.$$eval('#preset option', (options) => options.map((o) => o.value).filter(Boolean));
  for (const name of PRESETS) assert.ok(names.includes(name), `preset ${name} missing from ${names}`);
  assert.ok((await page.$$('#preset optgroup')).length >= 4, 'presets are grouped by topic');
  assert.equal(await page.inputValue('#preset'), 'peak-shaving');
  assert.equal(await state(), 'ready');
  assert.match(await page.textContent('#description'), /99,000/);
  assert.equal(await page.locator('#flow').count(), 1);
  assert.match(await page.textContent('#flow-description'), /orders/);
  assert.equal(await page.locator('#charts .chart-card').count(), 4, 'four charts');
  assert.equal(await page.locator('#charts canvas').count(), 4);
  assert.equal(await page.isHidden('#error'), true);
  await page.screenshot({ path: screenshotPath('page-ready.png'), fullPage: true });
});

test('play advances simulated time and the counters; pause stops them', async () => {
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('published').dataset.value) > 0 && Number(document.getElementById('sim-time').dataset.value) > 500);
  assert.equal(await state(), 'running');
  await page.waitForTimeout(600); // let the animation show messages moving
  await page.screenshot({ path: screenshotPath('page-playing.png'), fullPage: false });
  await page.click('#play');
  assert.equal(await state(), 'paused');
  const a = await page.getAttribute('#sim-time', 'data-value');
  await page.waitForTimeout(300);
  assert.equal(await page.getAttribute('#sim-time', 'data-value'), a, 'time stands still while paused');
  const stepped = await page.getAttribute('#trace-hash', 'data-value');
  await page.click('#step');
  await page.waitForFunction((h) => document.getElementById('trace-hash').dataset.value !== h, stepped);
});

test('peak-shaving runs to the end with the right numbers', { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
  await page.click('#reset');
  await runToEnd();
  const s = await readCounters();
  assert.equal(s.published, '100000');
  assert.equal(s.processed, '100000');
  for (const id of ['in-flight', 'stored', 'dead-lettered', 'dropped', 'lost', 'redeliveries', 'duplicates', 'out-of-order', 'expired']) assert.equal(s[id], '0', id);
  const peak = Number(s['peak-backlog']);
  assert.ok(peak >= 99000 && peak <= 99001, `peak backlog ${peak}`);
  assert.ok(Math.abs(Number(s['peak-backlog-at']) - 1000) <= 50, `peak at ${s['peak-backlog-at']} ms`);
  assert.equal(s.ledger, 'true');
  assert.match(s['trace-hash'], /^[0-9a-f]{16}$/);
  assert.equal(await page.textContent('#published'), '100,000');
  const [p50, p95, p99] = ['latency-p50', 'latency-p95', 'latency-p99'].map((id) => Number(s[id]));
  assert.ok(p50 > 40_000 && p50 < p95 && p95 < p99 && p99 < 100_000, `latency ${p50} ${p95} ${p99}`);
  assert.equal(Number(await page.getAttribute('#sim-time', 'data-value')), 102_000);
  // The depth chart shows the 99,000-message backlog.
  const theory = await page.textContent('#theory');
  assert.match(theory, /orders/);
  await page.screenshot({ path: screenshotPath('peak-shaving.png'), fullPage: true });
});

test('the page and the native CLI agree on peak-shaving', { timeout: 600_000 }, async () => {
  const native = await nativeRun('peak-shaving');
  const shown = await readCounters();
  assert.equal(shown['trace-hash'], native.summary.trace_hash);
  assert.equal(Number(shown['peak-backlog']), native.summary.peak_backlog.messages);
  const inPage = await page.evaluate(async () => {
    const api = await (await import('/www/lib/wasm.js')).loadWasm();
    const sim = new api.Simulation(await api.presetJson('peak-shaving'));
    sim.runToEnd();
    const summary = sim.summary();
    sim.free();
    return summary;
  });
  assert.deepEqual(inPage, native.summary);
});

test('a bad scenario throws an Error naming the JSON path', async () => {
  const result = await page.evaluate(async () => {
    const api = await (await import('/www/lib/wasm.js')).loadWasm();
    const scenario = JSON.parse(await api.presetJson('peak-shaving'));
    scenario.producers[0].arrivals = { poisson: { rate: -5 } };
    try {
      new api.Simulation(JSON.stringify(scenario));
      return { threw: false };
    } catch (err) {
      return { threw: true, isError: err instanceof Error, message: String(err.message) };
    }
  });
  assert.equal(result.threw, true, 'new Simulation accepted a negative rate');
  assert.equal(result.isError, true, 'what was thrown is an Error');
  assert.match(result.message, /producers\[0\]\.arrivals\.poisson\.rate/);
  assert.doesNotMatch(result.message, /\n/, 'the message is one line');
});

test('a fault button changes the outcome, and the shared URL replays it exactly', { timeout: RUN_TIMEOUT_MS * 3 }, async () => {
  await choose('consumer-crash-auto-ack');
  await runToEnd();
  const plain = await readCounters();

  await page.click('#reset');
  await runTo(4.6);
  await page.click('[data-testid="crash-worker-1"]');
  await page.waitForSelector('#command-log li:not(.empty)');
  assert.match(await page.textContent('#command-log'), /worker#1/);
  assert.match(await page.textContent('[data-node="consumer:worker"]'), /#1/);
  await runToEnd();
  const crashed = await readCounters();
  assert.notEqual(crashed['trace-hash'], plain['trace-hash'], 'the crash changed the run');
  assert.ok(Number(crashed.lost) > Number(plain.lost), `lost ${crashed.lost} > ${plain.lost}: the second crash loses what worker#1 held`);
  assert.equal(crashed.ledger, 'true');
  await page.screenshot({ path: screenshotPath('fault-auto-ack.png'), fullPage: true });

  const url = page.url();
  assert.match(url, /#preset=consumer-crash-auto-ack&seed=7&log=/);
  const other = await env.newPage();
  await open(other, url);
  assert.match(await other.textContent('#command-log'), /worker#1/, 'the shared link carries the action');
  await runToEnd(other);
  assert.deepEqual(await readCounters(other), crashed, 'the shared link reproduces every counter and the trace hash');
  await other.close();
});

test('live changes: a rate, the instance count and prefetch apply at the current time', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  await choose('mmc-erlang-c');
  await runTo(2);
  await page.fill('[data-testid="rate-clients"]', '1500');
  await page.click('[data-testid="apply-rate-clients"]');
  await page.click('[data-testid="plus-worker"]');
  await page.fill('[data-testid="prefetch-worker"]', '3');
  await page.click('[data-testid="apply-prefetch-worker"]');
  const log = await page.$$eval('#command-log li', (items) => items.map((li) => li.textContent));
  assert.equal(log.length, 3, log.join(' | '));
  assert.match(log[0], /^2s — clients: rate → 1500\/s/);
  assert.match(log[1], /worker: instances → 11/);
  assert.match(log[2], /worker: prefetch → 3/);
  await runTo(30);
  // A rate and a consumer count changed mid-run: no single λ or c describes the queue, and the theory panel says so.
  const jobs = page.locator('#theory [data-queue="jobs"]');
  assert.equal(await jobs.getAttribute('data-model'), 'none');
  assert.match(await jobs.getAttribute('data-note'), /^(rate_changed|consumers_changed)$/);
  assert.match(await jobs.textContent(), /M\/M\/c does not apply/);
  const wrong = await page.evaluate(() => document.querySelector('[data-testid="rate-clients"]').value);
  assert.equal(wrong, '1500');
  await page.fill('[data-testid="rate-clients"]', '-3');
  await page.click('[data-testid="apply-rate-clients"]');
  assert.match(await page.textContent('#error'), /set_rate\.rate/, 'a wrong value shows the engine error');
  assert.equal((await page.$$('#command-log li')).length, 3, 'a refused command is not recorded');
});

test('a service taken down and brought up from the page', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  await choose('order-decoupling');
  await runTo(5);
  await page.click('[data-testid="down-payment"]');
  await runTo(12);
  assert.match(await page.textContent('[data-node="service:payment"]'), /DOWN|宕机/);
  await page.click('[data-testid="up-payment"]');
  await runToEnd();
  const s = await readCounters();
  assert.equal(s.processed, s.produced, 'every queued task completes once payment is back');
  assert.equal(s.ledger, 'true');
  await page.screenshot({ path: screenshotPath('service-outage.png'), fullPage: true });
});

test('the event log filters, and the inspector shows a message’s whole life', { timeout: RUN_TIMEOUT_MS }, async () => {
  await choose('poison-message-dlq');
  await page.click('#follow-next'); // message 0, watched before it exists
  await runTo(1);
  const history = await page.$$eval('[data-testid="history"] li', (items) => items.map((li) => li.dataset.kind));
  assert.deepEqual(history.slice(0, 2), ['published', 'delivered'], history.join(','));
  await page.selectOption('#log-filter', 'messages');
  await page.fill('#log-search', '5');
  const rows = await page.$$eval('#log tbody tr', (trs) => trs.map((tr) => tr.cells[2].textContent));
  assert.ok(rows.length > 0 && rows.every((m) => m === '#5'), rows.join(','));
  await page.click('#log tbody tr button.link');
  await page.waitForFunction(() => document.querySelector('#inspector h3')?.textContent === '#5');
  await page.fill('#log-search', '');
  await page.selectOption('#log-filter', 'all');
});

/** The centre of a message dot in flight (a solid disc of Okabe-Ito blue) on the canvas, in CSS pixels, or null. */
function inFlightDot(p = page) {
  return p.$eval('#flow', (canvas) => {
    const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const dpr = canvas.width / canvas.clientWidth;
    const blue = (x, y) => {
      const i = (y * width + x) * 4;
      return Math.abs(data[i] - 0x00) < 8 && Math.abs(data[i + 1] - 0x72) < 8 && Math.abs(data[i + 2] - 0xb2) < 8;
    };
    // A dot's radius is 4.2 CSS px: its core is blue 2 px around its centre (an antialiased edge is not).
    const r = Math.max(1, Math.round(2 * dpr));
    for (let y = r; y < height - r; y++) {
      for (let x = r; x < width - r; x++) {
        if (blue(x, y) && blue(x - r, y) && blue(x + r, y) && blue(x, y - r) && blue(x, y + r)) return { x: x / dpr, y: y / dpr };
      }
    }
    return null;
  });
}

test('a stepped message is drawn on its way, and clicking it opens it in the inspector', { timeout: RUN_TIMEOUT_MS }, async () => {
  await choose('mmc-erlang-c');
  await runTo(2);
  // Paused, the diagram holds only what is true now; a step shows its own messages mid-way.
  assert.equal(await inFlightDot(), null, 'no message drawn on its way while paused');
  let spot = null;
  for (let i = 0; i < 20 && !spot; i++) {
    await page.click('#step');
    spot = await inFlightDot();
  }
  assert.ok(spot, 'a delivered message is drawn on the canvas after a few steps');
  await page.click('#flow', { position: spot });
  await page.waitForFunction(() => /^#\d+$/.test(document.querySelector('#inspector h3')?.textContent ?? ''));
  const kinds = await page.$$eval('[data-testid="history"] li', (items) => items.map((li) => li.dataset.kind));
  assert.ok(kinds.includes('delivered'), kinds.join(','));
  await page.screenshot({ path: screenshotPath('inspector.png') });
});

test('the scenario editor shows a validation error next to the field, then runs the fixed scenario', async () => {
  await choose('mmc-erlang-c');
  await page.click('#edit');
  const text = await page.inputValue('#editor-text');
  await page.fill('#editor-text', text.replace('"rate": 900.0', '"rate": -900.0'));
  await page.waitForFunction(() => !document.getElementById('editor-bubble').hidden);
  const problem = await page.textContent('#editor-problem');
  assert.match(problem, /producers\[0\]\.arrivals\.poisson\.rate/);
  const line = Number(await page.getAttribute('#editor-bubble', 'data-line'));
  const lines = (await page.inputValue('#editor-text')).split('\n');
  assert.match(lines[line - 1], /"rate": -900/, `the bubble is at line ${line}`);
  assert.match(await page.textContent('#editor-gutter'), new RegExp(`⚠ ${line}`));
  assert.equal(await page.isDisabled('#editor-apply'), true);
  await page.screenshot({ path: screenshotPath('editor-error.png') });
  await page.fill('#editor-text', text.replace('"rate": 900.0', '"rate": 450.0').replace('"mmc-erlang-c"', '"half-load"'));
  await page.waitForFunction(() => document.getElementById('editor-bubble').hidden && !document.getElementById('editor-apply').disabled);
  await page.click('#editor-apply');
  await page.waitForFunction(() => location.hash.includes('scenario='));
  assert.equal(await page.inputValue('#preset'), '');
  await runTo(3);
  assert.ok(Number(await page.getAttribute('#published', 'data-value')) < 3 * 900 * 0.7, 'the edited rate is the one running');
});

test('exports: scenario JSON, series CSV and a chart PNG', async () => {
  await choose('peak-shaving');
  await runTo(2);
  const csv = await download(() => page.click('#export-csv'));
  assert.match(csv.name, /peak-shaving-series\.csv$/);
  assert.match((await readFile(csv.path, 'utf8')).split('\n')[0], /^t_ms,produce_rate,consume_rate,/);
  const json = await download(() => page.click('#export-json'));
  assert.equal(JSON.parse(await readFile(json.path, 'utf8')).name, 'peak-shaving');
  const png = await download(() => page.click('[data-chart="depth"] button'));
  const bytes = await readFile(png.path);
  assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
});

async function download(click) {
  const [event] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: event.suggestedFilename(), path: await event.path() };
}

test('keyboard: Space plays and pauses, S steps', async () => {
  await page.click('#reset');
  await page.locator('h1').click();
  await page.keyboard.press('Space');
  assert.equal(await state(), 'running');
  await page.waitForFunction(() => Number(document.getElementById('sim-time').dataset.value) > 0);
  await page.keyboard.press('Space');
  assert.equal(await state(), 'paused');
  const hash = await page.getAttribute('#trace-hash', 'data-value');
  await page.keyboard.press('s');
  await page.waitForFunction((h) => document.getElementById('trace-hash').dataset.value !== h, hash);
  // Focus is visible on the controls.
  await page.focus('#play');
  const outline = await page.$eval('#play', (b) => getComputedStyle(b).outlineStyle);
  assert.notEqual(outline, 'none');
});

test('the language switch turns the page into Chinese and back', { timeout: RUN_TIMEOUT_MS }, async () => {
  await choose('peak-shaving');
  await page.click('[data-lang="zh"]');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.match(await page.textContent('#description'), /削峰填谷|积压/);
  assert.equal(await page.textContent('#play'), '播放');
  assert.match(await page.textContent('#summary'), /已发布/);
  assert.match(await page.textContent('#preset'), /削峰填谷/);
  assert.match(page.url(), /lang=zh/);
  await runTo(30);
  await page.screenshot({ path: screenshotPath('page-zh.png'), fullPage: true });
  await page.click('[data-lang="en"]');
  assert.equal(await page.textContent('#play'), 'Play');
  assert.match(await page.textContent('#summary'), /Published/);
  await page.screenshot({ path: screenshotPath('page-en.png'), fullPage: true });
});

test('request-reply shows its requests and the 197 of 1,010 that time out; other presets hide the counter', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  await choose('request-reply');
  await runToEnd();
  assert.equal(await page.isVisible('[data-testid="rpc-counter"]'), true);
  assert.equal(await page.textContent('#rpc-requests'), '1,010');
  assert.equal(await page.textContent('#rpc-timed-out'), '197');
  await choose('peak-shaving');
  assert.equal(await page.isVisible('[data-testid="rpc-counter"]'), false);
});

test('every preset runs to the end in the page', { timeout: RUN_TIMEOUT_MS * 8 }, async () => {
  const names = await page.$$eval('#preset option', (options) => options.map((o) => o.value).filter(Boolean));
  for (const name of names) {
    await choose(name);
    await runToEnd();
    const s = await readCounters();
    assert.equal(s.ledger, 'true', `${name}: ledger balanced`);
    assert.match(s['trace-hash'], /^[0-9a-f]{16}$/, name);
  }
});

test('with reduced motion the page still runs, without moving messages', { timeout: RUN_TIMEOUT_MS }, async () => {
  const calm = await env.newPage({ reducedMotion: 'reduce' });
  await open(calm, '/#preset=poison-message-dlq');
  await calm.click('#play');
  await calm.waitForFunction(() => Number(document.getElementById('published').dataset.value) > 100);
  await calm.click('#play');
  await calm.close();
});

/** The rows of a topic's table in the partitions panel, as {leader, isr, leo, hw, groups: [{committed, lag}]}. */
function partitionRows(topic, p = page) {
  return p.$$eval(`#partitions table[data-topic="${topic}"] tbody tr`, (rows) =>
    rows.map((row) => ({
      partition: Number(row.dataset.partition),
      leader: row.cells[1].textContent,
      leo: Number(row.cells[4].dataset.value),
      hw: Number(row.cells[5].dataset.value),
      groups: [...row.cells].slice(6).map((c) => ({ committed: c.dataset.committed === '' ? null : Number(c.dataset.committed), lag: Number(c.dataset.lag) })),
    })),
  );
}

test('a Kafka topic shows each partition’s LEO, HW and every group’s committed offset, as the engine has them', { timeout: RUN_TIMEOUT_MS }, async () => {
  await choose('kafka-commit-modes-crash');
  await runTo(8);
  const shown = await partitionRows('events');
  const engine = await page.evaluate(async () => {
    const api = await (await import('/www/lib/wasm.js')).loadWasm();
    const sim = new api.Simulation(await api.presetJson('kafka-commit-modes-crash'));
    sim.runUntil(8000);
    const kafka = sim.summary().kafka;
    sim.free();
    return kafka;
  });
  assert.equal(shown.length, 4, 'four partitions');
  engine.topics[0].partitions.forEach((p, i) => {
    assert.equal(shown[i].leo, p.leo, `P${i} LEO`);
    assert.equal(shown[i].hw, p.hw, `P${i} HW`);
    engine.groups.forEach((g, k) => {
      assert.equal(shown[i].groups[k].committed, g.partitions[i].committed, `${g.name} committed on P${i}`);
      assert.equal(shown[i].groups[k].lag, g.partitions[i].lag, `${g.name} lag on P${i}`);
    });
  });
  assert.ok(shown.every((p) => p.leo >= p.hw && p.groups.every((g) => g.committed <= p.hw)), 'committed ≤ HW ≤ LEO');
  const description = await page.textContent('#flow-description');
  assert.match(description, /P0 leader broker 0, ISR 0, LEO \d+, HW \d+/);
  assert.match(description, /consumer group at-least-once: #0 P\d/);
  await page.locator('#flow').screenshot({ path: screenshotPath('kafka-partitions.png') });
});

test('crashing a Kafka broker from the page moves leadership, and the shared URL replays it', { timeout: RUN_TIMEOUT_MS * 3 }, async () => {
  await choose('kafka-acks-leader-crash');
  await runTo(1);
  assert.equal((await partitionRows('acks1'))[0].leader, 'b0');
  await page.click('[data-testid="crash-broker-0"]');
  assert.match(await page.textContent('#command-log'), /broker 0 crashes/);
  await runTo(4);
  // Fenced after the 2 s broker session timeout, then a clean election from the ISR.
  for (const topic of ['acks0', 'acks1', 'acksall']) assert.equal((await partitionRows(topic))[0].leader, 'b1', topic);
  await page.waitForSelector('[data-testid="restart-broker-0"]');
  await runToEnd();
  const crashed = await readCounters();
  assert.equal(crashed.ledger, 'true');
  const other = await env.newPage();
  await open(other, page.url());
  await runToEnd(other);
  assert.deepEqual(await readCounters(other), crashed, 'the shared link reproduces the run');
  await other.close();
});

test('acks and the commit mode changed from the page change what is lost', { timeout: RUN_TIMEOUT_MS * 4 }, async () => {
  await choose('kafka-acks-leader-crash');
  await runToEnd();
  const plain = await readCounters();
  await page.click('#reset');
  await runTo(1);
  await page.selectOption('[data-testid="acks-leader-ack"]', 'all');
  assert.match(await page.textContent('#command-log'), /leader-ack: acks → all/);
  await runToEnd();
  const safer = await readCounters();
  assert.ok(Number(safer.lost) < Number(plain.lost), `acks=all on leader-ack: lost ${safer.lost} < ${plain.lost}`);

  await choose('kafka-commit-modes-crash');
  await runToEnd();
  const before = await readCounters();
  assert.ok(Number(before.duplicates) > 0, 'at-least-once repeats records after the crash');
  await page.click('#reset');
  await runTo(5);
  await page.selectOption('[data-testid="commit-at-least-once"]', 'before_processing');
  await runToEnd();
  const after = await readCounters();
  assert.equal(after.duplicates, '0', 'committing before processing never repeats');
  assert.ok(Number(after.lost) > Number(before.lost), `and loses more: ${after.lost} > ${before.lost}`);
});

test('adding a group member beyond the partitions leaves it idle, visibly', { timeout: RUN_TIMEOUT_MS }, async () => {
  await choose('kafka-idle-consumers');
  await runTo(2);
  await page.click('[data-testid="plus-workers"]');
  assert.equal(await page.textContent('[data-testid="count-workers"]'), '7');
  // An eager rebalance waits for every member to finish its poll: at most
  // 500 records of 4 ms, 2 s. By 5 s the new assignment has been made.
  await runTo(5);
  const description = await page.textContent('#flow-description');
  const idle = description.match(/consumer group workers: ([^;.]*)/)[1].split(', ').filter((m) => /idle/.test(m));
  assert.equal(idle.length, 4, `7 members for 3 partitions: ${description}`);
  await page.click('[data-testid="add-partition-orders"]');
  assert.match(await page.textContent('#command-log'), /orders: partitions → 4/);
  assert.equal((await partitionRows('orders')).length, 4);
});

test('the theory panel covers Kafka groups: one partition for four members is flagged unstable, and what is compared is said', { timeout: RUN_TIMEOUT_MS }, async () => {
  await choose('kafka-global-order');
  await runToEnd();
  const ledger = page.locator('#theory [data-queue="ledger-workers"]');
  const orders = page.locator('#theory [data-queue="order-workers"]');
  assert.match(await ledger.locator('h3').textContent(), /^ledger-workers \(ledger\)/);
  // 150 records/s for one worker at 100/s.
  assert.match(await ledger.textContent(), /unstable/);
  assert.doesNotMatch(await orders.textContent(), /unstable/);
  for (const group of [ledger, orders]) {
    assert.equal(await group.getAttribute('data-model'), 'mmc');
    assert.equal(await group.getAttribute('data-note'), 'kafka_partitioned');
    assert.match(await group.textContent(), /each member serves only its own partitions/);
  }
});

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
