# Shared by the deploy tests (sourced). They test what operators run: a fresh tree's cli/ wrappers,
# build/publish.sh and its published folder, a Slurm cluster. Each test script works alone; run
# from test.sh they share one fresh tree and one publish through MEMSCAN_DEPLOY_WORK.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fixtures="$repo/tests/Deploy/fixtures"

ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# A work folder kept by test.sh across the deploy tests, or a private one removed at exit.
deploy_work() {
  if [ -n "${MEMSCAN_DEPLOY_WORK:-}" ]; then mkdir -p "$MEMSCAN_DEPLOY_WORK"; echo "$MEMSCAN_DEPLOY_WORK"
  else mktemp -d /tmp/memscan-deploy.XXXXXX; fi
}

# fresh_tree DIR: the working tree as a fresh clone would have it (tracked and untracked files that
# git does not ignore; no bin/, obj/, dist/, models/), so uncommitted changes are tested too.
fresh_tree() {
  local dest="$1"
  [ -d "$dest/src" ] && return 0
  mkdir -p "$dest"
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) | tar -C "$dest" -xf -
  [ -x "$dest/cli/memscan" ] || fail "fresh tree $dest has no cli/memscan"
}

# published_tree WORK: a fresh tree whose dist/ holds the published memscan (publishes once).
published_tree() {
  local tree="$1/tree"
  fresh_tree "$tree"
  if [ ! -x "$tree/dist/memscan-linux-x64/memscan" ]; then
    echo "publishing memscan into $tree/dist (build/publish.sh memscan)" >&2
    "$tree/build/publish.sh" memscan >&2 || fail "build/publish.sh memscan failed"
  fi
  echo "$tree"
}
