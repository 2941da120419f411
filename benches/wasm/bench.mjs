// Runs the M/M/10 throughput benchmark through the wasm build of the engine
// under Node, the way the page runs it: `new Simulation(json)` then
// `runToEnd()`, timed around `runToEnd()` only.
// Usage: node benches/wasm/bench.mjs <pkg-dir> <scenario.json> <out.json> [repeats]
// <pkg-dir> holds wasm-bindgen's `--target web` output (mqsim.js, mqsim_bg.wasm).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [pkgDir, scenarioPath, outPath, repeatsArg] = process.argv.slice(2);
if (!pkgDir || !scenarioPath || !outPath) {
  console.error('usage: node benches/wasm/bench.mjs <pkg-dir> <scenario.json> <out.json> [repeats]');
  process.exit(2);
}
const repeats = Number(repeatsArg ?? 5);

const api = await import(pathToFileURL(path.resolve(pkgDir, 'mqsim.js')).href);
api.initSync({ module: await readFile(path.resolve(pkgDir, 'mqsim_bg.wasm')) });
const json = await readFile(scenarioPath, 'utf8');

// The best of several runs, as natively: the fastest run is the one least
// disturbed by the rest of the machine (and by the JIT warming up).
let best = null;
for (let i = 0; i < repeats; i++) {
  const sim = new api.Simulation(json);
  const start = performance.now();
  sim.runToEnd();
  const seconds = (performance.now() - start) / 1000;
  const summary = sim.summary();
  const traceHash = sim.traceHash;
  sim.free();
  if (best === null || seconds < best.seconds) {
    best = { seconds, events: summary.events, trace_hash: traceHash, ledger_balanced: summary.ledger_balanced };
  }
}
const result = {
  ...best,
  events_per_sec: best.events / best.seconds,
  node: process.version,
  module: path.relative(process.cwd(), path.resolve(pkgDir, 'mqsim_bg.wasm')),
};
await writeFile(outPath, JSON.stringify(result, null, 2) + '\n');
console.log(`wasm under node ${process.version}: ${(result.events_per_sec / 1e6).toFixed(2)} M events/s (${best.events} events, trace ${best.trace_hash})`);
