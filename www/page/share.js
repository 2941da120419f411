// Sharing and export: the run in the URL's fragment (kept current, and
// copied by the share button) and the scenario as a JSON file.
import { download } from '../lib/charts.js';
import { t } from '../lib/i18n.js';
import { encodeShare } from '../lib/share.js';
import { $, showError } from './dom.js';
import { lessonShareState } from './lessons.js';
import { page } from './run.js';

const FLASH_MS = 1600;

/** The scenario's name, for file names. */
export function scenarioName() {
  return page.session.summary().scenario;
}

async function shareUrl() {
  const hash = await encodeShare({ ...page.session.shareState(), lang: page.lang, lesson: lessonShareState() });
  return `${location.origin}${location.pathname}${hash}`;
}

/** Keeps the address bar's link replaying the run as it is now. */
export function syncUrl() {
  if (!page.session) return;
  shareUrl()
    .then((url) => history.replaceState(null, '', url))
    .catch(showError);
}

export async function copyShareLink() {
  const url = await shareUrl();
  history.replaceState(null, '', url);
  try {
    await navigator.clipboard.writeText(url);
    flashButton($('share'), t(page.lang, 'controls.shared'));
  } catch {
    // No clipboard (an insecure context, or permission refused): the address bar has the link.
    flashButton($('share'), url.length > 60 ? `${url.slice(0, 57)}…` : url);
  }
}

function flashButton(b, text) {
  const before = b.textContent;
  b.textContent = text;
  setTimeout(() => (b.textContent = before), FLASH_MS);
}

export function exportScenario() {
  const text = page.session.sim.scenarioJson();
  download(`${scenarioName()}.json`, new Blob([text], { type: 'application/json' }));
}
