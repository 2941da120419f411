// The attributes of a widget element and the properties that mirror them,
// apart from the element's behaviour (element.js). Every attribute has a
// property of the same name; a boolean property is set as its attribute
// would be: any string, "" included, means on (React 19 sets `controls=""`
// as a property).
import { detectLang } from '../lib/i18n.js';
import { speedOf } from './controls.js';
import { DEMOS } from './demos.js';

const DEFAULT_HEIGHT = 240; // CSS px of the diagram, unless the topology needs more

/** Where there is no DOM (a server, a test runner) the class still imports; it is only never defined. */
const ElementBase = globalThis.HTMLElement ?? class {};

/** A boolean property set like its attribute: any string, "" included, means on. */
function flag(value) {
  return typeof value === 'string' ? true : Boolean(value);
}

export class WidgetAttributes extends ElementBase {
  static observedAttributes = ['scenario', 'autoplay', 'controls', 'lang', 'height', 'seed', 'locked', 'speed', 'theme'];

  // ---- attributes mirrored by properties ----

  get scenario() {
    return this.getAttribute('scenario') ?? '';
  }

  set scenario(value) {
    this.setAttribute('scenario', value);
  }

  get lang() {
    return detectLang(this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || undefined);
  }

  set lang(value) {
    this.setAttribute('lang', value);
  }

  /** The diagram's height: the attribute's, else the demo's, else sized to the topology. */
  get height() {
    const h = Number(this.getAttribute('height'));
    return Number.isFinite(h) && h > 80 ? h : this.demo?.height ?? DEFAULT_HEIGHT;
  }

  set height(value) {
    this.setAttribute('height', String(value));
  }

  get seed() {
    const seed = this.getAttribute('seed');
    return seed == null || seed === '' ? null : Number(seed);
  }

  set seed(value) {
    if (value == null) this.removeAttribute('seed');
    else this.setAttribute('seed', String(value));
  }

  get speed() {
    const speed = this.getAttribute('speed');
    if (speed == null) return this.demo?.speed ?? 1;
    return speedOf(speed);
  }

  set speed(value) {
    this.setAttribute('speed', value === Infinity || value === 'max' ? 'max' : String(value));
  }

  /** Start playing once ready (and visible), unless the reader prefers reduced motion. */
  get autoplay() {
    return this.hasAttribute('autoplay');
  }

  set autoplay(value) {
    this.toggleAttribute('autoplay', flag(value));
  }

  /** Show the control bar: play, reset, speed and the demo's live actions. */
  get controls() {
    return this.hasAttribute('controls');
  }

  set controls(value) {
    this.toggleAttribute('controls', flag(value));
  }

  /** Play-only: play, pause and reset, no live actions or speed. */
  get locked() {
    return this.hasAttribute('locked');
  }

  set locked(value) {
    this.toggleAttribute('locked', flag(value));
  }

  /** `light`, `dark`, or (empty, `auto`, anything else) follow the page: see theme.js. */
  get theme() {
    return this.getAttribute('theme') ?? 'auto';
  }

  set theme(value) {
    if (value == null) this.removeAttribute('theme');
    else this.setAttribute('theme', value);
  }

  /** The demo's table entry (none for <mq-sim>). */
  get demo() {
    return DEMOS[this.localName] ?? null;
  }

  /** A property set before the element was upgraded shadows the accessor; move it to the attribute. */
  upgradeProperties() {
    for (const name of WidgetAttributes.observedAttributes) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
  }
}
