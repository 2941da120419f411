// The lessons (lessons/*.json, bundled by scripts/bundle-lessons.mjs into
// ../pkg/lessons/), fetched once each, for the page's Lessons panel and the
// <mq-lesson> widget; and what a learner's progress through them is.
const LESSONS_DIR = new URL('../pkg/lessons/', import.meta.url);
const STORAGE = 'mqsim.lessons';

let index = null;
const texts = new Map();

/** [{name, title: {en, zh}, summary, steps}] in the design documents' order. */
export function lessonIndex() {
  index ??= fetchJson(new URL('index.json', LESSONS_DIR)).catch((err) => {
    index = null; // a failed fetch is not remembered
    throw err;
  });
  return index;
}

/** A lesson by name: {name, title, summary, steps: [...]}, as its file has it. */
export async function lessonByName(name) {
  const list = await lessonIndex();
  if (!list.some((l) => l.name === name)) {
    // The CLI's words for the same mistake.
    throw new Error(`no lesson named "${name}"; the lessons are: ${list.map((l) => l.name).join(', ')}`);
  }
  if (!texts.has(name)) {
    const lesson = fetchJson(new URL(`${name}.json`, LESSONS_DIR));
    lesson.catch(() => texts.delete(name));
    texts.set(name, lesson);
  }
  return texts.get(name);
}

/** A step's scenario: {preset, json} for a preset, {json} for an inline one. */
export async function stepSource(api, step) {
  if (step.scenario.preset != null) return { preset: step.scenario.preset, json: await api.presetJson(step.scenario.preset) };
  return { preset: null, json: JSON.stringify(step.scenario.inline) };
}

/** A text in the language, or the English one. */
export function say(text, lang) {
  return text?.[lang] ?? text?.en ?? '';
}

/** Progress: {lessonName: {step, done: [step indices revealed]}}, kept in localStorage when it can be. */
export function loadProgress() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE) ?? '{}') ?? {};
  } catch {
    return {}; // no storage (private mode) or a value we cannot read: start afresh
  }
}

export function saveProgress(progress) {
  try {
    localStorage.setItem(STORAGE, JSON.stringify(progress));
  } catch {
    // Storage may be unavailable; progress then lasts for this visit.
  }
}

/** Records that step `i` of `name` was run and revealed, and that it is the current step. */
export function markStep(progress, name, i, done) {
  const entry = progress[name] ?? { step: 0, done: [] };
  entry.step = i;
  if (done && !entry.done.includes(i)) entry.done.push(i);
  progress[name] = entry;
  saveProgress(progress);
  return entry;
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}
