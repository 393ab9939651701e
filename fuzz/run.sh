#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), JOBS targets at
# a time (default 2), and appends one line per run to fuzz/runs.log:
# date, target, seconds asked, CPU seconds the fuzzer really had (user +
# system: a run paused with SIGSTOP to free the cores is not counted as
# fuzzing), executions, corpus size, crashes found.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
jobs=${JOBS:-2}
targets=${TARGETS:-"terraform_hcl terraform_hcl_parsers terraform_json terraform_plan cloudformation_json cloudformation_yaml serverless pulumi_yaml credential_report exception_comments config_file lsp_framing"}
# Seeds the corpora when a target has none yet (seeding again only adds).
for t in $targets; do
  [ -d "fuzz/corpus/$t" ] || { fuzz/seed.sh >/dev/null; break; }
done
cargo +nightly fuzz build -O >/dev/null 2>&1 || { echo "fuzz build failed" >&2; exit 1; }
mkdir -p fuzz/logs
dict_of() { # the dictionary of a target's input language, if any
  case $1 in
    terraform_*) echo fuzz/dicts/terraform.dict ;;
    cloudformation_*) echo fuzz/dicts/cloudformation.dict ;;
    *) [ -f "fuzz/dicts/$1.dict" ] && echo "fuzz/dicts/$1.dict" ;;
  esac
}
run() {
  local t=$1 log="fuzz/logs/$1.$(date +%s).log"
  local dict; dict=$(dict_of "$t")
  # Crashes, timeouts, out-of-memory and leaks count; libFuzzer's
  # `slow-unit-*` reports do not (a run paused with SIGSTOP to free the
  # cores makes its current unit "slow"): they are listed apart.
  findings() { ls fuzz/artifacts/"$t" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak)-'; }
  slow_units() { ls fuzz/artifacts/"$t" 2>/dev/null | grep -c '^slow-unit-'; }
  local before; before=$(findings)
  local slow_before; slow_before=$(slow_units)
  # The fuzzer binary itself is timed, not `cargo fuzz run`: cargo rebuilt
  # the crate inside the clock (twice per run, 4 to 7 minutes each, when
  # two targets ran side by side), and that is not fuzzing.
  cargo +nightly fuzz build -O "$t" >/dev/null 2>&1
  mkdir -p fuzz/artifacts/"$t"
  ASAN_OPTIONS=detect_odr_violation=0 nice -n 19 /usr/bin/time -f '%U %S' -o "$log.time" \
    "fuzz/target/x86_64-unknown-linux-gnu/release/$t" -artifact_prefix=fuzz/artifacts/"$t"/ \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 ${dict:+-dict="$dict"} fuzz/corpus/"$t" >"$log" 2>&1
  local cpu; cpu=$(awk 'END {printf "%d", $1 + $2}' "$log.time")
  local execs; execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  local after; after=$(findings)
  local slow; slow=$(( $(slow_units) - slow_before ))
  local size; size=$(ls fuzz/corpus/"$t" | wc -l)
  echo "$(date -u +%FT%TZ) $t ${seconds}s cpu=${cpu}s execs=${execs:-?} corpus=$size crashes=$((after - before)) slow_units=$slow commit=$commit" >> fuzz/runs.log
}
# The commit fuzzed. To edit the sources while a campaign runs, run it
# from a worktree (fuzz/README.md): a changed source tree would be rebuilt
# into the next target's run.
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src fuzz/common.rs fuzz/fuzz_targets || echo +changes)
export -f run dict_of; export seconds commit
printf '%s\n' $targets | xargs -P "$jobs" -I{} bash -c 'run {}'
tail -n "$(printf '%s\n' $targets | wc -l)" fuzz/runs.log
