// The widgets' modules without a browser: they import where there is no DOM
// (a server rendering the page, a bundler, a test runner), and every string
// they can put on screen exists in English and Chinese.
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('the widgets module imports with no DOM and defines nothing, fetches nothing, compiles no wasm', async () => {
  assert.equal(globalThis.HTMLElement, undefined, 'Node has no DOM');
  assert.equal(globalThis.customElements, undefined);
  const touched = [];
  const saved = { fetch: globalThis.fetch, compile: WebAssembly.compile, instantiate: WebAssembly.instantiate };
  globalThis.fetch = (url) => touched.push(`fetch ${url}`);
  WebAssembly.compile = () => touched.push('WebAssembly.compile');
  WebAssembly.instantiate = () => touched.push('WebAssembly.instantiate');
  let widgets;
  try {
    widgets = await import('../../www/widgets/mqsim-widgets.js');
  } finally {
    Object.assign(globalThis, { fetch: saved.fetch });
    Object.assign(WebAssembly, { compile: saved.compile, instantiate: saved.instantiate });
  }
  assert.deepEqual(touched, []);
  assert.equal(typeof widgets.MqSimElement, 'function');
  assert.equal(typeof widgets.defineAll, 'function');
  assert.deepEqual(Object.keys(widgets.DEMOS).sort(), [
    'mq-architecture-demo',
    'mq-comparison-demo',
    'mq-decoupling-demo',
    'mq-idempotence-demo',
    'mq-peak-shaving-demo',
    'mq-producer-consumer-demo',
    'mq-reliability-demo',
  ]);
  assert.equal(globalThis.customElements, undefined, 'importing registered nothing');
});

test('where there is a customElements registry, defineAll defines <mq-sim>, <mq-lesson> and every demo once', async () => {
  const { defineAll, DEMOS } = await import('../../www/widgets/mqsim-widgets.js');
  const defined = new Map();
  const registry = { get: (tag) => defined.get(tag), define: (tag, cls) => defined.set(tag, cls) };
  defineAll(registry);
  defineAll(registry); // a second include of the script, or a bundle and a CDN copy
  assert.deepEqual([...defined.keys()].sort(), ['mq-lesson', 'mq-sim', ...Object.keys(DEMOS)].sort());
});

test('every widget string exists in English and in Chinese, with the same placeholders', async () => {
  const { WIDGET_STRINGS } = await import('../../www/widgets/strings.js');
  const en = Object.keys(WIDGET_STRINGS.en).sort();
  assert.deepEqual(Object.keys(WIDGET_STRINGS.zh).sort(), en);
  const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of en) {
    assert.ok(WIDGET_STRINGS.zh[key].trim(), `zh ${key} is empty`);
    assert.deepEqual(placeholders(WIDGET_STRINGS.zh[key]), placeholders(WIDGET_STRINGS.en[key]), `${key}: the same placeholders`);
  }
});

test('every demo has its title, text and variant labels in both languages', async () => {
  const { DEMOS } = await import('../../www/widgets/demos.js');
  for (const [tag, demo] of Object.entries(DEMOS)) {
    const texts = [demo.title, demo.text, ...(demo.variants ?? []).map((v) => v.label), ...(demo.table?.columns ?? []), ...(demo.table?.rows ?? []).map((r) => r.design)];
    for (const text of texts) {
      assert.ok(text.en?.trim() && text.zh?.trim(), `${tag}: ${JSON.stringify(text)}`);
      assert.doesNotMatch(text.en, /[\u4e00-\u9fff]/, `${tag}: Chinese in the English text`);
    }
  }
});

test('the embedding guide’s element table gives every demo element with its presets', async () => {
  const { readFile } = await import('node:fs/promises');
  const { DEMOS } = await import('../../www/widgets/demos.js');
  const guide = await readFile(new URL('../../docs/embedding.md', import.meta.url), 'utf8');
  const rows = Object.fromEntries(
    [...guide.matchAll(/^\| `<(mq-[a-z-]+)>` \|[^|]*\| ([^|]*) \|$/gm)].map(([, tag, presets]) => [tag, [...presets.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1])]),
  );
  // A demo with variants (manual or auto acks) shows each variant's preset.
  for (const [tag, demo] of Object.entries(DEMOS)) assert.deepEqual(rows[tag], [...new Set([...demo.presets, ...(demo.variants ?? []).map((v) => v.preset)])], tag);
  assert.deepEqual(Object.keys(rows).sort(), Object.keys(DEMOS).sort());
});
