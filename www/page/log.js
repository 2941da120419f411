// The event log: the latest journal events (a ring of LOG_CAPACITY) and the
// live actions applied, newest first, filtered by kind and searched.
import { formatCount, formatSeconds } from '../lib/format.js';
import { describeCommand, t } from '../lib/i18n.js';
import { $, setClass, setText } from './dom.js';
import { kindInfo, parseDurationMs, whereName } from './names.js';
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
    logEntries.push({ t: columns.t_ms[i], kind: columns.kind[i], msg: columns.msg[i], node: columns.node[i], key: columns.key[i] });
  }
  if (logEntries.length > LOG_CAPACITY) logEntries.splice(0, logEntries.length - LOG_CAPACITY);
}

function matches(entry, filter, search) {
  const info = kindInfo(entry.kind);
  if (filter === 'messages' && !info.message) return false;
  if (filter === 'faults' && info.message) return false;
  if (!search) return true;
  return (info.message && String(entry.msg) === search) || whereName(entry).includes(search) || info.kind.includes(search);
}

/** The rows to show: the newest matching events and the applied actions, newest first. */
function logRows(filter, search, limit) {
  const rows = [];
  for (let i = logEntries.length - 1; i >= 0 && rows.length < limit; i--) {
    if (matches(logEntries[i], filter, search)) rows.push(logEntries[i]);
  }
  const commands = filter === 'messages' ? [] : page.session.commandLog().slice(0, page.session.sim.commandsApplied);
  for (const c of commands) {
    const text = describeCommand(page.lang, c.command);
    if (!search || text.includes(search)) rows.push({ t: parseDurationMs(c.at), text });
  }
  rows.sort((a, b) => b.t - a.t);
  return rows.slice(0, limit);
}

export function renderLog() {
  const lang = page.lang;
  const shown = logRows($('log-filter').value, $('log-search').value.trim(), playback.running ? LOG_ROWS_RUNNING : LOG_ROWS);
  // The rows are kept and only their text changes: rebuilding two hundred rows
  // a few times a second cost a long run most of its frame time in layout.
  const body = $('log').tBodies[0];
  shown.forEach((entry, i) => {
    const row = body.rows[i] ?? body.insertRow();
    while (row.cells.length < 4) row.insertCell();
    fillRow(row, entry);
  });
  while (body.rows.length > shown.length) body.deleteRow(-1);
  $('log-count').textContent = t(lang, 'log.showing', { shown: formatCount(shown.length, lang), total: formatCount(logEntries.length, lang) });
}

function fillRow(row, entry) {
  const lang = page.lang;
  const [time, kind, msg, where] = row.cells;
  setText(time, formatSeconds(entry.t));
  if (entry.text) {
    setClass(row, 'action');
    setText(kind, t(lang, 'log.action'));
    setText(msg, '');
    setText(where, entry.text);
    return;
  }
  const info = kindInfo(entry.kind);
  setClass(row, info.message ? `kind-${info.kind}` : 'fault');
  setText(kind, t(lang, `kind.${info.kind}`));
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
