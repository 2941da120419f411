// Charts of the sampled series with uPlot: queue depth, produce vs consume
// rate, latency percentiles, user response time and delivery outcomes.
// Each chart picks its columns from the series by name, so queues and
// request flows are whatever the scenario has.
import uPlot from '../vendor/uPlot.esm.js';
import { t } from './i18n.js';
import { SERIES_COLOURS } from './palette.js';

const DEFAULT_HEIGHT = 220;
const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
const PNG_TITLE_FONT = '600 15px system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
const PNG_PADDING = 14;

/** The chart kinds a scenario gets: response time when it has request flows. */
export function chartKinds(columnNames) {
  const flows = columnNames.some((n) => n.startsWith('response_p50_ms.'));
  return ['depth', 'rates', 'latency', flows ? 'response' : 'outcomes'];
}

function suffixes(names, prefix) {
  return names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
}

/** Lines of a chart: [{column, label, scale?, dash?}]. */
function lines(kind, names, lang) {
  switch (kind) {
    case 'depth': {
      const queues = suffixes(names, 'depth.');
      const out = queues.map((q) => ({ column: `depth.${q}`, label: q }));
      if (queues.length > 1) out.push({ column: 'backlog', label: t(lang, 'series.backlog'), dash: [6, 4] });
      return out;
    }
    case 'rates':
      return [
        { column: 'produce_rate', label: t(lang, 'series.produce'), positive: true },
        { column: 'consume_rate', label: t(lang, 'series.consume'), positive: true },
      ];
    case 'latency':
      return ['p50', 'p95', 'p99'].map((p) => ({ column: `latency_${p}_ms`, label: p }));
    case 'response':
      return suffixes(names, 'response_p50_ms.').flatMap((flow) => [
        { column: `response_p50_ms.${flow}`, label: `${flow} p50` },
        { column: `response_p99_ms.${flow}`, label: `${flow} p99`, dash: [5, 4] },
      ]);
    default:
      return [
        { column: 'redelivered', label: t(lang, 'series.redelivered') },
        { column: 'dlq', label: t(lang, 'series.dlq') },
        { column: 'lost', label: t(lang, 'series.lost') },
        { column: 'dropped', label: t(lang, 'series.dropped') },
      ];
  }
}

function yLabel(kind, lang) {
  if (kind === 'rates') return t(lang, 'charts.per-second');
  if (kind === 'latency' || kind === 'response') return t(lang, 'charts.ms');
  return t(lang, 'charts.messages');
}

/** Ticks of a log axis at powers of ten only (uPlot's default adds 2…9 in every decade). */
function decades(u, axis, min, max) {
  const out = [];
  if (!(min > 0) || !(max > 0)) return out;
  for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) out.push(10 ** p);
  return out;
}

/** A live chart of one kind in `target`. */
export class Chart {
  /**
   * `endMs`: the run's length, so the time axis spans the whole run from the start.
   * `lines`: the chart's own lines ([{column, label, dash?}]) instead of its kind's.
   */
  constructor(target, kind, columnNames, { lang = 'en', height = DEFAULT_HEIGHT, endMs = null, lines: own = null } = {}) {
    this.target = target;
    this.kind = kind;
    this.lang = lang;
    this.height = height;
    this.lines = own ?? lines(kind, columnNames, lang);
    const series = [
      { label: 't (s)' },
      ...this.lines.map((line, i) => ({
        label: line.label,
        stroke: SERIES_COLOURS[i % SERIES_COLOURS.length],
        width: line.dash ? 1.5 : 2,
        dash: line.dash,
        spanGaps: false,
        points: { show: false },
      })),
    ];
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
        const values = columns[line.column] ?? [];
        // The rate axis is logarithmic: a zero rate has no place there and is left as a gap.
        return line.positive ? values.map((v) => (v > 0 ? v : null)) : values;
      }),
    ];
  }

  update(columns) {
    this.plot.setData(this.data(columns));
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
      ctx.fillStyle = SERIES_COLOURS[i % SERIES_COLOURS.length];
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
