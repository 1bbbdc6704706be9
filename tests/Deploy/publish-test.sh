#!/usr/bin/env bash
# build/publish.sh on a fresh tree, then the published memscan from its tarball with no .NET on
# the PATH: version, a sweep as two shards and unsharded, a merge, a compare, a scan through the
# isolated model host; and cli/memscan of
# the tree running the published folder where no dotnet can be found.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v dotnet >/dev/null || fail "the .NET SDK is needed to publish"

work="$(deploy_work)"
tree="$(published_tree "$work")"
unpacked="$(mktemp -d /tmp/memscan-unpacked.XXXXXX)"
trap 'rm -rf "$unpacked"; [ -n "${MEMSCAN_DEPLOY_WORK:-}" ] || rm -rf "$work"' EXIT
tarball="$tree/dist/memscan-linux-x64.tar.gz"
[ -f "$tarball" ] || fail "no $tarball"
grep -q "^tools: memscan$" "$tree/dist/memscan-linux-x64/PUBLISHED.txt" || fail "PUBLISHED.txt: $(cat "$tree/dist/memscan-linux-x64/PUBLISHED.txt")"
tar -C "$unpacked" -xzf "$tarball"
bin="$unpacked/memscan-linux-x64/memscan"
[ -x "$bin" ] || fail "the tarball has no memscan-linux-x64/memscan"
ok "published and unpacked: $(du -sh "$unpacked/memscan-linux-x64" | cut -f1) in memscan-linux-x64/"

# a PATH with the few tools the wrappers need and no dotnet; no DOTNET_* variables
tools="$unpacked/tools"
mkdir -p "$tools"
for t in bash sh dirname find flock cat; do ln -s "$(command -v "$t")" "$tools/$t"; done
bare() { env -i HOME="$unpacked" PATH="$tools" "$@"; }
! bare bash -c 'command -v dotnet' >/dev/null || fail "dotnet is still reachable"

version="$(bare "$bin" --version)" || fail "published memscan --version failed"
sweeps="$unpacked/sweeps"
run_sweep() { bare "$bin" sweep "$fixtures/tiny.onnx" --samples 30 --tokens 24 --batch 4 --sweeps "$sweeps" --threads 1 "$@" >/dev/null 2>>"$unpacked/sweep.log"; }
run_sweep --sweep-id halves --shard 0/2 || fail "sweep shard 0/2 failed"
run_sweep --sweep-id halves --shard 1/2 || fail "sweep shard 1/2 failed"
run_sweep --sweep-id whole || fail "unsharded sweep failed"
merged="$(bare "$bin" sweep merge "$sweeps/halves" 2>/dev/null)" || fail "merge failed"
grep -q "30 of 30 samples" <<<"$merged" || fail "merge said: $merged"
compare="$(bare "$bin" sweep compare "$sweeps/halves" "$sweeps/whole")" || fail "compare: $compare"
ok "published memscan $version without .NET: two shards merged (30 of 30 samples); $compare"

# a scan runs the model in a child process (the isolated host): the published memscan must start
# itself for it, as there is no dotnet to start
scan="$(COLUMNS=120 bare "$bin" scan "$fixtures/tiny.onnx" --canary 'ab {secret}' --space chars:abc:3 --secret abc \
  --probes exposure --runs "$unpacked/runs" 2>&1)" || fail "published memscan scan (isolated model host) failed: $scan"
grep -q "^results: " <<<"$scan" || fail "published memscan scan printed no results line: $scan"
ok "published memscan scans through its isolated model host: $(grep -m1 '^results: ' <<<"$scan")"

wrapped="$(bare "$tree/cli/memscan" --version)" || fail "cli/memscan with dist/ and no dotnet failed"
[ "$wrapped" = "$version" ] || fail "cli/memscan printed '$wrapped', the published build '$version'"
ok "cli/memscan runs the published build where no dotnet is on the PATH"
