#!/usr/bin/env bash
# Brings the whole system up on the simulators: installs pnpm and the dependencies, builds, then starts
# Redis (REDIS_URL, else 127.0.0.1:6379, else a local redis-server), both simulators and every service.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_pnpm
ensure_deps
ensure_build
exec pnpm exec tsx scripts/demo.ts
