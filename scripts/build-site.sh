#!/usr/bin/env bash
# Writes dist/, a static site deployable to any static host (GitHub Pages
# included, at its root or under a sub-path such as /mqsim/): the page
# (index.html), the widgets' docs page (www/docs.html) and the widgets.
# Every URL in them is relative (the modules find the wasm, presets and
# uPlot through import.meta.url), so dist/ can be served from any path.
#   bash scripts/build-site.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh
bash scripts/build-web.sh

say "writing dist/"
rm -rf dist
mkdir -p dist/www
cp index.html dist/
for item in page lib widgets pkg vendor style.css docs.html; do
  cp -r "www/$item" dist/www/
done
# Build bookkeeping, not site files.
find dist -name '.*' -exec rm -rf {} +
# GitHub Pages: serve the files as they are (no Jekyll).
touch dist/.nojekyll
printf 'dist/: %s files, %s\n' "$(find dist -type f | wc -l)" "$(du -sh dist | cut -f1)"
