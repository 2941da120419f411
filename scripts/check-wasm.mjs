// Runs every preset to the end in two builds of www/pkg (e.g. before and after
// wasm-opt) under Node and fails unless their summaries are identical.
// Usage: node scripts/check-wasm.mjs <pkg-dir-a> <pkg-dir-b>
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { presetNames } from './bundle-presets.mjs';

const SCENARIOS = new URL('../scenarios/', import.meta.url);

async function loadPkg(dir) {
  const api = await import(pathToFileURL(path.resolve(dir, 'mqsim.js')).href);
  const bytes = await readFile(path.resolve(dir, 'mqsim_bg.wasm'));
  api.initSync({ module: bytes });
  return api;
}

function runAll(api, presets) {
  return presets.map((json) => {
    const sim = new api.Simulation(json);
    sim.runToEnd();
    const summary = sim.summary();
    sim.free();
    return summary;
  });
}

const [dirA, dirB] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node scripts/check-wasm.mjs <pkg-dir-a> <pkg-dir-b>');
  process.exit(2);
}
const presets = await Promise.all((await presetNames()).map((name) => readFile(new URL(`${name}.json`, SCENARIOS), 'utf8')));
const a = runAll(await loadPkg(dirA), presets);
const b = runAll(await loadPkg(dirB), presets);
if (a.length === 0) {
  console.error('check-wasm: no presets');
  process.exit(1);
}
for (let i = 0; i < a.length; i++) {
  const same = JSON.stringify(a[i]) === JSON.stringify(b[i]);
  console.log(`${same ? 'ok  ' : 'DIFF'} ${a[i].scenario.padEnd(28)} ${a[i].trace_hash} ${b[i].trace_hash}`);
  if (!same) process.exitCode = 1;
}
