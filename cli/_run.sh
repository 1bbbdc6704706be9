#!/usr/bin/env bash
# Shared launcher of the cli/ wrappers: builds the Release binaries once (or when sources are newer),
# then runs the named tool. Keeps the README's commands short and independent of dotnet run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$1"; dll="$2"; shift 2
out="$root/src/$project/bin/Release/net10.0/$dll"
newer_source() {
  find "$root/src" \( -name obj -o -name bin \) -prune -o \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' \) -newer "$out" -print -quit
}
if [ ! -f "$out" ] || [ -n "$(newer_source)" ]; then
  dotnet build "$root/src/$project" -c Release -v quiet -nologo -clp:NoSummary >&2 || { echo "build of src/$project failed" >&2; exit 2; }
fi
exec dotnet "$out" "$@"
