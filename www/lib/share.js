// A run in a link: preset name (or the whole scenario, compressed), seed and
// the log of live actions go into the URL's fragment, so that opening the
// link replays exactly the same run. The fragment never reaches a server.

const COMPRESSION = 'deflate-raw';

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

async function pack(text) {
  const bytes = new TextEncoder().encode(text);
  if (typeof CompressionStream !== 'function') return `j${toBase64Url(bytes)}`;
  return `z${toBase64Url(await pipe(bytes, new CompressionStream(COMPRESSION)))}`;
}

async function unpack(text) {
  const bytes = fromBase64Url(text.slice(1));
  if (text[0] === 'z') return new TextDecoder().decode(await pipe(bytes, new DecompressionStream(COMPRESSION)));
  return new TextDecoder().decode(bytes);
}

/** The fragment ("#…") for a run: {preset | json, seed, log, lang}, and the open lesson step ({lesson, step}). */
export async function encodeShare({ preset, json, seed, log = [], lang, lesson = null }) {
  const params = new URLSearchParams();
  if (lesson) {
    // A lesson step names its own scenario and live commands.
    params.set('lesson', lesson.lesson);
    params.set('step', String(lesson.step + 1));
    if (lang) params.set('lang', lang);
    return `#${params}`;
  }
  if (preset) params.set('preset', preset);
  else params.set('scenario', await pack(json));
  if (seed != null) params.set('seed', String(seed));
  if (log.length) params.set('log', await pack(JSON.stringify(log)));
  if (lang) params.set('lang', lang);
  return `#${params}`;
}

/** The run a fragment describes, or null when it describes none. */
export async function decodeShare(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (params.get('lesson')) {
    const step = Number(params.get('step') ?? 1);
    return { lesson: params.get('lesson'), step: Number.isInteger(step) && step > 0 ? step - 1 : 0, lang: params.get('lang') };
  }
  const preset = params.get('preset');
  const scenario = params.get('scenario');
  if (!preset && !scenario) return params.get('lang') ? { lang: params.get('lang') } : null;
  const seed = params.has('seed') ? Number(params.get('seed')) : null;
  return {
    preset: preset || null,
    json: scenario ? await unpack(scenario) : null,
    seed: Number.isFinite(seed) ? seed : null,
    log: params.has('log') ? JSON.parse(await unpack(params.get('log'))) : [],
    lang: params.get('lang'),
  };
}
