// The scenario picker and its text (title and what to watch for), and
// loading a run: a preset, an edited or shared scenario, a reset.
import { groupPresets, presetText, t } from '../lib/i18n.js';
import { Session } from '../lib/session.js';
import { buildCharts } from './charts.js';
import { stop } from './controls.js';
import { $, clearError } from './dom.js';
import { resetFlowView } from './flow.js';
import { clearInspector } from './inspector.js';
import { renderLive } from './live.js';
import { clearLog } from './log.js';
import { resetMarkers } from './markers.js';
import { markDirty, page, renderNow } from './run.js';
import { syncUrl } from './share.js';

/** Loads started; a load that finds a later one started gives way to it. */
let loads = 0;

function currentPreset() {
  return page.session?.source.preset ?? null;
}

/** The picker's options: presets grouped by topic, and a hidden "custom" entry. */
export function fillPresets() {
  const select = $('preset');
  select.replaceChildren();
  for (const group of groupPresets(page.lang, page.api.presets())) {
    const optgroup = document.createElement('optgroup');
    optgroup.label = group.title;
    for (const preset of group.presets) optgroup.append(new Option(preset.title, preset.name));
    select.append(optgroup);
  }
  const custom = new Option(t(page.lang, 'scenario.custom'), '');
  custom.hidden = true;
  select.append(custom);
  select.value = currentPreset() ?? '';
}

export function renderScenarioText() {
  const preset = currentPreset();
  const description = page.api.presets().find((p) => p.name === preset)?.description ?? '';
  const text = preset ? presetText(page.lang, preset, description) : { title: t(page.lang, 'scenario.custom'), watch: customDescription() };
  $('scenario-title').textContent = text.title;
  $('description').textContent = text.watch;
}

function customDescription() {
  try {
    return JSON.parse(page.session.source.json).description ?? '';
  } catch {
    return '';
  }
}

/**
 * Loads a scenario source ({preset} or {json}, seed?) and replays `log`. A
 * preset's text is fetched first (once; see lib/wasm.js); if another load
 * starts meanwhile, the later one wins.
 */
export async function load(source, log = []) {
  const generation = ++loads;
  if (source.preset && source.json == null) {
    source = { ...source, json: await page.api.presetJson(source.preset) };
    if (generation !== loads) return;
  }
  stop();
  clearError();
  const session = new Session(page.api, source, log);
  page.session?.free();
  page.session = session;
  $('preset').value = source.preset ?? '';
  renderScenarioText();
  showNewRun();
}

/** Starts the run over, with the same seed unless one is given, and without live actions. */
export function reset(seed) {
  stop();
  clearError();
  page.session.reset(seed);
  showNewRun();
}

/** Every panel from the start of the (new or reset) run. */
function showNewRun() {
  resetFlowView();
  clearLog();
  clearInspector();
  resetMarkers();
  $('seed').value = String(page.session.source.seed);
  buildCharts();
  renderLive();
  markDirty();
  renderNow();
  syncUrl();
}
