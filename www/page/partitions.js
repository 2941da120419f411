// The Kafka panel: one table per topic, each partition's leader, ISR and
// offsets, and each group's committed offset and lag there.
import { formatCount } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { $, element } from './dom.js';
import { page } from './run.js';

const HEADINGS = ['kafka.partition', 'kafka.leader', 'kafka.isr', 'kafka.log-start', 'kafka.leo', 'kafka.hw'];

export function renderPartitions() {
  const nodes = page.session.topology.nodes;
  const topics = nodes.filter((n) => n.kind === 'topic');
  $('kafka-panel').hidden = topics.length === 0;
  if (topics.length === 0) return;
  const groupName = new Map(nodes.filter((n) => n.kind === 'consumer_group').map((n) => [n.index, n.name]));
  $('partitions').replaceChildren(...topics.map((topic) => topicTable(topic, groupName)));
}

function topicTable(topic, groupName) {
  const lang = page.lang;
  const table = element('table', { class: 'theory-table', 'data-topic': topic.name });
  table.createCaption().textContent = `${t(lang, 'node.topic')} ${topic.name}`;
  const groups = topic.partitions[0]?.groups.map((g) => g.group) ?? [];
  const head = table.createTHead().insertRow();
  const headings = HEADINGS.map((key) => t(lang, key));
  for (const g of groups) headings.push(t(lang, 'kafka.group', { group: groupName.get(g) ?? `#${g}` }));
  for (const text of headings) head.append(element('th', { text }));
  const body = table.createTBody();
  for (const p of topic.partitions) partitionRow(body.insertRow(), p);
  return table;
}

function partitionRow(row, p) {
  const lang = page.lang;
  row.dataset.partition = String(p.partition);
  const cells = [`P${p.partition}`, p.leader == null ? t(lang, 'kafka.offline') : `b${p.leader}`, `${p.isr.join(',') || '—'} / ${p.replicas.join(',')}`, formatCount(p.log_start, lang), formatCount(p.leo, lang), formatCount(p.hw, lang)];
  for (const g of p.groups) cells.push(`${g.committed == null ? '—' : formatCount(g.committed, lang)} / ${formatCount(g.lag, lang)}`);
  cells.forEach((text, i) => {
    const cell = row.insertCell();
    cell.textContent = text;
    if ((i === 1 && p.leader == null) || (i === 2 && p.isr.length < p.replicas.length)) cell.className = 'unstable';
  });
  row.cells[1].dataset.value = p.leader == null ? '' : String(p.leader);
  row.cells[4].dataset.value = String(p.leo);
  row.cells[5].dataset.value = String(p.hw);
  p.groups.forEach((g, k) => {
    const cell = row.cells[HEADINGS.length + k];
    cell.dataset.committed = g.committed == null ? '' : String(g.committed);
    cell.dataset.lag = String(g.lag);
  });
}
