#!/usr/bin/env bash
# Builds the example doc sites from the packed widgets and tests them served
# statically under their base paths (tests/examples/):
#   bash scripts/test-examples.sh              every example
#   bash scripts/test-examples.sh vitepress    one of them
# Each example installs the tarball packages/widgets/mqsim-widgets.tgz, as a
# doc author installs the package; its other node_modules come from its
# committed package-lock.json (npm ci, skipped while the lock is unchanged).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

examples=("$@")
[ "${#examples[@]}" -gt 0 ] || examples=(vitepress docusaurus)

bash scripts/build-web.sh
say "node scripts/build-package.mjs"
node scripts/build-package.mjs

tests=()
for name in "${examples[@]}"; do
  dir="examples/$name"
  [ -f "$dir/package.json" ] || die "no example $dir"
  bash scripts/setup.sh --example "$name"
  say "$dir: npm run build"
  started=$SECONDS
  (cd "$dir" && nice npm run build --silent)
  printf '%s: built in %ss\n' "$dir" "$((SECONDS - started))"
  tests+=("tests/examples/$name.test.mjs")
done

node --test "${tests[@]}"
