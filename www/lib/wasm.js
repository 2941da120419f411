// Loads the simulator's wasm module once per page, for whoever asks first:
// the page, or any number of widgets. The JS glue finds mqsim_bg.wasm next
// to itself (import.meta.url), so the files can be served from anywhere.
import init, * as api from '../pkg/mqsim.js';

let loading = null;

/** The wasm API (`Simulation`, `presets`, …), once the module is ready. */
export function loadWasm() {
  loading ??= init().then(() => api);
  return loading;
}
