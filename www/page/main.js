// The simulator page (index.html). It renders and sends commands; every
// number it shows comes from the wasm API (../pkg, built by
// scripts/build-web.sh). One module per panel in this folder; lib/ holds
// what the page and the widgets share. This module starts the page: the
// language, the wiring of the controls, the first scenario.
import { LANGS, detectLang, t } from '../lib/i18n.js';
import { decodeShare } from '../lib/share.js';
import { loadWasm } from '../lib/wasm.js';
import { buildCharts, exportCsv, resizeCharts } from './charts.js';
import { faster, runToEnd, runToInput, slower, stepOnce, togglePlay, wireMoreControls, wireSpeed } from './controls.js';
import { $, guarded, showError } from './dom.js';
import { wireEditor } from './editor.js';
import { createFlowView, renderLegend } from './flow.js';
import { startFrames } from './frame.js';
import { inspect, wireInspector } from './inspector.js';
import { renderLive } from './live.js';
import { wireLessons, openLesson, renderLesson } from './lessons.js';
import { wireLog } from './log.js';
import { markDirty, page, renderNow } from './run.js';
import { fillPresets, load, renderScenarioText, reset } from './scenario.js';
import { copyShareLink, exportScenario, syncUrl } from './share.js';

const DEFAULT_PRESET = 'peak-shaving';
const STORAGE_LANG = 'mqsim.lang';

function applyLanguage(lang) {
  page.lang = lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(lang, el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(lang, el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(lang, el.dataset.i18nLabel));
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  try {
    localStorage.setItem(STORAGE_LANG, lang);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this visit.
  }
  if (!page.api) return;
  fillPresets();
  renderScenarioText();
  renderLesson();
  renderLegend();
  if (page.view) page.view.lang = lang;
  if (page.session) {
    buildCharts();
    renderLive();
    renderNow();
  }
  syncUrl();
}

const KEYS = {
  ' ': togglePlay,
  s: stepOnce,
  r: () => reset(),
  '[': slower,
  ']': faster,
};

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || $('editor').open) return;
  const tag = e.target.tagName;
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag)) return;
  if (tag === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
  const action = KEYS[e.key.toLowerCase?.() ?? e.key] ?? KEYS[e.key];
  if (!action || !page.session) return;
  e.preventDefault();
  guarded(action)();
}

function wire() {
  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => applyLanguage(b.dataset.lang));
  $('preset').addEventListener('change', guarded((e) => e.target.value && load({ preset: e.target.value })));
  $('play').addEventListener('click', guarded(togglePlay));
  $('step').addEventListener('click', guarded(stepOnce));
  $('run-to').addEventListener('click', guarded(runToInput));
  $('run-to-time').addEventListener('keydown', (e) => e.key === 'Enter' && guarded(runToInput)());
  $('run-to-end').addEventListener('click', guarded(runToEnd));
  $('reset').addEventListener('click', guarded(() => reset()));
  wireSpeed();
  wireMoreControls();
  $('seed').addEventListener('change', guarded((e) => reset(Math.max(0, Math.floor(Number(e.target.value) || 0)))));
  $('new-seed').addEventListener('click', guarded(() => reset(page.api.randomSeed())));
  $('share').addEventListener('click', guarded(copyShareLink));
  $('export-json').addEventListener('click', guarded(exportScenario));
  $('export-csv').addEventListener('click', guarded(exportCsv));
  wireEditor((json) => load({ json }));
  wireInspector();
  wireLog(guarded(inspect));
  wireLessons();
  document.addEventListener('keydown', onKey);
  window.addEventListener('resize', () => {
    resizeCharts();
    markDirty();
  });
  window.addEventListener('error', (e) => showError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));
}

function storedLang() {
  try {
    return localStorage.getItem(STORAGE_LANG);
  } catch {
    return null;
  }
}

async function main() {
  const shared = await decodeShare(location.hash).catch(() => null);
  const lang = detectLang(shared?.lang ?? storedLang() ?? undefined);
  applyLanguage(LANGS.includes(lang) ? lang : 'en');
  wire();
  page.api = await loadWasm();
  page.vocabulary = page.api.vocabulary?.() ?? null;
  createFlowView(guarded(inspect));
  fillPresets();
  renderLegend();
  $('preset').disabled = false;
  if (shared?.lesson) {
    // A link to a lesson that no longer exists still opens the page.
    await openLesson(shared.lesson, shared.step).catch(async (err) => {
      showError(err);
      await load({ preset: DEFAULT_PRESET });
    });
  } else if (shared?.preset || shared?.json) {
    const source = shared.preset ? { preset: shared.preset, seed: shared.seed } : { json: shared.json, seed: shared.seed };
    await load(source, shared.log);
  } else {
    const names = page.api.presets().map((p) => p.name);
    await load({ preset: names.includes(DEFAULT_PRESET) ? DEFAULT_PRESET : names[0] });
  }
  startFrames();
  document.body.dataset.ready = 'true';
}

main().catch(showError);
