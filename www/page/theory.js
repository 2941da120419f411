// The queueing-theory panel: each queue's (and Kafka group's) measured
// waiting time and length next to the engine's M/M/c overlay.
import { formatMs, formatNumber } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { $, element } from './dom.js';
import { page } from './run.js';

const HEADINGS = ['theory.queue', 'theory.lambda', 'theory.mu', 'theory.c', 'theory.rho', 'theory.wq', 'theory.l'];

export function renderTheory(summary) {
  const lang = page.lang;
  const groups = summary.kafka ? summary.kafka.groups : [];
  const rows = [...summary.queues, ...groups].filter((q) => q.overlay);
  const el = $('theory');
  if (rows.length === 0) {
    el.textContent = t(lang, 'theory.none');
    return;
  }
  const n = (x, d = 2) => formatNumber(x, lang, d);
  const table = element('table', { class: 'theory-table' });
  const head = table.createTHead().insertRow();
  for (const key of HEADINGS) head.append(element('th', { text: t(lang, key) }));
  const body = table.createTBody();
  for (const q of rows) {
    const o = q.overlay;
    const row = body.insertRow();
    row.dataset.queue = q.name;
    const wq = o.wq_analytic_ms == null ? '∞' : formatMs(o.wq_analytic_ms);
    const label = q.topic ? `${q.name} (${q.topic})` : q.name;
    const cells = [label, n(o.lambda, 1), n(o.mu, 1), String(o.servers), n(o.rho, 3), `${formatMs(o.wq_simulated_ms)} vs ${wq}`, `${n(o.l_measured)} vs ${n(o.l_little)}`];
    cells.forEach((text, i) => {
      const cell = row.insertCell();
      cell.textContent = text;
      if (i === 4 && o.unstable) cell.className = 'unstable';
    });
    const cell = body.insertRow().insertCell();
    cell.colSpan = HEADINGS.length;
    cell.className = 'theory-note';
    const parts = [];
    if (o.unstable) parts.push(`⚠ ${t(lang, 'theory.unstable')}`);
    if (o.partitioned_among === 1) parts.push(t(lang, 'theory.partitioned-one'));
    else if (o.partitioned_among != null) parts.push(t(lang, 'theory.partitioned', { members: o.partitioned_among }));
    else parts.push(t(lang, o.markovian ? 'theory.markovian' : 'theory.not-markovian'));
    cell.textContent = parts.join(' · ');
    if (o.unstable) cell.classList.add('unstable');
  }
  el.replaceChildren(table);
}
