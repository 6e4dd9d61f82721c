#!/usr/bin/env bash
# The benchmark (see scripts/bench.ts): installs and builds what it needs, then runs the scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_pnpm >&2
ensure_deps >&2
ensure_build >&2
command -v redis-server >/dev/null 2>&1 || { echo "bench: redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
exec node node_modules/tsx/dist/cli.mjs scripts/bench.ts "$@"
