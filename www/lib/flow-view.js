// The topology on a canvas, with messages moving along their paths.
//
// Layout comes from the wasm topology (nodes, edges, and what each journal
// event kind refers to), so a new node kind only needs a drawing function
// here. Messages are drawn one by one while they are few enough to follow;
// beyond that a frame's events are sampled and each edge's thickness shows
// its simulated rate, while queues show their fill level. Every number
// drawn (depths, counts) comes from the summary or the topology.
import { formatCount } from './format.js';
import { t } from './i18n.js';
import { KEY_COLOURS, OKABE_ITO, STATE_STYLE } from './palette.js';

const HOP_MS = 700; // real time a message takes along an edge
const EXIT_MS = 450; // an acked message leaving its consumer
const MAX_PARTICLES = 900;
const PARTICLES_PER_FRAME = 40; // more message events than this in a frame are sampled
const PAD_X = 18;
const PAD_Y = 16;
const MIN_GAP_Y = 14;
const NODE_W_MAX = 190;
const NODE_W_MIN = 100;
const MAX_ZOOM = 1.25; // a small topology is drawn a little larger
const MIN_GAP_X = 56;
const DOT_R = 4.2;
const INSTANCE_R = 8;
const INSTANCE_GAP = 6;
const MAX_INSTANCES_DRAWN = 24;
const CELLS_MAX = 24; // a queue this short draws each message; longer ones a fill bar
const PART_ROW_H = 20; // one partition's row in a topic box
const PARTS_DRAWN = 12; // more partitions than this are summarised in a last line
const TOPIC_HEAD_H = 40;
const MEMBER_LABEL_H = 11; // the partition numbers under a group member
const MIN_WINDOW = 20; // a partition's bar shows at least the last 20 offsets
const FLOW_SMOOTHING_MS = 500;
const MEMORY_LIMIT = 200_000; // message ids remembered (holder, redelivered) before forgetting
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
const FONT_BOLD = `600 ${FONT}`;
const COLOURS = {
  ink: '#1c2833',
  muted: '#5d6d7e',
  line: '#b8c2cc',
  node: '#ffffff',
  nodeStroke: '#7f8c99',
  tube: '#eef2f6',
  fill: OKABE_ITO.skyBlue,
  down: OKABE_ITO.vermillion,
  alive: OKABE_ITO.green,
  call: '#9aa7b4',
  source: '#3b6e99', // producers' frames: not a message colour, so a dot never blends into a node
};
const HEIGHTS = { producer: 48, request_flow: 48, queue: 62, service: 48 };
const KIND_RANK = { producer: 0, request_flow: 0, exchange: 1, queue: 1, topic: 1, consumer: 2, consumer_group: 2, service: 3 };
// Each consumer group's committed-offset marker on a partition's bar.
const GROUP_COLOURS = [OKABE_ITO.orange, OKABE_ITO.purple, OKABE_ITO.green, OKABE_ITO.vermillion, OKABE_ITO.blue, OKABE_ITO.black];
const MEMBER_BAD = new Set(['member_crashed', 'session_expired']);

/** Layer of each node: the longest path to it from a source (bounded, so a cycle cannot hang it). */
function layers(nodes, edges) {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const layer = nodes.map(() => 0);
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const e of edges) {
      const a = index.get(e.from);
      const b = index.get(e.to);
      if (a == null || b == null || layer[b] >= layer[a] + 1) continue;
      layer[b] = layer[a] + 1;
      changed = true;
    }
    if (!changed) break;
  }
  return layer;
}

function instancesPerRow(width) {
  return Math.max(1, Math.floor((width - 12) / (2 * INSTANCE_R + INSTANCE_GAP)));
}

function nodeHeight(node, width) {
  if (node.kind === 'topic') {
    const n = node.partitions.length;
    return TOPIC_HEAD_H + Math.min(n, PARTS_DRAWN) * PART_ROW_H + (n > PARTS_DRAWN ? 14 : 0) + 6;
  }
  if (node.kind === 'consumer_group') {
    const shown = Math.min(node.members.length, MAX_INSTANCES_DRAWN);
    const rows = Math.max(1, Math.ceil(shown / instancesPerRow(width)));
    return 42 + rows * (2 * INSTANCE_R + INSTANCE_GAP + MEMBER_LABEL_H);
  }
  if (node.kind !== 'consumer') return HEIGHTS[node.kind] ?? 46;
  const shown = Math.min(node.instances.length, MAX_INSTANCES_DRAWN);
  const rows = Math.max(1, Math.ceil(shown / instancesPerRow(width)));
  return 42 + rows * (2 * INSTANCE_R + INSTANCE_GAP);
}

/** Where a circle sits among `count` circles laid out in rows in `box`. */
function circleAt(box, k, count, rowStep) {
  const perRow = instancesPerRow(box.w);
  const step = 2 * INSTANCE_R + INSTANCE_GAP;
  const rowWidth = Math.min(count, perRow) * step - INSTANCE_GAP;
  return {
    x: box.x + (box.w - rowWidth) / 2 + INSTANCE_R + (k % perRow) * step,
    y: box.y + 38 + INSTANCE_R + Math.floor(k / perRow) * rowStep,
  };
}

function cubic(p, a, b, c, d) {
  const q = 1 - p;
  return q * q * q * a + 3 * q * q * p * b + 3 * q * p * p * c + p * p * p * d;
}

function ease(p) {
  return p < 0.5 ? 2 * p * p : 1 - 2 * (1 - p) * (1 - p);
}

function roundRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

function drawShape(ctx, shape, x, y, r) {
  ctx.beginPath();
  switch (shape) {
    case 'square':
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
      ctx.fill();
      break;
    case 'diamond':
      ctx.moveTo(x, y - r * 1.3);
      ctx.lineTo(x + r * 1.3, y);
      ctx.lineTo(x, y + r * 1.3);
      ctx.lineTo(x - r * 1.3, y);
      ctx.closePath();
      ctx.fill();
      break;
    case 'triangle':
      ctx.moveTo(x, y - r * 1.3);
      ctx.lineTo(x + r * 1.2, y + r);
      ctx.lineTo(x - r * 1.2, y + r);
      ctx.closePath();
      ctx.fill();
      break;
    case 'cross':
      ctx.lineWidth = 2;
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.moveTo(x + r, y - r);
      ctx.lineTo(x - r, y + r);
      ctx.stroke();
      break;
    default:
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.fill();
  }
}

function ellipsize(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}

/**
 * A group's committed-offset marker at `x` on a bar: even groups' ▲ below it,
 * odd groups' ▼ above it, so two groups at the same offset both show.
 */
function groupMarker(ctx, group, x, bar) {
  const below = group % 2 === 0;
  const base = below ? bar.y + bar.h : bar.y;
  const tip = below ? base + 5 : base - 5;
  ctx.fillStyle = GROUP_COLOURS[group % GROUP_COLOURS.length];
  ctx.beginPath();
  ctx.moveTo(x, base);
  ctx.lineTo(x - 3.5, tip);
  ctx.lineTo(x + 3.5, tip);
  ctx.closePath();
  ctx.fill();
}

/** The partitions a member owns, as "P3", "0,4" or "3P" — whichever fits under its circle. */
function ownedLabel(ctx, partitions, width) {
  const options = [partitions.map((n) => `P${n}`).join(','), partitions.join(','), `${partitions.length}P`];
  return options.find((text) => ctx.measureText(text).width <= width) ?? options[2];
}

export class FlowView {
  /**
   * @param canvas the canvas to draw on (sized by CSS)
   * @param options {lang, reducedMotion, colourBy: 'state'|'key', autoHeight: [min, max] CSS px
   *   to size the canvas to the topology, or null to keep its CSS height}
   */
  constructor(canvas, options = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.lang = options.lang ?? 'en';
    this.reducedMotion = Boolean(options.reducedMotion);
    this.colourBy = options.colourBy ?? 'state';
    this.autoHeight = options.autoHeight ?? null;
    this.playing = false;
    this.clock = 0;
    this.particles = [];
    this.flash = new Map(); // instance index (or `m` + Kafka member index) → {until, colour}
    this.activity = new Map(); // edge key → smoothed simulated rate
    this.frameCounts = new Map();
    this.holder = new Map(); // message id → consumer instance index (or Kafka member)
    this.partitionOf = new Map(); // message id → the Kafka partition it was appended to
    this.redelivered = new Set();
    this.lastSent = new Map();
    this.sampleEvery = 1;
    this.topology = null;
    this.summary = null;
    // Reading the canvas's size every frame would force a layout; observe it instead.
    this.size = { w: canvas.clientWidth, h: canvas.clientHeight };
    this.resizeObserver = new ResizeObserver(([entry]) => {
      this.size = { w: entry.contentRect.width, h: entry.contentRect.height };
      this.sizeChanged = true;
    });
    this.resizeObserver.observe(canvas);
  }

  /** Takes a new topology (after load or a live command changed instances). */
  setTopology(topology) {
    const structure = JSON.stringify([topology.nodes.map((n) => [n.id, n.instances?.length, n.partitions?.length, n.members?.length]), topology.edges]);
    this.topology = topology;
    this.kinds = topology.events;
    if (structure !== this.structure) {
      this.structure = structure;
      this.layout();
    }
    this.byId = new Map(topology.nodes.map((n) => [n.id, n]));
    this.refreshNodeFacts();
  }

  /** Forgets messages in flight (after a reset or a new scenario). */
  clear() {
    this.particles = [];
    this.flash.clear();
    this.activity.clear();
    this.holder.clear();
    this.partitionOf.clear();
    this.redelivered.clear();
    this.lastSent.clear();
    this.summary = null;
  }

  setSummary(summary) {
    this.summary = summary;
  }

  refreshNodeFacts() {
    for (const node of this.topology.nodes) {
      const box = this.boxes?.get(node.id);
      if (box) box.node = node;
    }
  }

  /** Lays the nodes out in columns by layer, ordered to limit crossings. */
  layout() {
    const { nodes, edges } = this.topology;
    const width = this.size.w || this.canvas.clientWidth || 600;
    const layer = layers(nodes, edges);
    const columns = Math.max(...layer) + 1;
    const nodeW = Math.max(NODE_W_MIN, Math.min(NODE_W_MAX, (width - 2 * PAD_X) / columns - 36));
    const byLayer = Array.from({ length: columns }, () => []);
    nodes.forEach((n, i) => byLayer[layer[i]].push(i));
    const y = new Map();
    let needed = 0;
    for (const members of byLayer) {
      // Order by the mean position of predecessors (barycentre), then by kind.
      const score = (i) => {
        const preds = edges.filter((e) => e.to === nodes[i].id).map((e) => y.get(e.from)).filter((v) => v != null);
        return preds.length ? preds.reduce((a, b) => a + b, 0) / preds.length : 0;
      };
      members.sort((a, b) => score(a) - score(b) || (nodes[a].dead_letter_queue ? 1 : 0) - (nodes[b].dead_letter_queue ? 1 : 0) || KIND_RANK[nodes[a].kind] - KIND_RANK[nodes[b].kind]);
      const total = members.reduce((sum, i) => sum + nodeHeight(nodes[i], nodeW), 0) + MIN_GAP_Y * (members.length - 1);
      needed = Math.max(needed, total + 2 * PAD_Y + 18);
      members.forEach((i, k) => y.set(nodes[i].id, k));
    }
    if (this.autoHeight) {
      const [min, max] = this.autoHeight;
      this.canvas.style.height = `${Math.round(Math.max(min, Math.min(max, needed * MAX_ZOOM)))}px`;
    }
    const height = this.autoHeight ? parseFloat(this.canvas.style.height) : this.size.h || this.canvas.clientHeight || 320;
    // The narrowest canvas that fits the columns unscaled: a host narrower than this (a phone)
    // can let the diagram scroll sideways instead of overlapping its nodes.
    this.minWidth = Math.ceil(columns * NODE_W_MIN + (columns - 1) * MIN_GAP_X + 2 * PAD_X);
    const wideEnough = width / (columns * nodeW + (columns - 1) * MIN_GAP_X + 2 * PAD_X);
    this.scale = Math.min(MAX_ZOOM, height / needed, Math.max(1, wideEnough));
    const virtualH = height / this.scale;
    const virtualW = width / this.scale;
    this.virtualW = virtualW;
    const gapScaledX = columns > 1 ? (virtualW - 2 * PAD_X - nodeW) / (columns - 1) : 0;
    this.boxes = new Map();
    byLayer.forEach((members, col) => {
      const heights = members.map((i) => nodeHeight(nodes[i], nodeW));
      const total = heights.reduce((a, b) => a + b, 0);
      const gap = members.length > 1 ? Math.max(MIN_GAP_Y, (virtualH - 2 * PAD_Y - 18 - total) / (members.length + 1)) : 0;
      let top = members.length > 1 ? PAD_Y + 18 + gap : (virtualH - heights[0]) / 2 + 9;
      const x = columns > 1 ? PAD_X + col * gapScaledX : (virtualW - nodeW) / 2;
      members.forEach((i, k) => {
        this.boxes.set(nodes[i].id, { node: nodes[i], x, y: top, w: nodeW, h: heights[k] });
        top += heights[k] + gap;
      });
    });
    this.instanceBox = new Map(); // instance index → consumer node id
    for (const n of nodes) if (n.kind === 'consumer') for (const inst of n.instances) this.instanceBox.set(inst.index, n.id);
    this.memberBox = new Map(); // Kafka member index → consumer group node id
    for (const n of nodes) if (n.kind === 'consumer_group') for (const m of n.members) this.memberBox.set(m.index, n.id);
    this.partitionRow = new Map(); // Kafka partition index → {topic node id, row}
    for (const n of nodes) if (n.kind === 'topic') n.partitions.forEach((p, row) => this.partitionRow.set(p.index, { id: n.id, row }));
    this.kafkaProducers = new Map(); // log-family producer index → producer node id
    for (const n of nodes) if (n.kind === 'producer' && n.kafka_index != null) this.kafkaProducers.set(n.kafka_index, n.id);
    this.queueIds = nodes.filter((n) => n.kind === 'queue').sort((a, b) => a.index - b.index).map((n) => n.id);
    this.publishers = new Map();
    for (const e of edges.filter((e) => e.kind === 'publish')) {
      if (!this.publishers.has(e.to)) this.publishers.set(e.to, []);
      this.publishers.get(e.to).push(e.from);
    }
    this.deadLetterSource = new Map(edges.filter((e) => e.kind === 'dead_letter').map((e) => [e.to, e.from]));
    this.deliverFrom = new Map(edges.filter((e) => e.kind === 'deliver').map((e) => [e.to, e.from]));
    this.resize();
  }

  /** Matches the canvas's backing store to its CSS size. */
  resize() {
    const dpr = globalThis.devicePixelRatio || 1;
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    this.size = { w, h };
    this.sizeChanged = false;
    if (!w || !h) return;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    if (this.layoutSize !== `${w}x${h}` && this.topology) {
      this.layoutSize = `${w}x${h}`;
      this.layout();
    }
  }

  // ---- geometry -----------------------------------------------------------

  outPoint(id) {
    const b = this.boxes.get(id);
    return { x: b.x + b.w, y: b.y + b.h / 2 };
  }

  inPoint(id) {
    const b = this.boxes.get(id);
    return { x: b.x, y: b.y + b.h / 2 };
  }

  instancePoint(index) {
    const id = this.instanceBox.get(index);
    const b = id && this.boxes.get(id);
    if (!b) return null;
    const k = b.node.instances.findIndex((i) => i.index === index);
    if (k < 0 || k >= MAX_INSTANCES_DRAWN) return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
    return circleAt(b, k, b.node.instances.length, 2 * INSTANCE_R + INSTANCE_GAP);
  }

  /** A Kafka group member's circle. */
  memberPoint(index) {
    const id = this.memberBox.get(index);
    const b = id && this.boxes.get(id);
    if (!b) return null;
    const k = b.node.members.findIndex((m) => m.index === index);
    if (k < 0 || k >= MAX_INSTANCES_DRAWN) return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
    return circleAt(b, k, b.node.members.length, 2 * INSTANCE_R + INSTANCE_GAP + MEMBER_LABEL_H);
  }

  /** The vertical centre of a partition's row, and its topic's box. */
  partitionY(index) {
    const at = this.partitionRow.get(index);
    const b = at && this.boxes.get(at.id);
    if (!b) return null;
    const row = Math.min(at.row, PARTS_DRAWN);
    return { box: b, y: b.y + TOPIC_HEAD_H + row * PART_ROW_H + PART_ROW_H / 2 };
  }

  /** Where records enter a partition's row (its left end) or leave it (its right end). */
  partitionPoint(index, side) {
    const at = this.partitionY(index);
    if (!at) return null;
    return { x: side === 'out' ? at.box.x + at.box.w : at.box.x, y: at.y };
  }

  // ---- events ---------------------------------------------------------------

  /** Which publisher each of `count` publish events into `queueId` came from, by producers' sent counts. */
  attribute(queueId, count) {
    const pubs = this.publishers.get(queueId) ?? [];
    if (pubs.length <= 1) return () => pubs[0];
    const quota = pubs.map((id) => {
      const n = this.byId.get(id);
      if (n?.kind !== 'producer') return 0;
      const before = this.lastSent.get(id) ?? 0;
      return Math.max(0, n.sent - before);
    });
    const total = quota.reduce((a, b) => a + b, 0);
    if (total === 0) {
      const flows = pubs.filter((id) => this.byId.get(id)?.kind === 'request_flow');
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

  colourOf(msg, key, state) {
    if (this.colourBy === 'key') return { colour: KEY_COLOURS[key % KEY_COLOURS.length], shape: STATE_STYLE[state]?.shape ?? 'circle' };
    if (this.redelivered.has(msg) && (state === 'in_flight' || state === 'stored' || state === 'processed')) return STATE_STYLE.redelivered;
    return STATE_STYLE[state] ?? STATE_STYLE.stored;
  }

  remember(map, key, value) {
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
  ingest(cols, simElapsedMs) {
    const n = cols.length;
    const kinds = this.kinds;
    let messages = 0;
    for (let i = 0; i < n; i++) if (kinds[cols.kind[i]].message) messages++;
    this.sampleEvery = messages > PARTICLES_PER_FRAME ? Math.ceil(messages / PARTICLES_PER_FRAME) : 1;
    const individual = this.sampleEvery === 1;
    // Beyond that, who holds which message is no longer followed (it only
    // places a requeued message's start); forget it rather than keep it stale.
    if (!individual) this.holder.clear();
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
      if (individual) this.track(info.kind, cols.msg[i], cols.node[i]);
      else if (info.kind === 'requeued') this.remember(this.redelivered, cols.msg[i]);
      if (seen++ % this.sampleEvery !== 0) continue;
      sampled.push(i);
      const target = this.publishTarget(info.kind, cols.node[i]);
      if (target) sampledPublishes.set(target, (sampledPublishes.get(target) ?? 0) + 1);
    }
    // Flows: each (kind, node) pair routed once, its count added to its edge.
    for (const [pair, count] of pairs) {
      const info = kinds[pair % 256];
      const node = Math.floor(pair / 256);
      const q = this.publishTarget(info.kind, node);
      if (q) {
        const pubs = this.publishers.get(q) ?? [];
        if (pubs.length <= 1) {
          if (pubs.length) this.countFlow(`${pubs[0]}>${q}`, count);
          continue;
        }
        const pick = this.attribute(q, count);
        const from = new Map();
        for (let j = 0; j < count; j++) {
          const p = pick();
          if (p != null) from.set(p, (from.get(p) ?? 0) + 1);
        }
        for (const [p, c] of from) this.countFlow(`${p}>${q}`, c);
        continue;
      }
      if (!info.message) {
        if (info.at === 'consumer') this.flashInstance(info.kind, node);
        else if (info.at === 'member') this.flashMember(info.kind, node);
        continue;
      }
      const path = this.route(info, -1, node, null);
      if (path?.edge) this.countFlow(path.edge, count);
    }
    // Particles: the sampled messages, one by one.
    if (!this.reducedMotion) {
      const pickers = new Map([...sampledPublishes].map(([q, count]) => [q, this.attribute(q, count)]));
      for (const i of sampled) {
        const info = kinds[cols.kind[i]];
        const msg = cols.msg[i];
        const path = this.route(info, msg, cols.node[i], pickers);
        if (path) this.spawn(path, msg, this.colourOf(msg, cols.key[i], info.state), info.kind);
      }
    }
    this.updateActivity(simElapsedMs);
    for (const node of this.topology.nodes) if (node.kind === 'producer') this.lastSent.set(node.id, node.sent);
  }

  /** The node a publish-like event lands in: a queue (published) or a topic (appended to one of its partitions). */
  publishTarget(kind, node) {
    if (kind === 'published') return this.queueIds[node];
    if (kind === 'appended') return this.partitionRow.get(node)?.id;
    return null;
  }

  countFlow(edge, count) {
    this.frameCounts.set(edge, (this.frameCounts.get(edge) ?? 0) + count);
  }

  /** Bookkeeping for drawing: who holds a message, which were redelivered. */
  track(kind, msg, node) {
    if (kind === 'delivered' || kind === 'fetched') this.remember(this.holder, msg, node);
    else if (kind === 'requeued') this.remember(this.redelivered, msg);
    else if (kind === 'appended') this.remember(this.partitionOf, msg, node);
    if (kind === 'acked' || kind === 'lost' || kind === 'requeued' || kind === 'processed' || kind === 'returned_to_log') this.holder.delete(msg);
    if (kind === 'processed' || kind === 'retention_deleted' || kind === 'offset_reset' || kind === 'skipped_by_commit' || kind === 'truncated') this.partitionOf.delete(msg);
  }

  flashMember(kind, index) {
    const colour = MEMBER_BAD.has(kind) ? OKABE_ITO.vermillion : kind === 'member_joined' ? OKABE_ITO.green : OKABE_ITO.orange;
    this.flash.set(`m${index}`, { until: this.clock + 1200, colour });
  }

  flashInstance(kind, index) {
    const colour = kind === 'consumer_crashed' ? OKABE_ITO.vermillion : OKABE_ITO.green;
    this.flash.set(index, { until: this.clock + 1200, colour, always: true });
  }

  /** Where an event's message travels: {from, to, edge, style}. */
  route(info, msg, node, pickers) {
    const queueId = () => this.queueIds[node];
    switch (info.kind) {
      case 'published': {
        const q = queueId();
        const from = pickers?.get(q)?.();
        return from && { from: this.outPoint(from), to: this.inPoint(q), edge: `${from}>${q}` };
      }
      case 'delivered': {
        const group = this.instanceBox.get(node);
        const q = group && this.deliverFrom.get(group);
        const to = this.instancePoint(node);
        return q && to && { from: this.outPoint(q), to, edge: `${q}>${group}` };
      }
      case 'acked': {
        const at = this.instancePoint(node);
        return at && { from: at, to: this.exitRight(at), exit: true };
      }
      case 'requeued': {
        const q = this.boxes.get(queueId());
        const from = this.instancePoint(this.holder.get(msg) ?? -1) ?? this.outPoint(queueId());
        return q && { from, to: { x: q.x + q.w - 12, y: q.y + q.h - 16 } };
      }
      case 'dead_lettered_delivery_limit':
      case 'dead_lettered_max_length': {
        const dlq = queueId();
        const from = this.deadLetterSource.get(dlq);
        return from && { from: this.outPoint(from), to: this.inPoint(dlq), edge: `${from}>${dlq}` };
      }
      case 'dropped': {
        const b = this.boxes.get(queueId());
        return b && { from: { x: b.x + b.w / 2, y: b.y + b.h }, to: { x: b.x + b.w / 2, y: b.y + b.h + 34 }, exit: true };
      }
      case 'lost': {
        const at = this.instancePoint(node);
        return at && { from: at, to: { x: at.x, y: at.y + 40 }, exit: true };
      }
      // The log family: producer → partition row → group member.
      case 'appended': {
        const topic = this.partitionRow.get(node)?.id;
        const from = topic && pickers?.get(topic)?.();
        const to = this.partitionPoint(node, 'in');
        return from && to && { from: this.outPoint(from), to, edge: `${from}>${topic}` };
      }
      case 'fetched': {
        const group = this.memberBox.get(node);
        const part = this.partitionOf.get(msg);
        const topic = group && this.deliverFrom.get(group);
        const from = (part != null && this.partitionPoint(part, 'out')) || (topic && this.outPoint(topic));
        const to = this.memberPoint(node);
        return from && to && { from, to, edge: `${topic}>${group}` };
      }
      case 'processed': {
        const at = this.memberPoint(node);
        return at && { from: at, to: this.exitRight(at), exit: true };
      }
      case 'returned_to_log': {
        const to = this.partitionPoint(node, 'out');
        const from = this.memberPoint(this.holder.get(msg) ?? -1) ?? to;
        return to && { from, to: { x: to.x - 14, y: to.y } };
      }
      case 'retention_deleted':
      case 'offset_reset':
      case 'skipped_by_commit': {
        const at = this.partitionPoint(node, 'out');
        return at && { from: { x: at.x - 30, y: at.y }, to: { x: at.x + 10, y: at.y + 26 }, exit: true };
      }
      case 'lost_in_transit':
      case 'delivery_failed': {
        const id = this.kafkaProducers.get(node);
        const b = id && this.boxes.get(id);
        return b && { from: { x: b.x + b.w, y: b.y + b.h / 2 }, to: { x: b.x + b.w + 20, y: b.y + b.h + 30 }, exit: true };
      }
      default:
        return null;
    }
  }

  /** Where a finished message fades out: to the right, but inside the canvas (the last column is at its edge). */
  exitRight(at) {
    return { x: Math.min(at.x + 46, this.virtualW - DOT_R - 2), y: at.y };
  }

  spawn(path, msg, style, kind) {
    if (this.particles.length >= MAX_PARTICLES) this.particles.shift();
    const dx = Math.max(30, Math.abs(path.to.x - path.from.x) * 0.45);
    const curve = path.exit ? 0 : dx;
    this.particles.push({
      msg,
      kind,
      style,
      start: this.clock,
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

  updateActivity(simElapsedMs) {
    const seconds = simElapsedMs / 1000;
    for (const e of this.topology.edges) {
      const key = `${e.from}>${e.to}`;
      const count = this.frameCounts.get(key) ?? 0;
      if (seconds <= 0) continue;
      const rate = count / seconds;
      const before = this.activity.get(key) ?? 0;
      const weight = Math.min(1, simElapsedMs / FLOW_SMOOTHING_MS + (count > 0 ? 0.25 : 0));
      this.activity.set(key, before + (rate - before) * weight);
    }
    this.frameCounts.clear();
  }

  // ---- drawing ----------------------------------------------------------------

  /** Advances the animation by `dtMs` of real time (only while playing) and draws. */
  draw(dtMs = 0) {
    if (!this.topology) return;
    if (this.sizeChanged || !this.canvas.width) this.resize();
    if (this.playing) this.clock += dtMs;
    const ctx = this.ctx;
    const dpr = globalThis.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, 0, 0);
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    this.drawEdges(ctx);
    for (const box of this.boxes.values()) this.drawNode(ctx, box);
    for (const [key, flash] of this.flash) if (flash.until <= this.clock) this.flash.delete(key);
    this.drawParticles(ctx);
  }

  drawEdges(ctx) {
    for (const e of this.topology.edges) {
      const a = this.boxes.get(e.from);
      const b = this.boxes.get(e.to);
      if (!a || !b) continue;
      const from = this.outPoint(e.from);
      const to = this.inPoint(e.to);
      const dx = Math.max(30, Math.abs(to.x - from.x) * 0.45);
      const rate = this.activity.get(`${e.from}>${e.to}`) ?? 0;
      ctx.beginPath();
      ctx.moveTo(from.x, from.y);
      ctx.bezierCurveTo(from.x + dx, from.y, to.x - dx, to.y, to.x, to.y);
      if (e.kind === 'call') {
        ctx.setLineDash([4, 4]);
        ctx.strokeStyle = COLOURS.call;
        ctx.lineWidth = 1.2;
        ctx.stroke();
        ctx.setLineDash([]);
        continue;
      }
      ctx.strokeStyle = e.kind === 'dead_letter' ? OKABE_ITO.vermillion : COLOURS.line;
      ctx.lineWidth = 1.5;
      ctx.stroke();
      if (rate > 0.5) {
        ctx.lineWidth = Math.min(10, 1.5 + Math.log10(1 + rate) * 1.7);
        ctx.strokeStyle = e.kind === 'dead_letter' ? 'rgba(213, 94, 0, 0.45)' : 'rgba(0, 114, 178, 0.35)';
        if (!this.reducedMotion) {
          ctx.setLineDash([10, 8]);
          ctx.lineDashOffset = -(this.clock / 40) % 18;
        }
        ctx.stroke();
        ctx.setLineDash([]);
      }
      this.drawArrow(ctx, to, e.kind === 'dead_letter' ? OKABE_ITO.vermillion : COLOURS.nodeStroke);
    }
  }

  drawArrow(ctx, at, colour) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(at.x, at.y);
    ctx.lineTo(at.x - 7, at.y - 4);
    ctx.lineTo(at.x - 7, at.y + 4);
    ctx.closePath();
    ctx.fill();
  }

  drawNode(ctx, box) {
    const { node } = box;
    switch (node.kind) {
      case 'queue':
        return this.drawQueue(ctx, box);
      case 'consumer':
        return this.drawConsumer(ctx, box);
      case 'service':
        return this.drawService(ctx, box);
      case 'topic':
        return this.drawTopic(ctx, box);
      case 'consumer_group':
        return this.drawGroup(ctx, box);
      default:
        return this.drawSource(ctx, box);
    }
  }

  /** A node's name and a second line; `subtitle` may be [long, short], the short one used when the long does not fit. */
  drawLabel(ctx, box, title, subtitle, colour = COLOURS.ink, titleWidth = box.w - 16) {
    ctx.fillStyle = colour;
    ctx.font = FONT_BOLD;
    ctx.textAlign = 'left';
    ctx.fillText(ellipsize(ctx, title, titleWidth), box.x + 8, box.y + 15);
    if (subtitle) {
      ctx.font = FONT;
      ctx.fillStyle = COLOURS.muted;
      const [long, short] = Array.isArray(subtitle) ? subtitle : [subtitle, subtitle];
      const text = ctx.measureText(long).width <= box.w - 16 ? long : short;
      ctx.fillText(ellipsize(ctx, text, box.w - 16), box.x + 8, box.y + 32);
    }
  }

  frame(ctx, box, stroke = COLOURS.nodeStroke, fill = COLOURS.node, dash = null) {
    roundRect(ctx, box.x, box.y, box.w, box.h, 7);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = 1.3;
    ctx.strokeStyle = stroke;
    if (dash) ctx.setLineDash(dash);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  drawSource(ctx, box) {
    const { node } = box;
    this.frame(ctx, box, COLOURS.source, '#f4f9fd');
    const lang = this.lang;
    let subtitle = t(lang, `node.${node.kind}`);
    if (node.kind === 'producer') {
      const sent = t(lang, 'node.sent', { n: formatCount(node.sent, lang) });
      subtitle = node.acks ? [`acks=${node.acks} · ${sent}`, sent] : [`${subtitle} · ${sent}`, sent];
    }
    if (node.kind === 'request_flow') {
      const flow = this.summary?.requests?.[node.index];
      if (flow) subtitle = t(lang, 'node.requests', { ok: formatCount(flow.completed, lang), failed: formatCount(flow.failed, lang) });
    }
    this.drawLabel(ctx, box, node.name, subtitle);
  }

  drawQueue(ctx, box) {
    const { node } = box;
    const lang = this.lang;
    const q = this.summary?.queues?.[node.index];
    const dlq = node.dead_letter_queue;
    this.frame(ctx, box, dlq ? OKABE_ITO.vermillion : COLOURS.nodeStroke, dlq ? '#fdf3ee' : COLOURS.node);
    const depth = q?.depth ?? 0;
    ctx.font = FONT_BOLD;
    const depthWidth = ctx.measureText(formatCount(depth, lang)).width + 12;
    this.drawLabel(ctx, box, node.name, dlq ? t(lang, 'node.dlq') : null, dlq ? OKABE_ITO.vermillion : COLOURS.ink, box.w - 16 - depthWidth);
    const tube = { x: box.x + 8, y: box.y + box.h - 24, w: box.w - 16, h: 16 };
    roundRect(ctx, tube.x, tube.y, tube.w, tube.h, 4);
    ctx.fillStyle = COLOURS.tube;
    ctx.fill();
    const colour = dlq ? STATE_STYLE.dead_lettered.colour : COLOURS.fill;
    if (depth > 0 && depth <= CELLS_MAX) {
      const cell = (tube.w - 4) / CELLS_MAX;
      ctx.fillStyle = colour;
      for (let i = 0; i < depth; i++) ctx.fillRect(tube.x + tube.w - 2 - (i + 1) * cell + 1, tube.y + 3, cell - 2, tube.h - 6);
    } else if (depth > 0) {
      const scale = Math.max(q.peak.messages, node.max_length ?? 0, CELLS_MAX);
      const w = Math.max(3, (tube.w * depth) / scale);
      roundRect(ctx, tube.x + tube.w - w, tube.y, w, tube.h, 4);
      ctx.fillStyle = colour;
      ctx.fill();
    }
    ctx.font = FONT_BOLD;
    ctx.textAlign = 'right';
    ctx.fillStyle = COLOURS.ink;
    ctx.fillText(formatCount(depth, lang), box.x + box.w - 8, box.y + 15);
    ctx.textAlign = 'left';
  }

  drawConsumer(ctx, box) {
    const { node } = box;
    const lang = this.lang;
    const alive = node.instances.filter((i) => i.alive).length;
    this.frame(ctx, box);
    const running = t(lang, 'node.instances', { alive, all: node.instances.length });
    this.drawLabel(ctx, box, node.name, [`${t(lang, 'node.consumer')} · ${running}`, running]);
    for (const inst of node.instances.slice(0, MAX_INSTANCES_DRAWN)) {
      const p = this.instancePoint(inst.index);
      const info = this.summary?.consumers?.[inst.index];
      const holding = info?.holding ?? 0;
      this.drawWorker(ctx, p, { alive: inst.alive, busy: true, holding, flash: this.flash.get(inst.index) });
    }
    if (node.instances.length > MAX_INSTANCES_DRAWN) {
      ctx.fillStyle = COLOURS.muted;
      ctx.fillText(`+${node.instances.length - MAX_INSTANCES_DRAWN}`, box.x + box.w - 30, box.y + box.h - 10);
    }
    ctx.font = FONT;
  }

  /**
   * One consumer instance or group member: crossed when stopped, dashed when
   * it has nothing to work on (an idle Kafka member), with the count it holds
   * (or ‖ when paused), and a thick ring while a crash or join flashes.
   */
  drawWorker(ctx, p, { alive, busy, holding, paused = false, flash }) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, INSTANCE_R, 0, Math.PI * 2);
    ctx.fillStyle = !alive ? '#e5e8eb' : holding > 0 ? '#dff3ec' : '#ffffff';
    ctx.fill();
    const flashing = flash && flash.until > this.clock;
    ctx.lineWidth = flashing ? 3 : 1.5;
    ctx.strokeStyle = flashing ? flash.colour : alive && busy ? COLOURS.alive : COLOURS.muted;
    if (alive && !busy) ctx.setLineDash([2, 2]);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = COLOURS.ink;
    ctx.textAlign = 'center';
    if (!alive) {
      ctx.strokeStyle = OKABE_ITO.vermillion;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(p.x - 4, p.y - 4);
      ctx.lineTo(p.x + 4, p.y + 4);
      ctx.moveTo(p.x + 4, p.y - 4);
      ctx.lineTo(p.x - 4, p.y + 4);
      ctx.stroke();
    } else if (paused) {
      ctx.fillText('‖', p.x, p.y + 0.5);
    } else if (holding > 0) {
      ctx.fillText(holding > 99 ? '99+' : String(holding), p.x, p.y + 0.5);
    }
    ctx.textAlign = 'left';
  }

  drawService(ctx, box) {
    const { node } = box;
    const lang = this.lang;
    this.frame(ctx, box, node.down ? OKABE_ITO.vermillion : COLOURS.nodeStroke, node.down ? '#fbe4d8' : '#f7f7f2', node.down ? [5, 3] : null);
    const subtitle = node.down ? [`${t(lang, 'node.service')} · ${t(lang, 'node.down')}`, t(lang, 'node.down')] : t(lang, 'node.service');
    this.drawLabel(ctx, box, node.name, subtitle, node.down ? OKABE_ITO.vermillion : COLOURS.ink);
  }

  /**
   * A Kafka topic: the brokers (crossed when down) and one row per partition.
   * A row's bar shows the last offsets of the log, the same span for every
   * partition: solid up to the high watermark, hatched from there to the log
   * end offset (not yet on every in-sync replica), with a marker per group
   * at its committed offset; the gap from a marker to the HW is that group's lag.
   */
  drawTopic(ctx, box) {
    const { node } = box;
    const lang = this.lang;
    this.frame(ctx, box);
    this.drawLabel(ctx, box, node.name, null, COLOURS.ink, box.w - 16 - node.brokers.length * 13);
    node.brokers.forEach((b, k) => {
      const x = box.x + box.w - 8 - (node.brokers.length - k) * 13 + 1;
      const y = box.y + 8;
      ctx.fillStyle = b.alive ? '#e7f5ef' : '#fbe4d8';
      ctx.strokeStyle = b.alive ? COLOURS.alive : OKABE_ITO.vermillion;
      ctx.lineWidth = 1;
      ctx.fillRect(x, y, 11, 13);
      ctx.strokeRect(x, y, 11, 13);
      ctx.font = '9px system-ui, sans-serif';
      ctx.fillStyle = b.alive ? COLOURS.ink : OKABE_ITO.vermillion;
      ctx.textAlign = 'center';
      ctx.fillText(String(b.id), x + 5.5, y + 7);
      ctx.textAlign = 'left';
    });
    ctx.font = FONT;
    ctx.fillStyle = COLOURS.muted;
    const total = node.partitions.reduce((sum, p) => sum + (p.leo - p.log_start), 0);
    ctx.fillText(ellipsize(ctx, t(lang, node.partitions.length === 1 ? 'node.partition-one' : 'node.partitions', { n: node.partitions.length, records: formatCount(total, lang) }), box.w - 16), box.x + 8, box.y + 30);
    let window = MIN_WINDOW;
    for (const p of node.partitions) for (const g of p.groups) window = Math.max(window, Math.ceil((p.leo - (g.committed ?? p.log_start)) * 1.15));
    for (const p of node.partitions) window = Math.max(window, p.leo - p.hw + 4);
    node.partitions.slice(0, PARTS_DRAWN).forEach((p) => this.drawPartition(ctx, box, p, window));
    if (node.partitions.length > PARTS_DRAWN) {
      ctx.fillStyle = COLOURS.muted;
      ctx.fillText(t(lang, 'node.more-partitions', { n: node.partitions.length - PARTS_DRAWN }), box.x + 8, box.y + box.h - 12);
    }
  }

  drawPartition(ctx, box, p, window) {
    const { y } = this.partitionY(p.index);
    const offline = p.leader == null;
    const shrunk = p.isr.length < p.replicas.length;
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = offline ? OKABE_ITO.vermillion : COLOURS.ink;
    ctx.fillText(`P${p.partition}`, box.x + 7, y);
    const leader = offline ? '—' : `b${p.leader}`;
    ctx.fillStyle = offline || shrunk ? OKABE_ITO.vermillion : COLOURS.muted;
    ctx.fillText(leader, box.x + 26, y);
    const bar = { x: box.x + 46, y: y - 4, w: box.w - 46 - 44, h: 8 };
    const lo = p.leo - window;
    const at = (offset) => bar.x + (Math.max(0, offset - lo) / window) * bar.w;
    ctx.fillStyle = COLOURS.tube;
    ctx.fillRect(bar.x, bar.y, bar.w, bar.h);
    const start = at(Math.max(p.log_start, lo));
    ctx.fillStyle = COLOURS.fill;
    ctx.fillRect(start, bar.y, at(p.hw) - start, bar.h);
    if (p.leo > p.hw) {
      ctx.fillStyle = 'rgba(86, 180, 233, 0.35)';
      ctx.fillRect(at(p.hw), bar.y, at(p.leo) - at(p.hw), bar.h);
    }
    ctx.strokeStyle = COLOURS.ink;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(at(p.hw), bar.y - 2);
    ctx.lineTo(at(p.hw), bar.y + bar.h + 2);
    ctx.stroke();
    for (const g of p.groups) {
      if (g.committed != null) groupMarker(ctx, g.group, at(g.committed), bar);
    }
    ctx.fillStyle = COLOURS.muted;
    ctx.textAlign = 'right';
    ctx.fillText(formatCount(p.leo, this.lang), box.x + box.w - 6, y);
    ctx.textAlign = 'left';
    ctx.font = FONT;
  }

  /** A Kafka consumer group: its members, the partitions each owns under it, idle ones greyed. */
  drawGroup(ctx, box) {
    const { node } = box;
    const lang = this.lang;
    this.frame(ctx, box, node.rebalancing ? OKABE_ITO.orange : COLOURS.nodeStroke, COLOURS.node, node.rebalancing ? [5, 3] : null);
    const running = node.members.filter((m) => m.running).length;
    const state = node.rebalancing ? t(lang, 'node.rebalancing') : t(lang, 'node.instances', { alive: running, all: node.members.length });
    this.drawLabel(ctx, box, node.name, [`${t(lang, `commit.${node.commit}`)} · ${state}`, state]);
    groupMarker(ctx, node.index, box.x + box.w - 12, { y: box.y + 6, h: 5 });
    for (const m of node.members.slice(0, MAX_INSTANCES_DRAWN)) {
      const p = this.memberPoint(m.index);
      const idle = m.running && m.partitions.length === 0;
      this.drawWorker(ctx, p, { alive: m.running, busy: !idle, holding: m.holding, paused: m.paused, flash: this.flash.get(`m${m.index}`) });
      ctx.font = '9px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillStyle = idle ? COLOURS.muted : COLOURS.ink;
      const label = !m.running ? '' : idle ? t(lang, 'node.idle') : ownedLabel(ctx, m.partitions, 2 * INSTANCE_R + INSTANCE_GAP - 4);
      ctx.fillText(label, p.x, p.y + INSTANCE_R + 6);
      ctx.textAlign = 'left';
    }
    if (node.members.length > MAX_INSTANCES_DRAWN) {
      ctx.fillStyle = COLOURS.muted;
      ctx.fillText(`+${node.members.length - MAX_INSTANCES_DRAWN}`, box.x + box.w - 30, box.y + box.h - 10);
    }
    ctx.font = FONT;
  }

  drawParticles(ctx) {
    const keep = [];
    for (const p of this.particles) {
      const age = (this.clock - p.start) / p.dur;
      if (age >= 1) continue;
      keep.push(p);
      const e = ease(Math.max(0, age));
      p.x = p.fade ? p.x0 + (p.x1 - p.x0) * e : cubic(e, p.x0, p.c1x, p.c2x, p.x1);
      p.y = p.fade ? p.y0 + (p.y1 - p.y0) * e : cubic(e, p.y0, p.y0, p.y1, p.y1);
      ctx.globalAlpha = p.fade ? 1 - e * 0.8 : 1;
      ctx.fillStyle = p.style.colour;
      ctx.strokeStyle = p.style.colour;
      drawShape(ctx, p.style.shape, p.x, p.y, DOT_R);
      if (p.msg === this.selected) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = COLOURS.ink;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(p.x, p.y, DOT_R + 4, 0, Math.PI * 2);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    this.particles = keep;
  }

  /** The message drawn nearest to (x, y) in CSS pixels, if one is close enough. */
  hit(x, y) {
    const sx = x / this.scale;
    const sy = y / this.scale;
    let best = null;
    let bestD = 12 * 12;
    for (const p of this.particles) {
      const d = (p.x - sx) ** 2 + (p.y - sy) ** 2;
      if (d < bestD) {
        bestD = d;
        best = p.msg;
      }
    }
    return best;
  }

  /** A text alternative for the canvas. */
  describe() {
    const lang = this.lang;
    const parts = this.topology.nodes.map((n) => {
      if (n.kind === 'queue') return `${t(lang, n.dead_letter_queue ? 'node.dlq' : 'node.queue')} ${n.name}: ${formatCount(this.summary?.queues?.[n.index]?.depth ?? 0, lang)}`;
      if (n.kind === 'consumer') return `${t(lang, 'node.consumer')} ${n.name}: ${t(lang, 'node.instances', { alive: n.instances.filter((i) => i.alive).length, all: n.instances.length })}`;
      if (n.kind === 'service') return `${t(lang, 'node.service')} ${n.name}${n.down ? ` (${t(lang, 'node.down')})` : ''}`;
      if (n.kind === 'topic') {
        const parts = n.partitions.map((p) => t(lang, 'flow.partition-alt', { p: p.partition, leader: p.leader ?? '—', isr: p.isr.join(',') || '—', leo: p.leo, hw: p.hw }));
        return `${t(lang, 'node.topic')} ${n.name}: ${parts.join(', ')}`;
      }
      if (n.kind === 'consumer_group') {
        const members = n.members.filter((m) => m.running).map((m) => `#${m.instance} ${m.partitions.length ? m.partitions.map((p) => `P${p}`).join(',') : t(lang, 'node.idle')}`);
        return `${t(lang, 'node.consumer_group')} ${n.name}: ${members.join(', ') || t(lang, 'node.none-running')}`;
      }
      return `${t(lang, `node.${n.kind}`)} ${n.name}`;
    });
    return t(lang, 'flow.alt', { nodes: parts.join('; ') });
  }
}
