// One animation-frame loop for every widget on the page, and one frame
// budget shared among them: eight widgets playing at once get the real time
// one would, split between those that are advancing their simulation.
//
// A client is an object with `wantsFrame()` (visible, with something to run
// or draw), `running` (advancing simulated time) and `frame(now, gapMs,
// budgetMs)`.
import { FRAME_BUDGET_MS } from '../lib/session.js';

/** A longer gap between frames (a background tab, a breakpoint) counts as this much. */
const MAX_FRAME_GAP_MS = 100;

const clients = new Set();
let raf = 0;
let last = 0;

/** Adds a client and makes sure the loop runs. */
export function join(client) {
  clients.add(client);
  wake();
}

export function leave(client) {
  clients.delete(client);
}

/** Starts the loop again after it stopped for want of work (a widget played or scrolled back). */
export function wake() {
  if (raf || clients.size === 0) return;
  raf = requestAnimationFrame(tick);
}

function tick(now) {
  raf = 0;
  const gap = last ? Math.min(Math.max(now - last, 0), MAX_FRAME_GAP_MS) : 0;
  const active = [...clients].filter((c) => c.wantsFrame());
  if (active.length === 0) {
    last = 0; // the next frame after a pause starts afresh, with no gap to catch up
    return;
  }
  last = now;
  const running = active.filter((c) => c.running).length;
  const budget = running ? FRAME_BUDGET_MS / running : 0;
  for (const client of active) client.frame(now, gap, budget);
  raf = requestAnimationFrame(tick);
}
