#!/usr/bin/env bash
# Builds memscan-tui as it was at an earlier commit (default: where this branch left main), for the
# triage UI section of memscan-bench to time beside this tree's build:
#   bench/run.sh --only tui --tui-before "$(bench/build-tui-before.sh [REV])"
# Prints the path of the built memscan-tui.dll. Uses git archive: no worktree or checkout is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-$(git merge-base HEAD main)}"
sha="$(git rev-parse --short "$rev")"
out="$PWD/bench/bin/tui-before-$sha"
if [[ ! -f "$out/memscan-tui.dll" ]]; then
    src="$(mktemp -d)"
    trap 'rm -rf "$src"' EXIT
    git archive "$sha" src build Directory.Build.props Directory.Build.targets Directory.Packages.props global.json | tar -x -C "$src"
    dotnet build "$src/src/Tui" -c Release -v quiet -nologo -clp:NoSummary -o "$out" >&2
fi
echo "$out/memscan-tui.dll"
