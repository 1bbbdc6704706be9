#!/usr/bin/env bash
# Builds and runs memscan-bench (Release): every figure of docs/PERFORMANCE.md, side by side.
#   bench/run.sh [--only lstm,gpt,decode,isolation,tune,train] [--hidden 256] [--threads 0] [--digits 6] [--batch 512]
#   bench/run.sh HIDDEN ORT_THREADS      (old positional form)
set -euo pipefail
cd "$(dirname "$0")/.."
corpora/fetch.sh moby-dick spam-assassin gpt2 >/dev/null
dotnet build bench/MemScan.Bench -c Release -v quiet -nologo -clp:NoSummary
exec dotnet bench/MemScan.Bench/bin/Release/net10.0/memscan-bench.dll "$@"
