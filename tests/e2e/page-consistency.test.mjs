// A paused page shows one instant (issue G §4): after pause, step, Run-to and
// Run-to-end, every counter, the Kafka tables, the charts and the diagram
// agree with the engine's summary() and topology() read at that instant.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch } from './helpers.mjs';

const RUN_TIMEOUT_MS = 60_000;

let env;
let page;

before(async () => {
  env = await launch();
  page = await env.newPage();
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

async function open(preset) {
  await page.goto('about:blank');
  await page.goto(new URL(`/#preset=${preset}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

const notRunning = () => document.getElementById('status').dataset.state !== 'running';

/** Each way of stopping, leaving the page paused (or finished) at some instant. */
const STOPS = {
  async pause() {
    await page.click('#play');
    await page.waitForFunction(() => Number(document.getElementById('sim-time').dataset.value) > 1500, null, { timeout: RUN_TIMEOUT_MS });
    await page.click('#play');
  },
  async step() {
    for (let i = 0; i < 5; i++) await page.click('#step');
  },
  async runTo() {
    await page.fill('#run-to-time', '6.3');
    await page.click('#run-to');
    await page.waitForFunction(notRunning, null, { timeout: RUN_TIMEOUT_MS });
  },
  async runToEnd() {
    await page.click('#run-to-end');
    await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: RUN_TIMEOUT_MS });
  },
};

/** What the page shows, and what the engine says at this instant: both read in one task, with no frame in between. */
function snapshot() {
  return page.evaluate(async () => {
    const { page: p } = await import('/www/page/run.js');
    const sim = p.session.sim;
    const value = (id) => document.getElementById(id).dataset.value;
    const counters = Object.fromEntries(
      ['published', 'produced', 'processed', 'in-flight', 'stored', 'redeliveries', 'duplicates', 'out-of-order', 'dead-lettered', 'expired', 'lost', 'dropped', 'peak-backlog', 'trace-hash', 'sim-time'].map((id) => [id, value(id)]),
    );
    const partitions = [...document.querySelectorAll('#partitions table[data-topic] tbody tr')].map((row) => ({
      topic: row.closest('table').dataset.topic,
      partition: Number(row.dataset.partition),
      leader: row.cells[1].dataset.value,
      leo: Number(row.cells[4].dataset.value),
      hw: Number(row.cells[5].dataset.value),
      groups: [...row.cells].slice(6).map((c) => [c.dataset.committed, c.dataset.lag]),
    }));
    const groups = [...document.querySelectorAll('[data-testid="kafka-groups"] tbody tr')].map((row) => ({
      name: row.dataset.name,
      ...Object.fromEntries([...row.cells].filter((c) => c.dataset.value != null).map((c) => [c.dataset.column, Number(c.dataset.value)])),
    }));
    const lastLogTime = document.querySelector('#log tbody tr td')?.textContent ?? null;
    return {
      state: document.getElementById('status').dataset.state,
      counters,
      partitions,
      groups,
      lastLogTime,
      view: { summary: p.view.summary, topology: p.view.topology, particles: p.view.particles.length },
      charted: p.session.columns?.t_ms.length ?? 0,
      engine: { summary: sim.summary(), topology: sim.topology(), seriesLength: sim.seriesLength, now: sim.nowMs },
    };
  });
}

function assertOneInstant(shot, what) {
  const s = shot.engine.summary;
  const c = shot.counters;
  assert.notEqual(shot.state, 'running', what);
  assert.equal(Number(c['sim-time']), shot.engine.now, `${what}: the clock`);
  const expected = {
    published: s.published,
    produced: s.produced,
    processed: s.states.processed,
    'in-flight': s.states.in_flight,
    stored: s.states.stored + s.states.in_flight,
    redeliveries: s.redeliveries,
    duplicates: s.duplicates,
    'out-of-order': s.out_of_order,
    'dead-lettered': s.dead_lettered_total,
    expired: s.states.expired,
    lost: s.states.lost,
    dropped: s.states.dropped,
    'peak-backlog': s.peak_backlog.messages,
  };
  for (const [id, n] of Object.entries(expected)) assert.equal(Number(c[id]), n, `${what}: counter ${id}`);
  assert.equal(c['trace-hash'], s.trace_hash, `${what}: trace hash`);
  // The diagram draws from this summary and this topology, and nothing that already happened is still on its way.
  assert.deepEqual(shot.view.summary, s, `${what}: the diagram's summary`);
  assert.deepEqual(shot.view.topology, shot.engine.topology, `${what}: the diagram's topology`);
  if (what !== 'step') assert.equal(shot.view.particles, 0, `${what}: no message drawn on its way`);
  assert.equal(shot.charted, shot.engine.seriesLength, `${what}: the charts have every sample taken so far`);
  // (shown to the millisecond: "6.301 s" may be an event at 6,300.6 ms)
  if (shot.lastLogTime) assert.ok(Number.parseFloat(shot.lastLogTime) * 1000 <= shot.engine.now + 0.5, `${what}: the log's newest row is not after now`);
  // Kafka: each partition's leader and offsets, and each group's figures, as the engine has them now.
  for (const row of shot.partitions) {
    const node = shot.engine.topology.nodes.find((n) => n.kind === 'topic' && n.name === row.topic);
    const p = node.partitions.find((q) => q.partition === row.partition);
    assert.equal(row.leader, p.leader == null ? '' : String(p.leader), `${what}: ${row.topic}-${row.partition} leader`);
    assert.equal(row.leo, p.leo, `${what}: ${row.topic}-${row.partition} LEO`);
    assert.equal(row.hw, p.hw, `${what}: ${row.topic}-${row.partition} HW`);
    assert.deepEqual(
      row.groups,
      p.groups.map((g) => [g.committed == null ? '' : String(g.committed), String(g.lag)]),
      `${what}: ${row.topic}-${row.partition} committed / lag`,
    );
  }
  for (const g of shot.groups) {
    const engine = s.kafka.groups.find((x) => x.name === g.name);
    for (const field of ['processed', 'lag', 'duplicates', 'lost', 'out_of_order', 'rebalances']) assert.equal(g[field], engine[field], `${what}: group ${g.name} ${field}`);
  }
}

for (const preset of ['consumer-crash-auto-ack', 'kafka-acks-leader-crash']) {
  for (const [name, stop] of Object.entries(STOPS)) {
    test(`${preset}: after ${name}, every counter, table, chart and the diagram show the engine's instant`, { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
      await open(preset);
      if (name === 'step') await STOPS.runTo(); // a step in the middle of things
      await stop();
      const shot = await snapshot();
      assertOneInstant(shot, name);
      if (preset.startsWith('kafka')) assert.ok(shot.partitions.length > 0 && shot.groups.length > 0, 'the Kafka tables are shown');
      // A frame later (the loop keeps drawing while paused), nothing has moved.
      await page.waitForTimeout(200);
      const later = await snapshot();
      assert.deepEqual(later.counters, shot.counters, `${name}: still the same instant`);
      assertOneInstant(later, name);
    });
  }
}

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
