// Type declarations for mqsim-widgets: the elements, their attributes and
// properties, methods and events. docs/embedding.md describes each; the
// package's test checks that every attribute, public member and event the
// custom-elements.json manifest lists (generated from the source) is here.

/** A run's summary: the same object `mqsim run --format json` prints as `summary`. */
export interface MqSummary {
  scenario: string;
  seed: number;
  now_ms: number;
  published: number;
  trace_hash: string;
  states: { processed: number; stored: number; in_flight: number; [state: string]: number };
  [field: string]: unknown;
}

/** A live change to a running simulation, e.g. `{crash_consumer: {consumer: 'worker', instance: 0}}`. */
export type MqCommand =
  | { crash_consumer: { consumer: string; instance: number } }
  | { restart_consumer: { consumer: string; instance: number } }
  | { set_rate: { producer: string; rate: number } }
  | { set_consumers: { consumer: string; count: number } }
  | { set_prefetch: { consumer: string; prefetch: number } }
  | { service_down: { service: string } }
  | { service_up: { service: string } }
  | Record<string, unknown>;

export interface MqReadyDetail {
  scenario: string;
  /** The bundled preset's name, or null for a URL or inline JSON. */
  preset: string | null;
  seed: number;
}

export interface MqTickDetail {
  nowMs: number;
  endMs: number;
  published: number;
  processed: number;
  backlog: number;
}

export interface MqFinishedDetail {
  summary: MqSummary;
}

export interface MqErrorDetail {
  /** What went wrong, in the widget's language where the widget says it (a missing file, an invalid scenario). */
  message: string;
  /** The JSON path of an invalid scenario's problem (`producers[0].arrivals`), else null. */
  path: string | null;
}

export interface MqMessageDetail {
  id: number;
  life: unknown;
}

/** `<mq-lesson>`'s mq-step: a step shown, or (with prediction, value and right) its reveal. */
export interface MqStepDetail {
  lesson: string;
  /** The step, from 0. */
  step: number;
  steps: number;
  /** The learner's prediction: a number, or a choice's index. Only on a reveal. */
  prediction?: number | null;
  /** The value this run measured (null: none). Only on a reveal. */
  value?: number | null;
  /** Whether the prediction was right (for a "try", whether the goal was met); null without a question. Only on a reveal. */
  right?: boolean | null;
}

export interface MqEventMap {
  'mq-ready': CustomEvent<MqReadyDetail>;
  'mq-tick': CustomEvent<MqTickDetail>;
  'mq-finished': CustomEvent<MqFinishedDetail>;
  'mq-error': CustomEvent<MqErrorDetail>;
  'mq-message': CustomEvent<MqMessageDetail>;
  'mq-step': CustomEvent<MqStepDetail>;
}

/** `<mq-sim>`: any scenario (a preset name, a URL to a scenario file, or inline JSON). */
export declare class MqSimElement extends HTMLElement {
  static observedAttributes: string[];
  /** Registers the element under `tag` unless something already is. */
  static define(tag?: string, registry?: CustomElementRegistry): typeof MqSimElement;
  /** Attribute `scenario`: a preset name, a URL (relative to the page) or inline JSON. */
  scenario: string;
  /** Attribute `controls`: show the control bar. Any string, "" included, means on. */
  get controls(): boolean;
  set controls(value: boolean | string | null | undefined);
  /** Attribute `locked`: play, pause and reset only; `command()` is refused. */
  get locked(): boolean;
  set locked(value: boolean | string | null | undefined);
  /** Attribute `autoplay`: start once ready and visible (not under prefers-reduced-motion). */
  get autoplay(): boolean;
  set autoplay(value: boolean | string | null | undefined);
  /** Attribute `lang`: `en` or `zh`; defaults to the nearest `lang` attribute, else the browser's. */
  get lang(): string;
  set lang(value: string);
  /** Attribute `height`: the diagram's height in CSS pixels. */
  get height(): number;
  set height(value: number | string);
  /** Attribute `seed`: another seed gives another, equally reproducible, run. */
  get seed(): number | null;
  set seed(value: number | string | null | undefined);
  /** Attribute `speed`: simulated seconds per real second, or `max`. */
  get speed(): number;
  set speed(value: number | 'max');
  /** Attribute `theme`: `light`, `dark`, or `auto` (follow the page: its dark class, data-theme, else the system). */
  get theme(): string;
  set theme(value: 'light' | 'dark' | 'auto' | null);
  /** The live run's summary; null before the widget is ready. */
  readonly summary: MqSummary | null;
  play(): void;
  pause(): void;
  reset(): void;
  /** Runs to the next thing that happens. */
  step(): void;
  /** Applies a live change; throws on a locked widget or an invalid command (naming its JSON path). */
  command(cmd: MqCommand): void;

  addEventListener<K extends keyof MqEventMap>(type: K, listener: (this: MqSimElement, ev: MqEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: MqSimElement, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof MqEventMap>(type: K, listener: (this: MqSimElement, ev: MqEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** `<mq-lesson name="…">`: a guided lesson (docs/lessons.md); fires mq-step as well. */
export declare class MqLessonElement extends MqSimElement {
  /** Attribute `name`: the lesson, e.g. `peak-shaving`. */
  name: string;
  /** Attribute `lesson-step`: the step shown, from 1. */
  lessonStep: number;
}

/** A demo element of the design documents: its preset, counters, charts and actions come from `DEMOS`. */
export declare class MqDemoElement extends MqSimElement {}

/** What each demo element shows and says (www/widgets/demos.js). */
export declare const DEMOS: Record<MqDemoTag, {
  presets: string[];
  speed: number;
  counters: string[];
  charts: string[];
  actions: string[];
  title: { en: string; zh: string };
  text: { en: string; zh: string };
  [field: string]: unknown;
}>;

export type MqDemoTag =
  | 'mq-architecture-demo'
  | 'mq-producer-consumer-demo'
  | 'mq-decoupling-demo'
  | 'mq-peak-shaving-demo'
  | 'mq-reliability-demo'
  | 'mq-idempotence-demo'
  | 'mq-comparison-demo';

/** Defines <mq-sim>, <mq-lesson> and every demo element; does nothing where there is no registry (a server). Safe to call twice. */
export declare function defineAll(registry?: CustomElementRegistry): void;

/** The attributes, as a JSX or template type checker wants them. */
export interface MqSimAttributes {
  scenario?: string;
  controls?: boolean | '';
  locked?: boolean | '';
  autoplay?: boolean | '';
  lang?: 'en' | 'zh' | string;
  height?: number | string;
  seed?: number | string;
  speed?: number | 'max' | string;
  theme?: 'light' | 'dark' | 'auto';
}

declare global {
  interface HTMLElementTagNameMap {
    'mq-sim': MqSimElement;
    'mq-lesson': MqLessonElement;
    'mq-architecture-demo': MqDemoElement;
    'mq-producer-consumer-demo': MqDemoElement;
    'mq-decoupling-demo': MqDemoElement;
    'mq-peak-shaving-demo': MqDemoElement;
    'mq-reliability-demo': MqDemoElement;
    'mq-idempotence-demo': MqDemoElement;
    'mq-comparison-demo': MqDemoElement;
  }
  interface HTMLElementEventMap extends MqEventMap {}
}
