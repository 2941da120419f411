#!/usr/bin/env bash
# Writes PNGs of what a learner sees into screenshots/ (ignored by git): the
# simulator page at a desktop (1440x1000) and a phone (390x844) size, in
# English and Chinese, with a queue preset and a Kafka preset mid-run, a
# lesson step after its reveal, and
# www/docs.html with its widgets. Not a test: pictures for people to look at.
# Works from a clean clone: it sets up node's packages and Chromium
# (scripts/setup.sh --browser) and builds the page (scripts/build-web.sh).
#
# Usage: bash scripts/screenshots.sh [OUT_DIR]   (default: screenshots/)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

out="${1:-$ROOT/screenshots}"
bash scripts/setup.sh --browser
bash scripts/build-web.sh
say "screenshots into $out"
node scripts/screenshots.mjs --out "$out"
