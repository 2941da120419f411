#!/usr/bin/env bash
# Builds the web page's assets: the wasm module and its JS glue into www/pkg/,
# optimised by binaryen's wasm-opt (from npm), and uPlot into www/vendor/.
# Run scripts/setup.sh first (serve.sh and test.sh do).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# rustc's wasm32-unknown-unknown target emits these features by default (it lists
# them in the module's target_features section); wasm-opt must be allowed every one
# of them or it fails to validate or, worse, lowers what it should keep. Named
# explicitly so the build does not depend on the section surviving wasm-bindgen.
WASM_OPT_FEATURES=(
  --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-reference-types
  --enable-multivalue --enable-call-indirect-overlong
)
# -Os: the module is what the page downloads. (-Os, not -Oz: after gzip,
# which is what is downloaded, -Os is 0.4 KB smaller, and as fast; cargo's
# `wasm` profile has done most of the work.)
# -ocimfs 20 (--one-caller-inline-max-function-size): do not inline a larger
# function into its only caller just because it has one; and
# --reorder-functions-by-name, which puts a generic's copies side by side.
# Neither makes the raw module smaller, but together they make it 16 KB
# smaller gzipped (6 %): gzip finds the copies' likeness when they are near
# each other. No measured cost in speed.
# The producers and target_features sections are of no use to a browser.
# --low-memory-unused (rustc's module puts its 1 MB stack first, growing down
# from 1 MB, and its data above it, so only a stack within 1 KB of
# overflowing would reach the first KB) and --zero-filled-memory (the module
# defines its memory, which starts zeroed): 0.5 KB smaller.
WASM_OPT_FLAGS=(--low-memory-unused --zero-filled-memory -Os -ocimfs 20 --reorder-functions-by-name --strip-producers --strip-target-features)

# Cargo.toml's `wasm` profile: the release profile optimised for size.
wasm="$(cargo_target_dir)/wasm32-unknown-unknown/wasm/mqsim.wasm"
raw="$(cargo_target_dir)/web/pkg-raw"   # wasm-bindgen's output before wasm-opt
pkg="$ROOT/www/pkg"
stamp="$pkg/.built"

say "cargo build --profile wasm --target wasm32-unknown-unknown --lib"
cargo build --profile wasm --target wasm32-unknown-unknown --lib

# wasm-bindgen and wasm-opt take seconds: skip them when nothing they read changed.
if [ -f "$stamp" ] && [ "$stamp" -nt "$wasm" ] && [ "$stamp" -nt "$0" ] \
   && [ "$stamp" -nt scripts/check-wasm.mjs ] && [ "$stamp" -nt scripts/bundle-presets.mjs ] && [ -f "$pkg/mqsim.js" ] && [ -f "$pkg/mqsim_bg.wasm" ]; then
  say "www/pkg is up to date"
else
  say "wasm-bindgen --target web"
  rm -rf "$raw"
  wasm-bindgen --target web --out-dir "$raw" "$wasm"

  say "wasm-opt ${WASM_OPT_FLAGS[*]} (binaryen $(node_modules/.bin/wasm-opt --version | awk '{print $3}'))"
  rm -rf "$pkg"
  mkdir -p "$pkg"
  cp "$raw"/* "$pkg"/
  node_modules/.bin/wasm-opt "${WASM_OPT_FLAGS[@]}" "${WASM_OPT_FEATURES[@]}" \
    "$raw/mqsim_bg.wasm" -o "$pkg/mqsim_bg.wasm"

  # The optimised module must behave exactly like wasm-bindgen's: same trace hash
  # for every preset.
  say "checking the optimised wasm against the unoptimised one"
  node scripts/check-wasm.mjs "$raw" "$pkg"
  touch "$stamp"
fi

# Outside the wasm: see bundle-presets.mjs. Always, as it takes no time and
# wasm-opt's step above starts www/pkg afresh.
say "bundling the presets into www/pkg/presets/"
node scripts/bundle-presets.mjs "$pkg/presets"

# The lessons, checked first: every promise their texts make must be kept
# by the engine (the native checker; the lesson module is not in the wasm).
say "checking the lessons (mqsim lesson check) and bundling them into www/pkg/lessons/"
cargo build --quiet --bin mqsim
"$(cargo_target_dir)/debug/mqsim" lesson check lessons/*.json
node scripts/bundle-lessons.mjs "$pkg/lessons"

say "bundling the widgets' styles into www/pkg/styles.js"
node scripts/bundle-styles.mjs "$pkg/styles.js"

say "copying uPlot into www/vendor/"
mkdir -p www/vendor
for f in uPlot.esm.js uPlot.min.css; do
  cmp -s "node_modules/uplot/dist/$f" "www/vendor/$f" || cp "node_modules/uplot/dist/$f" "www/vendor/$f"
done

printf 'www/pkg: %s bytes of wasm (%s before wasm-opt)\n' \
  "$(wc -c <"$pkg/mqsim_bg.wasm")" "$(wc -c <"$raw/mqsim_bg.wasm" 2>/dev/null || echo '?')"
