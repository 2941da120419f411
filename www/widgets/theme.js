// Light or dark: a widget follows the page it is in. The widget's colours are
// CSS custom properties (--mq-*, see widget.css) whose defaults change with
// the theme; this module decides which theme applies and tells every
// connected widget when it changes.
//
// Docs sites switch themes with a class or an attribute on <html> (VitePress:
// `html.dark`; Docusaurus: `html[data-theme=dark]`; others `.light`,
// `data-theme=light`, or a `color-scheme` style), and such a choice can
// differ from the reader's system setting (a reader who picked light on a
// dark system), so the page's own choice wins over prefers-color-scheme.
//
// Nothing here runs at import time: the observers start with the first
// connected widget, so the module can be imported where there is no DOM.

const THEMES = ['light', 'dark'];
const widgets = new Set();
let watching = null;

/** The theme the page shows: its own class or attribute, else its color-scheme, else the system's. */
export function pageTheme(doc = document) {
  for (const node of [doc.documentElement, doc.body]) {
    if (!node) continue;
    for (const theme of THEMES) {
      if (node.classList.contains(theme) || node.dataset.theme === theme || node.dataset.colorScheme === theme) return theme;
    }
  }
  const scheme = getComputedStyle(doc.documentElement).colorScheme;
  if (THEMES.includes(scheme)) return scheme; // `light dark` or `normal`: the system decides
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The theme `el` shows: its `theme` attribute when that is light or dark, else the page's. */
export function themeOf(el) {
  const own = el.getAttribute('theme');
  return THEMES.includes(own) ? own : pageTheme(el.ownerDocument);
}

/** Starts telling `el` (which has `applyTheme()`) about theme changes; call on connect. */
export function watchTheme(el) {
  widgets.add(el);
  watching ??= startWatching();
  el.applyTheme();
}

/** Stops telling `el`; call on disconnect. */
export function unwatchTheme(el) {
  widgets.delete(el);
}

function startWatching() {
  const update = () => {
    for (const el of widgets) el.applyTheme();
  };
  const observer = new MutationObserver(update);
  const options = { attributes: true, attributeFilter: ['class', 'data-theme', 'data-color-scheme', 'style'] };
  observer.observe(document.documentElement, options);
  if (document.body) observer.observe(document.body, options);
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', update);
  return { observer, media };
}
