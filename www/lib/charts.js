// Charts of the sampled series with uPlot. Which charts a scenario gets and
// what each draws is lib/chart-lines.js (queue depth, rates, latency,
// outcomes or response time; Kafka lag, partitions owned, committed offset vs
// high watermark); every time chart can show markers (lib/chart-markers.js).
import uPlot from '../vendor/uPlot.esm.js';
import { chartKinds, chartLines, yLabel } from './chart-lines.js';
import { markersPlugin } from './chart-markers.js';
import { t } from './i18n.js';
import { SERIES_COLOURS } from './palette.js';

export { chartKinds };

const DEFAULT_HEIGHT = 220;
const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
const PNG_TITLE_FONT = '600 15px system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
const PNG_PADDING = 14;

/** Ticks of a log axis at powers of ten only (uPlot's default adds 2…9 in every decade). */
function decades(u, axis, min, max) {
  const out = [];
  if (!(min > 0) || !(max > 0)) return out;
  for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) out.push(10 ** p);
  return out;
}

/** A line's colour: its own, its group's, or the next in the palette. */
function lineColour(line, i) {
  return line.colour ?? SERIES_COLOURS[(line.group ?? i) % SERIES_COLOURS.length];
}

/** A live chart of one kind in `target`. */
export class Chart {
  /**
   * `endMs`: the run's length, so the time axis spans the whole run from the start.
   * `lines`: the chart's own lines ([{column, label, dash?}]) instead of its kind's.
   * `perPartition`: the lag chart shows each partition (see lib/chart-lines.js).
   * `markers`: a function returning the markers to draw now ([{tMs, label, source}]).
   */
  constructor(target, kind, columnNames, { lang = 'en', height = DEFAULT_HEIGHT, endMs = null, lines: own = null, perPartition = false, markers = null } = {}) {
    this.target = target;
    this.kind = kind;
    this.lang = lang;
    this.height = height;
    const spec = own ? { lines: own } : chartLines(kind, columnNames, lang, { perPartition });
    this.lines = spec.lines;
    const series = [
      { label: 't (s)' },
      ...this.lines.map((line, i) => ({
        label: line.label,
        stroke: lineColour(line, i),
        width: line.width ?? (line.dash ? 1.5 : 2),
        dash: line.dash ?? undefined,
        spanGaps: false,
        points: { show: false },
        ...(line.step ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
      })),
    ];
    // uPlot counts the x values as series 0.
    const bands = (spec.bands ?? []).map((b) => ({ series: [b.upper + 1, b.lower + 1], fill: `${SERIES_COLOURS[b.group % SERIES_COLOURS.length]}33` }));
    const axis = { font: FONT, labelFont: FONT, stroke: '#5d6d7e', grid: { stroke: '#eceff2' }, ticks: { stroke: '#d5d8dc' } };
    this.plot = new uPlot(
      {
        width: this.width(),
        height,
        scales: {
          x: endMs ? { time: false, range: () => [0, endMs / 1000] } : { time: false },
          y: kind === 'rates' ? { distr: 3 } : {},
        },
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        axes: [
          { ...axis, label: t(lang, 'charts.time') },
          { ...axis, label: yLabel(kind, lang), size: 62, ...(kind === 'rates' ? { splits: decades } : {}) },
        ],
        series,
        bands,
        plugins: markers ? [markersPlugin(markers)] : [],
      },
      this.data(null),
      target,
    );
  }

  width() {
    return Math.max(this.target.clientWidth, 260);
  }

  /** The chart's data from the accumulated series columns. */
  data(columns) {
    // Before the first sample, one empty point at t = 0 so that the axes are drawn.
    if (!columns || columns.t_ms.length === 0) return [[0], ...this.lines.map(() => [null])];
    const x = columns.t_ms.map((ms) => ms / 1000);
    return [
      x,
      ...this.lines.map((line) => {
        const values = line.values ? line.values(columns) : columns[line.column] ?? [];
        // The rate axis is logarithmic: a zero rate has no place there and is left as a gap.
        return line.positive ? values.map((v) => (v > 0 ? v : null)) : values;
      }),
    ];
  }

  update(columns) {
    this.plot.setData(this.data(columns));
  }

  /** The last sample drawn: {tMs, lines: [{label, column, value}]} (a text alternative reads it), or null before the first. */
  latest() {
    const [x, ...ys] = this.plot.data;
    const i = x.length - 1;
    if (i < 0 || ys.every((y) => y[i] == null)) return null;
    return { tMs: x[i] * 1000, lines: this.lines.map((line, k) => ({ label: line.label, column: line.column ?? null, value: ys[k][i] ?? null })) };
  }

  /** Draws again with the same data (new markers). */
  redraw() {
    this.plot.redraw(false, false);
  }

  resize() {
    this.plot.setSize({ width: this.width(), height: this.height });
  }

  destroy() {
    this.plot.destroy();
  }

  /** The chart as a PNG blob, with its title and legend drawn above it. */
  async png(title) {
    const source = this.plot.ctx.canvas;
    const legendH = 22;
    const out = document.createElement('canvas');
    out.width = source.width + 2 * PNG_PADDING;
    out.height = source.height + 2 * PNG_PADDING + 28 + legendH;
    const ctx = out.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = '#1c2833';
    ctx.font = PNG_TITLE_FONT;
    ctx.textBaseline = 'top';
    ctx.fillText(title, PNG_PADDING, PNG_PADDING);
    ctx.font = FONT;
    let x = PNG_PADDING;
    this.lines.forEach((line, i) => {
      ctx.fillStyle = lineColour(line, i);
      ctx.fillRect(x, PNG_PADDING + 30, 14, 4);
      ctx.fillStyle = '#1c2833';
      ctx.fillText(line.label, x + 18, PNG_PADDING + 26);
      x += 30 + ctx.measureText(line.label).width;
    });
    ctx.drawImage(source, PNG_PADDING, PNG_PADDING + 28 + legendH);
    return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
  }
}

/** Offers `blob` as a download called `name`. */
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
