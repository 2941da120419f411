#!/usr/bin/env bash
# Builds the web page and serves the repository root on 127.0.0.1.
#   scripts/serve.sh            port $PORT, default 8000 (the next free one if taken)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh
bash scripts/build-web.sh
exec node scripts/serve.mjs --port "${PORT:-8000}"
