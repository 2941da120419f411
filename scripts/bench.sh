#!/usr/bin/env bash
# Runs every benchmark of issue 7 and regenerates BENCHMARKS.md:
#   1. M/M/10, 1 M messages: the engine vs a minimal reference loop (native)
#   2. the kernel scheduler with 10, 10 k and 1 M pending timers
#   3. peak memory for 10 M messages through the queue model (own process),
#      and the engine with about 10 and 1 M delayed messages held, and
#      10 M records through a 12-partition topic with 3 consumer groups
#   4. the same M/M/10 through the wasm build under node
#   5. the same model in SimPy (installed into a venv under the target folder)
#   6. the size of the wasm module, gzipped
#   7. the page in headless Chromium: frame time with 10,000 messages in flight,
#      time to the first frame and input delay during a 10 M-message run
#      (benches/browser/frame-time.mjs and input-delay.mjs, which write their own
#      section of BENCHMARKS.md after the report)
# Steps 4 to 6 are skipped, with a row saying so, when their tools are missing;
# step 7 is skipped, with a line saying so, without the page's build or Chromium.
# Usage: bash scripts/bench.sh   (takes a few minutes on 2 cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
case ":$PATH:" in
  *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;;
  *) export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;;
esac
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET/bench"
say() { printf '==> %s\n' "$*"; }

mkdir -p "$OUT"
# A step that fails must not leave last run's figures behind to be reported.
rm -f "$OUT"/*.json

say "building the native benchmark"
# Cargo warns that the bench profile's `panic` setting is ignored; Cargo.toml
# says why it is there. Build once, then run the binary itself.
cargo bench --quiet --bench perf --no-run 2> >(grep -v 'panic. setting is ignored' >&2)
# The perf benchmark's own executable (the listing may also name the mqsim
# binary, in either order).
bench_bin="$(cargo bench --bench perf --no-run --message-format=json 2>/dev/null \
  | grep -o '"executable":"[^"]*/deps/perf-[^"]*"' | tail -n 1 | cut -d'"' -f4)"
[ -x "$bench_bin" ] || { echo "error: cannot find the benchmark binary" >&2; exit 1; }
run_bench() { "$bench_bin" "$@" --out "$OUT"; }

say "M/M/10 through the engine and the reference loop"
run_bench engine
say "pending-timer scaling in the kernel scheduler"
run_bench pending
say "peak memory for 10 M messages"
run_bench memory
say "delayed messages: about 10 and about 1 M held at once"
run_bench delayed
say "scale: 10 M records through a 12-partition topic, 3 consumer groups"
run_bench kafka

# The wasm module: the page's own build (wasm-bindgen, then wasm-opt) when
# scripts/build-web.sh and its node_modules are here; wasm-bindgen alone otherwise.
pkg=""
if [ -f scripts/build-web.sh ] && [ -x node_modules/.bin/wasm-opt ] && command -v wasm-bindgen >/dev/null; then
  say "building the web page's wasm (scripts/build-web.sh)"
  bash scripts/build-web.sh >/dev/null
  pkg="www/pkg"
  what="www/pkg/mqsim_bg.wasm as scripts/build-web.sh ships it: wasm-bindgen, then wasm-opt -Os (with the flags there)"
elif command -v wasm-bindgen >/dev/null; then
  say "building the wasm module (cargo + wasm-bindgen; no wasm-opt here)"
  cargo build --quiet --profile wasm --target wasm32-unknown-unknown --lib
  rm -rf "$OUT/pkg"
  wasm-bindgen --target web --out-dir "$OUT/pkg" "$TARGET/wasm32-unknown-unknown/wasm/mqsim.wasm"
  pkg="$OUT/pkg"
  what="wasm-bindgen output, not wasm-opt'd (scripts/build-web.sh or node_modules/.bin/wasm-opt is missing, so this is larger than what the page ships)"
else
  say "skipping wasm: wasm-bindgen is not installed (scripts/setup.sh installs it)"
fi

if [ -n "$pkg" ]; then
  wasm="$pkg/mqsim_bg.wasm"
  # cargo's own output, before wasm-bindgen strips its names and descriptors,
  # for comparison only: it is not what a browser downloads.
  cargo_wasm="$TARGET/wasm32-unknown-unknown/wasm/mqsim.wasm"
  printf '{"bytes": %s, "gzip_bytes": %s, "cargo_gzip_bytes": %s, "what": "%s"}\n' \
    "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)" "$(gzip -9 -c "$cargo_wasm" | wc -c)" "$what" >"$OUT/size.json"
  if command -v node >/dev/null; then
    say "M/M/10 through the wasm build under node"
    node benches/wasm/bench.mjs "$pkg" benches/scenarios/mmc-1m.json "$OUT/wasm.json"
  else
    say "skipping the wasm run: node is not installed"
  fi
fi

# SimPy, in a venv of its own so that nothing is installed system-wide; the
# install happens once and is skipped when SimPy already imports.
venv="$TARGET/bench-venv"
if command -v python3 >/dev/null; then
  if ! "$venv/bin/python" -c 'import simpy' 2>/dev/null; then
    say "installing SimPy into $venv"
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check 'simpy==4.1.2' \
      || say "could not install SimPy; its row will say not run"
  fi
  if "$venv/bin/python" -c 'import simpy' 2>/dev/null; then
    say "M/M/10 in SimPy (100,000 customers)"
    "$venv/bin/python" benches/simpy_mmc.py 100000 "$OUT/simpy.json"
  fi
else
  say "skipping SimPy: python3 is not installed"
fi

say "report"
MQSIM_BENCH_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')" \
MQSIM_BENCH_RUSTC="$(rustc --version)" \
MQSIM_BENCH_NODE="$(node --version 2>/dev/null || echo 'not installed')" \
MQSIM_BENCH_PYTHON="$(python3 --version 2>/dev/null || echo 'not installed')" \
MQSIM_BENCH_GIT="$(git describe --always --dirty 2>/dev/null || echo unknown)" \
  run_bench report --md "$ROOT/BENCHMARKS.md"

# 7. The page in headless Chromium (after the report, which rewrites the file
# this adds its "## Browser" section to).
if [ "$pkg" = "www/pkg" ] && [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && [ -d node_modules/playwright-core ]; then
  say "the page in headless Chromium: frame time, time to the first frame, input delay"
  node benches/browser/frame-time.mjs --out "$OUT/browser.json" --md "$ROOT/BENCHMARKS.md"
else
  say "skipping the browser benchmark: it needs the page's build (scripts/build-web.sh), Chromium and playwright-core (scripts/setup.sh --browser)"
fi
