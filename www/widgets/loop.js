// One animation-frame loop for every widget on the page, and one frame
// budget shared among them: eight widgets playing at once get the real time
// one would, split between those that are advancing their simulation.
// (The same client contract as the page's shared loop, lib/frame-loop.js,
// which replaces this module once it is on main.)
//
// A client has `wantsFrame()`, `session`, `running`, `speed` (simulated ms
// per real ms, Infinity for max) and `frame(now, gapMs, tick)`, called after
// its session advanced, with tick = {before, simElapsedMs, reached}.
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
  const running = active.filter((c) => c.running && c.session);
  const share = FRAME_BUDGET_MS / Math.max(1, running.length);
  for (const client of active) {
    const s = client.session;
    const before = s?.nowMs ?? 0;
    let reached = false;
    try {
      if (running.includes(client)) reached = s.advance(client.speed === Infinity ? Infinity : before + gap * client.speed, share);
      client.frame(now, gap, { before, simElapsedMs: (s?.nowMs ?? 0) - before, reached });
    } catch (err) {
      client.fail(err);
    }
  }
  raf = requestAnimationFrame(tick);
}
