// Reasons (issue G §8): every requeue in the event log and in the inspector
// says why (the engine's reason: here a consumer crash), and a redelivered
// delivery is flagged, as the engine's journal has them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, screenshotPath } from './helpers.mjs';

let env;
let page;

before(async () => {
  env = await launch();
  page = await env.newPage();
  await page.goto(new URL('/#preset=consumer-crash-manual-ack', env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

async function runTo(seconds) {
  await page.fill('#run-to-time', String(seconds));
  await page.click('#run-to');
  await page.waitForFunction((ms) => Number(document.getElementById('sim-time').dataset.value) >= ms && document.getElementById('status').dataset.state !== 'running', seconds * 1000, { timeout: 60_000 });
}

/** The log's rows now: {kind, reason, redelivered, msg}. */
function logRows() {
  return page.$$eval('#log tbody tr', (trs) =>
    trs.map((tr) => ({ kind: tr.className.split(' ')[0], text: tr.cells[1].textContent, reason: tr.cells[1].dataset.reason ?? null, redelivered: tr.classList.contains('redelivered'), msg: tr.cells[2].textContent })),
  );
}

test('a requeue after a consumer crash says why, in the log and in the inspector; its redelivery is flagged', { timeout: 120_000 }, async () => {
  // worker#0 crashes at 5 s with messages unacked: the broker requeues them.
  await runTo(5.05);
  await page.selectOption('#log-filter', 'messages');
  await page.fill('#log-search', 'requeued');
  const requeued = (await logRows()).filter((r) => r.kind === 'kind-requeued');
  assert.ok(requeued.length > 0, 'the crash requeued messages');
  for (const r of requeued) assert.equal(r.reason, 'consumer_crash', `${r.msg}: ${r.text}`);
  await page.screenshot({ path: screenshotPath('log-reasons.png') });

  // One of them, followed: its history names the reason, and its next delivery is a redelivery.
  const id = Number(requeued.at(-1).msg.slice(1));
  await page.fill('#log-search', '');
  await page.fill('#inspect-id', String(id));
  await page.press('#inspect-id', 'Enter');
  await runTo(8);
  const history = await page.$$eval('[data-testid="history"] li', (items) => items.map((li) => ({ kind: li.dataset.kind, reason: li.dataset.reason ?? null, redelivered: li.dataset.redelivered === 'true' })));
  const requeue = history.findIndex((e) => e.kind === 'requeued');
  assert.ok(requeue > 0, JSON.stringify(history));
  assert.equal(history[requeue].reason, 'consumer_crash');
  const again = history.slice(requeue).find((e) => e.kind === 'delivered');
  assert.ok(again?.redelivered, `delivered again after the requeue, flagged: ${JSON.stringify(history)}`);
  assert.equal(history.filter((e) => e.kind === 'delivered' && !e.redelivered).length, 1, 'only the first delivery is not a redelivery');

  // In the log too: the redelivery's row is flagged.
  await page.fill('#log-search', String(id));
  const rows = await logRows();
  assert.ok(rows.some((r) => r.kind === 'kind-delivered' && r.redelivered), JSON.stringify(rows));
  await page.fill('#log-search', '');
  await page.selectOption('#log-filter', 'all');
});

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
