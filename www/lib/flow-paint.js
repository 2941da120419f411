// The flow view's drawing primitives, shared by lib/flow-draw.js and
// lib/flow-draw-kafka.js: fonts and colours, a node's frame and label, a
// consumer instance's or group member's circle.
import { INSTANCE_R } from './flow-geometry.js';
import { OKABE_ITO } from './palette.js';

export const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
export const FONT_BOLD = `600 ${FONT}`;

export const COLOURS = {
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

export function roundRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

export function ellipsize(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}

/** A node's name and a second line; `subtitle` may be [long, short], the short one used when the long does not fit. */
export function drawLabel(view, ctx, box, title, subtitle, colour = COLOURS.ink, titleWidth = box.w - 16) {
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

export function drawFrame(view, ctx, box, stroke = COLOURS.nodeStroke, fill = COLOURS.node, dash = null) {
  roundRect(ctx, box.x, box.y, box.w, box.h, 7);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 1.3;
  ctx.strokeStyle = stroke;
  if (dash) ctx.setLineDash(dash);
  ctx.stroke();
  ctx.setLineDash([]);
}

/**
 * One consumer instance or group member: crossed when stopped, dashed when
 * it has nothing to work on (an idle Kafka member), with the count it holds
 * (or ‖ when paused), and a thick ring while a crash or join flashes.
 */
export function drawWorker(view, ctx, p, { alive, busy, holding, paused = false, flash }) {
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
