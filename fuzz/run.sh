#!/bin/sh
# run.sh — runs every libFuzzer target of a -Dfuzz=true build for a while, from its seed corpus.
#
# Usage: fuzz/run.sh BUILDDIR SECONDS
# Each BUILDDIR/fuzz/fuzz_<name> runs for SECONDS (targets run side by side, one per CPU) on a copy of
# fuzz/corpus/<name> in a temporary directory, so the repository corpus is never changed; new inputs it
# finds are thrown away. Crash, leak, timeout and out-of-memory inputs are written to
# BUILDDIR/fuzz-artifacts/<name>/; copy one into fuzz/corpus/<name>/ once fixed, so the replay test keeps it.
# Logs: BUILDDIR/fuzz-logs/<name>.log. Prints "<name>: <executions> execs, <crashes> crashes" per target
# and a total; exits 1 if anything crashed.
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 BUILDDIR SECONDS" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/zw-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$build/fuzz-logs" "$build/fuzz-artifacts"

targets=""
for bin in "$build"/fuzz/fuzz_*; do
  [ -x "$bin" ] && [ -f "$bin" ] || continue
  targets="$targets ${bin##*/fuzz_}"
done
if [ -z "$targets" ]; then
  echo "run.sh: no fuzz targets in $build/fuzz (configure with -Dfuzz=true and CC=clang)" >&2
  exit 2
fi

# libFuzzer reports leaks and sanitizer errors as crashes; UBSan must stop on its first report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

run_one() {
  name=$1
  corpus="$work/corpus-$name"
  arts="$build/fuzz-artifacts/$name"
  mkdir -p "$corpus" "$arts"
  [ -d "$here/corpus/$name" ] && cp -R "$here/corpus/$name/." "$corpus/"
  before=$(ls "$arts" | wc -l)
  "$build/fuzz/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
    -artifact_prefix="$arts/" "$corpus" >"$build/fuzz-logs/$name.log" 2>&1
  rc=$?
  after=$(ls "$arts" | wc -l)
  crashes=$((after - before))
  # A non-zero exit without an artifact (e.g. a failed start) still counts as a failure.
  [ $rc -ne 0 ] && [ $crashes -eq 0 ] && crashes=1
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz-logs/$name.log" | tail -n 1)
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$build/fuzz-logs/$name.log" | tail -n 1)
  echo "$name ${execs:-0} $crashes" >"$work/result-$name"
}

jobs=$(nproc 2>/dev/null || echo 1)
running=0
for name in $targets; do
  run_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait
    running=0
  fi
done
wait

total_execs=0
total_crashes=0
for name in $targets; do
  read -r _ execs crashes <"$work/result-$name"
  echo "$name: $execs execs, $crashes crashes"
  total_execs=$((total_execs + execs))
  total_crashes=$((total_crashes + crashes))
done
echo "total: $total_execs execs, $total_crashes crashes"
if [ "$total_crashes" -ne 0 ]; then
  echo "crash inputs: $build/fuzz-artifacts/, logs: $build/fuzz-logs/" >&2
  exit 1
fi
exit 0
