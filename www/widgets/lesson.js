// <mq-lesson name="peak-shaving" lang="zh" lesson-step="2">: a lesson (lessons/*.json)
// embedded in a page. The widget's diagram, counters and charts show the
// current step's scenario; below them the step's text, its question, Run,
// and the reveal (the prediction next to the value this run measured, from
// the widget's own session, and the explanation), with Back and Next. It
// fires the other widgets' events (mq-ready, mq-tick, mq-finished,
// mq-error, mq-message) and mq-step: when a step is shown
// ({lesson, step, steps}) and when its reveal is ({…, prediction, value, right}).
import { evaluate, runHeadless, stepCommands, stopMs } from '../lib/lesson-measure.js';
import { renderStep, verdict } from '../lib/lesson-view.js';
import { lessonByName, loadProgress, markStep, say, stepSource } from '../lib/lessons.js';
import * as loop from '../lib/frame-loop.js';
import { emit } from './dom.js';
import { MqSimElement } from './element.js';
import { WidgetAttributes } from './attributes.js';

export class MqLessonElement extends MqSimElement {
  static observedAttributes = [...WidgetAttributes.observedAttributes, 'name', 'lesson-step'];

  static define(tag = 'mq-lesson', registry = globalThis.customElements) {
    return super.define(tag, registry);
  }

  constructor() {
    super();
    this.lesson = null;
    this.lessonState = null; // {index, prediction, result, running, notice, stopAt, input}
  }

  /** Attribute `name`: the lesson (lessons/<name>.json). */
  get name() {
    return this.getAttribute('name') ?? '';
  }

  set name(value) {
    this.setAttribute('name', value);
  }

  /** Attribute `lesson-step`: the step shown, from 1 as the share link counts (not `step`: that is the method that runs one event). */
  get lessonStep() {
    const n = Number(this.getAttribute('lesson-step') ?? 1);
    return Number.isInteger(n) && n > 0 ? n : 1;
  }

  set lessonStep(value) {
    this.setAttribute('lesson-step', String(value));
  }

  /** The step shown, from 0. */
  get stepIndex() {
    return this.lessonStep - 1;
  }

  /** For the frame loop: while a step runs, as fast as the budget allows to its end. */
  get until() {
    return this.lessonState?.running ? this.lessonState.stopAt : undefined;
  }

  build() {
    super.build();
    const box = document.createElement('section');
    box.className = 'lesson';
    box.setAttribute('part', 'lesson');
    box.dataset.testid = 'lesson-step';
    this.$('.stage').before(box);
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.started) return;
    if (name === 'name' || name === 'lesson-step') this.load();
    else super.attributeChangedCallback(name, before, after);
  }

  /** The current step's scenario and its live commands (and the learner's, for a "try" being run). */
  async source(api) {
    this.lesson = await lessonByName(this.name);
    const index = Math.min(this.stepIndex, this.lesson.steps.length - 1);
    if (this.lessonState?.index !== index) this.lessonState = { index, prediction: null, result: null, running: false, notice: null, input: null };
    const step = this.lesson.steps[index];
    const source = await stepSource(api, step);
    return { ...source, log: stepCommands(step, this.lessonState.input) };
  }

  async load() {
    await super.load();
    if (!this.session || !this.lesson) return;
    const { index } = this.lessonState;
    markStep(loadProgress(), this.lesson.name, index, false);
    if (!this.lessonState.announced) {
      this.lessonState.announced = true;
      emit(this, 'mq-step', { lesson: this.lesson.name, step: index, steps: this.lesson.steps.length });
    }
    this.renderLesson();
  }

  renderTexts() {
    super.renderTexts();
    if (!this.failure && this.lesson) {
      this.$('.title').textContent = say(this.lesson.title, this.lang);
      this.$('.watch').textContent = say(this.lesson.summary, this.lang);
    }
    this.renderLesson();
  }

  renderLesson() {
    const box = this.$('.lesson');
    if (!box || !this.lesson || !this.lessonState || this.failure) return;
    renderStep(box, { ...this.lessonState, lesson: this.lesson, lang: this.lang }, {
      run: (prediction) => this.runLesson(prediction).catch((err) => this.fail(err)),
      back: () => this.goTo(this.lessonState.index - 1),
      next: () => this.goTo(this.lessonState.index + 1),
      predict: (prediction) => (this.lessonState.prediction = prediction),
    });
  }

  goTo(index) {
    this.lessonState = null;
    this.lessonStep = index + 1; // reloads (attributeChangedCallback)
  }

  async runLesson(prediction) {
    const state = this.lessonState;
    const step = this.lesson.steps[state.index];
    if (step.question && prediction == null) {
      state.notice = 'lesson.need-answer';
      this.renderLesson();
      return;
    }
    state.input = step.question?.answer?.try ? prediction : null;
    Object.assign(state, { prediction, result: null, notice: null });
    this.renderLesson(); // the last reveal goes at once: what is shown next is this run's
    await this.load(); // the step afresh, with the learner's command
    if (this.lessonState !== state) return; // another step was opened meanwhile
    const api = this.session.api;
    state.stopAt = stopMs(step, this.session.sim) ?? runHeadless(api, this.session.source.json, step, state.input).nowMs;
    state.running = true;
    this.renderLesson();
    this.play();
    loop.wake();
  }

  frame(now, gap, tick) {
    super.frame(now, gap, tick);
    const state = this.lessonState;
    if (!state?.running) return;
    const s = this.session;
    if (this.running && s.nowMs + 1e-6 >= Math.min(state.stopAt, s.endMs)) this.pause();
    if (!this.running) this.finishLesson();
  }

  finishLesson() {
    const state = this.lessonState;
    const s = this.session;
    state.running = false;
    if (s.nowMs + 1e-6 < Math.min(state.stopAt, s.endMs) && !s.finished) {
      state.notice = 'lesson.stopped';
      this.renderLesson();
      return;
    }
    const step = this.lesson.steps[state.index];
    const value = step.measure ? evaluate(step.measure, s.summary(), s.sim.series(0)) : null;
    state.result = { value };
    markStep(loadProgress(), this.lesson.name, state.index, true);
    this.render(true);
    this.renderLesson();
    const { right } = verdict(step, state.prediction, value);
    emit(this, 'mq-step', { lesson: this.lesson.name, step: state.index, steps: this.lesson.steps.length, prediction: state.prediction, value, right });
  }
}
