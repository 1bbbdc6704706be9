#!/usr/bin/env bash
# Publishes memscan, memscan-train and memscan-tui as one self-contained linux-x64 folder, which
# runs where no .NET SDK or runtime is installed (compute nodes, containers), and a tarball of it.
#
#   build/publish.sh                         # dist/memscan-linux-x64/ and dist/memscan-linux-x64.tar.gz
#   build/publish.sh --gpu                   # dist/memscan-linux-x64-cuda/: ONNX Runtime with CUDA (-p:MemScanGpu=true)
#   build/publish.sh --out DIR --no-tarball memscan    # only the scanner, into DIR/memscan-linux-x64/
#
# The folder is built beside its final place and renamed into it when complete. The cli/ wrappers
# run it when it is there; while any of them runs from this tree, replacing the folder waits (the
# wrappers hold .cli.lock shared, this script takes it exclusively), so no running job loses files.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

gpu=false; out="$root/dist"; tarball=true; tools=()
while [ $# -gt 0 ]; do
  case "$1" in
    --gpu) gpu=true ;;
    --out) [ $# -ge 2 ] || { echo "publish: --out needs a folder" >&2; exit 2; }; out="$2"; shift ;;
    --no-tarball) tarball=false ;;
    memscan|memscan-train|memscan-tui) tools+=("$1") ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "publish: unknown argument '$1' (tools: memscan, memscan-train, memscan-tui; options: --gpu, --out DIR, --no-tarball)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#tools[@]} -gt 0 ] || tools=(memscan memscan-train memscan-tui)
command -v dotnet >/dev/null || { echo "publish: the .NET 10 SDK is required to publish (not to run what it publishes)" >&2; exit 2; }

name=memscan-linux-x64; $gpu && name=memscan-linux-x64-cuda
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$out/.$name.staging.$$"
trap 'rm -rf "$stage"' EXIT

project_of() {
  case "$1" in memscan) echo Scanner ;; memscan-train) echo Trainer ;; memscan-tui) echo Tui ;; esac
}

for tool in "${tools[@]}"; do
  echo "publish: $tool -> $out/$name" >&2
  # -m:1: the tools share src/Scanner; parallel node builds of it race on its obj folder
  dotnet publish "$root/src/$(project_of "$tool")" -c Release -r linux-x64 --self-contained \
    -p:MemScanGpu=$gpu -o "$stage" -v quiet -nologo -clp:NoSummary -m:1 >&2 \
    || { echo "publish: dotnet publish of $tool failed" >&2; exit 1; }
  [ -x "$stage/$tool" ] || { echo "publish: $stage/$tool is missing after dotnet publish" >&2; exit 1; }
done
# what is in it, for the wrappers' staleness note and for people
{
  echo "tools: ${tools[*]}"
  echo "gpu: $gpu"
  if commit=$(git -C "$root" rev-parse HEAD 2>/dev/null); then
    echo "commit: $commit$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  else
    echo "commit: unknown (not a git checkout)"
  fi
  echo "published_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$stage/PUBLISHED.txt"

if $tarball; then
  echo "publish: $out/$name.tar.gz" >&2
  # the folder inside is named $name whatever the staging name
  tar -C "$stage" --transform "s|^\.|$name|" -czf "$out/.$name.tar.gz.$$" . && mv -f "$out/.$name.tar.gz.$$" "$out/$name.tar.gz"
fi

# Replace an older folder under the lock the cli/ wrappers hold shared while they run.
if [ -e "$out/$name" ]; then
  exec 9>>"$root/.cli.lock"
  if ! flock -n -x 9; then
    echo "publish: memscan processes started through cli/ are running from this tree; waiting for them to exit before replacing $out/$name" >&2
    flock -x 9
  fi
  mv "$out/$name" "$stage.old"
  mv "$stage" "$out/$name"
  rm -rf "$stage.old"
  exec 9>&-
else
  mv "$stage" "$out/$name"
fi
echo "$out/$name"
