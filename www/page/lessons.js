// The Lessons panel: the design documents' chapters as guided steps beside
// the scenario picker. Each step loads its scenario (and its timed live
// commands) into the workbench, asks for a prediction, plays the run to the
// step's end in the workbench, then shows the prediction next to the value
// this run measured (www/lib/lesson-measure.js, from the session's own
// summary and series) and the explanation. Progress is kept in
// localStorage; the open lesson and step are in the share link.
import * as loop from '../lib/frame-loop.js';
import { t } from '../lib/i18n.js';
import { evaluate, runHeadless, stepCommands, stopMs } from '../lib/lesson-measure.js';
import { renderStep } from '../lib/lesson-view.js';
import { lessonByName, lessonIndex, loadProgress, markStep, say, stepSource } from '../lib/lessons.js';
import { start, stop } from './controls.js';
import { $, guarded, showError } from './dom.js';
import { page, playback } from './run.js';
import { load } from './scenario.js';

/** The open lesson: {lesson, index, prediction, result, running, notice, stopAt}, or null. */
let current = null;
let progress = loadProgress();
let list = [];

/** Waits, through the page's one frame loop, for a run it started to stop, then reveals. */
const watcher = {
  session: null,
  running: false,
  speed: 0,
  wantsFrame: () => Boolean(current?.playing),
  frame() {
    if (!current?.playing || playback.running) return;
    current.playing = false;
    finishRun();
  },
  fail: showError,
};

/** The open lesson and step, for the share link (null when none is open). */
export function lessonShareState() {
  return current ? { lesson: current.lesson.name, step: current.index } : null;
}

export function wireLessons() {
  $('lessons-open').addEventListener('click', guarded(async () => ($('lesson').hidden ? openLesson(await lastLesson()) : closeLessons())));
  $('lesson-close').addEventListener('click', guarded(closeLessons));
  $('lesson-pick').addEventListener('change', guarded((e) => openLesson(e.target.value)));
  loop.join(watcher);
}

/** The lesson to open: the first one begun and not finished, else the first. */
async function lastLesson() {
  list = await lessonIndex();
  progress = loadProgress();
  const started = list.find((l) => progress[l.name] && progress[l.name].done.length < l.steps);
  return started?.name ?? list[0]?.name;
}

/** Opens lesson `name` at `step` (its saved step when not given) and loads that step. */
export async function openLesson(name, step = null) {
  list = await lessonIndex();
  const lesson = await lessonByName(name);
  const index = Math.min(Math.max(0, step ?? progress[name]?.step ?? 0), lesson.steps.length - 1);
  $('lesson').hidden = false;
  $('lessons-open').setAttribute('aria-expanded', 'true');
  await showStep(lesson, index);
}

function closeLessons() {
  stop();
  current = null;
  $('lesson').hidden = true;
  $('lessons-open').setAttribute('aria-expanded', 'false');
  $('lessons-open').focus();
}

async function showStep(lesson, index) {
  stop();
  current = { lesson, index, prediction: null, result: null, running: false, playing: false, notice: null };
  progress = { ...loadProgress() };
  markStep(progress, lesson.name, index, false);
  const step = lesson.steps[index];
  renderLesson();
  // The step's scenario and its own live commands, ready to watch; a "try"
  // adds the learner's command when they run it.
  await load(await stepSource(page.api, step), stepCommands(step, null));
}

/** Draws the panel (also on a change of language). */
export function renderLesson() {
  if (!current) return;
  const { lesson, index } = current;
  const lang = page.lang;
  $('lesson-title').textContent = say(lesson.title, lang);
  fillPicker(lang);
  const done = progress[lesson.name]?.done ?? [];
  renderStep($('lesson-step'), { ...current, lang, done }, {
    run: guarded(runStep),
    back: guarded(() => showStep(lesson, index - 1).then(focusStep)),
    next: guarded(() => showStep(lesson, index + 1).then(focusStep)),
    predict: (prediction) => (current.prediction = prediction),
  });
}

function focusStep() {
  $('lesson-step').querySelector('h3')?.setAttribute('tabindex', '-1');
  $('lesson-step').querySelector('h3')?.focus();
}

function fillPicker(lang) {
  const select = $('lesson-pick');
  select.replaceChildren(
    ...list.map((l) => {
      const finished = (progress[l.name]?.done.length ?? 0) >= l.steps;
      return new Option(`${say(l.title, lang)}${finished ? ` ${t(lang, 'lesson.done')}` : ''}`, l.name);
    }),
  );
  select.value = current.lesson.name;
}

/** Loads the step afresh with the learner's input (a "try") and plays it to the step's end. */
async function runStep(prediction) {
  const { lesson, index } = current;
  const step = lesson.steps[index];
  if (step.question && prediction == null) {
    current.notice = 'lesson.need-answer';
    renderLesson();
    return;
  }
  const input = step.question?.answer?.try ? prediction : null;
  // The last reveal goes at once: what is shown next is this run's.
  Object.assign(current, { prediction, result: null, notice: null, running: true, playing: false, stopAt: Infinity });
  const shown = current;
  renderLesson();
  await load(await stepSource(page.api, step), stepCommands(step, input));
  if (current !== shown) return; // another step (or none) was opened meanwhile
  // Where the run stops: the step's instant or the end; for a condition on
  // a series, the instant a headless run of the same scenario and commands
  // (the same run, event for event) met it.
  current.stopAt = stopMs(step, page.session.sim) ?? runHeadless(page.api, page.session.source.json, step, input).nowMs;
  if (current.stopAt >= page.session.endMs) start({ toEnd: true });
  else start({ runTo: current.stopAt });
  current.playing = true;
  loop.wake();
}

/** The run stopped: at the step's end, reveal; before it (the learner paused), say so. */
function finishRun() {
  const s = page.session;
  current.running = false;
  if (s.nowMs + 1e-6 < Math.min(current.stopAt, s.endMs) && !s.finished) {
    current.notice = 'lesson.stopped';
    renderLesson();
    return;
  }
  const step = current.lesson.steps[current.index];
  const value = step.measure ? evaluate(step.measure, s.summary(), s.sim.series(0)) : null;
  current.result = { value };
  progress = { ...loadProgress() };
  markStep(progress, current.lesson.name, current.index, true);
  renderLesson(); // the reveal is a polite live region: it is read out
}

