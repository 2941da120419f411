// Markers: every fault, every live action, and what the engine did that
// changed the system (a crash, a member joining or leaving, a rebalance, a
// broker fenced, a leader elected…), kept by the engine for the whole run
// apart from the journal's ring (`Simulation.markers(from)`, `markerCount`).
// The charts draw them as labelled lines; the log's "faults and actions"
// filter lists them, so they never scroll out of it.
import { describeCommand, t } from '../lib/i18n.js';
import { page } from './run.js';

/** [{tMs, kind, subject, source: 'fault' | 'action' | 'engine', command}], in time order. */
let markers = [];

/** Starts over for a new or reset run. */
export function resetMarkers() {
  markers = [];
}

export function markerList() {
  return markers;
}

/** Takes in the markers the engine recorded since the last call. */
export function pullMarkers() {
  const sim = page.session.sim;
  if (sim.markerCount <= markers.length) return;
  for (const m of sim.markers(markers.length)) {
    markers.push({ tMs: m.t_ms, kind: m.kind, subject: m.subject, source: m.source, command: m.detail?.command ?? null });
  }
}

/** A marker in words: the fault or command it carried out, or the engine's event and what it happened to. */
export function markerText(m, lang = page.lang) {
  if (m.command) return describeCommand(lang, m.command);
  const kind = t(lang, `kind.${m.kind}`);
  return m.subject ? `${kind} · ${m.subject}` : kind;
}

/** What the charts draw: [{tMs, label, source}]; the engine's markers unlabelled. */
export function chartMarkers() {
  return markers.map((m) => ({ tMs: m.tMs, source: m.source, label: m.source === 'engine' ? '' : markerText(m) }));
}
