#!/usr/bin/env bash
# Checks that a change made for speed changed nothing a user sees: runs two
# builds of mfalint on the same inputs and compares their outputs byte for
# byte (standard output in every format, standard error, exit status), and
# the new build with one thread against two, and with its syntax trees kept
# against parsed later and parsed again (MFALINT_TREES; issue #25: "output
# byte-identical on the corpus, testdata and the synthetic trees").
#
#   benches/same-output.sh BEFORE AFTER     two mfalint binaries
#
# Inputs: the shared corpus (../shared/corpus: real/, peers/, scale/, when
# present), testdata/, the bundled examples, and the synthetic trees of
# 1,000 and 10,000 files (made with the bench's generator when missing, in
# WORK, default /tmp/mfalint-compare). Prints one line per comparison and
# exits 1 at the first difference, after showing it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
before=$(realpath "$1")
after=$(realpath "$2")
work=${WORK:-/tmp/mfalint-compare}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

trees=(testdata examples)
corpus=../shared/corpus
for part in real peers scale; do
  [ -d "$corpus/$part" ] && trees+=("$corpus/$part")
done
for files in 1000 10000; do
  tree="$work/synthetic-$files"
  if [ ! -d "$tree" ]; then
    cargo bench --no-run --locked -q 2>/dev/null
    bench=$(ls -t target/release/deps/scan-* | grep -v '\.d$' | head -1)
    "$bench" generate "$tree" "$files" >/dev/null
  fi
  trees+=("$tree")
done

# run BIN OUT ARGS...: standard output, standard error and exit status.
run() {
  local bin=$1 out=$2; shift 2
  local status=0
  "$bin" "$@" >"$out.stdout" 2>"$out.stderr" || status=$?
  echo "$status" >"$out.status"
}

same() { # same A B LABEL: the three outputs are identical
  local a=$1 b=$2 label=$3
  for part in stdout stderr status; do
    if ! cmp -s "$a.$part" "$b.$part"; then
      echo "DIFFERENT: $label ($part)"
      diff "$a.$part" "$b.$part" | head -20
      exit 1
    fi
  done
  echo "same: $label"
}

checked=0
for tree in "${trees[@]}"; do
  for format in json sarif compact; do
    run "$before" "$tmp/a" scan "$tree" --format "$format"
    run "$after" "$tmp/b" scan "$tree" --format "$format"
    same "$tmp/a" "$tmp/b" "$tree, $format"
    checked=$((checked + 1))
  done
  run "$after" "$tmp/c" scan "$tree" --format json -j1
  run "$after" "$tmp/d" scan "$tree" --format json -j2
  same "$tmp/c" "$tmp/d" "$tree, json, 1 thread against 2"
  MFALINT_TREES=keep run "$after" "$tmp/c" scan "$tree" --format json
  MFALINT_TREES=reparse run "$after" "$tmp/d" scan "$tree" --format json
  same "$tmp/c" "$tmp/d" "$tree, json, trees kept against parsed again"
  MFALINT_TREES=defer run "$after" "$tmp/d" scan "$tree" --format json
  same "$tmp/c" "$tmp/d" "$tree, json, trees kept against parsed later"
  run "$before" "$tmp/a" inventory "$tree" --format csv
  run "$after" "$tmp/b" inventory "$tree" --format csv
  same "$tmp/a" "$tmp/b" "$tree, inventory csv"
  checked=$((checked + 4))
done
echo "same-output: $checked comparisons, no difference"
