// The page's download budget (issue 7: the wasm module at most 200 KB
// gzipped). A guard, because the module grows back easily: one `{}` on an
// f64 or one `serde_json::from_str` in code the wasm reaches brings core's
// float formatting or a second JSON parser back, about 6 KB each.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { ROOT } from './helpers.mjs';

/**
 * The target, in bytes of the module gzipped by node's zlib at level 9 (the
 * strictest measure at hand: about 1 % more than `gzip -9`, which
 * BENCHMARKS.md reports).
 */
const WASM_GZIP_BUDGET = 200 * 1024;

test('the page’s wasm module is at most 200 KB gzipped', async () => {
  const wasm = await readFile(path.join(ROOT, 'www/pkg/mqsim_bg.wasm'));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  assert.ok(gzipped <= WASM_GZIP_BUDGET, `www/pkg/mqsim_bg.wasm is ${gzipped} B gzipped; the budget is ${WASM_GZIP_BUDGET} B`);
});

test('the presets are beside the module, not in it', async () => {
  const wasm = await readFile(path.join(ROOT, 'www/pkg/mqsim_bg.wasm'));
  const index = JSON.parse(await readFile(path.join(ROOT, 'www/pkg/presets/index.json'), 'utf8'));
  assert.ok(index.length >= 30, `${index.length} presets in the index`);
  for (const { name } of index) {
    const text = await readFile(path.join(ROOT, 'scenarios', `${name}.json`));
    assert.deepEqual(await readFile(path.join(ROOT, 'www/pkg/presets', `${name}.json`)), text, name);
    assert.equal(wasm.indexOf(text), -1, `${name}'s text is not compiled into the module`);
  }
});
