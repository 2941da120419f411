// Puts the bundled presets next to the page's wasm, as files the page and the
// widgets fetch one at a time: www/pkg/presets/<name>.json and an index,
// www/pkg/presets/index.json, of [{name, description}] in the picker's order.
//
// Why not inside the wasm, as the native CLI has them: the 33 scenario texts
// are 11 KB of the module gzipped, and a page that embeds one widget needs
// one of them (about half a kilobyte). The list and its order stay where the
// CLI and the tests read them, src/scenario/presets.rs, so they cannot drift.
//
// Usage: node scripts/bundle-presets.mjs <out-dir>
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIST = path.join(ROOT, 'src/scenario/presets.rs');
const SCENARIOS = path.join(ROOT, 'scenarios');

/** The names in presets.rs's `PRESETS` list, in order. */
export async function presetNames() {
  const source = await readFile(LIST, 'utf8');
  const list = source.match(/pub const PRESETS: &\[Preset\] = presets!\[([^\]]*)\]/);
  if (!list) throw new Error(`${LIST}: no \`PRESETS = presets![…]\` list found`);
  const names = [...list[1].matchAll(/"([a-z0-9-]+)"/g)].map((m) => m[1]);
  if (names.length === 0) throw new Error(`${LIST}: the PRESETS list is empty`);
  return names;
}

async function main() {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/bundle-presets.mjs <out-dir>');
    process.exit(2);
  }
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const index = [];
  for (const name of await presetNames()) {
    const text = await readFile(path.join(SCENARIOS, `${name}.json`), 'utf8');
    index.push({ name, description: JSON.parse(text).description ?? '' });
    await writeFile(path.join(out, `${name}.json`), text);
  }
  await writeFile(path.join(out, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  console.log(`${out}: ${index.length} presets`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
