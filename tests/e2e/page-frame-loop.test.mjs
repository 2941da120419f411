// The page's one frame loop (www/lib/frame-loop.js), shared by the page and
// the widgets, driven here by a hand-turned clock and frame queue: no browser
// and no wall clock, so every figure below is exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FRAME_BUDGET_MS, FrameLoop, MAX_FRAME_GAP_MS } from '../../www/lib/frame-loop.js';

/** A loop whose frames run when `next(now)` is called, with a clock that sessions move. */
function harness() {
  const queue = [];
  const clock = { t: 0 };
  const loop = new FrameLoop({ requestFrame: (fn) => queue.push(fn), clock: () => clock.t });
  const next = (now) => {
    const fn = queue.shift();
    assert.ok(fn, 'a frame was requested');
    fn(now);
  };
  return { loop, clock, next, queue };
}

/** A stand-in for lib/session.js: advancing costs `costMs` of the clock and moves simulated time to the target. */
function fakeSession(clock, costMs) {
  return {
    nowMs: 0,
    endMs: 1e9,
    budgets: [],
    targets: [],
    advance(target, budget) {
      this.budgets.push(budget);
      this.targets.push(target);
      clock.t += Math.min(costMs, budget);
      this.nowMs = Math.min(target, this.endMs);
      return this.nowMs >= Math.min(target, this.endMs);
    },
  };
}

function client(session, props = {}) {
  return {
    session,
    running: true,
    speed: 1,
    frames: [],
    wantsFrame() {
      return true;
    },
    frame(now, gap, tick) {
      this.frames.push({ now, gap, ...tick });
    },
    ...props,
  };
}

test('the speed turns real time into a simulated-time target, and a long gap counts as MAX_FRAME_GAP_MS', () => {
  const { loop, clock, next } = harness();
  const a = client(fakeSession(clock, 1), { speed: 10 });
  loop.join(a);
  next(1000); // the first frame has no gap to catch up
  next(1016);
  next(5000); // a background tab: 3,984 ms later
  assert.deepEqual(
    a.frames.map((f) => f.gap),
    [0, 16, MAX_FRAME_GAP_MS],
  );
  assert.deepEqual(a.session.targets, [0, 160, 160 + 10 * MAX_FRAME_GAP_MS]);
  assert.equal(a.frames[2].simElapsedMs, 10 * MAX_FRAME_GAP_MS);
});

test('Run-to and Run-to-end run as fast as the budget allows, whatever the speed', () => {
  const { loop, clock, next } = harness();
  const a = client(fakeSession(clock, 1), { speed: 0.001, until: 7000 });
  loop.join(a);
  next(0);
  assert.equal(a.session.targets[0], 7000);
  assert.equal(a.frames[0].reached, true);
  a.until = Infinity;
  next(16);
  assert.equal(a.session.targets[1], Infinity);
});

test('the running sessions share one frame budget: what a quiet one leaves goes to the next', () => {
  const { loop, clock, next } = harness();
  const busy = [fakeSession(clock, Infinity), fakeSession(clock, Infinity)];
  const quiet = fakeSession(clock, 1);
  for (const s of [quiet, ...busy]) loop.join(client(s, { speed: Infinity }));
  next(0);
  // In order: quiet gets a third and uses 1 ms; the first busy one half of the 11 ms left; the last the rest.
  assert.deepEqual(quiet.budgets, [FRAME_BUDGET_MS / 3]);
  assert.deepEqual(busy[0].budgets, [(FRAME_BUDGET_MS - 1) / 2]);
  assert.deepEqual(busy[1].budgets, [(FRAME_BUDGET_MS - 1) / 2]);
  assert.equal(clock.t, FRAME_BUDGET_MS, 'the frame spent the budget, not three budgets');
});

test('who goes first rotates, so no session always gets the leftovers', () => {
  const { loop, clock, next } = harness();
  const quiet = fakeSession(clock, 1);
  const busy = fakeSession(clock, Infinity);
  for (const s of [quiet, busy]) loop.join(client(s, { speed: Infinity }));
  next(0); // quiet first: it uses 1 ms of its half, busy gets the other 11
  next(16); // busy first: half, then quiet the rest
  assert.deepEqual(busy.budgets, [FRAME_BUDGET_MS - 1, FRAME_BUDGET_MS / 2]);
  assert.deepEqual(quiet.budgets, [FRAME_BUDGET_MS / 2, FRAME_BUDGET_MS / 2]);
});

test('a paused client draws without advancing, and the loop sleeps when no client wants a frame', () => {
  const { loop, clock, next, queue } = harness();
  let wanted = true;
  const a = client(fakeSession(clock, 1), { running: false, wantsFrame: () => wanted });
  loop.join(a);
  next(0);
  assert.deepEqual(a.session.targets, [], 'paused: not advanced');
  assert.equal(a.frames.length, 1, 'but drawn');
  wanted = false;
  next(16);
  assert.equal(queue.length, 0, 'asleep: no frame requested');
  loop.wake();
  wanted = true;
  next(5000);
  assert.equal(a.frames.at(-1).gap, 0, 'woken after a pause: no gap to catch up');
});

test('a client that throws is told, and the others go on', () => {
  const { loop, clock, next } = harness();
  const failures = [];
  const bad = client(fakeSession(clock, 1), {
    frame() {
      throw new Error('boom');
    },
    fail: (err) => failures.push(err.message),
  });
  const good = client(fakeSession(clock, 1));
  loop.join(bad);
  loop.join(good);
  next(0);
  assert.deepEqual(failures, ['boom']);
  assert.equal(good.frames.length, 1);
  loop.leave(bad);
  next(16);
  assert.deepEqual(failures, ['boom']);
  assert.equal(good.frames.length, 2);
});
