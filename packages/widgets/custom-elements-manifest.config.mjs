// @custom-elements-manifest/analyzer's configuration for the package
// (scripts/build-package.mjs runs it in this folder once www/ is assembled).
// The analyzer reads the classes, their observedAttributes, accessors and
// JSDoc tags (@fires, @csspart, @cssprop) from the source. What it cannot
// see, this plugin adds from the same source: the tag names (`define` and
// `defineAll` register them at run time, one per entry of the DEMOS table),
// and which members are the public API (the rest are the element's inner
// workings: `load`, `frame`, `render`…).
import { DEMOS } from './www/widgets/demos.js';

const ELEMENT_MODULE = 'www/widgets/element.js';
const ENTRY_MODULE = 'www/widgets/mqsim-widgets.js';
const LESSON_MODULE = 'www/widgets/lesson.js';
/** The public members, as docs/embedding.md documents them. */
const PUBLIC = new Set(['scenario', 'autoplay', 'controls', 'lang', 'height', 'seed', 'locked', 'speed', 'theme', 'summary', 'play', 'pause', 'reset', 'step', 'command']);

function className(tag) {
  return tag.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())+ 'Element';
}

function publicOnly(declaration) {
  declaration.members = (declaration.members ?? []).filter((m) => PUBLIC.has(m.name) && !m.static);
}

export default {
  globs: ['www/widgets/*.js'],
  outdir: '.',
  plugins: [
    {
      name: 'mqsim-tags',
      packageLinkPhase({ customElementsManifest }) {
        const modules = customElementsManifest.modules;
        const elementModule = modules.find((m) => m.path === ELEMENT_MODULE);
        const sim = elementModule.declarations.find((d) => d.name === 'MqSimElement');
        const base = elementModule.declarations.find((d) => d.name === 'MqDemoElement');
        for (const declaration of [sim, base]) publicOnly(declaration);
        Object.assign(sim, { customElement: true, tagName: 'mq-sim' });
        const entry = modules.find((m) => m.path === ENTRY_MODULE);
        entry.exports.push({ kind: 'custom-element-definition', name: 'mq-sim', declaration: { name: 'MqSimElement', module: ELEMENT_MODULE } });
        // <mq-lesson>: <mq-sim>'s API, its own two attributes and mq-step.
        const lessonModule = modules.find((m) => m.path === LESSON_MODULE);
        const lesson = lessonModule.declarations.find((d) => d.name === 'MqLessonElement');
        const own = (lesson.members ?? []).filter((m) => ['name', 'lessonStep'].includes(m.name) && !m.static);
        Object.assign(lesson, {
          customElement: true,
          tagName: 'mq-lesson',
          members: [...sim.members, ...own],
          attributes: [...sim.attributes, { name: 'name', type: { text: 'string' } }, { name: 'lesson-step', type: { text: 'number' } }],
          events: [...(sim.events ?? []), { name: 'mq-step', type: { text: 'CustomEvent' } }],
        });
        entry.exports.push({ kind: 'custom-element-definition', name: 'mq-lesson', declaration: { name: 'MqLessonElement', module: LESSON_MODULE } });
        for (const [tag, demo] of Object.entries(DEMOS)) {
          const name = className(tag);
          entry.declarations.push({
            kind: 'class',
            name,
            customElement: true,
            tagName: tag,
            summary: demo.title.en,
            description: `${demo.text.en}\n\nPreset: ${demo.presets.join(', ')}.`,
            superclass: { name: 'MqDemoElement', module: ELEMENT_MODULE },
            attributes: sim.attributes,
            members: sim.members,
            events: sim.events,
            cssParts: sim.cssParts,
            cssProperties: sim.cssProperties,
          });
          entry.exports.push({ kind: 'custom-element-definition', name: tag, declaration: { name, module: ENTRY_MODULE } });
        }
      },
    },
  ],
};
