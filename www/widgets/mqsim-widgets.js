// mqsim's embeddable widgets: standard custom elements, one per demo of the
// design documents plus a generic <mq-sim>. One module include is enough:
//
//   <script type="module" src="https://example.org/mqsim/www/widgets/mqsim-widgets.js"></script>
//   <mq-peak-shaving-demo controls></mq-peak-shaving-demo>
//
// Everything else (the wasm, the presets, uPlot) is loaded relative to the
// modules' own URLs, through literal `new URL('…', import.meta.url)`s that
// bundlers (Vite, webpack) also follow; the styles are a module of their own. All elements on a page share one wasm module and one
// frame loop (lib/frame-loop.js, shared with the full page) and one frame
// budget; each has its own simulation and pauses while off-screen.
//
// The modules: element.js (the element), demos.js (what each demo shows and
// says), counters.js, figures.js, table.js, plots.js (what is drawn under the
// diagram), controls.js (the control bar), strings.js (the widgets' words),
// theme.js (light or dark, as the page is), template.js and widget.css.
import { MqDemoElement, MqSimElement } from './element.js';
import { DEMOS } from './demos.js';
import { MqLessonElement } from './lesson.js';

export { DEMOS, MqDemoElement, MqLessonElement, MqSimElement };

/** Defines <mq-sim>, <mq-lesson> and every demo element; safe to call twice. */
export function defineAll(registry = globalThis.customElements) {
  if (!registry) return;
  MqSimElement.define('mq-sim', registry);
  MqLessonElement.define('mq-lesson', registry);
  for (const tag of Object.keys(DEMOS)) {
    if (!registry.get(tag)) registry.define(tag, class extends MqDemoElement {});
  }
}

// Where there is a DOM, the elements are defined on import; elsewhere (a
// server rendering the page, a test runner) importing defines nothing.
defineAll();
