#!/usr/bin/env bash
# Builds and runs memscan-bench (Release): every figure of docs/PERFORMANCE.md, side by side.
#   bench/run.sh [--only lstm,gpt,decode,isolation,hostloops,decodeloop,kvtree,tune,train,tui,gpt124m] [--hidden 256] [--threads 0] [--digits 6] [--batch 512]
#   bench/run.sh HIDDEN ORT_THREADS      (old positional form)
#   bench/run.sh --only gpt124m [--gpt124m-probes memory,exposure,extraction,discoverable,mia,sweep,space8,decode,precision]   (GPT-2-small scale, ~30 min, not in the default run)
#   bench/run.sh --only tui --tui-before "$(bench/build-tui-before.sh)"   (triage UI, before and after)
set -euo pipefail
cd "$(dirname "$0")/.."
# the triage UI section generates its own data; every other section needs the corpora
[[ " $* " == *" --only tui "* ]] || corpora/fetch.sh moby-dick spam-assassin gpt2 >/dev/null
dotnet build bench/MemScan.Bench -c Release -v quiet -nologo -clp:NoSummary
exec dotnet bench/MemScan.Bench/bin/Release/net10.0/memscan-bench.dll "$@"
