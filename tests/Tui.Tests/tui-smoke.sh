#!/usr/bin/env bash
# Smoke test of memscan-tui in a real terminal: tmux runs it at a fixed size against a demo runs
# folder, keys are sent with send-keys, and the screen is read back with capture-pane (with -e,
# the colours: no cell may be drawn in its own background). The README's screenshot is taken from
# a real run instead, by build/tui-screenshot.sh.
#
#   tests/Tui.Tests/tui-smoke.sh                # build, run, assert
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v tmux >/dev/null; then
    echo "tmux missing: installing it" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq tmux >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq tmux >/dev/null; fi
fi

dotnet build "$repo/src/Tui" -v q -nologo >/dev/null
bin="$repo/src/Tui/bin/Debug/net10.0/memscan-tui"

work="$(mktemp -d)"
session="memscan-smoke-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; echo "--- screen ---" >&2; tmux capture-pane -p -t "$session" >&2 2>/dev/null || true; exit 1; }

# a missing folder is one clear line and exit code 2
set +e
out="$("$bin" "$work/no-such-runs" 2>&1)"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "missing runs folder exited $rc, expected 2"
[[ "$out" == *"does not exist"* && $(wc -l <<<"$out") -eq 1 ]] || fail "missing runs folder said: $out"
echo "ok: missing runs folder -> exit 2: $out"

"$bin" --demo-data "$work/runs" >/dev/null
run_id="20261125-193300-char-lstm-3fa9"

tmux new-session -d -s "$session" -x 160 -y 42 "$bin '$work/runs'; echo \$? > '$work/exit-code'"

screen() { tmux capture-pane -p -t "$session"; }
wait_for() { # TEXT [SECONDS]
    local deadline=$((SECONDS + ${2:-15}))
    while (( SECONDS < deadline )); do
        screen 2>/dev/null | grep -qF -- "$1" && { echo "ok: '$1'"; return 0; }
        sleep 0.2
    done
    fail "'$1' did not appear"
}
keys() { tmux send-keys -t "$session" "$@"; sleep 0.3; }

readable() { # STATE: every cell of the screen in a colour other than its background
    tmux capture-pane -e -p -t "$session" | awk -f "$repo/tests/Tui.Tests/same-colour-cells.awk" >&2 \
        || fail "$1: cells drawn in their own background colour"
    echo "ok: readable ($1)"
}

wait_for "$run_id"
wait_for "10 of 10 findings"
wait_for "press x to reveal"
screen | grep -qF "281430" && fail "the secret is shown before x was pressed"
readable "main screen"
keys "?";          wait_for "Keys (Esc closes)"
readable "help"
keys Escape
for _ in $(seq 25); do screen | grep -qF "Keys (Esc closes)" || break; sleep 0.2; done
screen | grep -qF "Keys (Esc closes)" && fail "Esc did not close the help"
echo "ok: Esc closed the help"

keys s;            wait_for "sort normalized score"
keys p;            wait_for "probe exposure"
keys v v v;        wait_for ">= high"
keys /;            wait_for "Filter text"
keys card Enter;   wait_for "text 'card'"
keys c;            wait_for "note (Enter saves)"
keys "smoke note" Enter
wait_for "saved: exposure/card-8/exposure_bits confirmed"
wait_for "note      smoke note"
keys g;            wait_for "ROC (roc.parquet): AUC"
readable "plots"
# 80x24: the key line keeps quit and help, and the stacked panes still show the triage column
tmux resize-window -t "$session" -x 80 -y 24 2>/dev/null || tmux resize-pane -t "$session" -x 80 -y 24
keys g;            wait_for "q quit  ? help"
wait_for "confirmed"
readable "80x24"
keys C-c

for _ in $(seq 50); do [[ -f "$work/exit-code" ]] && break; sleep 0.2; done
[[ -f "$work/exit-code" ]] || fail "Ctrl+C did not quit"
[[ "$(cat "$work/exit-code")" == "0" ]] || fail "memscan-tui exited $(cat "$work/exit-code")"
[[ -f "$work/runs/$run_id/triage.parquet" ]] || fail "triage.parquet was not written"
echo "ok: quit with exit 0, triage.parquet written"
echo "PASS"
