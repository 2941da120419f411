// Assembles the npm package of the widgets (packages/widgets/) from www/ and
// the wasm build, generates its custom-elements.json, and packs it:
//
//   node scripts/build-package.mjs      (after scripts/build-web.sh)
//
// writes packages/widgets/{www/,index.html,custom-elements.json} and the
// tarball packages/widgets/mqsim-widgets.tgz, which the examples and tests
// install (a fixed name, so that their package.json need not change with the
// version).
//
// The package keeps www/'s layout, so the URLs the modules build from
// import.meta.url (../pkg/mqsim_bg.wasm, ../pkg/presets/, ../vendor/uPlot,
// ../../index.html for "open in the full simulator") hold in node_modules,
// on a CDN and in a bundler's output alike.
import { execFileSync } from 'node:child_process';
import { cp, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = path.join(ROOT, 'packages/widgets');
export const TARBALL = path.join(PACKAGE, 'mqsim-widgets.tgz');

/** What the package ships from www/: the widgets, what they import, the simulator, uPlot, and the full page the widgets link to. */
const FROM_WWW = ['widgets', 'lib', 'pkg', 'vendor', 'page', 'style.css', 'docs.html'];

async function exists(file) {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The crate's version: the package is the same release of the same simulator. */
async function crateVersion() {
  const toml = await readFile(path.join(ROOT, 'Cargo.toml'), 'utf8');
  return /^version\s*=\s*"([^"]+)"/m.exec(toml)[1];
}

async function assemble() {
  for (const needed of ['www/pkg/mqsim.js', 'www/pkg/mqsim_bg.wasm', 'www/pkg/presets/index.json', 'www/vendor/uPlot.esm.js']) {
    if (!(await exists(path.join(ROOT, needed)))) throw new Error(`${needed} is missing: run scripts/build-web.sh first`);
  }
  const manifest = JSON.parse(await readFile(path.join(PACKAGE, 'package.json'), 'utf8'));
  const version = await crateVersion();
  if (manifest.version !== version) throw new Error(`packages/widgets/package.json has version ${manifest.version}, Cargo.toml ${version}: make them equal`);

  for (const generated of ['www', 'index.html', 'custom-elements.json']) await rm(path.join(PACKAGE, generated), { recursive: true, force: true });
  for (const entry of await readdir(PACKAGE)) if (entry.endsWith('.tgz')) await rm(path.join(PACKAGE, entry));
  // Dot-files (www/pkg/.built, .gitignore) are build bookkeeping, not assets.
  const filter = (source) => !path.basename(source).startsWith('.');
  for (const item of FROM_WWW) await cp(path.join(ROOT, 'www', item), path.join(PACKAGE, 'www', item), { recursive: true, filter });
  await cp(path.join(ROOT, 'index.html'), path.join(PACKAGE, 'index.html'));
}

function analyze() {
  const cli = path.join(ROOT, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
  execFileSync(process.execPath, [cli, 'analyze', '--config', 'custom-elements-manifest.config.mjs'], { cwd: PACKAGE, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function pack() {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', PACKAGE], { cwd: PACKAGE, encoding: 'utf8' });
  const [{ filename, size, unpackedSize, entryCount }] = JSON.parse(out);
  await rename(path.join(PACKAGE, filename), TARBALL);
  return { filename, size, unpackedSize, entryCount };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await assemble();
  analyze();
  const packed = await pack();
  console.log(`packages/widgets/mqsim-widgets.tgz (${packed.filename}): ${packed.entryCount} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
}
