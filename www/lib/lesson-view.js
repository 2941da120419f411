// One lesson step on screen, for the page's Lessons panel and the
// <mq-lesson> widget alike: its text, the question (a number, a choice, or
// a number to try live), Run, the reveal (the learner's prediction next to
// the value this run measured, and the explanation) and Back/Next. Plain
// DOM, so it works in a shadow root; it only draws, and calls back.
import { formatNumber } from './format.js';
import { t } from './i18n.js';
import { inRange, numberRight, rightChoice } from './lesson-measure.js';
import { say } from './lessons.js';

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else if (k === 'testid') node.dataset.testid = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children);
  return node;
}

let ids = 0;

/** The kind of a step's question: "number", "choice", "try" or null. */
export function questionKind(step) {
  const answer = step.question?.answer;
  return answer ? Object.keys(answer)[0] : null;
}

/**
 * What the learner's prediction and the measured value make of the step:
 * {right: true/false/null (no question), rightIndex (a choice's)}.
 */
export function verdict(step, prediction, value) {
  const kind = questionKind(step);
  const answer = step.question?.answer?.[kind];
  if (kind === 'number') return { right: numberRight(answer, prediction, value) };
  if (kind === 'choice') {
    const rightIndex = rightChoice(answer, value);
    return { right: prediction === rightIndex, rightIndex };
  }
  if (kind === 'try') return { right: inRange(answer.goal, value) };
  return { right: null };
}

function formatValue(value, lang, unit) {
  if (value == null) return t(lang, 'lesson.no-value');
  const text = formatNumber(value, lang, 3);
  return unit ? `${text} ${say(unit, lang)}` : text;
}

/**
 * Draws step `state.index` of `state.lesson` into `box`.
 * state: {lesson, index, lang, prediction, result: {value} | null, running, done: [indices]}
 * on: {run(prediction), back(), next(), predict(prediction)}
 */
export function renderStep(box, state, on) {
  const { lesson, index, lang } = state;
  const step = lesson.steps[index];
  const kind = questionKind(step);
  const answer = step.question?.answer?.[kind];
  const id = `lesson-${++ids}`;
  const parts = [];
  parts.push(
    el('p', { class: 'lesson-progress', testid: 'lesson-progress', text: t(lang, 'lesson.step', { n: index + 1, total: lesson.steps.length }) }),
    el('h3', { class: 'lesson-step-title', testid: 'lesson-step-title', text: say(step.title, lang) }),
    el('p', { class: 'lesson-text', testid: 'lesson-text', text: say(step.text, lang) }),
  );
  const form = el('form', { class: 'lesson-question', testid: 'lesson-question' });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!state.running) on.run(readPrediction());
  });
  let readPrediction = () => null;
  if (kind === 'number' || kind === 'try') {
    const input = el('input', {
      id: `${id}-input`,
      type: 'number',
      // A "try" puts the number into a command that takes a whole number.
      step: kind === 'try' ? '1' : 'any',
      inputmode: kind === 'try' ? 'numeric' : 'decimal',
      testid: 'lesson-input',
      min: kind === 'try' ? answer.min : null,
      max: kind === 'try' ? answer.max : null,
      required: true,
    });
    if (state.prediction != null) input.value = String(state.prediction);
    input.addEventListener('input', () => on.predict(readPrediction()));
    readPrediction = () => (input.value === '' ? null : Number(input.value));
    form.append(
      el('label', { for: `${id}-input`, text: say(step.question.prompt, lang) }),
      el('span', { class: 'lesson-answer' }, input, el('span', { class: 'unit', text: say(answer.unit, lang) })),
    );
  } else if (kind === 'choice') {
    const fieldset = el('fieldset', { testid: 'lesson-choices' }, el('legend', { text: say(step.question.prompt, lang) }));
    answer.forEach((option, i) => {
      const radio = el('input', { type: 'radio', name: `${id}-choice`, value: String(i), id: `${id}-c${i}`, required: true, testid: `lesson-choice-${i}` });
      if (state.prediction === i) radio.checked = true;
      radio.addEventListener('change', () => on.predict(i));
      fieldset.append(el('div', { class: 'lesson-option' }, radio, el('label', { for: `${id}-c${i}`, text: say(option.text, lang) })));
    });
    readPrediction = () => {
      const checked = fieldset.querySelector('input:checked');
      return checked ? Number(checked.value) : null;
    };
    form.append(fieldset);
  }
  const run = el('button', {
    type: 'submit',
    class: 'primary',
    testid: 'lesson-run',
    disabled: state.running,
    text: t(lang, state.running ? 'lesson.running' : kind === 'try' ? 'lesson.run-try' : 'lesson.run'),
  });
  form.append(el('div', { class: 'lesson-actions' }, run));
  parts.push(form);
  const reveal = el('div', { class: 'lesson-reveal', testid: 'lesson-reveal', 'aria-live': 'polite' });
  if (state.result) reveal.append(...revealParts(step, kind, answer, state, lang));
  else if (state.notice) reveal.append(el('p', { class: 'lesson-notice', testid: 'lesson-notice', text: t(lang, state.notice) }));
  parts.push(reveal);
  const last = index === lesson.steps.length - 1;
  parts.push(
    el(
      'nav',
      { class: 'lesson-nav', 'aria-label': t(lang, 'lesson.nav') },
      el('button', { type: 'button', testid: 'lesson-back', disabled: index === 0, text: t(lang, 'lesson.back'), onclick: () => on.back() }),
      el('button', { type: 'button', testid: 'lesson-next', disabled: last, text: t(lang, 'lesson.next'), onclick: () => on.next() }),
    ),
  );
  box.replaceChildren(...parts);
}

function revealParts(step, kind, answer, state, lang) {
  const { value } = state.result;
  const { right, rightIndex } = verdict(step, state.prediction, value);
  const rows = [];
  const unit = kind === 'number' || kind === 'try' ? answer.unit : null;
  if (kind === 'number') rows.push(['lesson.you', formatValue(state.prediction, lang, unit), 'lesson-prediction']);
  if (kind === 'try') rows.push(['lesson.you-tried', formatValue(state.prediction, lang, answer.unit), 'lesson-prediction']);
  if (kind === 'choice') rows.push(['lesson.you', say(answer[state.prediction]?.text, lang) || '–', 'lesson-prediction']);
  rows.push(['lesson.measured', formatValue(value, lang, step.measure?.unit ?? (kind === 'try' ? null : unit)), 'lesson-measured']);
  if (kind === 'choice' && rightIndex >= 0 && !right) rows.push(['lesson.right-answer', say(answer[rightIndex].text, lang), 'lesson-right-answer']);
  const dl = el('dl', { class: 'lesson-compare' });
  for (const [key, text, testid] of rows) dl.append(el('div', {}, el('dt', { text: t(lang, key) }), el('dd', { testid, text })));
  const out = [dl];
  if (right != null) {
    const key = kind === 'try' ? (right ? 'lesson.goal-met' : 'lesson.goal-missed') : right ? 'lesson.right' : 'lesson.wrong';
    out.push(el('p', { class: `lesson-verdict ${right ? 'good' : 'bad'}`, testid: 'lesson-verdict', 'data-right': String(right), text: t(lang, key) }));
  }
  out.push(el('p', { class: 'lesson-explain', testid: 'lesson-explain', text: say(step.reveal, lang) }));
  return out;
}
