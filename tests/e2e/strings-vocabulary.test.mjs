// Every word the engine can put on screen has a string in English and in
// Chinese. The lists come from the engine itself, never from a list kept
// here: the wasm module's `vocabulary()`, or, for a build without it, the
// topology's table of event kinds and the names the engine's own parsers
// accept for a live command and a scenario's fault. Needs www/pkg
// (scripts/build-web.sh); runs in Node, without a browser.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { hasString, LANGS, stringKeys, t } from '../../www/lib/i18n.js';
import { ROOT } from './helpers.mjs';

/**
 * Where each of the vocabulary's lists has its strings: `t(lang, prefix + '.' + name)`.
 * A list the engine adds and this table lacks fails the last test but one.
 */
const PREFIX = {
  event_kinds: 'kind',
  states: 'state',
  commands: 'cmd',
  faults: 'cmd',
  reasons: 'reason',
  marker_kinds: 'marker',
  theory_notes: 'theory.note',
};

async function loadEngine() {
  const api = await import(pathToFileURL(path.join(ROOT, 'www/pkg/mqsim.js')).href);
  api.initSync({ module: await readFile(path.join(ROOT, 'www/pkg/mqsim_bg.wasm')) });
  return api;
}

/** The names in a parser's "unknown variant `x`, expected one of `a`, `b`" message. */
function variantsNamedBy(attempt) {
  try {
    attempt();
  } catch (err) {
    const list = /expected one of (.*)$/.exec(err.message);
    assert.ok(list, `the engine's error names the allowed values: ${err.message}`);
    return [...list[1].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
  }
  assert.fail('the engine accepted an unknown name');
}

/** The engine's vocabulary: `vocabulary()` when the build has it, else gathered from what the engine exposes. */
async function engineVocabulary() {
  const api = await loadEngine();
  if (typeof api.vocabulary === 'function') return api.vocabulary();
  const scenario = JSON.parse(await readFile(path.join(ROOT, 'scenarios/peak-shaving.json'), 'utf8'));
  const sim = new api.Simulation(JSON.stringify(scenario));
  const events = sim.topology().events.filter(Boolean);
  const vocabulary = {
    event_kinds: events.map((e) => e.kind),
    states: [...new Set(events.map((e) => e.state).filter(Boolean))],
    commands: variantsNamedBy(() => sim.command({ 'no-such-command': {} })),
    faults: variantsNamedBy(() => api.validateScenario(JSON.stringify({ ...scenario, faults: [{ at: '1s', action: { 'no-such-fault': {} } }] }))),
  };
  sim.free();
  return vocabulary;
}

const vocabulary = await engineVocabulary();

/** The names of `list` that `lang` has no string for. */
function missing(list, lang) {
  return vocabulary[list].filter((name) => !hasString(lang, `${PREFIX[list]}.${name}`));
}

function assertEveryNameHasWords(list) {
  assert.ok(vocabulary[list].length > 0, `the engine lists some ${list}`);
  for (const lang of LANGS) assert.deepEqual(missing(list, lang), [], `${list} without a ${lang} string`);
}

test('every journal event kind has words in English and Chinese', () => {
  assertEveryNameHasWords('event_kinds');
  assert.ok(vocabulary.event_kinds.length >= 76, `${vocabulary.event_kinds.length} kinds`);
});

test('every state a message can be in has words in English and Chinese', () => {
  assertEveryNameHasWords('states');
});

test('every live command has a sentence in English and Chinese', () => {
  assertEveryNameHasWords('commands');
});

test('every fault a scenario can schedule has a sentence in English and Chinese', () => {
  assertEveryNameHasWords('faults');
});

for (const list of ['reasons', 'marker_kinds', 'theory_notes']) {
  test(`every one of the engine's ${list} has words in English and Chinese`, { skip: vocabulary[list] ? false : 'this build has no vocabulary()' }, () => {
    assertEveryNameHasWords(list);
  });
}

test("the engine's vocabulary has no list the page has no strings for", () => {
  const lists = Object.entries(vocabulary).filter(([, v]) => Array.isArray(v)).map(([k]) => k);
  assert.deepEqual(lists.filter((list) => !(list in PREFIX)), []);
});

test('every string exists in both languages, with the same placeholders', () => {
  const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const [first, ...others] = LANGS;
  for (const lang of others) {
    assert.deepEqual(stringKeys(lang).filter((k) => !hasString(first, k)), [], `${lang} has keys ${first} lacks`);
    assert.deepEqual(stringKeys(first).filter((k) => !hasString(lang, k)), [], `${lang} lacks keys ${first} has`);
    for (const key of stringKeys(first)) {
      assert.deepEqual(placeholders(t(lang, key)), placeholders(t(first, key)), `${key}: ${lang} and ${first} fill different placeholders`);
    }
  }
});

test('English strings are in English and Chinese ones are translated', () => {
  for (const key of stringKeys('en')) assert.doesNotMatch(t('en', key), /[\u3000-\u9fff\uff00-\uffef]/, `en ${key}`);
  // A Chinese string may equal the English one only when it is a name or a formula (ISR, LEO, acks, ρ = λ/(cμ)…).
  const words = /[A-Za-z]{5,}/;
  for (const key of stringKeys('zh')) {
    const zh = t('zh', key);
    if (zh === t('en', key)) assert.doesNotMatch(zh, words, `zh ${key} is the English text`);
  }
});

test('every key the page names in its HTML has a string in both languages', async () => {
  const html = await readFile(path.join(ROOT, 'index.html'), 'utf8');
  const keys = [...html.matchAll(/data-i18n(?:-[a-z]+)*="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(keys.length > 20, `${keys.length} keys in index.html`);
  for (const lang of LANGS) assert.deepEqual(keys.filter((key) => !hasString(lang, key)), [], `index.html keys without a ${lang} string`);
});
