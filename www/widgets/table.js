// The comparison demo's table: for each design, what its producer published
// and what each of its services processed. Figures from the topology (a
// producer's `sent`) and the summary (a consumer's or a Kafka group's
// `processed`); nothing is added up here.
import { formatCount } from '../lib/format.js';
import { element, rebuildIf } from './dom.js';
import { wt } from './strings.js';

/** What a consumer (one instance) or a Kafka consumer group has processed, or null. */
function processed(summary, name) {
  const group = summary.kafka?.groups?.find((g) => g.name === name);
  if (group) return group.processed;
  const instances = summary.consumers.filter((c) => c.name.startsWith(`${name}#`));
  return instances.length === 1 ? instances[0].processed : null;
}

function sent(topology, producer) {
  return topology.nodes.find((n) => n.kind === 'producer' && n.name === producer)?.sent ?? null;
}

function cell(tag, value, lang, note) {
  const c = element(tag, { 'data-value': value == null ? '' : String(value) }, formatCount(value, lang));
  if (note) c.append(element('small', { text: note }));
  return c;
}

/** Draws `spec` ({columns, rows}) into `box` (a <table>). */
export function renderTable(box, spec, summary, topology, lang) {
  box.hidden = !spec;
  if (!spec) return;
  rebuildIf(box, lang, () => [
    element(
      'thead',
      {},
      element(
        'tr',
        {},
        element('th', { scope: 'col', text: wt(lang, 'table.design') }),
        element('th', { scope: 'col', text: wt(lang, 'table.published') }),
        ...spec.columns.map((c) => element('th', { scope: 'col', text: c[lang] })),
      ),
    ),
    element('tbody'),
  ]);
  const rows = spec.rows.map((row) =>
    element(
      'tr',
      { 'data-design': row.producer },
      element('th', { scope: 'row', text: row.design[lang] }),
      cell('td', sent(topology, row.producer), lang, row.producer),
      ...row.consumers.map((name) => cell('td', processed(summary, name), lang, name)),
    ),
  );
  box.querySelector('tbody').replaceChildren(...rows);
}
