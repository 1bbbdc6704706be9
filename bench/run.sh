#!/usr/bin/env bash
# Builds and runs memscan-bench (Release): every figure of docs/PERFORMANCE.md, side by side.
#   bench/run.sh [HIDDEN=256] [ORT_THREADS=0]
set -euo pipefail
cd "$(dirname "$0")/.."
corpora/fetch.sh moby-dick >/dev/null
dotnet build bench/MemScan.Bench -c Release -v quiet -nologo -clp:NoSummary
exec dotnet bench/MemScan.Bench/bin/Release/net10.0/memscan-bench.dll "$@"
