#!/usr/bin/env bash
# Shared launcher of the cli/ wrappers. Runs the published build (build/publish.sh: dist/memscan-linux-x64,
# or the folder MEMSCAN_DIST names) when there is one; otherwise builds the Release binaries once
# (again when sources are newer) and runs them with dotnet.
#
# Concurrency: every launch holds .cli.lock shared for as long as its tool runs (the descriptor is
# inherited by the exec'd process); a build or a publish takes it exclusively. So N array tasks
# starting together on a fresh clone build once while the others wait, and a rebuild after a
# `git pull` waits for running tools instead of overwriting the files they have mapped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$1"; tool="$2"; shift 2

newer_source() { # FILE: a source file newer than FILE, if any
  find "$root/src" \( -name obj -o -name bin \) -prune -o \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' \) -newer "$1" -print -quit
}

exec 9>>"$root/.cli.lock"
shared_lock() { # waits (and says so) while a build or a publish holds the lock
  if ! flock -n -s 9; then
    echo "$tool: waiting for the build of this tree (.cli.lock)" >&2
    flock -s 9
  fi
}

dist="${MEMSCAN_DIST:-$root/dist/memscan-linux-x64}"
if [ -x "$dist/$tool" ]; then
  shared_lock
  if [ -f "$dist/PUBLISHED.txt" ] && [ -d "$root/src" ] && [ -n "$(newer_source "$dist/PUBLISHED.txt")" ]; then
    echo "$tool: note: running the published build in $dist; src/ has changed since (rerun build/publish.sh)" >&2
  fi
  exec "$dist/$tool" "$@"
fi

command -v dotnet >/dev/null || { echo "$tool: no published build in $dist and no .NET SDK to build one (run build/publish.sh where the SDK is)" >&2; exit 2; }
out="$root/src/$project/bin/Release/net10.0/$tool.dll"
built=false   # build at most once: a source dated in the future must not loop
needs_build() { ! $built && { [ ! -f "$out" ] || [ -n "$(newer_source "$out")" ]; }; }
while :; do
  shared_lock
  needs_build || break
  flock -u 9
  if ! flock -n -x 9; then
    echo "$tool: waiting for the build or the running tools of this tree (.cli.lock) before building" >&2
    flock -x 9
  fi
  if needs_build; then
    dotnet build "$root/src/$project" -c Release -v quiet -nologo -clp:NoSummary >&2 || { echo "build of src/$project failed" >&2; exit 2; }
    touch "$out"   # an up-to-date build may leave an older timestamp
    built=true
  fi
  flock -u 9
done
exec dotnet "$out" "$@"
