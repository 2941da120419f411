// Markers: every fault, every live action, and what the engine did in reply
// (a crash, a member joining or leaving, a rebalance, a broker fenced, a
// leader elected…), kept in full for the whole run, apart from the event
// log's ring of the latest journal events. The charts draw them as labelled
// lines; the log's "faults and actions" filter lists them.
//
// The engine keeps them (`Simulation.markers(from)`, `markerCount`); until a
// build has that, they are gathered here from the same sources: the
// scenario's scheduled faults, the live actions applied, and the journal's
// events that are not about one message, as each frame drains them.
import { describeCommand, t } from '../lib/i18n.js';
import { kindInfo, parseDurationMs, whereName } from './names.js';
import { page } from './run.js';

/** [{tMs, kind, subject, source: 'fault' | 'action' | 'engine', command?}], in time order. */
let markers = [];
let fromEngine = false;
let scheduledFaults = [];
const gathered = new Set(); // faults and actions already taken in: "fault#i" (scenario order), "action#i" (command log order)

/** Starts over for a new or reset run. */
export function resetMarkers() {
  markers = [];
  gathered.clear();
  fromEngine = typeof page.session.sim.markers === 'function';
  scheduledFaults = fromEngine ? [] : (JSON.parse(page.session.sim.scenarioJson()).faults ?? []).map((f) => ({ tMs: parseDurationMs(f.at), command: f.action }));
}

export function markerList() {
  return markers;
}

/** Takes in what happened since the last call; `columns` are the journal events the frame drained. */
export function pullMarkers(columns) {
  if (fromEngine) pullFromEngine();
  else gather(columns);
}

function pullFromEngine() {
  const sim = page.session.sim;
  if (sim.markerCount <= markers.length) return;
  for (const m of sim.markers(markers.length)) {
    markers.push({ tMs: m.t_ms, kind: m.kind, subject: m.subject ?? '', source: m.source, command: m.detail?.command ?? m.command ?? null });
  }
}

/** The same markers from the scenario, the command log and the journal (for a build without `markers()`). */
function gather(columns) {
  const s = page.session;
  const fresh = [];
  for (let i = 0; i < columns.length; i++) {
    const info = kindInfo(columns.kind[i]);
    if (info.message) continue;
    fresh.push({ tMs: columns.t_ms[i], kind: info.kind, subject: whereName({ kind: columns.kind[i], node: columns.node[i] }), source: 'engine' });
  }
  const now = s.nowMs;
  const add = (source, i, tMs, command) => {
    const id = `${source}#${i}`;
    if (tMs > now || gathered.has(id)) return;
    gathered.add(id);
    fresh.push({ tMs, kind: Object.keys(command)[0], subject: '', source, command });
  };
  scheduledFaults.forEach((f, i) => add('fault', i, f.tMs, f.command));
  s.commandLog()
    .slice(0, s.sim.commandsApplied)
    .forEach((c, i) => add('action', i, parseDurationMs(c.at), c.command));
  if (fresh.length === 0) return;
  markers.push(...fresh);
  markers.sort((a, b) => a.tMs - b.tMs);
}

/** A marker in words: the command it carried out, or the engine's event and where. */
export function markerText(m, lang = page.lang) {
  if (m.command) return describeCommand(lang, m.command);
  const kind = t(lang, `kind.${m.kind}`);
  return m.subject ? `${kind} · ${m.subject}` : kind;
}

/** What the charts draw: [{tMs, label, source}]. */
export function chartMarkers() {
  return markers.map((m) => ({ tMs: m.tMs, source: m.source, label: m.source === 'engine' ? '' : markerText(m) }));
}
