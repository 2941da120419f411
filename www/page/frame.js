// The page as a client of the page's one frame loop (lib/frame-loop.js), and
// what is drawn each frame: the loop advances the session (by the speed, to
// Run-to's instant or to the end) within its share of the frame budget; this
// drains the journal into the diagram, the log and the markers and refreshes
// the panels, the costly ones a few times a second while running. Paused, every
// panel is drawn from the same instant: renderNow() (run.js) brings them all
// there at once, from one summary and one topology.
import { join } from '../lib/frame-loop.js';
import { updateCharts } from './charts.js';
import { finishRun, renderStatus, stop } from './controls.js';
import { renderCounters } from './counters.js';
import { showError } from './dom.js';
import { renderFlowText } from './flow.js';
import { renderInspector } from './inspector.js';
import { renderLiveState } from './live.js';
import { appendLog, renderLog } from './log.js';
import { pullMarkers } from './markers.js';
import { renderPartitions } from './partitions.js';
import { markDirty, page, playback, setRenderer, speed } from './run.js';
import { renderTheory } from './theory.js';

const COUNTER_UI_MS = 100; // counters and status: fast enough to read, without a layout every frame
const CHART_UI_MS = 250;
const SLOW_UI_MS = 250; // the log, theory table and inspector refresh this often

const last = { counters: 0, charts: 0, slow: 0 };

const pageClient = {
  get session() {
    return page.session;
  },
  get running() {
    return playback.running;
  },
  get speed() {
    return speed();
  },
  get until() {
    if (playback.runTo != null) return playback.runTo;
    return playback.toEnd ? Infinity : null;
  },
  wantsFrame() {
    if (!page.session || !page.view) return false;
    return playback.running || playback.dirty || (page.view.playing && page.view.particles.length > 0);
  },
  frame(now, gap, tick) {
    const s = page.session;
    syncToNow(tick.simElapsedMs);
    if (playback.running && (s.finished || (playback.runTo != null && s.nowMs >= playback.runTo))) finishRun();
    const changed = playback.dirty || playback.running;
    if (changed) renderAll(false, now);
    if (changed || page.view.particles.length) page.view.draw(gap);
    playback.dirty = false;
  },
  fail(err) {
    stop();
    showError(err);
  },
};

// Any panel can redraw every panel at once, at the session's instant, with run.js's renderNow().
setRenderer(() => {
  syncToNow(0);
  renderAll(true);
});

/** Joins the page to the frame loop. */
export function startFrames() {
  join(pageClient);
}

/** Brings the diagram, the log and the markers to the session's instant: the topology now, and the journal drained. */
function syncToNow(simElapsedMs) {
  const s = page.session;
  const columns = s.drain();
  s.refreshTopology();
  page.view.setTopology(s.topology);
  pullMarkers();
  if (columns.length === 0 && simElapsedMs === 0) return;
  page.view.ingest(columns, simElapsedMs);
  appendLog(columns);
  markDirty();
}

function renderAll(force, now = performance.now()) {
  const s = page.session;
  const summary = s.summary();
  page.view.setSummary(summary);
  const paused = !playback.running;
  if (force || paused || now - last.counters > COUNTER_UI_MS) {
    last.counters = now;
    renderCounters(summary);
    renderStatus();
  }
  if (force || paused || now - last.charts > CHART_UI_MS) {
    last.charts = now;
    if (s.pullSeries() || force) updateCharts();
  }
  if (force || paused || now - last.slow > SLOW_UI_MS) {
    last.slow = now;
    renderTheory(summary);
    renderPartitions(summary);
    renderLog();
    renderInspector();
    renderLiveState();
    renderFlowText();
  }
  if (force) page.view.draw(0);
}
