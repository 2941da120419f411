// The Kafka panel ("Partitions and offsets"): each consumer group's figures
// (processed, lag, duplicates, lost, out of order, rebalances, unowned
// partition time), each topic's, and one table per topic with each
// partition's leader, ISR and offsets and each group's committed offset and
// lag there. Topology and summary are of the same instant.
import { formatCount, formatMs } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { $, element } from './dom.js';
import { page } from './run.js';

const HEADINGS = ['kafka.partition', 'kafka.leader', 'kafka.isr', 'kafka.log-start', 'kafka.leo', 'kafka.hw'];

const GROUP_COLUMNS = ['group', 'topic', 'assignor', 'commit', 'processed', 'lag', 'duplicates', 'lost', 'out_of_order', 'rebalances', 'unowned'];
const TOPIC_COLUMNS = ['topic', 'appended', 'duplicate_appends', 'lost', 'truncated'];

export function renderPartitions(summary) {
  const nodes = page.session.topology.nodes;
  const topics = nodes.filter((n) => n.kind === 'topic');
  $('kafka-panel').hidden = topics.length === 0;
  if (topics.length === 0) return;
  const groupName = new Map(nodes.filter((n) => n.kind === 'consumer_group').map((n) => [n.index, n.name]));
  const tables = [];
  if (summary.kafka?.groups.length) tables.push(groupsTable(summary.kafka.groups));
  if (summary.kafka?.topics.length) tables.push(topicsTable(summary.kafka.topics));
  tables.push(...topics.map((topic) => topicTable(topic, groupName)));
  $('partitions').replaceChildren(...tables);
}

/** A table of figures: a caption, headings from `columns` and one row per item, each cell's raw value in data-value. */
function figuresTable(caption, columns, items, cell, testid) {
  const lang = page.lang;
  const table = element('table', { class: 'theory-table', testid });
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const c of columns) head.append(element('th', { text: t(lang, `kafka.col.${c}`) }));
  const body = table.createTBody();
  for (const item of items) {
    const row = body.insertRow();
    row.dataset.name = item.name;
    for (const c of columns) {
      const [text, value] = cell(item, c);
      const td = row.insertCell();
      td.textContent = text;
      td.dataset.column = c;
      if (value != null) td.dataset.value = String(value);
    }
  }
  return table;
}

function groupsTable(groups) {
  const lang = page.lang;
  return figuresTable(t(lang, 'kafka.groups'), GROUP_COLUMNS, groups, (g, c) => {
    if (c === 'group') return [g.name, null];
    if (c === 'topic') return [g.topic, null];
    if (c === 'assignor') return [t(lang, `assignor.${g.assignor}`), null];
    if (c === 'commit') return [t(lang, `commit.${g.commit}`), null];
    if (c === 'unowned') return [formatMs(g.unowned_partition_ms), g.unowned_partition_ms];
    return [formatCount(g[c], lang), g[c]];
  }, 'kafka-groups');
}

function topicsTable(topics) {
  const lang = page.lang;
  return figuresTable(t(lang, 'kafka.topics'), TOPIC_COLUMNS, topics, (topic, c) => (c === 'topic' ? [topic.name, null] : [formatCount(topic[c], lang), topic[c]]), 'kafka-topics');
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
