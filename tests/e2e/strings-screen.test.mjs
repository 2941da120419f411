// No raw keys on screen: every preset, played to the end in English and in
// Chinese, shows only words. The test reads what a learner sees (innerText,
// so hidden elements do not count) after the run, with the event log showing
// all events and then the faults and actions, and with the inspector open on
// a message; and the labels a screen reader announces (aria-label,
// placeholder, title). It fails on anything that looks like a key of the
// page's string tables ("kind.processed", "counter.x"), an unfilled
// "{placeholder}", or an engine name in snake_case ("after_processing").
// The lessons too: every step of every lesson, run to its reveal, read in
// English and in Chinese; and in Chinese, every text in the lesson panel
// that has words has Chinese ones (a text missing its zh falls back to en).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { readLessons } from '../../scripts/bundle-lessons.mjs';
import { presetNames } from '../../scripts/bundle-presets.mjs';
import { LANGS, stringKeys } from '../../www/lib/i18n.js';
import { launch } from './helpers.mjs';

const PRESETS = await presetNames();
const LESSONS = await readLessons();
const RUN_TIMEOUT_MS = 120_000;

/** The first word of every string key ("kind", "counter"…), and the tables the engine's new words go to. */
const KEY_PREFIXES = [...new Set([...stringKeys('en').map((key) => key.split('.')[0]), 'reason', 'marker'])];
const LOOKS_LIKE = [
  { what: 'a string key', pattern: new RegExp(`\\b(?:${KEY_PREFIXES.join('|')})\\.[a-z][a-z0-9_-]*`, 'g') },
  { what: 'an unfilled placeholder', pattern: /\{[a-z_]+\}/g },
  // No preset names a queue, topic or consumer with an underscore, so one on
  // screen is an engine name that missed its words (a state, a commit mode…).
  { what: 'an engine name', pattern: /\b[a-z]+_[a-z_]+\b/g },
];

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

/** What a learner can read: the page's visible text and its elements' accessible labels. */
function visibleWords() {
  const labels = [...document.querySelectorAll('[aria-label], [placeholder], [title]')]
    .filter((el) => el.getClientRects().length > 0)
    .flatMap((el) => [el.getAttribute('aria-label'), el.getAttribute('placeholder'), el.getAttribute('title')])
    .filter(Boolean);
  return [document.body.innerText, ...labels].join('\n');
}

/** Every match of the patterns above in `text`, as "what: match". */
function rawKeys(text) {
  return LOOKS_LIKE.flatMap(({ what, pattern }) => [...text.matchAll(pattern)].map((m) => `${what}: ${m[0]}`));
}

async function openIn(lang) {
  await page.goto(new URL(`/#lang=${lang}`, env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.click(`[data-lang="${lang}"]`);
}

/** Plays `preset` to its end and returns the words on screen at the end, with each view of the log and the inspector. */
async function playToEnd(preset) {
  await page.selectOption('#preset', preset);
  await page.waitForFunction((name) => location.hash.includes(`preset=${name}`), preset);
  await page.click('#run-to-end');
  await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: RUN_TIMEOUT_MS });
  const seen = [];
  for (const filter of ['all', 'faults', 'messages']) {
    await page.selectOption('#log-filter', filter);
    seen.push(await page.evaluate(visibleWords));
  }
  // The inspector on the first message: its state and the kinds of its life.
  await page.fill('#inspect-id', '0');
  await page.press('#inspect-id', 'Enter');
  seen.push(await page.evaluate(visibleWords));
  await page.selectOption('#log-filter', 'all');
  return seen.join('\n');
}

for (const lang of LANGS) {
  test(`every preset played to the end in ${lang} shows words, never keys`, { timeout: PRESETS.length * RUN_TIMEOUT_MS }, async () => {
    await openIn(lang);
    const found = {};
    for (const preset of PRESETS) {
      const keys = rawKeys(await playToEnd(preset));
      if (keys.length) found[preset] = [...new Set(keys)];
    }
    assert.deepEqual(found, {}, `raw keys on screen in ${lang}`);
    assert.deepEqual(env.problems, []);
  });
}

/** Every text of the lesson panel a learner reads or hears: its leaf elements, the picker's options, the labels. */
function lessonTexts() {
  const panel = document.getElementById('lesson');
  const leaves = [...panel.querySelectorAll('*')].filter((el) => el.children.length === 0 && el.getClientRects().length > 0).map((el) => el.textContent);
  const options = [...panel.querySelectorAll('option')].map((el) => el.textContent);
  const labels = [...panel.querySelectorAll('[aria-label]')].map((el) => el.getAttribute('aria-label'));
  return [...leaves, ...options, ...labels].map((text) => text.trim()).filter(Boolean);
}

/** A prediction for step `step`: the first choice, the smallest number a "try" takes, else 1. */
async function predict(step) {
  const answer = step.question?.answer ?? {};
  if (answer.choice) await page.check('#lesson [data-testid="lesson-choice-0"]');
  else if (answer.try) await page.fill('#lesson [data-testid="lesson-input"]', String(answer.try.min));
  else if (answer.number) await page.fill('#lesson [data-testid="lesson-input"]', '1');
}

/** Runs the open step to its reveal; returns {en, zh}: the words on screen in each language, and the lesson panel's texts in Chinese. */
async function revealStep(step) {
  await predict(step);
  await page.click('#lesson [data-testid="lesson-run"]');
  await page.waitForSelector('#lesson [data-testid="lesson-explain"]', { timeout: RUN_TIMEOUT_MS });
  const en = (await page.evaluate(visibleWords)) + (await page.evaluate(lessonTexts)).join('\n');
  await page.click('[data-lang="zh"]');
  const zhTexts = await page.evaluate(lessonTexts);
  const zh = (await page.evaluate(visibleWords)) + zhTexts.join('\n');
  await page.click('[data-lang="en"]');
  return { en, zh, zhTexts };
}

test('every step of every lesson, run to its reveal, shows words in both languages, and Chinese ones in Chinese', { timeout: LESSONS.length * 4 * RUN_TIMEOUT_MS }, async () => {
  await openIn('en');
  await page.evaluate(() => localStorage.removeItem('mqsim.lessons'));
  await page.click('[data-testid="lessons-open"]');
  await page.waitForSelector('#lesson [data-testid="lesson-step-title"]');
  const found = {};
  const untranslated = {};
  for (const lesson of LESSONS) {
    await page.selectOption('#lesson-pick', lesson.name);
    for (const [i, step] of lesson.steps.entries()) {
      const where = `${lesson.name} step ${i + 1}`;
      const progress = `Step ${i + 1} of ${lesson.steps.length}`;
      await page.waitForFunction(
        ({ name, progress }) => document.getElementById('lesson-pick').value === name && document.querySelector('#lesson [data-testid="lesson-progress"]')?.textContent === progress,
        { name: lesson.name, progress },
      );
      const { en, zh, zhTexts } = await revealStep(step);
      for (const [lang, text] of [['en', en], ['zh', zh]]) {
        const keys = rawKeys(text);
        if (keys.length) found[`${where} (${lang})`] = [...new Set(keys)];
      }
      // A text with Latin words and not one Chinese character fell back to English.
      const english = zhTexts.filter((text) => /[A-Za-z]{2,}/.test(text) && !/[\u3000-\u9fff]/.test(text));
      if (english.length) untranslated[where] = [...new Set(english)];
      if (i < lesson.steps.length - 1) await page.click('#lesson [data-testid="lesson-next"]');
    }
  }
  assert.deepEqual({ 'raw keys': found, 'left in English in zh': untranslated }, { 'raw keys': {}, 'left in English in zh': {} });
  assert.deepEqual(env.problems, []);
});

test('in Chinese every label a screen reader announces is in Chinese', async () => {
  await openIn('zh');
  await page.selectOption('#preset', 'kafka-rebalance-eager-vs-cooperative');
  await page.click('#run-to-end');
  await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: RUN_TIMEOUT_MS });
  const labels = await page.$$eval('[aria-label]', (els) => els.map((el) => el.getAttribute('aria-label')));
  assert.ok(labels.length > 0);
  // The language switch names itself in both languages, so that either reader finds it.
  const english = labels.filter((label) => !/[\u3000-\u9fff]/.test(label));
  assert.deepEqual(english, [], 'aria-labels left in English');
});
