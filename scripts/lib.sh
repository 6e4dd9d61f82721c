# Shared by scripts/test.sh, scripts/demo.sh and .ci/run: make sure the toolchain and Redis are there.
PNPM_VERSION=12.4.2

ensure_pnpm() {
  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    echo "==> installing pnpm@$PNPM_VERSION (npm i -g)"
    npm i -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || { echo "cannot install pnpm@$PNPM_VERSION with npm" >&2; return 1; }
  fi
}

ensure_deps() {
  echo "==> pnpm install --frozen-lockfile"
  pnpm install --frozen-lockfile --reporter=silent
}

ensure_build() {
  echo "==> tsc -b"
  pnpm exec tsc -b
}

redis_answers() { # $1 = host:port
  local host=${1%:*} port=${1##*:}
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$host" -p "$port" ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  fi
}

# Ensures a Redis answers at 127.0.0.1:6379 unless REDIS_URL is set; starts one without persistence if needed.
ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then return 0; fi
  if redis_answers 127.0.0.1:6379; then export REDIS_URL=redis://127.0.0.1:6379; return 0; fi
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "==> installing redis-server (apt-get)"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server) >/dev/null
    else
      echo "No Redis answers on 127.0.0.1:6379 and redis-server is not installed: install it (apt-get install redis-server) or set REDIS_URL." >&2
      return 1
    fi
  fi
  echo "==> starting redis-server on 127.0.0.1:6379 (no persistence)"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis_answers 127.0.0.1:6379 && break; sleep 0.1; done
  export REDIS_URL=redis://127.0.0.1:6379
}

# The compose validation tests run Debian's docker-compose (no engine needed for `docker-compose config`).
ensure_compose() {
  command -v docker-compose >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing docker-compose (apt-get)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose) >/dev/null
  else
    echo "docker-compose is not installed (apt-get install docker-compose): the compose validation tests will fail" >&2
  fi
}

# The Bull Board browser test (services/api/src/bull-board-browser.int.test.ts) drives Debian's Chromium with
# playwright-core, which never downloads a browser of its own. CHROMIUM_PATH overrides /usr/bin/chromium.
ensure_chromium() {
  local want=""
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || want="chromium"
  # A Chinese font, so the reconciliation page's screenshots (docs/screenshots) are readable.
  if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then want="$want fonts-wqy-microhei"; fi
  [ -z "$want" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing$want (apt-get)"
    # shellcheck disable=SC2086
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $want) >/dev/null
  else
    echo "not installed:$want (apt-get install$want, or set CHROMIUM_PATH): the browser tests (Bull Board, reconciliation page) need chromium" >&2
  fi
}
