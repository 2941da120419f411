// Markers on a time chart: a labelled vertical line at every fault and every
// live action (and a fainter, unlabelled one at what the engine did in
// reply: a member joining, a rebalance…), drawn by a uPlot plugin over the
// plotting area. The caller gives each marker its time and its label; labels
// stack in a few rows, and one that would still overlap is left out (its line stays).
import { OKABE_ITO } from './palette.js';

const FONT_PX = 10;
const LABEL_GAP_PX = 6; // CSS px kept free between one label and the next
const LABEL_ROWS = 3; // labels stack in up to this many rows at the top before one is left out
const STYLE = {
  fault: { colour: OKABE_ITO.vermillion, dash: [4, 3], width: 1.5, label: true },
  action: { colour: OKABE_ITO.blue, dash: [4, 3], width: 1.5, label: true },
  engine: { colour: '#9aa7b4', dash: [2, 3], width: 1, label: false },
};

/**
 * The plugin; `markers()` returns what to draw now: [{tMs, label, source}]
 * with source "fault", "action" or "engine", in time order.
 */
export function markersPlugin(markers) {
  return { hooks: { draw: [(u) => drawMarkers(u, markers())] } };
}

function drawMarkers(u, list) {
  if (!list?.length) return;
  const ctx = u.ctx;
  const ratio = u.bbox.width / Math.max(1, u.over?.clientWidth || u.bbox.width);
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.font = `${Math.round(FONT_PX * ratio)}px system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left'; // uPlot leaves the axes' alignment set
  const freeFrom = new Array(LABEL_ROWS).fill(-Infinity); // per row: the first x a label may start at
  const rowHeight = (FONT_PX + 4) * ratio;
  for (const m of list) {
    const x = Math.round(u.valToPos(m.tMs / 1000, 'x', true)) + 0.5;
    if (!(x >= left && x <= left + width)) continue;
    const style = STYLE[m.source] ?? STYLE.engine;
    ctx.strokeStyle = style.colour;
    ctx.lineWidth = style.width * ratio;
    ctx.setLineDash(style.dash.map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    if (!style.label || !m.label) continue;
    const textWidth = ctx.measureText(m.label).width;
    // Right of its line, or left of it at the chart's right edge.
    const tx = x + 3 * ratio + textWidth <= left + width ? x + 3 * ratio : x - 3 * ratio - textWidth;
    const row = freeFrom.findIndex((free) => tx >= free);
    if (row < 0) continue;
    const ty = top + 2 * ratio + row * rowHeight;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(tx - ratio, ty, textWidth + 2 * ratio, rowHeight - ratio);
    ctx.fillStyle = style.colour;
    ctx.fillText(m.label, tx, ty + ratio);
    freeFrom[row] = tx + textWidth + LABEL_GAP_PX * ratio;
  }
  ctx.restore();
}
