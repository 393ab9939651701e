#!/usr/bin/env bash
# Cumulative fuzzing per target from fuzz/runs.log: minutes and executions.
# A run's time is the CPU seconds the fuzzer had: fuzzer_cpu=N s where a
# line corrects cpu= (which once included compiling), else cpu=N s; for a line whose
# CPU count was lost (cpu=?) the remark's "about N s"; for the first runs,
# logged before CPU was measured, the wall seconds asked (or reached, ~N s).
set -euo pipefail
cd "$(dirname "$0")"
awk '
{
  target = $2; seconds = ""; fuzzer = ""; execs = 0
  for (i = 3; i <= NF; i++) {
    if ($i ~ /^fuzzer_cpu=[0-9]+s$/) { fuzzer = substr($i, 12) + 0 }
    else if ($i ~ /^cpu=[0-9]+s$/) { seconds = substr($i, 5) + 0 }
    else if ($i == "cpu=?s" || $i == "cpu=?") {
      if (match($0, /about [0-9]+ s/)) seconds = substr($0, RSTART + 6, RLENGTH - 8) + 0
    }
    else if ($i ~ /^execs=[0-9]+$/) { execs = substr($i, 7) + 0 }
  }
  if (fuzzer != "") seconds = fuzzer
  if (seconds == "") { wall = $3; gsub(/[~s]/, "", wall); seconds = wall + 0 }
  total[target] += seconds; runs[target]++; executions[target] += execs
  if (!(target in order)) { order[target] = ++n; names[n] = target }
}
END {
  printf "| %-20s | %5s | %8s | %14s |\n", "target", "runs", "minutes", "executions"
  printf "|%s|%s|%s|%s|\n", "----------------------", "------:", "---------:", "---------------:"
  for (i = 1; i <= n; i++) {
    t = names[i]
    printf "| %-20s | %5d | %8.0f | %14d |\n", t, runs[t], total[t] / 60, executions[t]
  }
}' runs.log
