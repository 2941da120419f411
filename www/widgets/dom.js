// Small DOM helpers the widget modules share. Nothing here runs at import
// time, so the widgets' modules can be imported where there is no DOM.

/** Fires a widget event: bubbling and composed, so a listener on `document` hears every widget. */
export function emit(el, name, detail) {
  el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** `element('button', {class: 'x', text: 'Go', onclick: f}, ...children)`. */
export function element(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

/** Replaces `box`'s children only when `shape` (a string) differs from the last one drawn, so that focus and layout survive frames. */
export function rebuildIf(box, shape, build) {
  if (box.dataset.shape === shape) return false;
  box.dataset.shape = shape;
  box.replaceChildren(...build());
  return true;
}
