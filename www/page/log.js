// The event log: the latest journal events (a ring of LOG_CAPACITY) with
// the faults and live actions, newest first, filtered and searched. The
// "faults and actions" filter lists the markers (page/markers.js), kept in
// full for the whole run: a crash or a rebalance never scrolls out of it.
import { formatCount, formatSeconds } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { $, setClass, setText } from './dom.js';
import { markerList, markerText } from './markers.js';
import { eventText, kindInfo, reasonKey, whereName } from './names.js';
import { page, playback } from './run.js';

/** Journal events kept for the log and the inspector. */
const LOG_CAPACITY = 5000;
const LOG_ROWS = 200;
const LOG_ROWS_RUNNING = 40; // while running: the rows in view and some; all of them again when it stops

/** The kept events, oldest first: {t, kind, msg, node, key}. */
export let logEntries = [];

export function clearLog() {
  logEntries = [];
}

/** Keeps the newest of a frame's journal events (columns from drainEventColumns). */
export function appendLog(columns) {
  const n = columns.length;
  for (let i = Math.max(0, n - LOG_CAPACITY); i < n; i++) {
    logEntries.push({
      t: columns.t_ms[i],
      kind: columns.kind[i],
      msg: columns.msg[i],
      node: columns.node[i],
      key: columns.key[i],
      // Why a message was put back, and whether a delivery was a redelivery (builds with these columns).
      reason: columns.reason?.[i] ?? 0,
      redelivered: columns.redelivered?.[i] ?? 0,
    });
  }
  if (logEntries.length > LOG_CAPACITY) logEntries.splice(0, logEntries.length - LOG_CAPACITY);
}

function matches(entry, filter, search) {
  const info = kindInfo(entry.kind);
  if (filter === 'messages' && !info.message) return false;
  if (!search) return true;
  return (info.message && String(entry.msg) === search) || whereName(entry).includes(search) || info.kind.includes(search) || Boolean(reasonKey(entry.reason)?.includes(search));
}

/** Marker rows: {t, marker, text}; with `engine` also what the engine did (joins, rebalances…), else faults and actions only. */
function markerRows(search, engine) {
  const rows = [];
  for (const m of markerList()) {
    if (!engine && m.source === 'engine') continue;
    const text = markerText(m);
    if (!search || text.includes(search) || m.kind.includes(search)) rows.push({ t: m.tMs, marker: m, text });
  }
  return rows;
}

/**
 * The rows to show, newest first: for "faults and actions" every marker; for
 * "message events" the newest matching journal events; for "all" both (the
 * journal's own non-message events stand for the engine's markers there).
 */
function logRows(filter, search, limit) {
  if (filter === 'faults') return markerRows(search, true).reverse().slice(0, limit);
  const rows = [];
  for (let i = logEntries.length - 1; i >= 0 && rows.length < limit; i--) {
    if (matches(logEntries[i], filter, search)) rows.push(logEntries[i]);
  }
  if (filter === 'all') rows.push(...markerRows(search, false));
  rows.sort((a, b) => b.t - a.t);
  return rows.slice(0, limit);
}

export function renderLog() {
  const lang = page.lang;
  const filter = $('log-filter').value;
  const shown = logRows(filter, $('log-search').value.trim(), playback.running ? LOG_ROWS_RUNNING : LOG_ROWS);
  // The rows are kept and only their text changes: rebuilding two hundred rows
  // a few times a second cost a long run most of its frame time in layout.
  const body = $('log').tBodies[0];
  shown.forEach((entry, i) => {
    const row = body.rows[i] ?? body.insertRow();
    while (row.cells.length < 4) row.insertCell();
    fillRow(row, entry);
  });
  while (body.rows.length > shown.length) body.deleteRow(-1);
  const count = filter === 'faults' ? { key: 'log.showing-markers', total: markerList().length } : { key: 'log.showing', total: logEntries.length };
  $('log-count').textContent = t(lang, count.key, { shown: formatCount(shown.length, lang), total: formatCount(count.total, lang) });
}

function fillRow(row, entry) {
  const lang = page.lang;
  const [time, kind, msg, where] = row.cells;
  setText(time, formatSeconds(entry.t));
  if (entry.marker) {
    const source = entry.marker.source;
    setClass(row, source === 'engine' ? 'fault' : source);
    setText(kind, source === 'engine' ? t(lang, `kind.${entry.marker.kind}`) : t(lang, `log.${source}`));
    setText(msg, '–');
    setText(where, source === 'engine' ? entry.marker.subject : entry.text);
    return;
  }
  const info = kindInfo(entry.kind);
  setClass(row, info.message ? `kind-${info.kind}${entry.redelivered ? ' redelivered' : ''}` : 'fault');
  setText(kind, eventText(info.kind, entry.reason, entry.redelivered));
  if (reasonKey(entry.reason)) kind.dataset.reason = reasonKey(entry.reason);
  else delete kind.dataset.reason;
  setText(where, whereName(entry));
  if (!info.message) {
    setText(msg, '–');
    return;
  }
  let link = msg.firstElementChild;
  if (!link) {
    link = document.createElement('button');
    link.type = 'button';
    link.className = 'link';
    msg.replaceChildren(link);
  }
  link.dataset.msg = String(entry.msg);
  setText(link, `#${entry.msg}`);
}

/** Wires the filter, the search and the message links (`inspect(id)` opens one). */
export function wireLog(inspect) {
  $('log-filter').addEventListener('change', () => renderLog());
  $('log-search').addEventListener('input', () => renderLog());
  $('log').tBodies[0].addEventListener('click', (e) => {
    const link = e.target.closest('button.link');
    if (link) inspect(Number(link.dataset.msg));
  });
}
