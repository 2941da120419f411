// Loads the simulator's wasm module once per page, for whoever asks first:
// the page, or any number of widgets. The JS glue finds mqsim_bg.wasm next
// to itself (import.meta.url), so the files can be served from anywhere.
//
// The bundled presets live beside the module, not in it (see
// scripts/bundle-presets.mjs): an index of names and descriptions, fetched
// with the module, and one JSON file per preset, fetched when first used;
// pkg/presets.js says where each file is.
import init, * as wasm from '../pkg/mqsim.js';
import { PRESET_FILES, PRESET_INDEX } from '../pkg/presets.js';

// A literal `new URL('…', import.meta.url)`, so that a bundler copies the module with the code.
const WASM_URL = new URL('../pkg/mqsim_bg.wasm', import.meta.url);

/**
 * A file the simulator needs (its wasm module, a preset) that could not be
 * fetched: a deployment missing a file, a server down, a wrong MIME type.
 * `kind` is 'wasm', 'presets' or 'preset'; `url` the file; `reason` what went
 * wrong (`HTTP 404`, the browser's network error).
 */
export class AssetError extends Error {
  constructor(kind, url, reason) {
    super(`${url}: ${reason}`);
    this.kind = kind;
    this.url = String(url);
    this.reason = reason;
  }
}

let loading = null;
/** Preset name → promise of its JSON text, so each is fetched once. */
const presetTexts = new Map();

/**
 * The wasm API (`Simulation`, `validateScenario`, …), once the module is
 * ready, with the presets: `presets()` lists `[{name, description}]` and
 * `presetJson(name)` resolves to a preset's scenario text.
 */
export function loadWasm() {
  if (loading) return loading;
  loading = Promise.all([initWasm(), fetchText(PRESET_INDEX, 'presets')]).then(([, index]) => {
    const list = JSON.parse(index);
    return { ...wasm, presets: () => list, presetJson: (name) => presetJson(list, name) };
  });
  // A failure is not remembered either: a widget added later tries again.
  loading.catch(() => (loading = null));
  return loading;
}

/** Fetches the module first, so that a missing file reads as one (not as a failed compilation). */
async function initWasm() {
  const response = await fetchFile(WASM_URL, 'wasm');
  try {
    await init({ module_or_path: response });
  } catch (err) {
    throw new AssetError('wasm', WASM_URL, err.message);
  }
}

function presetJson(list, name) {
  if (!list.some((p) => p.name === name)) {
    // The CLI's words for the same mistake.
    const known = list.map((p) => p.name).join(', ');
    return Promise.reject(new Error(`no preset named "${name}"; the presets are: ${known}`));
  }
  if (!presetTexts.has(name)) {
    const text = fetchText(PRESET_FILES[name], 'preset');
    // A failed fetch is not remembered, so that trying again fetches again.
    text.catch(() => presetTexts.delete(name));
    presetTexts.set(name, text);
  }
  return presetTexts.get(name);
}

async function fetchFile(url, kind) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new AssetError(kind, url, err.message); // offline, blocked, the server gone
  }
  if (!response.ok) throw new AssetError(kind, url, `HTTP ${response.status}`);
  return response;
}

async function fetchText(url, kind) {
  return (await fetchFile(url, kind)).text();
}
