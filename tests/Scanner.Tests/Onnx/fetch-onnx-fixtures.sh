#!/usr/bin/env bash
# Extracts ONNX's own operator test fixtures (Debian package libonnx-testdata: model.onnx plus
# test_data_set_*/input_*.pb and output_*.pb per case) into corpora/data/onnx-testdata.
# Called by the Scanner tests when that folder is missing; safe to run by hand. Needs apt-get.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dest="$repo/corpora/data/onnx-testdata"
[ -d "$dest/node" ] && exit 0
command -v apt-get >/dev/null || { echo "fetch-onnx-fixtures: apt-get not available" >&2; exit 3; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# apt-get download runs as the _apt user where it can; a root-owned temp dir only warns.
if ! apt-get download libonnx-testdata >/dev/null 2>&1; then
  apt-get update >/dev/null 2>&1 || true
  apt-get download libonnx-testdata >/dev/null
fi
dpkg-deb -x libonnx-testdata_*.deb x
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.tmp"
cp -r x/usr/share/libonnx-testdata/data "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "fetch-onnx-fixtures: $(find "$dest" -name model.onnx | wc -l) models in $dest"
