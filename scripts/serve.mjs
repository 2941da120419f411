// A tiny static file server for the web page, on 127.0.0.1 only.
//
//   node scripts/serve.mjs [--port N] [--root DIR]   (port also from $PORT; default 8000)
//
// If the port is taken it tries the next few, then lets the OS pick one. It prints
// the URL as `http://127.0.0.1:PORT/`. Tests import `startServer` instead.
// It serves files only: no directory listings, nothing outside the root, and no
// dot-files or dot-folders (.git, .ci).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOST = '127.0.0.1';
export const DEFAULT_PORT = 8000;
const PORT_TRIES = 20;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

function contentType(file) {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file a URL path names under root, or null if it names nothing servable. */
export function resolveUnder(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const segments = decoded.split(/[/\\]+/).filter(Boolean);
  if (segments.some((s) => s.startsWith('.'))) return null; // also rules out ".."
  const file = path.resolve(root, ...segments);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}

async function handle(root, base, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed');
  }
  const pathname = new URL(req.url, 'http://localhost').pathname;
  // Under a base path (a site deployed at /mqsim/), nothing outside it exists, as on the real host.
  if (!pathname.startsWith(base)) return send(res, 404, 'not found');
  let file = resolveUnder(root, pathname.slice(base.length - 1));
  if (!file) return send(res, 404, 'not found');
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = path.join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(res, 404, 'not found');
  res.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': info.size,
    // A development server: always serve the latest build.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address().port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/**
 * Starts serving `root` on 127.0.0.1, at the URL path `base` (`/mqsim/`:
 * root's index.html is /mqsim/index.html, and / is not found). `port` 0 lets
 * the OS choose; a busy port is followed by the next ones and at last by an
 * OS-chosen one. Resolves to `{ server, port, url, close() }`; `url` ends in the base.
 */
export async function startServer({ root = REPO_ROOT, port = DEFAULT_PORT, base = '/' } = {}) {
  const absRoot = path.resolve(root);
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`base must start and end with "/": ${base}`);
  const server = http.createServer((req, res) => {
    handle(absRoot, base, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  const candidates = port === 0 ? [0] : [...Array(PORT_TRIES).keys()].map((i) => port + i).concat(0);
  for (const candidate of candidates) {
    try {
      const actual = await listen(server, candidate);
      return {
        server,
        port: actual,
        url: `http://${HOST}:${actual}${base}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
      };
    } catch (err) {
      if (err.code !== 'EADDRINUSE' && err.code !== 'EACCES') throw err;
    }
  }
  throw new Error(`no free port from ${port}`);
}

function parseArgs(argv) {
  const options = { port: Number(process.env.PORT || DEFAULT_PORT), root: REPO_ROOT };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') options.port = Number(argv[++i]);
    else if (argv[i] === '--root') options.root = argv[++i];
    else throw new Error(`unknown argument: ${argv[i]} (usage: serve.mjs [--port N] [--root DIR])`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`bad port: ${options.port}`);
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const { url } = await startServer(options);
  console.log(`Serving ${options.root} at ${url}  (Ctrl-C to stop)`);
  const stop = () => process.exit(0);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
