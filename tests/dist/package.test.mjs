// The npm package of the widgets as a doc author gets it: the tarball that
// scripts/build-package.mjs packs, installed into a fresh project with npm,
// imported in Node (a static site generator's server-side build) and run in
// Chromium from node_modules, through the package's `exports`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ROOT, countWidgetEvents, launch, nativeSummary, runAllToEnd, waitForWidgets } from '../e2e/helpers.mjs';

const run = promisify(execFile);
const TARBALL = path.join(ROOT, 'packages/widgets/mqsim-widgets.tgz');
const INSTALLED = 'node_modules/mqsim-widgets';

let project;
let env;

before(async () => {
  assert.ok(existsSync(TARBALL), 'packages/widgets/mqsim-widgets.tgz is missing: run node scripts/build-package.mjs first');
  project = await mkdtemp(path.join(os.tmpdir(), 'mqsim-package-'));
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'a-doc-site', private: true, type: 'module' }));
  // The package has no dependencies: installing it needs nothing from the network.
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', TARBALL], { cwd: project });
});

after(async () => {
  await env?.browser.close();
  await env?.server.close();
  if (project) await rm(project, { recursive: true, force: true });
});

/** Runs an ES module's code with Node in the installed project; resolves to what it printed as JSON. */
async function nodeInProject(code) {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: project });
  return JSON.parse(stdout);
}

test('the package installs from its tarball with its assets: the wasm, the presets, uPlot, the manifest, the types', async () => {
  for (const file of ['package.json', 'index.d.ts', 'custom-elements.json', 'README.md', 'www/widgets/mqsim-widgets.js', 'www/pkg/mqsim_bg.wasm', 'www/pkg/presets/index.json', 'www/pkg/presets/peak-shaving.json', 'www/vendor/uPlot.esm.js', 'index.html']) {
    assert.ok(existsSync(path.join(project, INSTALLED, file)), `${file} in the package`);
  }
  const manifest = JSON.parse(await readFile(path.join(project, INSTALLED, 'package.json'), 'utf8'));
  assert.equal(manifest.customElements, 'custom-elements.json');
  assert.equal(manifest.exports['.'].types, './index.d.ts');
});

test('importing the package in Node (server-side rendering) throws nothing and defines nothing', async () => {
  const result = await nodeInProject(`
    const widgets = await import('mqsim-widgets');
    console.log(JSON.stringify({ exports: Object.keys(widgets).sort(), registry: typeof customElements, element: typeof HTMLElement }));
  `);
  assert.deepEqual(result, { exports: ['DEMOS', 'MqDemoElement', 'MqLessonElement', 'MqSimElement', 'defineAll'], registry: 'undefined', element: 'undefined' });
});

test('the generated manifest lists every element with its attributes, public members and events', async () => {
  const cem = JSON.parse(await readFile(path.join(project, INSTALLED, 'custom-elements.json'), 'utf8'));
  const elements = cem.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);
  const { DEMOS } = await import('../../www/widgets/demos.js');
  assert.deepEqual(elements.map((e) => e.tagName).sort(), ['mq-lesson', 'mq-sim', ...Object.keys(DEMOS)].sort());
  const lesson = elements.find((e) => e.tagName === 'mq-lesson');
  assert.ok(lesson.attributes.some((a) => a.name === 'lesson-step') && lesson.events.some((e) => e.name === 'mq-step'));
  const sim = elements.find((e) => e.tagName === 'mq-sim');
  assert.deepEqual(sim.attributes.map((a) => a.name).sort(), ['autoplay', 'controls', 'height', 'lang', 'locked', 'scenario', 'seed', 'speed', 'theme']);
  assert.deepEqual(sim.events.map((e) => e.name).sort(), ['mq-error', 'mq-finished', 'mq-message', 'mq-ready', 'mq-tick']);
  assert.deepEqual(sim.members.map((m) => m.name).sort(), ['autoplay', 'command', 'controls', 'height', 'lang', 'locked', 'pause', 'play', 'reset', 'scenario', 'seed', 'speed', 'step', 'summary', 'theme']);
  const definitions = cem.modules.flatMap((m) => m.exports ?? []).filter((e) => e.kind === 'custom-element-definition');
  assert.equal(definitions.length, elements.length);
});

test('the type declarations cover what the manifest lists', async () => {
  const cem = JSON.parse(await readFile(path.join(project, INSTALLED, 'custom-elements.json'), 'utf8'));
  const types = await readFile(path.join(project, INSTALLED, 'index.d.ts'), 'utf8');
  const elements = cem.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);
  for (const element of elements) {
    assert.match(types, new RegExp(`'${element.tagName}': Mq(Sim|Demo|Lesson)Element;`), `${element.tagName} in HTMLElementTagNameMap`);
    for (const member of element.members) assert.match(types, new RegExp(`\\b${member.name}[(:]|get ${member.name}\\(`), `${element.tagName}.${member.name}`);
    for (const attribute of element.attributes) assert.match(types, new RegExp(`Attribute \`${attribute.name}\``), `${element.tagName}[${attribute.name}]`);
    for (const event of element.events) assert.match(types, new RegExp(`'${event.name}': CustomEvent<`), `${event.name} in MqEventMap`);
  }
});

test('TypeScript checks a doc author’s code against the declarations', { timeout: 120_000 }, async () => {
  const code = `
    import 'mqsim-widgets';
    const sim = document.querySelector('mq-sim');
    sim?.addEventListener('mq-error', (e) => { const path: string | null = e.detail.path; console.log(path, e.detail.message); });
    sim?.addEventListener('mq-finished', (e) => console.log(e.detail.summary.trace_hash.length));
    const demo = document.createElement('mq-peak-shaving-demo');
    demo.controls = '';
    demo.speed = 'max';
    demo.command({ set_consumers: { consumer: 'db-writer', count: 2 } });
    const wrong: number = demo.scenario;
  `;
  await writeFile(path.join(project, 'author.ts'), code);
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = await run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', 'author.ts'], { cwd: project }).catch((err) => err);
  // The one deliberate mistake, and nothing else: the rest type-checks.
  assert.deepEqual(result.stdout.trim().split('\n'), [`author.ts(10,11): error TS2322: Type 'string' is not assignable to type 'number'.`]);
});

test('in Chromium, from node_modules: a widget runs to its end with mqsim run’s trace hash, a bad scenario reports its path', { timeout: 180_000 }, async () => {
  const scenario = JSON.parse(await readFile(path.join(ROOT, 'scenarios/mmc-erlang-c.json'), 'utf8'));
  scenario.name = 'a-doc-sites-own';
  scenario.duration = '20s';
  await writeFile(path.join(project, 'own.json'), JSON.stringify(scenario, null, 2));
  const bad = '{"name": "bad", "seed": 1, "duration": "10s", "queues": [{"name": "q"}], "producers": [{"name": "p", "queue": "q", "arrivals": {"poisson": {"rate": -5}}}], "consumers": [{"name": "c", "queue": "q", "service": {"constant": "10ms"}}]}';
  await writeFile(
    path.join(project, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
    <script type="importmap">{"imports": {"mqsim-widgets": "./${INSTALLED}/www/widgets/mqsim-widgets.js"}}</script>
    <script type="module">import 'mqsim-widgets';</script></head>
    <body><mq-sim id="own" scenario="own.json" controls></mq-sim><div id="bad-box"></div></body></html>`,
  );
  env = await launch({ root: project });
  const page = await env.newPage();
  await page.addInitScript(countWidgetEvents);
  await page.goto(env.server.url);
  await waitForWidgets(page);
  const [own] = await runAllToEnd(page);
  assert.equal(own.hash, (await nativeSummary(path.join(project, 'own.json'))).trace_hash);

  const error = await page.evaluate(async (bad) => {
    const el = document.createElement('mq-sim');
    el.setAttribute('scenario', bad);
    const reported = new Promise((resolve) => el.addEventListener('mq-error', (e) => resolve(e.detail), { once: true }));
    document.getElementById('bad-box').append(el);
    const detail = await reported;
    return { ...detail, shown: el.shadowRoot.querySelector('.error').textContent };
  }, bad);
  assert.equal(error.path, 'producers[0].arrivals.poisson.rate');
  assert.equal(error.shown, error.message);

  // The package ships the full simulator too, so that the widget's link to it works from node_modules or a CDN.
  const link = await page.$eval('#own', (el) => el.shadowRoot.querySelector('.open').href);
  assert.ok(link.startsWith(new URL(`${INSTALLED}/index.html#`, env.server.url).href), link);
  const full = await env.newPage();
  await full.goto(link);
  await full.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.equal(await full.inputValue('#preset'), '', 'a scenario of its own, not a preset');
  await full.close();
  assert.deepEqual(env.problems, []);
  await page.close();
});
