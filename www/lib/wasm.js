// Loads the simulator's wasm module once per page, for whoever asks first:
// the page, or any number of widgets. The JS glue finds mqsim_bg.wasm next
// to itself (import.meta.url), so the files can be served from anywhere.
//
// The bundled presets live beside the module, not in it (see
// scripts/bundle-presets.mjs): an index of names and descriptions, fetched
// with the module, and one JSON file per preset, fetched when first used.
import init, * as wasm from '../pkg/mqsim.js';

const PRESETS_DIR = new URL('../pkg/presets/', import.meta.url);

let loading = null;
/** Preset name → promise of its JSON text, so each is fetched once. */
const presetTexts = new Map();

/**
 * The wasm API (`Simulation`, `validateScenario`, …), once the module is
 * ready, with the presets: `presets()` lists `[{name, description}]` and
 * `presetJson(name)` resolves to a preset's scenario text.
 */
export function loadWasm() {
  loading ??= Promise.all([init(), fetchText(new URL('index.json', PRESETS_DIR))]).then(([, index]) => {
    const list = JSON.parse(index);
    return { ...wasm, presets: () => list, presetJson: (name) => presetJson(list, name) };
  });
  return loading;
}

function presetJson(list, name) {
  if (!list.some((p) => p.name === name)) {
    // The CLI's words for the same mistake.
    const known = list.map((p) => p.name).join(', ');
    return Promise.reject(new Error(`no preset named "${name}"; the presets are: ${known}`));
  }
  if (!presetTexts.has(name)) {
    const text = fetchText(new URL(`${name}.json`, PRESETS_DIR));
    // A failed fetch is not remembered, so that trying again fetches again.
    text.catch(() => presetTexts.delete(name));
    presetTexts.set(name, text);
  }
  return presetTexts.get(name);
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}
