// What every panel of the page shares: the wasm API, the language, the
// running session and its diagram, and how the run is being played. Each
// panel keeps its own state in its own module; this is only what they all read.
import { wake } from '../lib/frame-loop.js';
import { SPEEDS } from '../lib/session.js';

const DEFAULT_SPEED = 10;

/** The page: the wasm API, the language shown, the session (lib/session.js) and the diagram (lib/flow-view.js). */
export const page = {
  api: null,
  /** The engine's vocabulary (vocabulary(): event kinds, reasons, marker kinds…), where the build has it. */
  vocabulary: null,
  lang: 'en',
  session: null,
  view: null,
};

/** How the run is played: running, and toward what (Run-to's instant, the end, or the speed). */
export const playback = {
  running: false,
  toEnd: false,
  runTo: null,
  speedIndex: SPEEDS.indexOf(DEFAULT_SPEED),
  /** Something changed that the next frame must draw. */
  dirty: true,
};

/** The simulated ms per real ms chosen with the speed slider. */
export function speed() {
  return SPEEDS[playback.speedIndex];
}

/** Marks the page as needing a frame, and wakes the shared frame loop if it slept. */
export function markDirty() {
  playback.dirty = true;
  wake();
}

let renderer = () => {};

/** Sets what redraws every panel at once (page/frame.js's renderAll). */
export function setRenderer(fn) {
  renderer = fn;
}

/** Redraws every panel now, as of the session's current instant. */
export function renderNow() {
  renderer(true);
}
