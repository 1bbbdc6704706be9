#!/usr/bin/env bash
# Four concurrent first runs of cli/memscan on a fresh tree (no build, no published folder), as
# four Slurm array tasks starting together on a new clone: all four must succeed, one building
# while the others wait on .cli.lock. Then a published dist/ folder is preferred over the build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v dotnet >/dev/null || fail "the .NET SDK is needed to build on first use"

work="$(deploy_work)"
tree="$work/first-run"
rm -rf "$tree"
trap '[ -n "${MEMSCAN_DEPLOY_WORK:-}" ] && rm -rf "$tree" || rm -rf "$work"' EXIT
fresh_tree "$tree"
[ ! -e "$tree/src/Scanner/bin" ] || fail "the fresh tree already has a build"

for i in 1 2 3 4; do
  ( set +e; "$tree/cli/memscan" --version >"$work/out.$i" 2>"$work/err.$i"; echo $? >"$work/rc.$i" ) &
done
wait
for i in 1 2 3 4; do
  rc=$(cat "$work/rc.$i")
  [ "$rc" = 0 ] || fail "concurrent first run $i exited $rc: $(cat "$work/err.$i")"
  grep -Eq '^[0-9]+\.[0-9]+' "$work/out.$i" || fail "run $i printed no version: $(cat "$work/out.$i")"
done
waited=$(cat "$work"/err.* | grep -c "waiting for the build" || true)
[ "$waited" -ge 1 ] || fail "no run waited for the build: $(cat "$work"/err.*)"
ok "4 concurrent first runs on a fresh tree all succeeded ($waited waited for the build): $(cat "$work/out.1")"

# a published folder wins: a fake one that says so
mkdir -p "$tree/dist/memscan-linux-x64"
printf '#!/bin/sh\necho published-build "$@"\n' >"$tree/dist/memscan-linux-x64/memscan"
chmod +x "$tree/dist/memscan-linux-x64/memscan"
[ "$("$tree/cli/memscan" --version)" = "published-build --version" ] || fail "cli/memscan did not run dist/memscan-linux-x64/memscan"
ok "cli/memscan runs dist/memscan-linux-x64 when it is there"
