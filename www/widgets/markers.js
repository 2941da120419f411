// The markers a widget's time charts draw: every fault and live action (a
// labelled line) and what the engine did in reply (a fainter line), as the
// engine keeps them in full (`Simulation.markers(from)`, `markerCount`). A
// build without them draws none.
import { describeCommand, t } from '../lib/i18n.js';

export class WidgetMarkers {
  constructor(session) {
    this.session = session;
    this.list = [];
  }

  /** Takes in the markers the engine recorded since the last call; returns whether there were any. */
  pull() {
    const sim = this.session.sim;
    if (typeof sim.markers !== 'function' || sim.markerCount <= this.list.length) return false;
    for (const m of sim.markers(this.list.length)) {
      this.list.push({ tMs: m.t_ms, kind: m.kind, subject: m.subject ?? '', source: m.source, command: m.detail?.command ?? m.command ?? null });
    }
    return true;
  }

  /** What the charts draw: [{tMs, label, source}]; only faults and actions are labelled. */
  forCharts(lang) {
    return this.list.map((m) => ({ tMs: m.tMs, source: m.source, label: m.source === 'engine' ? '' : label(m, lang) }));
  }
}

function label(m, lang) {
  if (m.command) return describeCommand(lang, m.command);
  const kind = t(lang, `kind.${m.kind}`);
  return m.subject ? `${kind} · ${m.subject}` : kind;
}
