// The diagram panel ("Topology and message flow"): the canvas (lib/flow-view.js),
// its legend, the colour-by switch, the note under it and its text alternative.
import { FlowView } from '../lib/flow-view.js';
import { formatCount } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { STATE_STYLE } from '../lib/palette.js';
import { $, element } from './dom.js';
import { markDirty, page } from './run.js';

const LEGEND_STATES = ['stored', 'in_flight', 'redelivered', 'processed', 'dead_lettered', 'duplicate', 'lost', 'dropped'];
const FLOW_HEIGHT = [260, 620]; // the canvas grows with the topology within these CSS pixels
const PHONE = '(max-width: 600px)'; // as in style.css

/** Creates the diagram on the page's canvas; `inspect(id)` opens a clicked message. */
export function createFlowView(inspect) {
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  page.view = new FlowView($('flow'), { lang: page.lang, reducedMotion: reducedMotion.matches, autoHeight: FLOW_HEIGHT });
  reducedMotion.addEventListener('change', (e) => (page.view.reducedMotion = e.matches));
  $('flow').addEventListener('click', (e) => {
    const rect = e.target.getBoundingClientRect();
    const id = page.view.hit(e.clientX - rect.left, e.clientY - rect.top);
    if (id != null) inspect(id);
  });
  // On a phone the help under the diagram starts folded, so that a chart follows the diagram on screen.
  if (matchMedia(PHONE).matches) $('flow-help').open = false;
  for (const b of document.querySelectorAll('[data-colour]')) {
    b.addEventListener('click', () => {
      page.view.colourBy = b.dataset.colour;
      for (const other of document.querySelectorAll('[data-colour]')) other.setAttribute('aria-pressed', String(other === b));
      markDirty();
    });
  }
}

/** Starts the diagram over with the session's topology. */
export function resetFlowView() {
  page.view.clear();
  page.view.setTopology(page.session.topology);
  // Narrower than that (a phone), the diagram scrolls sideways in its box rather than overlap its nodes.
  $('flow').style.minWidth = `${page.view.narrowest}px`;
}

export function renderLegend() {
  const items = LEGEND_STATES.map((name) => {
    const style = STATE_STYLE[name];
    const swatch = element('span', { class: `swatch ${style.shape}` });
    swatch.style.setProperty('--swatch', style.colour);
    return element('li', {}, swatch, t(page.lang, `state.${name}`));
  });
  $('legend').replaceChildren(...items);
}

/** The note under the diagram (sampling, partitions) and the canvas's text alternative. */
export function renderFlowText() {
  const v = page.view;
  const notes = [];
  if (v.sampleEvery > 1) notes.push(t(page.lang, 'flow.sampled', { n: formatCount(v.sampleEvery, page.lang) }));
  if (page.session.topology.nodes.some((n) => n.kind === 'topic')) notes.push(t(page.lang, 'flow.partitions'));
  const text = notes.join(' ');
  if ($('flow-note').textContent !== text) $('flow-note').textContent = text;
  $('flow-description').textContent = v.describe();
}
