// The control bar: play and pause, step, Run to, Run to end, speed, and the
// status line with the simulated time and the progress bar.
import { formatMs } from '../lib/format.js';
import { wake } from '../lib/frame-loop.js';
import { t } from '../lib/i18n.js';
import { SPEEDS } from '../lib/session.js';
import { $, setValue } from './dom.js';
import { markDirty, page, playback, renderNow } from './run.js';

const STEP_NUDGE_MS = 350; // after a single step, show its messages mid-way (a hop takes 700 ms)

/** Plays: at the chosen speed, or as fast as the frame budget allows to `runTo` (ms) or the end. */
export function start({ toEnd = false, runTo = null } = {}) {
  const s = page.session;
  if (!s || s.finished) return;
  playback.toEnd = toEnd;
  playback.runTo = runTo;
  playback.running = true;
  page.view.playing = true;
  renderStatus();
  wake();
}

/** Stops playing (before a new run is loaded, too). */
export function stop() {
  playback.running = false;
  playback.toEnd = false;
  playback.runTo = null;
  if (page.view) page.view.playing = false;
  renderStatus();
}

/**
 * Stops and shows the instant it stopped at: the messages still drawn on
 * their way are animations of what already happened, so they go (a dot
 * flying into a consumer that has since crashed would contradict the
 * counters); every panel is drawn from this instant by the caller.
 */
function halt() {
  stop();
  page.view.settle();
}

/** Pauses, every panel showing the paused instant. */
export function pause() {
  halt();
  renderNow();
}

/** Stops at the end of the run or at Run-to's instant (the frame that got there draws every panel). */
export function finishRun() {
  halt();
  markDirty();
}

export function togglePlay() {
  if (playback.running) pause();
  else start();
}

/** Runs to the next thing that happens and shows its messages mid-way. */
export function stepOnce() {
  halt();
  page.session.step();
  renderNow();
  page.view.clock += STEP_NUDGE_MS;
  page.view.draw(0);
}

/** Runs to the instant in the Run-to field, if it is ahead. */
export function runToInput() {
  const seconds = Number($('run-to-time').value);
  if (!Number.isFinite(seconds) || seconds * 1000 <= page.session.nowMs) return;
  start({ runTo: seconds * 1000 });
}

export function runToEnd() {
  start({ toEnd: true });
}

function speedLabel(index) {
  const speed = SPEEDS[index];
  return speed === Infinity ? t(page.lang, 'controls.speed-max') : `${speed}×`;
}

export function setSpeed(index) {
  playback.speedIndex = Math.max(0, Math.min(SPEEDS.length - 1, index));
  $('speed').value = String(playback.speedIndex);
  $('speed-value').textContent = speedLabel(playback.speedIndex);
  $('speed').setAttribute('aria-valuetext', speedLabel(playback.speedIndex));
}

export function slower() {
  setSpeed(playback.speedIndex - 1);
}

export function faster() {
  setSpeed(playback.speedIndex + 1);
}

function statusName() {
  const s = page.session;
  if (!s) return 'loading';
  if (s.finished) return 'finished';
  if (playback.running) return 'running';
  return s.nowMs > 0 || s.sim.commandsApplied > 0 ? 'paused' : 'ready';
}

/** The status, the play button's label, which buttons work, the simulated time and the progress bar. */
export function renderStatus() {
  const s = page.session;
  const lang = page.lang;
  const name = statusName();
  const status = $('status');
  status.textContent = t(lang, `status.${name}`);
  status.dataset.state = name;
  $('play').textContent = t(lang, playback.running ? 'controls.pause' : 'controls.play');
  $('play').setAttribute('aria-pressed', String(playback.running));
  const done = !s || s.finished;
  for (const id of ['play', 'step', 'run-to', 'run-to-end']) $(id).disabled = done;
  $('reset').disabled = !s;
  if (!s) return;
  setValue('sim-time', s.nowMs, formatMs(s.nowMs));
  setValue('end-time', s.endMs, formatMs(s.endMs));
  $('progress').value = s.endMs > 0 ? s.nowMs / s.endMs : 0;
}

/** The speed slider: its range is the speed list. */
export function wireSpeed() {
  $('speed').max = String(SPEEDS.length - 1);
  $('speed').addEventListener('input', (e) => setSpeed(Number(e.target.value)));
  setSpeed(playback.speedIndex);
}

/** On a phone the controls fold into one row; "More" unfolds the rest and every counter. */
export function wireMoreControls() {
  const b = $('more-controls');
  b.addEventListener('click', () => {
    const expanded = b.getAttribute('aria-expanded') !== 'true';
    b.setAttribute('aria-expanded', String(expanded));
    b.dataset.i18n = expanded ? 'controls.less' : 'controls.more';
    b.textContent = t(page.lang, b.dataset.i18n);
    $('dock').dataset.expanded = String(expanded);
  });
}
