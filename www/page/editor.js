// The scenario editor: a dialog with the scenario's JSON in CodeMirror 6.
// The scenario schema (schema/scenario.schema.json, generated from the
// engine's own readers) gives completion, hover documentation and inline
// errors as one types; the engine's verdict is the final word: its first
// problem, with its JSON path, is marked at that path's line and written
// under the editor, and only a scenario the engine accepts can run.
// CodeMirror is a bundle of its own (scripts/editor/build.mjs), loaded the
// first time the editor opens, so that the page does not wait for it.
import { t } from '../lib/i18n.js';
import { lineOfPath } from '../lib/json-lines.js';
import { $, guarded } from './dom.js';
import { page } from './run.js';

const EDITOR_DEBOUNCE_MS = 250;
const CODEMIRROR = new URL('../vendor/codemirror.js', import.meta.url);

let view = null;

/** The editor, created on first use. */
async function editorView() {
  if (view) return view;
  const cm = await import(CODEMIRROR);
  view = new cm.EditorView({
    parent: $('editor-box'),
    extensions: [
      cm.basicSetup,
      cm.jsonSchema(cm.scenarioSchema),
      cm.linter(engineVerdict, { delay: EDITOR_DEBOUNCE_MS }),
      cm.lintGutter(),
      cm.EditorView.contentAttributes.of({ 'aria-labelledby': 'editor-title', 'aria-describedby': 'editor-problem', 'data-testid': 'editor-text' }),
    ],
  });
  view.forceLinting = () => cm.forceLinting(view);
  return view;
}

/** The editor's text. */
export function editorText() {
  return view ? view.state.doc.toString() : '';
}

function setEditorText(text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

export async function openEditor() {
  // A preset opens as the engine reads it, every default written out, so
  // that the editor shows each knob there is; a custom scenario as it was written.
  const { preset, json } = page.session.source;
  const text = preset ? page.session.sim.scenarioJson() : json;
  await showEditor(text);
}

async function showEditor(text) {
  if (!$('editor').open) $('editor').showModal();
  $('editor-problem').textContent = t(page.lang, 'editor.loading');
  const editor = await editorView();
  setEditorText(text);
  editor.forceLinting();
  editor.focus();
}

/**
 * The engine's verdict on the text, as CodeMirror diagnostics (a linter
 * source): none, or its problem at the line of its path (or of its syntax
 * error). It also writes the verdict under the editor and allows running
 * only a valid scenario.
 */
function engineVerdict(editor) {
  const text = editor.state.doc.toString();
  const problem = page.api.scenarioProblem(text);
  const line = problem ? problem.line ?? (problem.path ? lineOfPath(text, problem.path) : null) : null;
  const status = $('editor-problem');
  status.textContent = problem ? (line ? `${t(page.lang, 'editor.line', { line })}: ${problem.message}` : problem.message) : t(page.lang, 'editor.valid');
  status.classList.toggle('bad', Boolean(problem));
  status.dataset.line = line ?? '';
  $('editor-apply').disabled = Boolean(problem);
  if (!problem) return [];
  const at = editor.state.doc.line(Math.min(Math.max(line ?? 1, 1), editor.state.doc.lines));
  return [{ from: at.from, to: at.to, severity: 'error', source: 'mqsim', message: problem.message }];
}

async function loadFile(file) {
  await showEditor(await file.text());
}

/** Wires the editor; `run(json)` loads the edited scenario. */
export function wireEditor(run) {
  $('edit').addEventListener('click', guarded(openEditor));
  $('file').addEventListener('change', guarded((e) => e.target.files[0] && loadFile(e.target.files[0])));
  $('file-label').addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), $('file').click()));
  $('editor-apply').addEventListener(
    'click',
    guarded(() => {
      const text = editorText();
      if (page.api.scenarioProblem(text)) return;
      $('editor').close();
      return run(text);
    }),
  );
}
