#!/usr/bin/env bash
# Installs what building, serving and testing need; quick when all is present.
#   scripts/setup.sh            Rust wasm target, wasm-bindgen-cli, node_modules
#   scripts/setup.sh --browser  also Chromium, chromedriver and a CJK font (Debian packages)
#   scripts/setup.sh --broker   also RabbitMQ and nats-server (Debian), and the broker suite's
#                               pika and nats-py in .venv-broker/
#   scripts/setup.sh --example NAME
#                               also examples/NAME's node_modules, with the widgets from
#                               packages/widgets/mqsim-widgets.tgz (node scripts/build-package.mjs)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

browser=0
broker=0
examples=()
while [ $# -gt 0 ]; do
  case "$1" in
    --browser) browser=1 ;;
    --broker) broker=1 ;;
    --example) [ $# -ge 2 ] || die "--example needs a name"; examples+=("$2"); shift ;;
    *) die "unknown argument: $1 (usage: scripts/setup.sh [--browser] [--broker] [--example NAME])" ;;
  esac
  shift
done

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"

# 1. The wasm32 target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version in Cargo.lock (it also provides
#    wasm-bindgen-test-runner, the cargo runner for wasm32 in .cargo/config.toml).
want="$(wasm_bindgen_version)"
[ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
have_runner="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ] || [ "$have_runner" != "$want" ]; then
  say "cargo install wasm-bindgen-cli --version $want (found '${have:-none}'; takes a few minutes)"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. Node and the npm packages (wasm-opt from binaryen, playwright-core, uPlot).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing nodejs and npm (Debian)"
  apt_install nodejs npm
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# 4. A browser for the end-to-end tests and for wasm-bindgen-test in Chromium,
#    and a small CJK font so that the Chinese page renders in its screenshots.
if [ "$browser" = 1 ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromium-driver (Debian)"
    apt_install chromium chromium-driver
  fi
  if ! fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei'; then
    say "installing fonts-wqy-microhei (Debian)"
    apt_install fonts-wqy-microhei
  fi
fi

# 5. The broker differential suite (tests/broker/): Debian's RabbitMQ server
#    and NATS server (which the suite starts as private servers, never as the
#    system services) and the pinned pika and nats-py clients in a virtual
#    environment of their own.
if [ "$broker" = 1 ]; then
  # The packages' post-install would start their system services; the suite
  # needs private servers only, so keep invoke-rc.d from starting anything.
  apt_install_no_start() {
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
      as_root chmod +x /usr/sbin/policy-rc.d
      apt_install --no-install-recommends "$@"
      as_root rm -f /usr/sbin/policy-rc.d
    else
      apt_install --no-install-recommends "$@"
    fi
  }
  if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    say "installing rabbitmq-server (Debian)"
    apt_install_no_start rabbitmq-server
  fi
  if [ ! -x /usr/sbin/nats-server ]; then
    say "installing nats-server (Debian)"
    apt_install_no_start nats-server
  fi
  venv=.venv-broker
  if [ ! -x "$venv/bin/python" ] || [ tests/broker/requirements.txt -nt "$venv/.installed" ]; then
    say "python3 -m venv $venv; pip install -r tests/broker/requirements.txt"
    python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r tests/broker/requirements.txt
    touch "$venv/.installed"
  fi
fi

# 6. An example doc site's packages (examples/NAME/): npm ci from its lock file
#    when node_modules is missing or older than the lock, and otherwise only the
#    widgets again, unpacked from the tarball just packed (npm install keeps
#    the old copy: same version, same path). The lock names the tarball
#    without an integrity hash, which would change with every build, and with
#    which npm ci would install a stale copy from its cache.
for name in "${examples[@]+"${examples[@]}"}"; do
  dir="examples/$name"
  [ -f "$dir/package-lock.json" ] || die "no $dir/package-lock.json"
  [ -f packages/widgets/mqsim-widgets.tgz ] || die "packages/widgets/mqsim-widgets.tgz is missing: node scripts/build-package.mjs"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "$dir: npm ci"
    (cd "$dir" && npm ci --no-audit --no-fund --prefer-offline)
  else
    say "$dir: node_modules up to date; the widgets again from the tarball"
    rm -rf "$dir/node_modules/mqsim-widgets"
    mkdir -p "$dir/node_modules/mqsim-widgets"
    tar -xzf packages/widgets/mqsim-widgets.tgz -C "$dir/node_modules/mqsim-widgets" --strip-components=1
    # webpack's build cache takes a package in node_modules to be unchanged while its version is.
    rm -rf "$dir/node_modules/.cache"
  fi
done
