#!/bin/bash
# bench/callgrind.sh — instructions per request (callgrind), the figure the README's performance notes use.
#
#   bench/callgrind.sh path/to/release/zorgwerk [PATH ...]
#
# Builds the benchmark's database (bench/setup.py db: demo + a coach with 20 open trajectories, each with a
# plan of 5 goals x 4 actions), starts the server under valgrind --tool=callgrind (one worker thread, the
# access log on), signs the coach in, and for every PATH (default /caseload /dashboard): 20 requests to
# warm up, counters zeroed, N requests (CALLGRIND_REQUESTS, default 200) one after the other, counters
# dumped. Prints the instructions (Ir) of all threads — workers, the access-log writer and its sealer —
# per request. Sequential requests: the access-log writer never waits for others (audit_commit_delay_us
# applies only while other requests are under way), so every request is one batch of its own.
# CALLGRIND_KEEP=1 keeps the temporary directory (database, dumps for callgrind_annotate).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: bench/callgrind.sh path/to/release/zorgwerk [PATH ...]" >&2
  exit 2
fi
BIN=$(readlink -f "$1")
shift
PATHS=("$@")
[ ${#PATHS[@]} -gt 0 ] || PATHS=(/caseload /dashboard)
HERE=$(cd "$(dirname "$0")" && pwd)
N=${CALLGRIND_REQUESTS:-200}
PY="python3 $HERE/setup.py"
WORK=$(mktemp -d /tmp/zw-callgrind.XXXXXX)
PID=""
cleanup() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  if [ "${CALLGRIND_KEEP:-0}" = 1 ]; then echo "callgrind: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

$PY db "$BIN" "$WORK/bench.db" "$WORK/state.json"
PORT=$($PY freeport)
valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.%p" --dump-instr=no --compress-strings=no \
  "$BIN" --db "$WORK/bench.db" --listen "127.0.0.1:$PORT" --set threads=1 --set per_ip_limit=1024 serve \
  2>"$WORK/server.log" &
PID=$!
for _ in $(seq 300); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
$PY set "$WORK/state.json" workdir="$WORK"
$PY login "http://127.0.0.1:$PORT" "$WORK/state.json" "$WORK"
COOKIE=$($PY get "$WORK/state.json" cookie)

for path in "${PATHS[@]}"; do
  url="http://127.0.0.1:$PORT$path"
  for _ in $(seq 20); do curl -fs -o /dev/null -H "Cookie: $COOKIE" "$url"; done
  callgrind_control -z "$PID" >/dev/null 2>&1
  for _ in $(seq "$N"); do curl -fs -o /dev/null -H "Cookie: $COOKIE" "$url"; done
  rm -f "$WORK"/cg.*.[0-9]* 2>/dev/null || true
  callgrind_control -d "$PID" >/dev/null 2>&1
  sleep 0.5
  total=0
  for f in "$WORK"/cg.*; do
    [ "$f" = "$WORK/cg.$PID" ] && continue # the initial file, written at exit
    v=$(sed -n 's/^summary: *//p;s/^totals: *//p' "$f" | head -1)
    total=$((total + ${v:-0}))
  done
  printf '%-12s %12d Ir in %d requests: %10.0f Ir per request\n' "$path" "$total" "$N" \
    "$(echo "$total / $N" | bc -l)"
  mkdir -p "$WORK/dump$(echo "$path" | tr / _)"
  mv "$WORK"/cg.$PID.* "$WORK/dump$(echo "$path" | tr / _)/" 2>/dev/null || true
done
