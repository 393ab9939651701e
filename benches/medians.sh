#!/usr/bin/env bash
# Wall-time medians and peak memory of the mfalint binary, one process per
# scan, on the trees of benches/README.md ("The binary, one process per
# scan"). Wall time is taken with `date +%s%N` around each run, peak memory
# with /usr/bin/time; output goes to /dev/null in compact format.
#
#   benches/medians.sh [BINARY]     default: target/release/mfalint
#
# The synthetic trees are written (once) under WORK (default
# /tmp/mfalint-compare, shared with compare.sh) by the bench's generator;
# the corpus row needs ../shared/corpus/scale.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/mfalint}
work=${WORK:-/tmp/mfalint-compare}
corpus=../shared/corpus/scale
[ -x "$bin" ] || cargo build --release --locked -q
cargo bench --no-run --locked -q 2>/dev/null
bench=$(ls -t target/release/deps/scan-* | grep -v '\.d$' | head -1)
for files in 1000 10000 50000; do
  [ -d "$work/synthetic-$files" ] || "$bench" generate "$work/synthetic-$files" "$files"
  find "$work/synthetic-$files" -type f -exec cat {} + > /dev/null  # warm the page cache
done

wall() { # LABEL RUNS PATHS...
  local label=$1 runs=$2; shift 2
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$bin" scan "$@" --format compact --quiet -o /dev/null || true
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
  done | sort -n | awk -v l="$label" '{a[NR] = $1}
    END {printf "%-32s runs %2d  median %5d ms  fastest %5d ms  slowest %5d ms\n", l, NR, a[int((NR + 1) / 2)], a[1], a[NR]}'
}
peak() { # LABEL RUNS PATHS...
  local label=$1 runs=$2; shift 2
  for _ in $(seq "$runs"); do
    { /usr/bin/time -f %M "$bin" scan "$@" --format compact --quiet -o /dev/null 2>&1 >/dev/null || true; } | tail -1
  done | sort -n | awk -v l="$label" '{a[NR] = $1}
    END {printf "%-32s runs %2d  peak memory median %d MB (%d-%d)\n", l, NR, a[int((NR + 1) / 2)] / 1024, a[1] / 1024, a[NR] / 1024}'
}

t10k=$work/synthetic-10000
wall "synthetic 1,000 files" 21 "$work/synthetic-1000"
wall "synthetic 10,000 files" 21 "$t10k"
peak "synthetic 10,000 files" 5 "$t10k"
if [ -d "$corpus" ]; then
  wall "corpus scale/" 15 "$corpus"
  peak "corpus scale/" 5 "$corpus"
fi
wall "synthetic 50,000 files" 7 "$work/synthetic-50000"
peak "synthetic 50,000 files" 5 "$work/synthetic-50000"
# Pre-commit: the five files the cargo bench names (benches/scan.rs).
wall "pre-commit: 5 files named" 21 "$t10k/svc00003/iam_users.tf" "$t10k/svc00041/network.tf" \
  "$t10k/svc00097/stack.yaml" "$t10k/svc00150/iam_groups.tf" "$t10k/svc00199/storage.tf"
