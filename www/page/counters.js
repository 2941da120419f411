// The counters in the dock: every figure is a field of the engine's summary.
// Where the scenario has several Kafka consumer groups (or groups beside
// queues), duplicates, out-of-order and lost are also shown per group.
import { formatCount, formatMs } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { $, element, setValue } from './dom.js';
import { page } from './run.js';

/** The counters split per Kafka group: element id → the group summary's field. */
const SPLITS = { duplicates: 'duplicates', 'out-of-order': 'out_of_order', lost: 'lost' };

/** Each group's figure under a counter, e.g. "eager 1,817 · cooperative 1,816" (data-group and data-value on each). */
function renderSplits(s) {
  const groups = s.kafka?.groups ?? [];
  const split = groups.length > 1 || (groups.length === 1 && s.queues.length > 0);
  for (const [id, field] of Object.entries(SPLITS)) {
    const el = $(`${id}-split`);
    const text = split ? groups.map((g) => `${g.name} ${formatCount(g[field], page.lang)}`).join(' · ') : '';
    if (el.dataset.text === text) continue;
    el.dataset.text = text;
    // One span per group (unbroken), with a breakable " · " between them.
    const spans = split ? groups.map((g) => element('span', { 'data-group': g.name, 'data-value': String(g[field]), text: `${g.name} ${formatCount(g[field], page.lang)}` })) : [];
    el.replaceChildren(...spans.flatMap((span, i) => (i ? [' · ', span] : [span])));
    el.title = split ? t(page.lang, 'counter.per-group') : '';
    // A counter split per group takes two columns, so that each group's figure has room.
    el.closest('div').classList.toggle('wide', split);
  }
}

/**
 * Request-reply: requests sent and those the client gave up on. Shown only
 * where the scenario has clients that wait for replies (`amqp.rpc`), so a
 * reader of the request-reply preset sees the figure its text gives.
 */
function renderRequests(s) {
  const rpc = s.amqp?.rpc;
  const show = Boolean(rpc && rpc.requests > 0);
  $('rpc-requests').closest('div').hidden = !show;
  if (!show) return;
  setValue('rpc-requests', rpc.requests, formatCount(rpc.requests, page.lang));
  setValue('rpc-timed-out', rpc.timed_out, formatCount(rpc.timed_out, page.lang));
}

export function renderCounters(s) {
  const lang = page.lang;
  const count = (id, n) => setValue(id, n, formatCount(n, lang));
  count('published', s.published);
  count('produced', s.produced);
  // A message published to several queues is several copies, and the other counters count copies.
  const copies = s.produced !== s.published ? t(lang, 'counter.copies', { n: formatCount(s.produced, lang) }) : '';
  if ($('copies').textContent !== copies) {
    $('copies').textContent = copies;
    $('copies').title = copies ? t(lang, 'counter.copies-title') : '';
  }
  count('processed', s.states.processed);
  count('in-flight', s.states.in_flight);
  count('stored', s.states.stored + s.states.in_flight);
  count('redeliveries', s.redeliveries);
  count('duplicates', s.duplicates);
  count('out-of-order', s.out_of_order);
  count('dead-lettered', s.dead_lettered_total);
  count('expired', s.states.expired);
  count('lost', s.states.lost);
  count('dropped', s.states.dropped);
  renderRequests(s);
  count('peak-backlog', s.peak_backlog.messages);
  setValue('peak-backlog-at', s.peak_backlog.at_ms, formatMs(s.peak_backlog.at_ms));
  const latency = s.latency_ms.count > 0;
  setValue('latency-p50', latency ? s.latency_ms.p50 : null, latency ? formatMs(s.latency_ms.p50) : '–');
  setValue('latency-p95', latency ? s.latency_ms.p95 : null, latency ? formatMs(s.latency_ms.p95) : '–');
  setValue('latency-p99', latency ? s.latency_ms.p99 : null, latency ? formatMs(s.latency_ms.p99) : '–');
  setValue('trace-hash', s.trace_hash, s.trace_hash);
  setValue('ledger', s.ledger_balanced, t(lang, s.ledger_balanced ? 'counter.ledger-ok' : 'counter.ledger-bad'));
  renderSplits(s);
}
