#!/usr/bin/env bash
# "Not a behaviour change", checked: scans the same models with the scanner built at BEFORE_REV and
# with this tree, then compares the run folders table by table, row by row, except timings
# (RunTablesComparisonTests). MODELS_DIR holds one folder per model, each with model.onnx and its
# manifest; a folder with examples.parquet is scanned with `memscan vision`, the others with
# `memscan scan`. Fixed run ids, so the run folders line up.
#   tests/compare-scan-tables.sh MODELS_DIR [BEFORE_REV (default: main)] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
models="$(cd "${1:?usage: $0 MODELS_DIR [BEFORE_REV] [WORK_DIR]}" && pwd)"
rev="${2:-main}"
work="${3:-$(mktemp -d)}"
mkdir -p "$work"; work="$(cd "$work" && pwd)"

scan_all() { # DLL RUNS
    rm -rf "$2"; mkdir -p "$2"
    for dir in "$models"/*/; do
        name="$(basename "$dir")"
        if [ -f "$dir/examples.parquet" ]; then command=vision; else command=scan; fi
        set +e
        dotnet "$1" "$command" "$dir/model.onnx" --runs "$2" --run-id "$name" > "$2/$name.log" 2>&1
        code=$?
        set -e
        # exit 1 is a finding at --fail-on; anything else means the scan did not finish
        if [ "$code" -gt 1 ]; then echo "compare: memscan $command $name failed (exit $code), see $2/$name.log" >&2; exit 2; fi
        mv "$2/$name.log" "$2/../$(basename "$2")-$name.log"
    done
}

if [ ! -f "$work/before-src/src/Scanner/bin/Release/net10.0/memscan.dll" ]; then
    rm -rf "$work/before-src"; mkdir -p "$work/before-src"
    git archive "$rev" | tar -x -C "$work/before-src"
    dotnet build "$work/before-src/src/Scanner" -c Release -v quiet -nologo -clp:NoSummary >&2
fi
dotnet build src/Scanner -c Release -v quiet -nologo -clp:NoSummary >&2
dotnet build tests/Scanner.Tests -c Debug -v quiet -nologo -clp:NoSummary >&2
scan_all "$work/before-src/src/Scanner/bin/Release/net10.0/memscan.dll" "$work/before"
scan_all "$PWD/src/Scanner/bin/Release/net10.0/memscan.dll" "$work/after"
MEMSCAN_COMPARE_BEFORE="$work/before" MEMSCAN_COMPARE_AFTER="$work/after" \
    tests/Scanner.Tests/bin/Debug/net10.0/MemScan.Scanner.Tests -noColor \
    -class 'MemScan.Scanner.Tests.Architecture.RunTablesComparisonTests'
