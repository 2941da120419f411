// Drawing the flow view (lib/flow-view.js) on its canvas: edges with their
// flow, each kind of node (producers, queues, consumers, services; Kafka
// topics and groups are lib/flow-draw-kafka.js), and the messages on their
// way. Every number drawn comes from the summary or the topology the view holds.
import { formatCount } from './format.js';
import { drawGroup, drawTopic } from './flow-draw-kafka.js';
import { DOT_R, MAX_INSTANCES_DRAWN } from './flow-geometry.js';
import { COLOURS, FONT, FONT_BOLD, drawFrame, drawLabel, drawWorker, roundRect } from './flow-paint.js';
import { t } from './i18n.js';
import { OKABE_ITO, STATE_STYLE } from './palette.js';

const CELLS_MAX = 24; // a queue this short draws each message; longer ones a fill bar

function cubic(p, a, b, c, d) {
  const q = 1 - p;
  return q * q * q * a + 3 * q * q * p * b + 3 * q * p * p * c + p * p * p * d;
}

function ease(p) {
  return p < 0.5 ? 2 * p * p : 1 - 2 * (1 - p) * (1 - p);
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

function drawService(view, ctx, box) {
  const { node } = box;
  const lang = view.lang;
  drawFrame(view, ctx, box, node.down ? OKABE_ITO.vermillion : COLOURS.nodeStroke, node.down ? '#fbe4d8' : '#f7f7f2', node.down ? [5, 3] : null);
  const subtitle = node.down ? [`${t(lang, 'node.service')} · ${t(lang, 'node.down')}`, t(lang, 'node.down')] : t(lang, 'node.service');
  drawLabel(view, ctx, box, node.name, subtitle, node.down ? OKABE_ITO.vermillion : COLOURS.ink);
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
