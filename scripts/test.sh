#!/usr/bin/env bash
# Runs every test suite and fails if any fails (CI runs this via .ci/run):
#   1. cargo test                                    native (and the fuzz target compiles)
#   2. cargo test --target wasm32-unknown-unknown    wasm-bindgen-test under Node
#   3. the same in headless Chromium                 (WASM_BINDGEN_USE_BROWSER=1)
#   4. node --test tests/e2e/                        the web page, end to end
#   5. node --test tests/dist/                       the static site (dist/) under a sub-path, the npm package installed from its tarball
#   6. scripts/test-examples.sh                      the VitePress and Docusaurus example sites, built and served
#   7. tests/broker/run.sh                           mqsim against a real RabbitMQ and NATS (tests/broker/README.md)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# The broker suite needs Debian's rabbitmq-server and nats-server, and root
# (the RabbitMQ node runs as the rabbitmq user). CI installs it and must run it; elsewhere it is
# installed when we are root, and otherwise skipped with one line.
if [ "${CI:-}" = true ] || [ "$(id -u)" = 0 ]; then
  bash scripts/setup.sh --browser --broker
else
  bash scripts/setup.sh --browser
fi

# wasm-bindgen-test-runner gives a whole browser run 20 s by default and the
# driver 5 s to start; a debug build on a busy 2-core machine can need more.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-30}"

passed=()
failed=()

suite() {
  local name="$1"
  shift
  printf '\n======== %s ========\n' "$name"
  local started=$SECONDS
  if "$@"; then
    passed+=("$name")
    printf -- '-------- %s: ok (%ss)\n' "$name" "$((SECONDS - started))"
  else
    failed+=("$name")
    printf -- '-------- %s: FAILED (%ss)\n' "$name" "$((SECONDS - started))"
  fi
}

# The fuzz target is its own crate (fuzz/); running it needs cargo-fuzz (see
# fuzz/README.md), but checking that it still compiles against the library
# keeps it usable.
native() {
  cargo test && (cd fuzz && cargo check --quiet)
}

wasm_in_node() {
  env -u WASM_BINDGEN_USE_BROWSER cargo test --target wasm32-unknown-unknown
}

# With no wasm_bindgen_test_configure!(run_in_browser) in the tests, the runner
# picks the browser from WASM_BINDGEN_USE_BROWSER and the driver from CHROMEDRIVER
# (else the first of geckodriver/safaridriver/chromedriver on PATH); it passes
# headless, no-sandbox and disable-dev-shm-usage to Chrome itself.
wasm_in_chromium() {
  WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)" \
    cargo test --target wasm32-unknown-unknown
}

e2e() {
  bash scripts/build-web.sh && node --test tests/e2e/
}

packaging() {
  bash scripts/build-site.sh && node scripts/build-package.mjs && node --test tests/dist/
}

broker_installed() {
  [ -x .venv-broker/bin/python ] && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && [ -x /usr/sbin/nats-server ] \
    && [ "$(id -u)" = 0 ]
}

suite "1/7 native: cargo test, cargo check in fuzz/" native
suite "2/7 wasm in Node: cargo test --target wasm32-unknown-unknown" wasm_in_node
suite "3/7 wasm in headless Chromium: WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown" wasm_in_chromium
suite "4/7 web page end to end: node --test tests/e2e/" e2e
suite "5/7 static site and npm package: node --test tests/dist/" packaging
suite "6/7 example doc sites: scripts/test-examples.sh" bash scripts/test-examples.sh
if [ "${CI:-}" = true ] || broker_installed; then
  suite "7/7 against a real RabbitMQ and NATS: tests/broker/run.sh" bash tests/broker/run.sh
else
  printf '\n======== 7/7 against a real RabbitMQ and NATS: skipped (run as root, or: sudo bash scripts/setup.sh --broker)\n'
fi

printf '\n======== summary ========\n'
for name in "${passed[@]+"${passed[@]}"}"; do printf 'ok      %s\n' "$name"; done
for name in "${failed[@]+"${failed[@]}"}"; do printf 'FAILED  %s\n' "$name"; done
printf 'suites: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
[ "${#failed[@]}" -eq 0 ]
