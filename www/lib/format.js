// Formatting numbers and simulated times for people; no arithmetic on results.

const LOCALES = { en: 'en-US', zh: 'zh-CN' };
const formats = new Map(); // Intl.NumberFormat is costly to build: one per language and precision

function numberFormat(lang, digits) {
  const key = `${lang}/${digits}`;
  if (!formats.has(key)) formats.set(key, new Intl.NumberFormat(LOCALES[lang] ?? 'en-US', { maximumFractionDigits: digits }));
  return formats.get(key);
}

/** A count with thousands separators, or "–" when missing. */
export function formatCount(n, lang = 'en') {
  return n == null || Number.isNaN(n) ? '–' : numberFormat(lang, 0).format(Math.round(n));
}

/** A number with at most `digits` decimals. */
export function formatNumber(x, lang = 'en', digits = 2) {
  if (x == null || !Number.isFinite(x)) return x === Infinity ? '∞' : '–';
  return numberFormat(lang, digits).format(x);
}

/** Milliseconds as "350.0 ms" or "1.25 s". */
export function formatMs(ms) {
  if (ms == null || Number.isNaN(ms)) return '–';
  // 999.99 ms would print as "1000.0 ms": switch to seconds where the rounding does.
  if (Math.abs(ms) >= 999.95) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** A simulated instant in seconds, for logs: "12.345 s". */
export function formatSeconds(ms) {
  return ms == null ? '–' : `${(ms / 1000).toFixed(3)} s`;
}
