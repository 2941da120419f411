// What the flow view (lib/flow-view.js) makes of the journal: each frame's
// events counted per edge (the flows drawn as edge thickness), the flashes of
// crashes and joins, and the sampled messages sent on their way along the
// path each event names (publish, deliver, ack, requeue, dead-letter, append,
// fetch, process…).
import { DOT_R } from './flow-geometry.js';
import { KEY_COLOURS, OKABE_ITO, STATE_STYLE } from './palette.js';

const HOP_MS = 700; // real time a message takes along an edge
const EXIT_MS = 450; // an acked message leaving its consumer
const MAX_PARTICLES = 900;
const PARTICLES_PER_FRAME = 40; // more message events than this in a frame are sampled
const FLOW_SMOOTHING_MS = 500;
const MEMORY_LIMIT = 200_000; // message ids remembered (holder, redelivered) before forgetting
const MEMBER_BAD = new Set(['member_crashed', 'session_expired']);

// ---- events ---------------------------------------------------------------

/** Which publisher each of `count` publish events into `queueId` came from, by producers' sent counts. */
function attribute(view, queueId, count) {
  const pubs = view.publishers.get(queueId) ?? [];
  if (pubs.length <= 1) return () => pubs[0];
  const quota = pubs.map((id) => {
    const n = view.byId.get(id);
    if (n?.kind !== 'producer') return 0;
    const before = view.lastSent.get(id) ?? 0;
    return Math.max(0, n.sent - before);
  });
  const total = quota.reduce((a, b) => a + b, 0);
  if (total === 0) {
    const flows = pubs.filter((id) => view.byId.get(id)?.kind === 'request_flow');
    let k = 0;
    return () => (flows.length ? flows[k++ % flows.length] : pubs[k++ % pubs.length]);
  }
  const scaled = quota.map((q) => (q / total) * count);
  return () => {
    let best = 0;
    for (let i = 1; i < scaled.length; i++) if (scaled[i] > scaled[best]) best = i;
    scaled[best] -= 1;
    return pubs[best];
  };
}

function colourOf(view, msg, key, state) {
  if (view.colourBy === 'key') return { colour: KEY_COLOURS[key % KEY_COLOURS.length], shape: STATE_STYLE[state]?.shape ?? 'circle' };
  if (view.redelivered.has(msg) && (state === 'in_flight' || state === 'stored' || state === 'processed')) return STATE_STYLE.redelivered;
  return STATE_STYLE[state] ?? STATE_STYLE.stored;
}

function remember(view, map, key, value) {
  if (map.size > MEMORY_LIMIT) map.clear();
  if (map instanceof Set) map.add(key);
  else map.set(key, value);
}

/**
 * Takes the journal events of one frame (columns from `drainEventColumns`)
 * and the simulated time they covered; spawns particles and measures flows.
 *
 * A frame can bring tens of thousands of events (a fast run, or a long one
 * at full speed). Each is looked at once, with typed-array reads only;
 * flows are counted per (kind, node) and routed once per pair; only the
 * sampled messages (at most about PARTICLES_PER_FRAME) are routed one by
 * one and drawn.
 */
export function ingestEvents(view, cols, simElapsedMs) {
  const n = cols.length;
  const kinds = view.kinds;
  let messages = 0;
  for (let i = 0; i < n; i++) if (kinds[cols.kind[i]].message) messages++;
  view.sampleEvery = messages > PARTICLES_PER_FRAME ? Math.ceil(messages / PARTICLES_PER_FRAME) : 1;
  const individual = view.sampleEvery === 1;
  // Beyond that, who holds which message is no longer followed (it only
  // places a requeued message's start); forget it rather than keep it stale.
  if (!individual) view.holder.clear();
  const pairs = new Map(); // node * 256 + kind code → events
  const sampled = [];
  const sampledPublishes = new Map(); // queue or topic id → sampled publish events
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const k = cols.kind[i];
    const info = kinds[k];
    const pair = cols.node[i] * 256 + k;
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    if (!info.message) continue;
    if (individual) track(view, info.kind, cols.msg[i], cols.node[i]);
    else if (info.kind === 'requeued') remember(view, view.redelivered, cols.msg[i]);
    if (seen++ % view.sampleEvery !== 0) continue;
    sampled.push(i);
    const target = publishTarget(view, info.kind, cols.node[i]);
    if (target) sampledPublishes.set(target, (sampledPublishes.get(target) ?? 0) + 1);
  }
  // Flows: each (kind, node) pair routed once, its count added to its edge.
  for (const [pair, count] of pairs) {
    const info = kinds[pair % 256];
    const node = Math.floor(pair / 256);
    const q = publishTarget(view, info.kind, node);
    if (q) {
      const pubs = view.publishers.get(q) ?? [];
      if (pubs.length <= 1) {
        if (pubs.length) countFlow(view, `${pubs[0]}>${q}`, count);
        continue;
      }
      const pick = attribute(view, q, count);
      const from = new Map();
      for (let j = 0; j < count; j++) {
        const p = pick();
        if (p != null) from.set(p, (from.get(p) ?? 0) + 1);
      }
      for (const [p, c] of from) countFlow(view, `${p}>${q}`, c);
      continue;
    }
    if (!info.message) {
      if (info.at === 'consumer') flashInstance(view, info.kind, node);
      else if (info.at === 'member') flashMember(view, info.kind, node);
      continue;
    }
    const path = route(view, info, -1, node, null);
    if (path?.edge) countFlow(view, path.edge, count);
  }
  // Particles: the sampled messages, one by one.
  if (!view.reducedMotion) {
    const pickers = new Map([...sampledPublishes].map(([q, count]) => [q, attribute(view, q, count)]));
    for (const i of sampled) {
      const info = kinds[cols.kind[i]];
      const msg = cols.msg[i];
      const path = route(view, info, msg, cols.node[i], pickers);
      if (path) spawn(view, path, msg, colourOf(view, msg, cols.key[i], info.state), info.kind);
    }
  }
  updateActivity(view, simElapsedMs);
  for (const node of view.topology.nodes) if (node.kind === 'producer') view.lastSent.set(node.id, node.sent);
}

/** The node a publish-like event lands in: a queue (published) or a topic (appended to one of its partitions). */
function publishTarget(view, kind, node) {
  if (kind === 'published') return view.queueIds[node];
  if (kind === 'appended') return view.partitionRow.get(node)?.id;
  return null;
}

function countFlow(view, edge, count) {
  view.frameCounts.set(edge, (view.frameCounts.get(edge) ?? 0) + count);
}

/** Bookkeeping for drawing: who holds a message, which were redelivered. */
function track(view, kind, msg, node) {
  if (kind === 'delivered' || kind === 'fetched') remember(view, view.holder, msg, node);
  else if (kind === 'requeued') remember(view, view.redelivered, msg);
  else if (kind === 'appended') remember(view, view.partitionOf, msg, node);
  if (kind === 'acked' || kind === 'lost' || kind === 'requeued' || kind === 'processed' || kind === 'returned_to_log') view.holder.delete(msg);
  if (kind === 'processed' || kind === 'retention_deleted' || kind === 'offset_reset' || kind === 'skipped_by_commit' || kind === 'truncated') view.partitionOf.delete(msg);
}

function flashMember(view, kind, index) {
  const colour = MEMBER_BAD.has(kind) ? OKABE_ITO.vermillion : kind === 'member_joined' ? OKABE_ITO.green : OKABE_ITO.orange;
  view.flash.set(`m${index}`, { until: view.clock + 1200, colour });
}

function flashInstance(view, kind, index) {
  const colour = kind === 'consumer_crashed' ? OKABE_ITO.vermillion : OKABE_ITO.green;
  view.flash.set(index, { until: view.clock + 1200, colour, always: true });
}

/** Where an event's message travels: {from, to, edge, style}. */
function route(view, info, msg, node, pickers) {
  const queueId = () => view.queueIds[node];
  switch (info.kind) {
    case 'published': {
      const q = queueId();
      const from = pickers?.get(q)?.();
      return from && { from: view.outPoint(from), to: view.inPoint(q), edge: `${from}>${q}` };
    }
    case 'delivered': {
      const group = view.instanceBox.get(node);
      const q = group && view.deliverFrom.get(group);
      const to = view.instancePoint(node);
      return q && to && { from: view.outPoint(q), to, edge: `${q}>${group}` };
    }
    case 'acked': {
      const at = view.instancePoint(node);
      return at && { from: at, to: exitRight(view, at), exit: true };
    }
    case 'requeued': {
      const q = view.boxes.get(queueId());
      const from = view.instancePoint(view.holder.get(msg) ?? -1) ?? view.outPoint(queueId());
      return q && { from, to: { x: q.x + q.w - 12, y: q.y + q.h - 16 } };
    }
    case 'dead_lettered_delivery_limit':
    case 'dead_lettered_max_length': {
      const dlq = queueId();
      const from = view.deadLetterSource.get(dlq);
      return from && { from: view.outPoint(from), to: view.inPoint(dlq), edge: `${from}>${dlq}` };
    }
    case 'dropped': {
      const b = view.boxes.get(queueId());
      return b && { from: { x: b.x + b.w / 2, y: b.y + b.h }, to: { x: b.x + b.w / 2, y: b.y + b.h + 34 }, exit: true };
    }
    case 'lost': {
      const at = view.instancePoint(node);
      return at && { from: at, to: { x: at.x, y: at.y + 40 }, exit: true };
    }
    // The log family: producer → partition row → group member.
    case 'appended': {
      const topic = view.partitionRow.get(node)?.id;
      const from = topic && pickers?.get(topic)?.();
      const to = view.partitionPoint(node, 'in');
      return from && to && { from: view.outPoint(from), to, edge: `${from}>${topic}` };
    }
    case 'fetched': {
      const group = view.memberBox.get(node);
      const part = view.partitionOf.get(msg);
      const topic = group && view.deliverFrom.get(group);
      const from = (part != null && view.partitionPoint(part, 'out')) || (topic && view.outPoint(topic));
      const to = view.memberPoint(node);
      return from && to && { from, to, edge: `${topic}>${group}` };
    }
    case 'processed': {
      const at = view.memberPoint(node);
      return at && { from: at, to: exitRight(view, at), exit: true };
    }
    case 'returned_to_log': {
      const to = view.partitionPoint(node, 'out');
      const from = view.memberPoint(view.holder.get(msg) ?? -1) ?? to;
      return to && { from, to: { x: to.x - 14, y: to.y } };
    }
    case 'retention_deleted':
    case 'offset_reset':
    case 'skipped_by_commit': {
      const at = view.partitionPoint(node, 'out');
      return at && { from: { x: at.x - 30, y: at.y }, to: { x: at.x + 10, y: at.y + 26 }, exit: true };
    }
    case 'lost_in_transit':
    case 'delivery_failed': {
      const id = view.kafkaProducers.get(node);
      const b = id && view.boxes.get(id);
      return b && { from: { x: b.x + b.w, y: b.y + b.h / 2 }, to: { x: b.x + b.w + 20, y: b.y + b.h + 30 }, exit: true };
    }
    default:
      return null;
  }
}

function spawn(view, path, msg, style, kind) {
  if (view.particles.length >= MAX_PARTICLES) view.particles.shift();
  const dx = Math.max(30, Math.abs(path.to.x - path.from.x) * 0.45);
  const curve = path.exit ? 0 : dx;
  view.particles.push({
    msg,
    kind,
    style,
    start: view.clock,
    dur: path.exit ? EXIT_MS : HOP_MS,
    fade: Boolean(path.exit),
    x0: path.from.x,
    y0: path.from.y,
    x1: path.to.x,
    y1: path.to.y,
    c1x: path.from.x + curve,
    c2x: path.to.x - curve,
    x: path.from.x,
    y: path.from.y,
  });
}

function updateActivity(view, simElapsedMs) {
  const seconds = simElapsedMs / 1000;
  for (const e of view.topology.edges) {
    const key = `${e.from}>${e.to}`;
    const count = view.frameCounts.get(key) ?? 0;
    if (seconds <= 0) continue;
    const rate = count / seconds;
    const before = view.activity.get(key) ?? 0;
    const weight = Math.min(1, simElapsedMs / FLOW_SMOOTHING_MS + (count > 0 ? 0.25 : 0));
    view.activity.set(key, before + (rate - before) * weight);
  }
  view.frameCounts.clear();
}

/** Where a finished message fades out: to the right, but inside the canvas (the last column is at its edge). */
function exitRight(view, at) {
  return { x: Math.min(at.x + 46, view.virtualW - DOT_R - 2), y: at.y };
}

