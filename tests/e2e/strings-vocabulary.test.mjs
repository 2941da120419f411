// Every word the engine can put on screen has a string in English and in
// Chinese. The lists come from the engine itself, never from a list kept
// here: the wasm module's `vocabulary()`, which the engine builds from its
// own enums (src/observe/vocabulary.rs). Needs www/pkg (scripts/build-web.sh);
// runs in Node, without a browser.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { hasString, LANGS, stringKeys, t } from '../../www/lib/i18n.js';
import { ROOT } from './helpers.mjs';

async function loadEngine() {
  const api = await import(pathToFileURL(path.join(ROOT, 'www/pkg/mqsim.js')).href);
  api.initSync({ module: await readFile(path.join(ROOT, 'www/pkg/mqsim_bg.wasm')) });
  return api;
}

const vocabulary = (await loadEngine()).vocabulary();
const commandNames = new Set([...vocabulary.commands, ...vocabulary.faults]);

/**
 * The string key the page shows for each name of each of the vocabulary's
 * lists, or null for a name that never reaches the screen. A list the
 * engine adds and this table lacks fails the last test but one.
 */
const KEY_OF = {
  event_kinds: (name) => `kind.${name}`,
  states: (name) => `state.${name}`,
  // Code 0 of the reason column means "no reason" and is never shown.
  reasons: (name) => (name === 'none' ? null : `reason.${name}`),
  commands: (name) => `cmd.${name}`,
  faults: (name) => `cmd.${name}`,
  // A fault's or a live action's marker reads as its command; the engine's, as its event kind.
  marker_kinds: (name) => (commandNames.has(name) ? `cmd.${name}` : `kind.${name}`),
  // The log labels a fault's and an action's row; an engine marker's row shows its event kind instead.
  marker_sources: (name) => (name === 'engine' ? null : `log.${name}`),
  models: (name) => `theory.model.${name}`,
  theory_notes: (name) => `theory.note.${name}`,
  dead_letter_reasons: (name) => `dlq.${name}`,
  commit_modes: (name) => `commit.${name}`,
  assignors: (name) => `assignor.${name}`,
};

/** The names of `list` whose string `lang` lacks. */
function missing(list, lang) {
  return vocabulary[list].filter((name) => {
    const key = KEY_OF[list](name);
    return key != null && !hasString(lang, key);
  });
}

for (const [list, words] of [
  ['event_kinds', 'every journal event kind'],
  ['states', 'every state a message can be in'],
  ['reasons', 'every reason a message is put back'],
  ['commands', 'every live command'],
  ['faults', 'every fault a scenario can schedule'],
  ['marker_kinds', 'every marker on a chart'],
  ['marker_sources', 'every source of a marker'],
  ['models', 'every model of the theory panel'],
  ['theory_notes', 'every note of the theory panel'],
  ['dead_letter_reasons', 'every reason a message is dead-lettered'],
  ['commit_modes', 'every Kafka commit mode'],
  ['assignors', 'every Kafka partition assignor'],
]) {
  test(`${words} has words in English and Chinese`, () => {
    assert.ok(vocabulary[list].length > 0, `the engine lists some ${list}`);
    for (const lang of LANGS) assert.deepEqual(missing(list, lang), [], `${list} without a ${lang} string`);
  });
}

test('the engine lists all 76 journal event kinds', () => {
  assert.equal(vocabulary.event_kinds.length, 76);
});

test("the engine's vocabulary has no list the page has no strings for", () => {
  const lists = Object.entries(vocabulary).filter(([, v]) => Array.isArray(v)).map(([k]) => k);
  assert.deepEqual(lists.filter((list) => !(list in KEY_OF)), []);
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
