#!/usr/bin/env bash
# Runs every test (unit, integration, end-to-end) after installing and type-checking what it needs.
# Prints a closing line "N passed, N failed" and exits non-zero when anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_pnpm || exit 1
ensure_deps || exit 1
ensure_redis || exit 1
ensure_compose
ensure_chromium
# Runs jest in its own process group with --json; once the results file is written (after the last test and the
# global teardown), jest gets JEST_EXIT_GRACE_S seconds to exit, else it is stopped and jest_hung=1. With several
# workers (more cores), a leaking test file shows as "A worker process has failed to exit gracefully" instead:
# jest's stderr is kept in $1.stderr so that counts too. Never --forceExit: close a handle where it is opened.
JEST_EXIT_GRACE_S=${JEST_EXIT_GRACE_S:-15}
export JEST_EXIT_GRACE_S
jest_hung=0
run_jest() { # $1 = results file, then jest's arguments
  local results=$1; shift
  setsid node_modules/.bin/jest --json --outputFile="$results" "$@" 2> >(tee "$results.stderr" >&2) &
  local pid=$!
  trap 'kill -INT -- -'"$pid"' 2>/dev/null' INT TERM
  while kill -0 "$pid" 2>/dev/null && [ ! -s "$results" ]; do sleep 1; done
  local waited=0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((JEST_EXIT_GRACE_S * 10)) ]; do sleep 0.1; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    jest_hung=1
    echo "==> jest is still running ${JEST_EXIT_GRACE_S} s after writing its results: stopping it" >&2
    kill -TERM -- "-$pid" 2>/dev/null
    sleep 2
    kill -KILL -- "-$pid" 2>/dev/null
  fi
  wait "$pid"
  local code=$?
  trap - INT TERM
  return "$code"
}
echo "==> type-check (sources and tests)"
pnpm exec tsc -b || { echo "0 passed, 1 failed"; exit 1; }
pnpm exec tsc -p tsconfig.jest.json || { echo "0 passed, 1 failed"; exit 1; }
echo "==> eslint (eslint.config.mjs)"
pnpm exec eslint . || { echo "0 passed, 1 failed"; exit 1; }
out=$(mktemp --suffix=.json)
echo "==> jest (REDIS_URL=$REDIS_URL)"
run_jest "$out" "$@"
rc=$?
JEST_HUNG=$jest_hung node -e '
const fs = require("fs");
const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const stderr = fs.existsSync(process.argv[1] + ".stderr") ? fs.readFileSync(process.argv[1] + ".stderr", "utf8") : "";
const leakedWorker = /A worker process has failed to exit gracefully/.test(stderr);
const hung = process.env.JEST_HUNG === "1" || leakedWorker ? 1 : 0;
const failedSuites = r.numFailedTestSuites || 0;
const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0) + hung;
for (const s of r.testResults) if (s.status === "failed" && s.message) console.error(s.name + "\n" + s.message.slice(0, 4000));
if (process.env.JEST_HUNG === "1") console.error("jest did not exit within " + process.env.JEST_EXIT_GRACE_S + " s of its last test: something keeps a handle open (named above)");
if (leakedWorker) console.error("a jest worker did not exit after its tests: a test file leaves a handle open (run it alone; jest names it with --detectOpenHandles)");
console.log(r.numPassedTests + " passed, " + failed + " failed" + (r.numPendingTests ? ", " + r.numPendingTests + " skipped" : "") + (hung ? " (1 = jest did not exit)" : ""));
if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
if ((failedSuites && !failed) || hung) process.exit(1);
' "$out" || rc=1
rm -f "$out" "$out.stderr"
exit $rc
