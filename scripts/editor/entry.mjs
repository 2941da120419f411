// What the page's scenario editor (www/page/editor.js) takes from CodeMirror 6
// and codemirror-json-schema, bundled by scripts/editor/build.mjs into one ES
// module, www/vendor/codemirror.js, which the page imports only when the
// editor first opens. The scenario schema (schema/scenario.schema.json,
// generated from the engine's readers) is bundled with it: no second fetch,
// and it cannot be missing.
export { basicSetup } from 'codemirror';
export { EditorView } from '@codemirror/view';
export { EditorState } from '@codemirror/state';
export { linter, lintGutter, forEachDiagnostic, forceLinting } from '@codemirror/lint';
export { startCompletion, currentCompletions, completionStatus } from '@codemirror/autocomplete';
export { jsonSchema } from 'codemirror-json-schema';
import schema from '../../schema/scenario.schema.json';
import { inlineRefs } from './inline-refs.mjs';

export const scenarioSchema = inlineRefs(schema);

// codemirror-json-schema's completion reads the text being typed with
// best-effort-json-parser (its dependency, pinned by package-lock.json),
// which reports every incomplete document, that is most keystrokes, with
// console.error. Incomplete is the normal state of a text being edited.
import { disableErrorLogging } from 'best-effort-json-parser';

disableErrorLogging();
