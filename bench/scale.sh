#!/bin/bash
# bench/scale.sh — `make bench-scale`: the pages at size (issue 15, part 5), on SQLite, 127.0.0.1 only.
#
#   bench/scale.sh path/to/release/zorgwerk
#
# Builds a demo database and fills it (`zorgwerk scale-data`, a C generator: one coach per 40 participants,
# 30 % of the trajectories open, the access-log entries on the valid keyed chain, then verified, sealed and
# checkpointed), runs `audit verify --full` (its rate in entries/s), serves it, and requests every page a
# coach, a participant, a partner, the team lead and the log officer open (the log officer's with and without
# filters, page 1 and a deep page by key) SCALE_REQUESTS times each, one after the other (bench/scale.py:
# p50/p99), then `audit verify --from-checkpoint` over what the run added. Prints a Markdown table with
# PASS/FAIL against p50 < 20 ms, p99 < 100 ms and verify from the checkpoint < 1 s, and the load average.
#
# Environment: SCALE_PARTICIPANTS (100000), SCALE_LOG_ENTRIES (10000000), SCALE_REQUESTS (200 per page),
# SCALE_DIR (keep the database there and reuse it when it exists; default: a temporary folder, removed).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: bench/scale.sh path/to/release/zorgwerk" >&2
  exit 2
fi
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
P=${SCALE_PARTICIPANTS:-100000}
M=${SCALE_LOG_ENTRIES:-10000000}
N=${SCALE_REQUESTS:-200}
KEEP=1
if [ -z "${SCALE_DIR:-}" ]; then SCALE_DIR=$(mktemp -d /tmp/zw-scale.XXXXXX); KEEP=0; fi
mkdir -p "$SCALE_DIR"
DB="$SCALE_DIR/db"
ZW_PID=""
cleanup() {
  if [ -n "$ZW_PID" ]; then kill -TERM "$ZW_PID" 2>/dev/null || true; wait "$ZW_PID" 2>/dev/null || true; fi
  if [ "$KEEP" = 0 ]; then rm -rf "$SCALE_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "bench-scale: $P participants, $M access-log entries, $N requests per page; $(nproc) cores, load $(load)" >&2
if [ ! -f "$DB" ]; then
  "$BIN" --db "$DB" demo >"$SCALE_DIR/demo.out"
  T0=$(date +%s)
  "$BIN" --db "$DB" scale-data --participants "$P" --log-entries "$M" >&2
  echo "bench-scale: generated in $(( $(date +%s) - T0 )) s" >&2
else
  echo "bench-scale: reusing $DB" >&2
fi
echo "bench-scale: database $(du -h "$DB" | cut -f1)" >&2

# verify_json NAME ARGS...: runs audit verify, records exit status, seconds and rate in $SCALE_DIR/verify.json
VERIFY_JSON="$SCALE_DIR/verify.json"
echo '{}' >"$VERIFY_JSON"
verify_json() {
  local name=$1; shift
  local out rc=0 t0 t1
  t0=$(date +%s.%N)
  out=$("$BIN" --db "$DB" audit verify "$@") || rc=$?
  t1=$(date +%s.%N)
  echo "$out" | sed 's/^/bench-scale: /' >&2
  python3 - "$VERIFY_JSON" "$name" "$rc" "$t0" "$t1" "$out" <<'PY'
import json, re, sys
path, name, rc, t0, t1, out = sys.argv[1:]
d = json.load(open(path))
m = re.search(r"\((\d+) entries/s\)", out)
d[name] = {"exit": int(rc), "seconds": float(t1) - float(t0), "rate": int(m.group(1)) if m else 0}
json.dump(d, open(path, "w"))
PY
}
verify_json full --full

PORT=$(python3 "$HERE/setup.py" freeport)
"$BIN" --db "$DB" serve --listen "127.0.0.1:$PORT" 2>"$SCALE_DIR/serve.err" &
ZW_PID=$!
python3 "$HERE/setup.py" wait "http://127.0.0.1:$PORT/healthz"
LOAD_BEFORE=$(load)
python3 "$HERE/scale.py" pages "http://127.0.0.1:$PORT" "$DB" "$SCALE_DIR/demo.out" "$N" "$SCALE_DIR/pages.json"
LOAD_AFTER=$(load)
kill -TERM "$ZW_PID"
wait "$ZW_PID" || true
ZW_PID=""
verify_json quick --from-checkpoint

echo
echo "bench-scale: $P participants, $M access-log entries (SQLite), $N sequential requests per page;"
echo "load average $LOAD_BEFORE before the pages, $LOAD_AFTER after ($(nproc) cores)"
echo
python3 "$HERE/scale.py" table "$SCALE_DIR/pages.json" "$VERIFY_JSON"
