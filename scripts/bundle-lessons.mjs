// Puts the lessons next to the page's wasm, as files the page and the
// <mq-lesson> widget fetch one at a time: www/pkg/lessons/<name>.json and an
// index, www/pkg/lessons/index.json, of [{name, title, summary, steps}] in
// the order src/lesson/mod.rs's `LESSONS` lists them (the design documents'
// order). scripts/build-web.sh runs `mqsim lesson check` on every lesson
// first, so only lessons whose promises the engine keeps are bundled.
//
// Usage: node scripts/bundle-lessons.mjs <out-dir>
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIST = path.join(ROOT, 'src/lesson/mod.rs');
const LESSONS = path.join(ROOT, 'lessons');

/** The names in mod.rs's `LESSONS` list, in order. */
export async function lessonNames() {
  const source = await readFile(LIST, 'utf8');
  const list = source.match(/pub const LESSONS: &\[Bundled\] = lessons!\[([^\]]*)\]/);
  if (!list) throw new Error(`${LIST}: no \`LESSONS = lessons![…]\` list found`);
  const names = [...list[1].matchAll(/"([a-z0-9-]+)"/g)].map((m) => m[1]);
  if (names.length === 0) throw new Error(`${LIST}: the LESSONS list is empty`);
  return names;
}

/** Every lesson as its JSON value, in order. */
export async function readLessons() {
  const out = [];
  for (const name of await lessonNames()) out.push(JSON.parse(await readFile(path.join(LESSONS, `${name}.json`), 'utf8')));
  return out;
}

async function main() {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/bundle-lessons.mjs <out-dir>');
    process.exit(2);
  }
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const index = [];
  for (const lesson of await readLessons()) {
    index.push({ name: lesson.name, title: lesson.title, summary: lesson.summary, steps: lesson.steps.length });
    await writeFile(path.join(out, `${lesson.name}.json`), `${JSON.stringify(lesson)}\n`);
  }
  await writeFile(path.join(out, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  console.log(`${out}: ${index.length} lessons`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
