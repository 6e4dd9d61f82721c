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
echo "==> type-check (sources and tests)"
pnpm exec tsc -b || { echo "0 passed, 1 failed"; exit 1; }
pnpm exec tsc -p tsconfig.jest.json || { echo "0 passed, 1 failed"; exit 1; }
out=$(mktemp --suffix=.json)
echo "==> jest (REDIS_URL=$REDIS_URL)"
pnpm exec jest --json --outputFile="$out" "$@"
rc=$?
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const failedSuites = r.numFailedTestSuites || 0;
const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
for (const s of r.testResults) if (s.status === "failed" && s.message) console.error(s.name + "\n" + s.message.slice(0, 4000));
console.log(r.numPassedTests + " passed, " + failed + " failed" + (r.numPendingTests ? ", " + r.numPendingTests + " skipped" : ""));
if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
if (failedSuites && !failed) process.exit(1);
' "$out" || rc=1
rm -f "$out"
exit $rc
