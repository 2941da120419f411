// The page and the widget measure a lesson step in JS (www/lib/lesson-measure.js)
// from the wasm's summary() and series(); the native checker (`mqsim lesson
// check`, src/lesson/) measures it in Rust and is what proves each lesson's
// promises. This runs every step of every lesson, with every learner input
// a promise names, through the wasm (under Node) and the JS measure, and
// checks that each value is the one the native checker reports.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { readLessons } from '../../scripts/bundle-lessons.mjs';
import { evaluate, runHeadless } from '../../www/lib/lesson-measure.js';
import { ROOT } from './helpers.mjs';

const PKG = path.join(ROOT, 'www/pkg');
const MQSIM = path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug/mqsim');

async function loadWasm() {
  const api = await import(pathToFileURL(path.join(PKG, 'mqsim.js')).href);
  api.initSync({ module: await readFile(path.join(PKG, 'mqsim_bg.wasm')) });
  return api;
}

async function scenarioJson(step) {
  if (step.scenario.preset != null) return readFile(path.join(ROOT, 'scenarios', `${step.scenario.preset}.json`), 'utf8');
  return JSON.stringify(step.scenario.inline);
}

/** Runs a step in the wasm with `input` and measures the step's measure and each listed promise's. */
function measureInWasm(api, json, step, input, promiseIndices) {
  const run = runHeadless(api, json, step, input);
  return {
    value: run.value,
    nowMs: run.nowMs,
    promises: promiseIndices.map((i) => evaluate(step.promises[i].measure ?? step.measure, run.summary, run.series)),
  };
}

test('every lesson step measures the same value in the wasm with JS as in the native checker', { timeout: 300_000 }, async () => {
  const lessons = await readLessons();
  const files = lessons.map((l) => path.join(ROOT, 'lessons', `${l.name}.json`));
  const reports = JSON.parse(execFileSync(MQSIM, ['lesson', 'check', '--json', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  assert.equal(reports.length, lessons.length);
  const api = await loadWasm();
  let compared = 0;
  for (const [l, lesson] of lessons.entries()) {
    const report = reports[l];
    assert.equal(report.lesson, lesson.name);
    for (const [s, step] of lesson.steps.entries()) {
      const json = await scenarioJson(step);
      for (const run of report.steps[s].runs) {
        const where = `${lesson.name} step ${s + 1}${run.input == null ? '' : ` input ${run.input}`}`;
        const got = measureInWasm(api, json, step, run.input, run.promises.map((p) => p.index));
        assert.equal(got.nowMs, run.now_ms, `${where}: where the run stopped`);
        assert.equal(got.value, run.value, `${where}: the step's measure`);
        run.promises.forEach((p, k) => assert.equal(got.promises[k], p.value, `${where}: promise ${p.index}`));
        compared += 1 + run.promises.length;
      }
    }
  }
  assert.ok(compared > 60, `only ${compared} values compared`);
});
