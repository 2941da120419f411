// What a journal event refers to, in words: its kind's entry in the
// topology's event table, the name of the node, partition, member or broker
// it happened at, and why it happened (a requeue's or redelivery's reason).
import { t } from '../lib/i18n.js';
import { page } from './run.js';

/** The topology's entry for an event kind code: {kind, message, at, state}. */
export function kindInfo(code) {
  return page.session.topology.events[code];
}

const FINDERS = {
  queue: (topo, node) => topo.nodes.find((n) => n.kind === 'queue' && n.index === node)?.name,
  partition: (topo, node) => {
    for (const n of topo.nodes) {
      const p = n.kind === 'topic' && n.partitions.find((q) => q.index === node);
      if (p) return `${n.name}-${p.partition}`;
    }
    return null;
  },
  member: (topo, node) => {
    for (const n of topo.nodes) {
      const m = n.kind === 'consumer_group' && n.members.find((q) => q.index === node);
      if (m) return `${n.name}#${m.instance}`;
    }
    return null;
  },
  group: (topo, node) => topo.nodes.find((n) => n.kind === 'consumer_group' && n.index === node)?.name,
  kafka_producer: (topo, node) => topo.nodes.find((n) => n.kind === 'producer' && n.kafka_index === node)?.name,
  broker: (topo, node) => `broker ${node}`,
  consumer: (topo, node) => {
    for (const n of topo.nodes) {
      const inst = n.kind === 'consumer' && n.instances.find((i) => i.index === node);
      if (inst) return `${n.name}#${inst.instance}`;
    }
    return null;
  },
};

/** Where an event ({kind: code, node}) happened, by name. */
export function whereName(entry) {
  const find = FINDERS[kindInfo(entry.kind).at];
  return (find && find(page.session.topology, entry.node)) ?? `#${entry.node}`;
}

/** "5.2s" → 5200 (a command's time, for ordering log rows). */
export function parseDurationMs(text) {
  const m = /^([\d.]+)(ns|us|ms|s|m|h|d)$/.exec(text);
  if (!m) return 0;
  const scale = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[m[2]];
  return Number(m[1]) * scale;
}

/**
 * A reason's key: from its code in drainEventColumns()'s `reason` column
 * (an index into vocabulary().reasons, whose 0 is "none") or as
 * messageLife() names it. Null when there is none.
 */
export function reasonKey(reason) {
  const key = typeof reason === 'number' ? page.vocabulary?.reasons?.[reason] : reason;
  return key && key !== 'none' ? key : null;
}

/** An event's kind in words, with why it happened and whether it was a redelivery: "requeued · consumer crashed". */
export function eventText(kind, reason, redelivered) {
  const parts = [t(page.lang, `kind.${kind}`)];
  const key = reasonKey(reason);
  if (key) parts.push(t(page.lang, `reason.${key}`));
  if (redelivered) parts.push(t(page.lang, 'log.redelivery'));
  return parts.join(' · ');
}
