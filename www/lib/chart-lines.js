// Which charts a scenario gets and what each one draws, chosen from the
// columns its sampled series has (the engine names them; see src/kafka/view.rs
// and src/observe/series.rs): a queue chart only where there are queues, the
// Kafka charts only where there are consumer groups on topics. Each line names
// the column it draws; nothing here computes a figure of the simulation.
import { t } from './i18n.js';

/** Column-name prefixes, as the engine writes them. */
const PREFIX = {
  depth: 'depth.',
  lag: 'lag.',
  active: 'active.',
  owned: 'owned.',
  committed: 'committed.',
  hw: 'hw.',
  isr: 'isr.',
  response: 'response_p50_ms.',
};

function suffixes(names, prefix) {
  return names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
}

/**
 * The Kafka consumer groups in the series: [{name, topic, partitions: [column
 * suffix "topic-p"…]}]. Every group has one `active.G` column; its
 * per-partition lag columns `lag.G.<topic>-<p>` name its topic.
 */
export function seriesGroups(names) {
  return suffixes(names, PREFIX.active).map((name) => {
    const parts = suffixes(names, `${PREFIX.lag}${name}.`);
    const topic = parts.length ? parts[0].replace(/-\d+$/, '') : null;
    return { name, topic, partitions: parts };
  });
}

/** The chart kinds a scenario gets, the one that tells most about it first. */
export function chartKinds(names) {
  const kinds = [];
  if (names.some((n) => n.startsWith(PREFIX.depth))) kinds.push('depth');
  const groups = seriesGroups(names);
  if (groups.length) {
    kinds.push('lag', 'owned', 'offsets');
  }
  kinds.push('rates', 'latency');
  kinds.push(names.some((n) => n.startsWith(PREFIX.response)) ? 'response' : 'outcomes');
  return kinds;
}

/**
 * How many partitions of `topic` exist at each sample: the engine samples a
 * partition's ISR size from the moment it exists (NaN before, for one that a
 * later add_partitions creates), so this counts the ISR columns with a value.
 */
function partitionsOf(topic) {
  const prefix = `${PREFIX.isr}${topic}-`;
  return (columns) => {
    const present = Object.keys(columns).filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)));
    return columns.t_ms.map((_, i) => present.reduce((sum, n) => sum + (Number.isFinite(columns[n][i]) ? 1 : 0), 0));
  };
}

/**
 * A chart's lines and bands: {lines: [{column | values(columns), label,
 * colour?, dash?, positive?}], bands: [{upper, lower, fill}]} (bands by line
 * index). `perPartition`: the lag chart shows each partition's lag instead
 * of each group's total.
 */
export function chartLines(kind, names, lang, { perPartition = false } = {}) {
  const groups = seriesGroups(names);
  switch (kind) {
    case 'depth': {
      const queues = suffixes(names, PREFIX.depth);
      const lines = queues.map((q) => ({ column: `${PREFIX.depth}${q}`, label: q }));
      if (queues.length > 1) lines.push({ column: 'backlog', label: t(lang, 'series.backlog'), dash: [6, 4] });
      return { lines };
    }
    case 'rates':
      return {
        lines: [
          { column: 'produce_rate', label: t(lang, 'series.produce'), positive: true },
          { column: 'consume_rate', label: t(lang, 'series.consume'), positive: true },
        ],
      };
    case 'latency':
      return { lines: ['p50', 'p95', 'p99'].map((p) => ({ column: `latency_${p}_ms`, label: p })) };
    case 'response':
      return {
        lines: suffixes(names, PREFIX.response).flatMap((flow) => [
          { column: `response_p50_ms.${flow}`, label: `${flow} p50` },
          { column: `response_p99_ms.${flow}`, label: `${flow} p99`, dash: [5, 4] },
        ]),
      };
    case 'lag':
      return { lines: perPartition ? partitionLagLines(groups) : groups.map((g, i) => ({ column: `${PREFIX.lag}${g.name}`, label: g.name, group: i })) };
    case 'owned':
      return ownedLines(groups, lang);
    case 'offsets':
      return {
        lines: groups.flatMap((g, i) => [
          { column: `${PREFIX.hw}${g.name}`, label: t(lang, 'series.hw', { group: g.name }), group: i, dash: [6, 4] },
          { column: `${PREFIX.committed}${g.name}`, label: t(lang, 'series.committed', { group: g.name }), group: i },
        ]),
      };
    default:
      return {
        lines: [
          { column: 'redelivered', label: t(lang, 'series.redelivered') },
          { column: 'dlq', label: t(lang, 'series.dlq') },
          { column: 'lost', label: t(lang, 'series.lost') },
          { column: 'dropped', label: t(lang, 'series.dropped') },
        ],
      };
  }
}

/** Each group's lag on each of its partitions: one colour per group, told apart by dash within it. */
function partitionLagLines(groups) {
  const dashes = [null, [6, 3], [2, 3], [8, 3, 2, 3]];
  return groups.flatMap((g, i) =>
    g.partitions.map((part, k) => ({ column: `${PREFIX.lag}${g.name}.${part}`, label: `${g.name} ${part}`, group: i, dash: dashes[k % dashes.length], width: 1.25 })),
  );
}

/**
 * Partitions owned per group (`owned.G`: some member owns them), under a
 * dashed line for the partitions its topic has; the gap between them,
 * shaded, is unowned partition time, the summary's `unowned_partition_ms`
 * (a rebalance is a dip).
 */
function ownedLines(groups, lang) {
  const lines = [];
  const bands = [];
  const topicLine = new Map();
  for (const g of groups) {
    if (g.topic == null || topicLine.has(g.topic)) continue;
    topicLine.set(g.topic, lines.length);
    lines.push({ values: partitionsOf(g.topic), label: t(lang, 'series.partitions', { topic: g.topic }), colour: '#5d6d7e', dash: [4, 4], width: 1.25 });
  }
  groups.forEach((g, i) => {
    const index = lines.length;
    lines.push({ column: `${PREFIX.owned}${g.name}`, label: g.name, group: i, step: true });
    if (topicLine.has(g.topic)) bands.push({ upper: topicLine.get(g.topic), lower: index, group: i });
  });
  return { lines, bands };
}

/** The y axis's label. */
export function yLabel(kind, lang) {
  if (kind === 'rates') return t(lang, 'charts.per-second');
  if (kind === 'latency' || kind === 'response') return t(lang, 'charts.ms');
  if (kind === 'owned') return t(lang, 'charts.partitions');
  if (kind === 'offsets') return t(lang, 'charts.offset-axis');
  if (kind === 'lag') return t(lang, 'charts.records');
  return t(lang, 'charts.messages');
}
