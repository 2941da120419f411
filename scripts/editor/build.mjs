// Bundles the scenario editor's CodeMirror, with JSON-schema completion, hover
// documentation and linting, into one minified ES module for the page:
//   node scripts/editor/build.mjs <out-file>
// esbuild (from npm) does the bundling: CodeMirror's packages must share one
// instance of @codemirror/state, which a bundle gives and loose files from
// node_modules would not without an import map.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// Modules the page never runs, kept out of the bundle (about 400 KB
// minified): codemirror-json-schema's markdown renderer (replaced by
// ./markdown.mjs, see there) and its JSON5 and YAML parsers (the editor is
// in JSON mode; its parser table imports all three), and the e-mail address
// grammar behind json-schema-library's "email" format (the scenario schema
// has no formats).
const NEVER_RUN = 'export const parseJSON5DocumentState = unused, parseYAMLDocumentState = unused, parse = unused;\n'
  + 'function unused() { throw new Error("not in the page\'s editor bundle (scripts/editor/build.mjs)"); }\n';
const trimmed = {
  name: 'trimmed',
  setup(b) {
    const inLibrary = (args, name) => args.importer.includes(`${path.sep}${name}${path.sep}`);
    b.onResolve({ filter: /utils\/markdown(\.js)?$/ }, (args) =>
      inLibrary(args, 'codemirror-json-schema') ? { path: path.join(HERE, 'markdown.mjs') } : undefined,
    );
    b.onResolve({ filter: /(json5|yaml)-parser(\.js)?$/ }, (args) =>
      inLibrary(args, 'codemirror-json-schema') ? { path: 'never-run', namespace: 'trimmed' } : undefined,
    );
    b.onResolve({ filter: /^smtp-address-parser$/ }, () => ({ path: 'never-run', namespace: 'trimmed' }));
    b.onLoad({ filter: /.*/, namespace: 'trimmed' }, () => ({ contents: NEVER_RUN, loader: 'js' }));
  },
};

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/editor/build.mjs <out-file>');
  process.exit(2);
}
const result = await build({
  entryPoints: [path.join(HERE, 'entry.mjs')],
  outfile: out,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  legalComments: 'eof',
  plugins: [trimmed],
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`${path.relative(process.cwd(), out)}: ${bytes} bytes`);
