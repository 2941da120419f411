// The one animation-frame loop of a page, shared by the simulator page
// (www/page/) and every widget on it (www/widgets/). It owns the single
// requestAnimationFrame chain, turns each client's speed into a simulated-time
// target, advances the running sessions within one frame budget shared by all
// of them, then lets each client draw. A page with twenty widgets playing
// spends the real time one would, so it stays responsive.
//
// A client is any object with:
//   wantsFrame()  true while it has something to run or draw (visible, playing,
//                 messages still moving, a change not yet drawn); the loop sleeps
//                 when no client wants a frame, until wake() is called
//   session       its Session (lib/session.js), or null
//   running       true while its simulated time should advance
//   speed         simulated ms per real ms; Infinity: as fast as the budget allows
//   until         optional: a simulated instant to run to as fast as the budget
//                 allows (Run-to), Infinity for the end of the run; null or
//                 undefined to follow `speed`
//   frame(now, gapMs, tick)
//                 called every frame it wants, after the sessions advanced:
//                 `now` the frame's timestamp, `gapMs` the real time since its
//                 last frame (capped), `tick` = {before, simElapsedMs, reached}:
//                 its simulated time before this frame, how far it moved, and
//                 whether it got to its target (`until`, or the end)
//   fail(err)     optional: called when its advance or frame threw; the loop
//                 goes on with the other clients
//
// The loop itself does no simulation arithmetic: targets are the client's own
// speed times real time, and every figure still comes from the engine.

/** Real milliseconds of simulation work per animation frame, for all running sessions together. */
export const FRAME_BUDGET_MS = 12;
/** A longer gap between frames (a background tab, a breakpoint) counts as this much, so it is not caught up at once. */
export const MAX_FRAME_GAP_MS = 100;
/** A running session gets at least this share of a frame, however many others run, so that each one moves. */
const MIN_SHARE_MS = 0.5;

/** The simulated instant a client should reach this frame. */
export function simTarget(nowMs, gapMs, { speed, until }) {
  if (until != null) return until;
  return speed === Infinity ? Infinity : nowMs + gapMs * speed;
}

export class FrameLoop {
  /**
   * @param options {budgetMs, maxGapMs, requestFrame, clock}: the last two
   *   default to the browser's requestAnimationFrame and performance.now
   *   (a test passes its own).
   */
  constructor({ budgetMs = FRAME_BUDGET_MS, maxGapMs = MAX_FRAME_GAP_MS, requestFrame = null, clock = null } = {}) {
    this.budgetMs = budgetMs;
    this.maxGapMs = maxGapMs;
    this.requestFrame = requestFrame ?? ((fn) => globalThis.requestAnimationFrame(fn));
    this.clock = clock ?? (() => performance.now());
    this.clients = new Set();
    this.last = new Map(); // client → the timestamp of its last frame
    this.pending = false;
    this.rotation = 0;
    this.tick = this.tick.bind(this);
  }

  /** Adds a client (once) and makes sure the loop runs. */
  join(client) {
    this.clients.add(client);
    this.wake();
  }

  /** Removes a client; the loop sleeps when none is left wanting frames. */
  leave(client) {
    this.clients.delete(client);
    this.last.delete(client);
  }

  /** Starts the loop again after it slept for want of work (a client played, stepped or scrolled back). */
  wake() {
    if (this.pending || this.clients.size === 0) return;
    this.pending = true;
    this.requestFrame(this.tick);
  }

  /** One animation frame: advance the running sessions within the shared budget, then let every client draw. */
  tick(now) {
    this.pending = false;
    const active = [];
    for (const client of this.clients) {
      if (wants(client)) active.push(client);
      else this.last.delete(client); // back after a pause, it starts afresh with no gap to catch up
    }
    if (active.length === 0) return;
    this.wake();
    const frames = active.map((client) => {
      const last = this.last.get(client);
      this.last.set(client, now);
      const gap = last == null ? 0 : Math.min(Math.max(now - last, 0), this.maxGapMs);
      return { client, gap, tick: { before: client.session?.nowMs ?? 0, simElapsedMs: 0, reached: false }, failed: false };
    });
    this.advance(frames);
    for (const f of frames) {
      if (f.failed) continue;
      guard(f.client, () => f.client.frame(now, f.gap, f.tick));
    }
  }

  /**
   * Runs each running client's session toward its target. The budget is a
   * deadline for the whole frame: each session gets what is left divided by
   * the sessions still to run, so time a quiet one leaves goes to the next;
   * who goes first rotates from frame to frame.
   */
  advance(frames) {
    const running = frames.filter((f) => f.client.running && f.client.session);
    if (running.length === 0) return;
    const start = this.rotation++ % running.length;
    const deadline = this.clock() + this.budgetMs;
    running.forEach((_, i) => {
      const f = running[(start + i) % running.length];
      const share = Math.max(MIN_SHARE_MS, (deadline - this.clock()) / (running.length - i));
      f.failed = !guard(f.client, () => {
        const s = f.client.session;
        const target = simTarget(f.tick.before, f.gap, f.client);
        f.tick.reached = s.advance(target, share);
        f.tick.simElapsedMs = s.nowMs - f.tick.before;
      });
    });
  }
}

function wants(client) {
  try {
    return Boolean(client.wantsFrame());
  } catch (err) {
    client.fail?.(err);
    return false;
  }
}

/** Runs `fn`; an error goes to the client's fail() (or the console), not to the other clients. Returns whether it ran. */
function guard(client, fn) {
  try {
    fn();
    return true;
  } catch (err) {
    if (client.fail) client.fail(err);
    else console.error(err);
    return false;
  }
}

/** The page's one loop: the page and all its widgets join this. */
export const frameLoop = new FrameLoop();
export const join = (client) => frameLoop.join(client);
export const leave = (client) => frameLoop.leave(client);
export const wake = () => frameLoop.wake();
