// The scenario editor: a dialog with the scenario's JSON, its lines
// numbered, and the engine's validation problem shown next to its field.
import { t } from '../lib/i18n.js';
import { lineOfPath } from '../lib/json-lines.js';
import { $, guarded } from './dom.js';
import { page } from './run.js';

const EDITOR_DEBOUNCE_MS = 250;

let timer = 0;

export function openEditor() {
  // A preset opens as the engine reads it, every default written out, so
  // that the editor shows each knob there is; a custom scenario as it was written.
  const { preset, json } = page.session.source;
  $('editor-text').value = preset ? page.session.sim.scenarioJson() : json;
  $('editor').showModal();
  checkEditor();
  $('editor-text').focus();
}

function lineHeight() {
  return parseFloat(getComputedStyle($('editor-text')).lineHeight) || 18;
}

function checkEditor() {
  const text = $('editor-text').value;
  const lines = text.split('\n').length;
  const problem = page.api.scenarioProblem(text);
  const line = problem ? problem.line ?? (problem.path ? lineOfPath(text, problem.path) : null) : null;
  $('editor-gutter').textContent = Array.from({ length: lines }, (_, i) => (i + 1 === line ? `⚠ ${i + 1}` : String(i + 1))).join('\n');
  $('editor-problem').textContent = problem ? (line ? `${t(page.lang, 'editor.line', { line })}: ${problem.message}` : problem.message) : t(page.lang, 'editor.valid');
  $('editor-problem').classList.toggle('bad', Boolean(problem));
  $('editor-apply').disabled = Boolean(problem);
  const mark = $('editor-mark');
  const bubble = $('editor-bubble');
  mark.hidden = bubble.hidden = !line;
  if (line) {
    const top = 8 + (line - 1) * lineHeight() - $('editor-text').scrollTop;
    mark.style.top = `${top}px`;
    bubble.style.top = `${top + lineHeight()}px`;
    bubble.textContent = problem.message;
  }
  bubble.dataset.line = line ?? '';
}

async function loadFile(file) {
  $('editor-text').value = await file.text();
  if (!$('editor').open) $('editor').showModal();
  checkEditor();
}

/** Wires the editor; `run(json)` loads the edited scenario. */
export function wireEditor(run) {
  $('edit').addEventListener('click', guarded(openEditor));
  $('file').addEventListener('change', guarded((e) => e.target.files[0] && loadFile(e.target.files[0])));
  $('file-label').addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), $('file').click()));
  $('editor-text').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(guarded(checkEditor), EDITOR_DEBOUNCE_MS);
  });
  $('editor-text').addEventListener('scroll', () => {
    $('editor-gutter').scrollTop = $('editor-text').scrollTop;
    checkEditor();
  });
  $('editor-apply').addEventListener(
    'click',
    guarded(() => {
      const text = $('editor-text').value;
      if (page.api.scenarioProblem(text)) return;
      $('editor').close();
      return run(text);
    }),
  );
}
