// Drawing the flow view (lib/flow-view.js) on its canvas: edges with their
// flow, each kind of node (producers, queues, consumers, services, Kafka
// topics and groups), and the messages on their way. Every number drawn
// comes from the summary or the topology the view holds.
import { formatCount } from './format.js';
import { DOT_R, INSTANCE_GAP, INSTANCE_R, MAX_INSTANCES_DRAWN, PARTS_DRAWN } from './flow-geometry.js';
import { t } from './i18n.js';
import { OKABE_ITO, STATE_STYLE } from './palette.js';

const CELLS_MAX = 24; // a queue this short draws each message; longer ones a fill bar
const MIN_WINDOW = 20; // a partition's bar shows at least the last 20 offsets
export const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
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
// Each consumer group's committed-offset marker on a partition's bar.
const GROUP_COLOURS = [OKABE_ITO.orange, OKABE_ITO.purple, OKABE_ITO.green, OKABE_ITO.vermillion, OKABE_ITO.blue, OKABE_ITO.black];

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

export function drawEdges(view, ctx) {
  for (const e of view.topology.edges) {
    const a = view.boxes.get(e.from);
    const b = view.boxes.get(e.to);
    if (!a || !b) continue;
    const from = view.outPoint(e.from);
    const to = view.inPoint(e.to);
    const dx = Math.max(30, Math.abs(to.x - from.x) * 0.45);
    const rate = view.activity.get(`${e.from}>${e.to}`) ?? 0;
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
      if (!view.reducedMotion) {
        ctx.setLineDash([10, 8]);
        ctx.lineDashOffset = -(view.clock / 40) % 18;
      }
      ctx.stroke();
      ctx.setLineDash([]);
    }
    drawArrow(view, ctx, to, e.kind === 'dead_letter' ? OKABE_ITO.vermillion : COLOURS.nodeStroke);
  }
}

function drawArrow(view, ctx, at, colour) {
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.moveTo(at.x, at.y);
  ctx.lineTo(at.x - 7, at.y - 4);
  ctx.lineTo(at.x - 7, at.y + 4);
  ctx.closePath();
  ctx.fill();
}

export function drawNode(view, ctx, box) {
  const { node } = box;
  switch (node.kind) {
    case 'queue':
      return drawQueue(view, ctx, box);
    case 'consumer':
      return drawConsumer(view, ctx, box);
    case 'service':
      return drawService(view, ctx, box);
    case 'topic':
      return drawTopic(view, ctx, box);
    case 'consumer_group':
      return drawGroup(view, ctx, box);
    default:
      return drawSource(view, ctx, box);
  }
}

/** A node's name and a second line; `subtitle` may be [long, short], the short one used when the long does not fit. */
function drawLabel(view, ctx, box, title, subtitle, colour = COLOURS.ink, titleWidth = box.w - 16) {
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

function drawFrame(view, ctx, box, stroke = COLOURS.nodeStroke, fill = COLOURS.node, dash = null) {
  roundRect(ctx, box.x, box.y, box.w, box.h, 7);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 1.3;
  ctx.strokeStyle = stroke;
  if (dash) ctx.setLineDash(dash);
  ctx.stroke();
  ctx.setLineDash([]);
}

function drawSource(view, ctx, box) {
  const { node } = box;
  drawFrame(view, ctx, box, COLOURS.source, '#f4f9fd');
  const lang = view.lang;
  let subtitle = t(lang, `node.${node.kind}`);
  if (node.kind === 'producer') {
    const sent = t(lang, 'node.sent', { n: formatCount(node.sent, lang) });
    subtitle = node.acks ? [`acks=${node.acks} · ${sent}`, sent] : [`${subtitle} · ${sent}`, sent];
  }
  if (node.kind === 'request_flow') {
    const flow = view.summary?.requests?.[node.index];
    if (flow) subtitle = t(lang, 'node.requests', { ok: formatCount(flow.completed, lang), failed: formatCount(flow.failed, lang) });
  }
  drawLabel(view, ctx, box, node.name, subtitle);
}

function drawQueue(view, ctx, box) {
  const { node } = box;
  const lang = view.lang;
  const q = view.summary?.queues?.[node.index];
  const dlq = node.dead_letter_queue;
  drawFrame(view, ctx, box, dlq ? OKABE_ITO.vermillion : COLOURS.nodeStroke, dlq ? '#fdf3ee' : COLOURS.node);
  const depth = q?.depth ?? 0;
  ctx.font = FONT_BOLD;
  const depthWidth = ctx.measureText(formatCount(depth, lang)).width + 12;
  // In a narrow box (a phone) the depth goes under the name rather than cut it short.
  const depthBelow = !dlq && ctx.measureText(node.name).width > box.w - 16 - depthWidth;
  drawLabel(view, ctx, box, node.name, dlq ? t(lang, 'node.dlq') : null, dlq ? OKABE_ITO.vermillion : COLOURS.ink, box.w - 16 - (depthBelow ? 0 : depthWidth));
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
  ctx.fillText(formatCount(depth, lang), box.x + box.w - 8, box.y + (depthBelow ? 30 : 15));
  ctx.textAlign = 'left';
}

function drawConsumer(view, ctx, box) {
  const { node } = box;
  const lang = view.lang;
  const alive = node.instances.filter((i) => i.alive).length;
  drawFrame(view, ctx, box);
  const running = t(lang, 'node.instances', { alive, all: node.instances.length });
  drawLabel(view, ctx, box, node.name, [`${t(lang, 'node.consumer')} · ${running}`, running]);
  for (const inst of node.instances.slice(0, MAX_INSTANCES_DRAWN)) {
    const p = view.instancePoint(inst.index);
    const info = view.summary?.consumers?.[inst.index];
    const holding = info?.holding ?? 0;
    drawWorker(view, ctx, p, { alive: inst.alive, busy: true, holding, flash: view.flash.get(inst.index) });
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
function drawWorker(view, ctx, p, { alive, busy, holding, paused = false, flash }) {
  ctx.beginPath();
  ctx.arc(p.x, p.y, INSTANCE_R, 0, Math.PI * 2);
  ctx.fillStyle = !alive ? '#e5e8eb' : holding > 0 ? '#dff3ec' : '#ffffff';
  ctx.fill();
  const flashing = flash && flash.until > view.clock;
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

function drawService(view, ctx, box) {
  const { node } = box;
  const lang = view.lang;
  drawFrame(view, ctx, box, node.down ? OKABE_ITO.vermillion : COLOURS.nodeStroke, node.down ? '#fbe4d8' : '#f7f7f2', node.down ? [5, 3] : null);
  const subtitle = node.down ? [`${t(lang, 'node.service')} · ${t(lang, 'node.down')}`, t(lang, 'node.down')] : t(lang, 'node.service');
  drawLabel(view, ctx, box, node.name, subtitle, node.down ? OKABE_ITO.vermillion : COLOURS.ink);
}

/**
 * A Kafka topic: the brokers (crossed when down) and one row per partition.
 * A row's bar shows the last offsets of the log, the same span for every
 * partition: solid up to the high watermark, hatched from there to the log
 * end offset (not yet on every in-sync replica), with a marker per group
 * at its committed offset; the gap from a marker to the HW is that group's lag.
 */
function drawTopic(view, ctx, box) {
  const { node } = box;
  const lang = view.lang;
  drawFrame(view, ctx, box);
  drawLabel(view, ctx, box, node.name, null, COLOURS.ink, box.w - 16 - node.brokers.length * 13);
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
  node.partitions.slice(0, PARTS_DRAWN).forEach((p) => drawPartition(view, ctx, box, p, window));
  if (node.partitions.length > PARTS_DRAWN) {
    ctx.fillStyle = COLOURS.muted;
    ctx.fillText(t(lang, 'node.more-partitions', { n: node.partitions.length - PARTS_DRAWN }), box.x + 8, box.y + box.h - 12);
  }
}

function drawPartition(view, ctx, box, p, window) {
  const { y } = view.partitionY(p.index);
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
  ctx.fillText(formatCount(p.leo, view.lang), box.x + box.w - 6, y);
  ctx.textAlign = 'left';
  ctx.font = FONT;
}

/** A Kafka consumer group: its members, the partitions each owns under it, idle ones greyed. */
function drawGroup(view, ctx, box) {
  const { node } = box;
  const lang = view.lang;
  drawFrame(view, ctx, box, node.rebalancing ? OKABE_ITO.orange : COLOURS.nodeStroke, COLOURS.node, node.rebalancing ? [5, 3] : null);
  const running = node.members.filter((m) => m.running).length;
  const state = node.rebalancing ? t(lang, 'node.rebalancing') : t(lang, 'node.instances', { alive: running, all: node.members.length });
  drawLabel(view, ctx, box, node.name, [`${t(lang, `commit.${node.commit}`)} · ${state}`, state]);
  groupMarker(ctx, node.index, box.x + box.w - 12, { y: box.y + 6, h: 5 });
  for (const m of node.members.slice(0, MAX_INSTANCES_DRAWN)) {
    const p = view.memberPoint(m.index);
    const idle = m.running && m.partitions.length === 0;
    drawWorker(view, ctx, p, { alive: m.running, busy: !idle, holding: m.holding, paused: m.paused, flash: view.flash.get(`m${m.index}`) });
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

export function drawParticles(view, ctx) {
  const keep = [];
  for (const p of view.particles) {
    const age = (view.clock - p.start) / p.dur;
    if (age >= 1) continue;
    keep.push(p);
    const e = ease(Math.max(0, age));
    p.x = p.fade ? p.x0 + (p.x1 - p.x0) * e : cubic(e, p.x0, p.c1x, p.c2x, p.x1);
    p.y = p.fade ? p.y0 + (p.y1 - p.y0) * e : cubic(e, p.y0, p.y0, p.y1, p.y1);
    ctx.globalAlpha = p.fade ? 1 - e * 0.8 : 1;
    ctx.fillStyle = p.style.colour;
    ctx.strokeStyle = p.style.colour;
    drawShape(ctx, p.style.shape, p.x, p.y, DOT_R);
    if (p.msg === view.selected) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = COLOURS.ink;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(p.x, p.y, DOT_R + 4, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
  view.particles = keep;
}
