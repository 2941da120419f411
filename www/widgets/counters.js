// The counters under a widget's diagram: each a figure from the summary (or
// the topology), never computed here. A demo lists the counters its text
// names; some expand to one box per request flow, queue or consumer group.
import { formatCount, formatMs } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { element, rebuildIf } from './dom.js';
import { wt } from './strings.js';

/** One box: `value` is the number tests read (data-value), `text` what is shown. */
function box(key, label, value, lang, extra = {}) {
  return { key, label, value, text: extra.text ?? formatCount(value, lang), detail: extra.detail ?? '', title: extra.title ?? '' };
}

const SINGLE = {
  published: (s, lang) => {
    // A message published to several queues is several copies; the other counters count copies.
    const copies = s.produced !== s.published;
    return box('published', t(lang, 'counter.published'), s.published, lang, {
      detail: copies ? t(lang, 'counter.copies', { n: formatCount(s.produced, lang) }) : '',
      title: copies ? t(lang, 'counter.copies-title') : '',
    });
  },
  processed: (s, lang) => box('processed', t(lang, 'counter.processed'), s.states.processed, lang),
  // Backlog as the page counts it: stored or delivered and not yet acked.
  stored: (s, lang) => box('stored', t(lang, 'counter.stored'), s.states.stored + s.states.in_flight, lang),
  in_flight: (s, lang) => box('in_flight', t(lang, 'counter.in_flight'), s.states.in_flight, lang),
  redelivered: (s, lang) => box('redelivered', t(lang, 'counter.redelivered'), s.redeliveries, lang),
  duplicates: (s, lang) => box('duplicates', t(lang, 'counter.duplicates'), s.duplicates, lang),
  dead_lettered: (s, lang) => box('dead_lettered', t(lang, 'counter.dead_lettered'), s.dead_lettered_total, lang),
  lost: (s, lang) => box('lost', t(lang, 'counter.lost'), s.states.lost, lang),
  peak: (s, lang) =>
    box('peak', t(lang, 'counter.peak'), s.peak_backlog.messages, lang, {
      detail: s.peak_backlog.messages > 0 ? wt(lang, 'widget.peak-at', { t: formatMs(s.peak_backlog.at_ms) }) : '',
    }),
};

const MANY = {
  /** One box per request flow: answered, failed, and the response time's median. */
  requests: (s, lang) =>
    (s.requests ?? []).map((r) =>
      box(`requests.${r.name}`, wt(lang, 'widget.requests-label', { flow: r.name }), r.completed, lang, {
        text: wt(lang, 'widget.requests-value', { ok: formatCount(r.completed, lang), failed: formatCount(r.failed, lang) }),
        detail: r.response_ms.count ? wt(lang, 'widget.response', { p50: formatMs(r.response_ms.p50) }) : '',
      }),
    ),
  /** One box per queue: its peak depth and when. */
  'queue-peaks': (s, lang) =>
    s.queues.map((q) =>
      box(`queue-peak.${q.name}`, wt(lang, 'widget.queue-peak', { queue: q.name }), q.peak.messages, lang, {
        detail: q.peak.messages > 0 ? wt(lang, 'widget.peak-at', { t: formatMs(q.peak.at_ms) }) : '',
      }),
    ),
  /** One box per AMQP consumer group: duplicate side effects, and what its dedup store caught. */
  'group-duplicates': (s, lang) =>
    (s.amqp?.groups ?? []).map((g) =>
      box(`duplicates.${g.name}`, wt(lang, 'widget.group-duplicates', { group: g.name }), g.duplicates, lang, {
        detail: g.dedup_store == null ? wt(lang, 'widget.no-dedup') : wt(lang, 'widget.dedup-hits', { n: formatCount(g.dedup_hits, lang) }),
      }),
    ),
};

/** The boxes a demo's counter list expands to, for this summary. */
export function counterBoxes(keys, summary, lang) {
  return keys.flatMap((key) => (SINGLE[key] ? [SINGLE[key](summary, lang)] : MANY[key]?.(summary, lang) ?? []));
}

/** Draws the boxes into the <dl>, rebuilding it only when the set of boxes changes. */
export function renderCounters(dl, keys, summary, lang) {
  const boxes = counterBoxes(keys, summary, lang);
  rebuildIf(dl, `${lang}|${boxes.map((b) => b.key).join(',')}`, () =>
    boxes.map((b) => element('div', { 'data-counter': b.key }, element('dt'), element('dd', {}, element('span'), element('small')))),
  );
  boxes.forEach((b, i) => {
    const div = dl.children[i];
    div.querySelector('dt').textContent = b.label;
    div.title = b.title;
    const dd = div.querySelector('dd');
    dd.dataset.value = String(b.value);
    dd.firstChild.textContent = b.text;
    dd.lastChild.textContent = b.detail;
    dd.lastChild.hidden = !b.detail;
  });
  dl.hidden = boxes.length === 0;
}
