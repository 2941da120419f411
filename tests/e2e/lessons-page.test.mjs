// A learner walks the "why queues" lesson on the page: opens it beside the
// scenario picker, predicts wrong and then right, and sees each prediction
// next to the value the run measured (the same numbers the lesson promises:
// 350 ms for the synchronous chain, 155 ms through a queue, 50 ms for the
// queued checkout); the step is in the share link and the progress survives
// a reload. Keyboard only, for the second step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { AXE_BLOCKING, launch, runAxe } from './helpers.mjs';

let env;
let page;

before(async () => {
  env = await launch();
  page = await env.newPage();
  await page.goto(new URL('/#lang=en', env.server.url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.evaluate(() => localStorage.removeItem('mqsim.lessons'));
});

after(async () => {
  assert.deepEqual(env.problems, []);
  await env?.browser.close();
  await env?.server.close();
});

const $text = (testid) => page.locator(`#lesson [data-testid="${testid}"]`).innerText();

/** Predicts `value` (a number, or a choice's index) and runs the step until its reveal is shown. */
async function predictAndRun(value) {
  if (typeof value === 'number' && (await page.locator('#lesson [data-testid="lesson-input"]').count())) {
    await page.fill('#lesson [data-testid="lesson-input"]', String(value));
  } else {
    await page.check(`#lesson [data-testid="lesson-choice-${value}"]`);
  }
  await page.click('#lesson [data-testid="lesson-run"]');
  await page.waitForSelector('#lesson [data-testid="lesson-verdict"]', { timeout: 60_000 });
}

test('the lesson opens beside the scenario picker at its first step, with its scenario loaded', async () => {
  await page.click('[data-testid="lessons-open"]');
  await page.waitForSelector('#lesson [data-testid="lesson-step-title"]');
  assert.equal(await page.locator('[data-testid="lesson-pick"]').inputValue(), 'why-queues');
  assert.equal(await $text('lesson-progress'), 'Step 1 of 3');
  assert.equal(await $text('lesson-step-title'), 'The synchronous chain');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset"]').value === 'async-response-time');
});

test('a wrong prediction is shown next to the measured 350 ms, then a right one is confirmed', { timeout: 90_000 }, async () => {
  await predictAndRun(155);
  assert.equal(await $text('lesson-prediction'), '155 ms');
  assert.equal(await $text('lesson-measured'), '350 ms');
  assert.equal(await page.locator('#lesson [data-testid="lesson-verdict"]').getAttribute('data-right'), 'false');
  assert.match(await $text('lesson-explain'), /100 \+ 50 \+ 100 \+ 100 = 350 ms/);
  // The run played in the workbench to the step's end (10 s).
  assert.equal(await page.locator('[data-testid="sim-time"]').innerText(), '10.00 s');

  await predictAndRun(350);
  assert.equal(await $text('lesson-prediction'), '350 ms');
  assert.equal(await $text('lesson-measured'), '350 ms');
  assert.equal(await page.locator('#lesson [data-testid="lesson-verdict"]').getAttribute('data-right'), 'true');
});

test('the keyboard alone moves to the next step and answers it', { timeout: 90_000 }, async () => {
  await page.focus('#lesson [data-testid="lesson-next"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#lesson [data-testid="lesson-progress"]')?.textContent === 'Step 2 of 3');
  await page.focus('#lesson [data-testid="lesson-input"]');
  await page.keyboard.type('155');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#lesson [data-testid="lesson-verdict"]', { timeout: 60_000 });
  assert.equal(await $text('lesson-measured'), '155 ms');
  assert.equal(await page.locator('#lesson [data-testid="lesson-verdict"]').getAttribute('data-right'), 'true');
});

test('a choice: the wrong option is named wrong and the right one shown, the queued checkout measured at 50 ms', { timeout: 90_000 }, async () => {
  await page.click('#lesson [data-testid="lesson-next"]');
  await page.waitForFunction(() => document.querySelector('#lesson [data-testid="lesson-progress"]')?.textContent === 'Step 3 of 3');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset"]').value === 'order-decoupling');
  await predictAndRun(2);
  assert.equal(await $text('lesson-prediction'), 'over 700 ms');
  assert.equal(await $text('lesson-measured'), '50 ms');
  assert.equal(await $text('lesson-right-answer'), 'under 100 ms');
  assert.equal(await page.locator('#lesson [data-testid="lesson-verdict"]').getAttribute('data-right'), 'false');
  await predictAndRun(0);
  assert.equal(await page.locator('#lesson [data-testid="lesson-verdict"]').getAttribute('data-right'), 'true');
  assert.match(await $text('lesson-explain'), /1,000 ms/);
});

test('the open lesson, with a reveal shown, has no serious or critical accessibility violation', { timeout: 60_000 }, async () => {
  const blocking = (await runAxe(page, '#lesson')).filter((v) => AXE_BLOCKING.has(v.impact));
  assert.deepEqual(blocking, []);
});

test('the share link names the lesson and step, and opens there', { timeout: 60_000 }, async () => {
  await page.waitForFunction(() => location.hash.includes('lesson=why-queues') && location.hash.includes('step=3'));
  const url = await page.evaluate(() => location.href);
  const other = await env.newPage();
  await other.goto(url);
  await other.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.equal(await other.locator('#lesson [data-testid="lesson-progress"]').innerText(), 'Step 3 of 3');
  assert.equal(await other.locator('[data-testid="preset"]').inputValue(), 'order-decoupling');
  await other.close();
});

test('progress is kept: every step revealed is recorded, and the picker marks the lesson done', async () => {
  const progress = await page.evaluate(() => JSON.parse(localStorage.getItem('mqsim.lessons')));
  assert.deepEqual(progress['why-queues'].done.sort(), [0, 1, 2]);
  assert.equal(progress['why-queues'].step, 2);
  assert.match(await page.locator('[data-testid="lesson-pick"] option[value="why-queues"]').innerText(), /\(done\)/);
});

test('Chinese: the same step in zh, with the numbers the run measured', { timeout: 90_000 }, async () => {
  await page.click('[data-lang="zh"]');
  assert.equal(await $text('lesson-progress'), '第 3 步，共 3 步');
  await page.click('#lesson [data-testid="lesson-back"]');
  await page.waitForFunction(() => document.querySelector('#lesson [data-testid="lesson-progress"]')?.textContent === '第 2 步，共 3 步');
  await predictAndRun(200);
  assert.equal(await $text('lesson-prediction'), '200 毫秒');
  assert.equal(await $text('lesson-measured'), '155 毫秒');
  assert.equal(await $text('lesson-verdict'), '这次没猜中：模拟测得的是另一个结果。');
  await page.click('[data-lang="en"]');
});

test('picking another preset leaves the lesson: the panel closes, the link names the preset; the Lessons button returns to the step', { timeout: 60_000 }, async () => {
  assert.equal(await $text('lesson-progress'), 'Step 2 of 3');
  await page.focus('#preset');
  await page.selectOption('#preset', 'poison-message-dlq');
  await page.waitForFunction(() => location.hash.includes('preset=poison-message-dlq'));
  assert.equal(await page.locator('#lesson').isHidden(), true);
  assert.equal(await page.getAttribute('[data-testid="lessons-open"]', 'aria-expanded'), 'false');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /lesson=/);
  // Focus stays on the picker, where the learner is.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'preset');
  // The preset runs as any other: the lesson does not come back when it ends.
  await page.click('#run-to-end');
  await page.waitForSelector('[data-testid="status"][data-state="finished"]', { timeout: 60_000 });
  assert.equal(await page.locator('#lesson').isHidden(), true);
  assert.equal(await page.locator('[data-testid="scenario-title"]').innerText(), await page.locator('#preset option:checked').innerText());

  await page.click('[data-testid="lessons-open"]');
  await page.waitForFunction(() => location.hash.includes('lesson=why-queues') && location.hash.includes('step=2'));
  assert.equal(await $text('lesson-progress'), 'Step 2 of 3');
  assert.equal(await page.locator('[data-testid="preset"]').inputValue(), 'async-response-time');

  // Closing the panel, too, leaves the link to the run on screen.
  await page.click('[data-testid="lesson-close"]');
  await page.waitForFunction(() => location.hash.includes('preset=async-response-time') && !location.hash.includes('lesson='));
});

test('running an edited scenario leaves the lesson too', { timeout: 60_000 }, async () => {
  await page.click('[data-testid="lessons-open"]');
  await page.waitForFunction(() => location.hash.includes('lesson=why-queues'));
  await page.click('#edit');
  await page.waitForSelector('#editor .cm-editor .cm-content');
  // CodeMirror draws only the lines in view: the whole text comes from its
  // own state, through the module the page loaded; the edit is typed as a paste.
  const text = await page.evaluate(async () => {
    const cm = await import('/www/vendor/codemirror.js');
    return cm.EditorView.findFromDOM(document.querySelector('#editor .cm-editor')).state.doc.toString();
  });
  await page.focus('#editor .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text.replace('"async-response-time"', '"my-orders"'));
  await page.waitForFunction(() => !document.getElementById('editor-apply').disabled);
  await page.click('#editor-apply');
  await page.waitForFunction(() => location.hash.includes('scenario=') && !location.hash.includes('lesson='));
  assert.equal(await page.locator('#lesson').isHidden(), true);
  assert.equal(await page.inputValue('#preset'), '');
});

test('on a phone (390 × 844) the lesson fits the screen width', { timeout: 60_000 }, async () => {
  const phone = await env.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(new URL('/#lesson=peak-shaving&step=1&lang=en', env.server.url).href);
  await phone.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const widths = await phone.evaluate(() => ({ doc: document.documentElement.scrollWidth, lesson: document.getElementById('lesson').getBoundingClientRect().right }));
  assert.ok(widths.doc <= 390 && widths.lesson <= 390, JSON.stringify(widths));
  await phone.fill('#lesson [data-testid="lesson-input"]', '99000');
  await phone.click('#lesson [data-testid="lesson-run"]');
  await phone.waitForSelector('#lesson [data-testid="lesson-verdict"]', { timeout: 60_000 });
  assert.equal(await phone.locator('#lesson [data-testid="lesson-measured"]').innerText(), '99,000 orders');
  await phone.close();
});
