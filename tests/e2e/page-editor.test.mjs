// The page's scenario editor (www/page/editor.js): CodeMirror with the
// scenario schema's completion, hover documentation and inline errors, and
// the engine's own verdict, with its path, as the final word. Needs
// `scripts/build-web.sh` (which bundles www/vendor/codemirror.js).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, screenshotPath } from './helpers.mjs';

const RUN_TIMEOUT_MS = 60_000;
// The schema's title, which codemirror-json-schema gives its diagnostics as their source.
const SCHEMA_SOURCE = 'mqsim scenario';

let env;
let page;

before(async () => {
  env = await launch();
  page = await env.newPage();
  await page.goto(new URL('/', env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
});

async function choose(preset) {
  await page.selectOption('#preset', preset);
  await page.waitForFunction((name) => location.hash.includes(`preset=${name}`), preset);
}

/** Opens the editor on the current scenario and waits for CodeMirror and the engine's verdict. */
async function openEditor() {
  await page.click('#edit');
  await page.waitForSelector('#editor .cm-editor .cm-content');
  await page.waitForFunction(() => document.getElementById('editor-problem').textContent !== '' && !/…$/.test(document.getElementById('editor-problem').textContent));
}

async function closeEditor() {
  await page.click('#editor button[value="close"]');
}

// The editor's state is read through CodeMirror's own API, from the same
// module the page loaded (CodeMirror draws only the lines in view).
function withView(fn, arg) {
  return page.evaluate(
    async ([source, a]) => {
      const cm = await import('/www/vendor/codemirror.js');
      const view = cm.EditorView.findFromDOM(document.querySelector('#editor .cm-editor'));
      return new Function('cm', 'view', 'arg', `return (${source})(cm, view, arg);`)(cm, view, a);
    },
    [fn.toString(), arg],
  );
}

const editorText = () => withView((cm, view) => view.state.doc.toString());

/** Replaces the whole text, as a paste would. */
async function pasteText(text) {
  await page.focus('#editor .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** Puts the cursor on a new line after the first line that matches `pattern`. */
async function newLineAfter(pattern) {
  await page.focus('#editor .cm-content');
  await withView(
    (cm, view, source) => {
      const re = new RegExp(source);
      for (let n = 1; n <= view.state.doc.lines; n++) {
        const line = view.state.doc.line(n);
        if (re.test(line.text)) {
          view.dispatch({ selection: { anchor: line.to }, scrollIntoView: true });
          return;
        }
      }
      throw new Error(`no line matches ${source}`);
    },
    pattern.source,
  );
  await page.keyboard.press('Enter');
}

/** The diagnostics shown now: source, line and message. */
function diagnostics() {
  return withView((cm, view) => {
    const out = [];
    cm.forEachDiagnostic(view.state, (d, from) => out.push({ source: d.source, line: view.state.doc.lineAt(from).number, message: d.message }));
    return out;
  });
}

async function waitForDiagnostic(predicate) {
  for (let i = 0; i < 100; i++) {
    const found = (await diagnostics()).find(predicate);
    if (found) return found;
    await page.waitForTimeout(100);
  }
  assert.fail(`no such diagnostic among ${JSON.stringify(await diagnostics())}`);
}

async function runTo(seconds) {
  await page.fill('#run-to-time', String(seconds));
  await page.click('#run-to');
  await page.waitForFunction((ms) => Number(document.getElementById('sim-time').dataset.value) >= ms && document.getElementById('status').dataset.state !== 'running', seconds * 1000, { timeout: RUN_TIMEOUT_MS });
}

test('the engine marks its error at the line of its path and allows no run; the fixed scenario runs', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
  await choose('mmc-erlang-c');
  await openEditor();
  const text = await editorText();
  assert.match(text, /"rate": 900\.0/);
  await pasteText(text.replace('"rate": 900.0', '"rate": -900.0'));
  await page.waitForFunction(() => document.getElementById('editor-problem').classList.contains('bad'));
  assert.match(await page.textContent('#editor-problem'), /producers\[0\]\.arrivals\.poisson\.rate/);
  const line = Number(await page.getAttribute('#editor-problem', 'data-line'));
  assert.match((await editorText()).split('\n')[line - 1], /"rate": -900/, `the problem is at line ${line}`);
  const marked = await waitForDiagnostic((d) => d.source === 'mqsim');
  assert.equal(marked.line, line, 'the engine’s diagnostic is on that line');
  assert.match(marked.message, /must be a rate above 0/);
  assert.equal(await page.isDisabled('#editor-apply'), true);
  await page.screenshot({ path: screenshotPath('editor-error.png') });
  await pasteText(text.replace('"rate": 900.0', '"rate": 450.0').replace('"mmc-erlang-c"', '"half-load"'));
  await page.waitForFunction(() => !document.getElementById('editor-problem').classList.contains('bad') && !document.getElementById('editor-apply').disabled);
  await page.click('#editor-apply');
  await page.waitForFunction(() => location.hash.includes('scenario='));
  assert.equal(await page.inputValue('#preset'), '');
  await runTo(3);
  assert.ok(Number(await page.getAttribute('#published', 'data-value')) < 3 * 900 * 0.7, 'the edited rate is the one running');
});

test('typing an unknown field shows the schema’s inline error on its line', async () => {
  await choose('mmc-erlang-c');
  await openEditor();
  await newLineAfter(/^\s*"prefetch": /);
  await page.keyboard.type('"prefech": 5,');
  const lines = (await editorText()).split('\n');
  const line = lines.findIndex((l) => l.includes('"prefech": 5,')) + 1;
  assert.ok(line > 0, 'the typed field is in the text');
  // codemirror-json-schema marks an extra property on the object that holds it.
  const fromSchema = await waitForDiagnostic((d) => d.source === SCHEMA_SOURCE && /prefech/.test(d.message));
  assert.match(fromSchema.message, /`prefech` in `consumers\.0` is not allowed/);
  assert.ok(fromSchema.line < line, `the consumer's object (line ${fromSchema.line}) holds line ${line}`);
  assert.ok((await page.locator('#editor .cm-lintRange-error').count()) > 0, 'the error is underlined in the text');
  // The engine agrees, and its word is the one under the editor.
  await page.waitForFunction(() => /unknown field `prefech`/.test(document.getElementById('editor-problem').textContent));
  assert.equal(await page.isDisabled('#editor-apply'), true);
  await page.screenshot({ path: screenshotPath('editor-schema-error.png') });
  await closeEditor();
});

test('completion offers a consumer’s fields, with their documentation', async () => {
  await choose('mmc-erlang-c');
  await openEditor();
  try {
    // A field the preset leaves out (a field already there is not offered again).
    await newLineAfter(/^\s*"prefetch": /);
    await page.keyboard.type('"ack_t');
    await page.waitForSelector('.cm-tooltip-autocomplete');
    const labels = await page.$$eval('.cm-tooltip-autocomplete li', (items) => items.map((li) => li.textContent));
    assert.ok(labels.some((l) => l.includes('ack_timeout')), `ack_timeout among ${JSON.stringify(labels)}`);
    await page.waitForSelector('.cm-completionInfo');
    assert.match(await page.textContent('.cm-completionInfo'), /A delivery not acked this long after it was made is taken back and redelivered/);
    await page.screenshot({ path: screenshotPath('editor-completion.png') });
    await page.keyboard.press('Escape');
  } finally {
    await closeEditor();
  }
});

test('hovering a field shows its doc comment', async () => {
  await choose('mmc-erlang-c');
  await openEditor();
  try {
    await withView((cm, view) => view.dispatch({ selection: { anchor: 0 }, scrollIntoView: true }));
    const box = await page.locator('#editor .cm-line', { hasText: '"sample_every"' }).first().boundingBox();
    await page.mouse.move(box.x + 40, box.y + box.height / 2);
    await page.waitForSelector('.cm-tooltip-hover');
    assert.match(await page.textContent('.cm-tooltip-hover'), /The interval between time-series samples/);
  } finally {
    await closeEditor();
  }
});

test('no console errors or page errors', () => {
  assert.deepEqual(env.problems, []);
});
