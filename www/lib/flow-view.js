// The topology on a canvas, with messages moving along their paths.
//
// Layout comes from the wasm topology (nodes, edges, and what each journal
// event kind refers to), so a new node kind only needs a drawing function
// (lib/flow-draw.js). Messages are drawn one by one while they are few enough to follow;
// beyond that a frame's events are sampled and each edge's thickness shows
// its simulated rate, while queues show their fill level. Every number
// drawn (depths, counts) comes from the summary or the topology.
//
// This file holds the view's state, its layout and geometry; drawing is
// lib/flow-draw.js (Kafka's nodes lib/flow-draw-kafka.js, the primitives
// lib/flow-paint.js), what the journal's events do to the picture is
// lib/flow-route.js, sizes and layering are lib/flow-geometry.js.
import { drawEdges, drawNode, drawParticles } from './flow-draw.js';
import { INSTANCE_GAP, INSTANCE_R, KIND_RANK, MAX_INSTANCES_DRAWN, MAX_ZOOM, MEMBER_LABEL_H, MIN_GAP_X, MIN_GAP_Y, MIN_ZOOM, NODE_W_MAX, NODE_W_MIN, PAD_X, PAD_Y, PART_ROW_H, PARTS_DRAWN, TOPIC_HEAD_H, circleAt, layers, nodeHeight } from './flow-geometry.js';
import { ingestEvents } from './flow-route.js';
import { FONT } from './flow-paint.js';
import { formatCount } from './format.js';
import { t } from './i18n.js';

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

  /**
   * Drops the messages drawn on their way and the flashes: they animate what
   * already happened, so a paused view keeps only what is true at its instant
   * (queue fills, who holds what, partitions and offsets).
   */
  settle() {
    this.particles = [];
    this.flash.clear();
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
      // A column of several nodes is laid out with a gap above, between and below them (see below).
      const gaps = members.length > 1 ? members.length + 1 : 0;
      const total = members.reduce((sum, i) => sum + nodeHeight(nodes[i], nodeW), 0) + MIN_GAP_Y * gaps;
      needed = Math.max(needed, total + 2 * PAD_Y + 18);
      members.forEach((i, k) => y.set(nodes[i].id, k));
    }
    // The narrowest canvas that fits the columns unscaled: a host narrower than this (a phone)
    // can let the diagram scroll sideways instead of overlapping its nodes.
    this.minWidth = Math.ceil(columns * NODE_W_MIN + (columns - 1) * MIN_GAP_X + 2 * PAD_X);
    const wideEnough = width / (columns * nodeW + (columns - 1) * MIN_GAP_X + 2 * PAD_X);
    const widthZoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, wideEnough));
    if (this.autoHeight) {
      // As tall as the topology at the zoom its width allows (a narrow canvas is not left half empty).
      const [min, max] = this.autoHeight;
      this.canvas.style.height = `${Math.round(Math.max(min, Math.min(max, needed * widthZoom)))}px`;
    }
    const height = this.autoHeight ? parseFloat(this.canvas.style.height) : this.size.h || this.canvas.clientHeight || 320;
    this.scale = Math.min(height / needed, widthZoom);
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

  /** The narrowest the canvas can be and still draw every node legibly (at MIN_ZOOM). */
  get narrowest() {
    return Math.ceil((this.minWidth ?? 0) * MIN_ZOOM);
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
    ingestEvents(this, cols, simElapsedMs);
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
    drawEdges(this, ctx);
    for (const box of this.boxes.values()) drawNode(this, ctx, box);
    for (const [key, flash] of this.flash) if (flash.until <= this.clock) this.flash.delete(key);
    drawParticles(this, ctx);
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
