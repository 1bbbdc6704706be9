#!/usr/bin/env bash
# Runs every test of the solution: fetches the real corpora (idempotent), builds once, then runs
# each xunit v3 test program and prints one summary line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "test: the .NET 10 SDK is required" >&2; exit 2; }
corpora/fetch.sh
dotnet build MemScan.sln -c Debug -v quiet -nologo -clp:NoSummary

passed=0; failed=0; skipped=0; status=0
# Each run logs into its own folder: two checkouts testing at once must not read each other's totals.
# (grep -a: a test that prints a NUL byte must not turn the log into a "binary file" without totals)
logs=$(mktemp -d "${TMPDIR:-/tmp}/memscan-test.XXXXXX")
trap 'rm -rf "$logs"' EXIT
for project in Scanner Trainer Tui; do
  exe="tests/$project.Tests/bin/Debug/net10.0/MemScan.$project.Tests"
  echo "== $project tests"
  set +e
  # A hung test must fail the run, not eat CI's 90 minutes.
  timeout 1800 "$exe" -noColor "$@" 2>&1 | tee "$logs/$project.log"
  code=${PIPESTATUS[0]}
  set -e
  # (|| true: a suite killed by the timeout has no totals, and set -e must not end the run unsummarised)
  summary=$(grep -aE "Total: [0-9]+" "$logs/$project.log" | tail -1 || true)
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$summary")
  fails=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$summary")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$summary")
  skips=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$summary")
  if [ -z "$summary" ]; then echo "test: $project tests printed no summary (exit $code; 124 = the 1800 s timeout): counted as 1 failed"; failed=$((failed + 1)); status=1; continue; fi
  passed=$((passed + total - fails - skips)); failed=$((failed + fails + errors)); skipped=$((skipped + skips))
  [ "$code" -eq 0 ] || status=1
done
if [ -x tests/Tui.Tests/tui-smoke.sh ]; then
  echo "== TUI smoke test (tmux)"
  if tests/Tui.Tests/tui-smoke.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
fi
# What operators run: a fresh tree's cli/ wrappers, build/publish.sh, a Slurm cluster on localhost.
# One fresh tree and one publish are shared by the three (MEMSCAN_DEPLOY_WORK); exit 77 = skipped.
export MEMSCAN_DEPLOY_WORK
MEMSCAN_DEPLOY_WORK="$(mktemp -d /tmp/memscan-deploy.XXXXXX)"
for deploy in first-run publish slurm; do
  echo "== deploy test: $deploy"
  set +e
  timeout 1200 "tests/Deploy/$deploy-test.sh"
  code=$?
  set -e
  case $code in
    0) passed=$((passed + 1)) ;;
    77) skipped=$((skipped + 1)) ;;
    *) echo "test: tests/Deploy/$deploy-test.sh failed (exit $code)"; failed=$((failed + 1)); status=1 ;;
  esac
done
rm -rf "$MEMSCAN_DEPLOY_WORK"
# The failed tests' names again at the end: CI keeps only the tail of a long log.
grep -ahE '^ +[^ ].* \[FAIL\]$' "$logs"/*.log | sed -E 's/^ +/failed: /; s/ \[FAIL\]$//' || true
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
