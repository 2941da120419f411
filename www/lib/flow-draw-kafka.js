// Drawing the log family's nodes in the flow view: a Kafka topic (its brokers
// and one row per partition: the log's newest offsets up to the high
// watermark and the log end, each group's committed offset marked) and a
// consumer group (its members and the partitions each owns). See
// lib/flow-draw.js for the rest of the drawing.
import { INSTANCE_GAP, INSTANCE_R, MAX_INSTANCES_DRAWN, PARTS_DRAWN } from './flow-geometry.js';
import { COLOURS, FONT, drawFrame, drawLabel, drawWorker, ellipsize } from './flow-paint.js';
import { formatCount } from './format.js';
import { t } from './i18n.js';
import { OKABE_ITO } from './palette.js';

const MIN_WINDOW = 20; // a partition's bar shows at least the last 20 offsets
// Each consumer group's committed-offset marker on a partition's bar.
const GROUP_COLOURS = [OKABE_ITO.orange, OKABE_ITO.purple, OKABE_ITO.green, OKABE_ITO.vermillion, OKABE_ITO.blue, OKABE_ITO.black];

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

/**
 * A Kafka topic: the brokers (crossed when down) and one row per partition.
 * A row's bar shows the last offsets of the log, the same span for every
 * partition: solid up to the high watermark, hatched from there to the log
 * end offset (not yet on every in-sync replica), with a marker per group
 * at its committed offset; the gap from a marker to the HW is that group's lag.
 */
export function drawTopic(view, ctx, box) {
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
export function drawGroup(view, ctx, box) {
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
