// Small DOM helpers the panels share: elements by id, text and values that
// are only written when they change (a layout costs more than a comparison),
// and the form controls the live panel builds.
import { page } from './run.js';
import { t } from '../lib/i18n.js';

export const $ = (id) => document.getElementById(id);

export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

export function setClass(el, name) {
  if (el.className !== name) el.className = name;
}

/** Shows `text` in element `id` and keeps the raw `value` in its data-value (what the tests read). */
export function setValue(id, value, text) {
  const el = $(id);
  const raw = value == null ? '' : String(value);
  if (el.dataset.value === raw && el.textContent === text) return;
  el.textContent = text;
  el.dataset.value = raw;
}

/** An element with properties: `text`, `class`, `testid`, any attribute; and children. */
export function element(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null) continue;
    if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else if (k === 'testid') el.dataset.testid = v;
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

// ---- errors ----------------------------------------------------------------

export function showError(err) {
  const el = $('error');
  el.textContent = `${t(page.lang, 'error.prefix')}: ${err instanceof Error ? err.message : String(err)}`;
  el.hidden = false;
}

export function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

/** `fn` as an event handler whose errors (thrown or rejected) show on the page. */
export function guarded(fn) {
  return (...args) => {
    try {
      const out = fn(...args);
      if (out instanceof Promise) out.catch(showError);
    } catch (err) {
      showError(err);
    }
  };
}

// ---- form controls ----------------------------------------------------------

export function field(labelText, input) {
  return element('label', { class: 'field' }, element('span', { text: labelText }), input);
}

export function button(text, onClick, testid) {
  const b = element('button', { type: 'button', text, testid });
  b.addEventListener('click', guarded(onClick));
  return b;
}

export function numberInput(value, min, testid) {
  const input = element('input', { type: 'number', min: String(min), step: 'any', testid });
  input.value = String(value);
  return input;
}

export function select(values, current, testid, onChange, label = (v) => v) {
  const el = element('select', { testid });
  for (const v of values) {
    const option = new Option(label(v), v);
    option.selected = v === current;
    el.append(option);
  }
  el.addEventListener('change', guarded(() => onChange(el.value)));
  return el;
}
