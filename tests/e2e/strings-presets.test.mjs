// Every preset is explained in both languages, for someone who has not read
// the design documents, and the picker, README.md and the scenario files
// agree on it. Runs in Node, without a browser or the wasm module: the list
// of presets is the engine's own (src/scenario/presets.rs).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { presetNames } from '../../scripts/bundle-presets.mjs';
import { groupPresets, LANGS, presetText, stringKeys, t, TOPICS } from '../../www/lib/i18n.js';
import { ROOT } from './helpers.mjs';

const PRESETS = await presetNames();
const CHINESE = /[\u3000-\u9fff\uff00-\uffef]/;
/** A reference to a document the reader does not have: "seed 002 §3.3", "(seeds)". */
const CITATION = /§|\bseeds?\b/i;

async function scenario(name) {
  return JSON.parse(await readFile(path.join(ROOT, 'scenarios', `${name}.json`), 'utf8'));
}

/** The phrases a text puts in “quotes”: the names of what is on screen. */
function quotedNames(text) {
  return [...text.matchAll(/“([^”]+)”/g)].map((m) => m[1]);
}

/** Every name the page can show in `lang`: its strings, and the presets’ titles. */
function screenNames(lang) {
  return new Set([...stringKeys(lang).map((key) => t(lang, key)), ...PRESETS.map((name) => presetText(lang, name).title)]);
}

test('every preset has a title and what to watch for, in English and in Chinese', () => {
  assert.ok(PRESETS.length >= 32, `${PRESETS.length} presets`);
  for (const name of PRESETS) {
    for (const lang of LANGS) {
      const text = presetText(lang, name, 'NO TEXT');
      assert.notEqual(text.title, name, `${name} has a ${lang} title`);
      // A few sentences: a Chinese character says about as much as an English word.
      const enough = lang === 'zh' ? 100 : 200;
      assert.ok(text.watch !== 'NO TEXT' && text.watch.length > enough, `${name} has a ${lang} text saying what to watch for`);
    }
    assert.match(presetText('zh', name).watch, CHINESE, `${name}: the Chinese text is in Chinese`);
  }
});

test('the English texts are in English and cite no document', () => {
  for (const name of PRESETS) {
    const { title, watch } = presetText('en', name);
    assert.doesNotMatch(`${title} ${watch}`, CHINESE, name);
    for (const lang of LANGS) assert.doesNotMatch(presetText(lang, name).watch, CITATION, `${name} (${lang})`);
  }
});

test('a preset’s text names only what is on screen', () => {
  for (const lang of LANGS) {
    const names = screenNames(lang);
    for (const name of PRESETS) {
      const quoted = quotedNames(presetText(lang, name).watch);
      assert.ok(quoted.length > 0, `${name} (${lang}) names a chart, counter or panel to watch`);
      assert.deepEqual(quoted.filter((q) => !names.has(q)), [], `${name} (${lang}) names something the page does not show`);
    }
  }
});

test('the picker groups every preset under one topic and lists none by file name', () => {
  const listed = TOPICS.flatMap((topic) => topic.presets);
  assert.deepEqual([...listed].sort(), [...PRESETS].sort(), 'each preset in exactly one topic, and only presets');
  assert.equal(new Set(listed).size, listed.length);
  for (const lang of LANGS) {
    const groups = groupPresets(lang, PRESETS.map((name) => ({ name, description: '' })));
    assert.deepEqual(
      groups.map((g) => g.id),
      TOPICS.map((topic) => topic.id),
      `${lang}: no group of leftovers`,
    );
    for (const preset of groups.flatMap((g) => g.presets)) assert.notEqual(preset.title, preset.name, `${lang}: ${preset.name}`);
  }
});

test("README's table of presets has the picker's topics and presets, in the same order", async () => {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| topic | presets |'));
  const rows = table
    .split('\n')
    .slice(2)
    .filter((line, i, lines) => line.startsWith('|') && lines.slice(0, i).every((l) => l.startsWith('|')))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  const readmeTopics = rows.map(([, title, presets]) => ({ title, presets: [...presets.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]) }));
  assert.deepEqual(
    readmeTopics,
    TOPICS.map((topic) => ({ title: topic.title.en, presets: topic.presets })),
  );
});

test('every scenario file describes itself in plain English, citing no document', async () => {
  for (const name of PRESETS) {
    const { description } = await scenario(name);
    assert.ok(description && description.length > 100, `${name} has a description`);
    assert.doesNotMatch(description, CHINESE, `${name}: the description opens in English and stays in English`);
    assert.doesNotMatch(description, CITATION, name);
  }
});
