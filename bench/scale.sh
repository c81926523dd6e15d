#!/bin/bash
# bench/scale.sh — `make bench-scale`: the pages at size (issue 15, part 5), on SQLite and on PostgreSQL,
# 127.0.0.1 only.
#
#   bench/scale.sh path/to/release/zorgwerk
#
# For each driver: builds a demo database and fills it (`zorgwerk scale-data`, a C generator: one coach per 40
# participants, 30 % of the trajectories open, the access-log entries on the valid keyed chain, then verified,
# sealed and checkpointed), runs `audit verify --full` (its rate in entries/s), serves it, and requests every
# page a coach, a participant, a partner, the team lead and the log officer open (the log officer's with and
# without filters, page 1 and a deep page by key) SCALE_REQUESTS times each, one after the other
# (bench/scale.py: p50/p99), then `audit verify --from-checkpoint` over what the run added. Prints one Markdown
# table with both drivers side by side, PASS/FAIL against p50 < 20 ms, p99 < 100 ms and verify from the
# checkpoint < 1 s, and the load average before and after each driver's pages.
#
# PostgreSQL: a throwaway cluster (scripts/pg-test-cluster.sh: Unix socket in SCALE_DIR/pg, fsync on; as root
# it runs as `postgres`), tuned only with settings a production server of this size would set (pg_tune below,
# ALTER SYSTEM, none needs a restart); shared_buffers stays the script's 32 MB, the rest is the OS page cache.
#
# Environment: SCALE_PARTICIPANTS (100000), SCALE_LOG_ENTRIES (10000000), SCALE_REQUESTS (200 per page),
# SCALE_DRIVERS ("sqlite postgresql"), SCALE_DIR (keep the databases there and reuse them when they exist;
# default: a temporary folder, removed; the cluster is stopped at the end either way), SCALE_SKIP_FULL=1 (with a
# reused SCALE_DIR: report the full verify of the last run instead of running it again).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: bench/scale.sh path/to/release/zorgwerk" >&2
  exit 2
fi
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
P=${SCALE_PARTICIPANTS:-100000}
M=${SCALE_LOG_ENTRIES:-10000000}
N=${SCALE_REQUESTS:-200}
DRIVERS=${SCALE_DRIVERS:-sqlite postgresql}
KEEP=1
if [ -z "${SCALE_DIR:-}" ]; then SCALE_DIR=$(mktemp -d /tmp/zw-scale.XXXXXX); KEEP=0; fi
mkdir -p "$SCALE_DIR"
SCALE_DIR=$(cd "$SCALE_DIR" && pwd)
ZW_PID=""
PG_DIR=""
cleanup() {
  if [ -n "$ZW_PID" ]; then kill -TERM "$ZW_PID" 2>/dev/null || true; wait "$ZW_PID" 2>/dev/null || true; fi
  if [ -n "$PG_DIR" ]; then "$ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR" || true; fi
  if [ "$KEEP" = 0 ]; then rm -rf "$SCALE_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
load() { cut -d' ' -f1-3 /proc/loadavg; }

# pg_tune URL: what a production server of this size would set (none needs a restart); fsync stays on
pg_tune() {
  local psql
  psql=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql
  "$psql" -X -q -d "$1" -v ON_ERROR_STOP=1 \
    -c "ALTER SYSTEM SET effective_cache_size = '8GB'" -c "ALTER SYSTEM SET random_page_cost = 1.1" \
    -c "ALTER SYSTEM SET work_mem = '16MB'" -c "ALTER SYSTEM SET maintenance_work_mem = '512MB'" \
    -c "ALTER SYSTEM SET max_wal_size = '4GB'" -c "ALTER SYSTEM SET checkpoint_timeout = '15min'" \
    -c "SELECT pg_reload_conf()" >/dev/null
}

# verify_json DIR NAME ZW-COMMAND... -- ARGS...: runs audit verify, records exit status, seconds, rate and
# load average in DIR/verify.json
verify_json() {
  local w=$1 name=$2 out rc=0 t0 t1
  shift 2
  local -a cmd=()
  while [ "$1" != -- ]; do cmd+=("$1"); shift; done
  shift
  t0=$(date +%s.%N)
  out=$("${cmd[@]}" audit verify "$@") || rc=$?
  t1=$(date +%s.%N)
  echo "$out" | sed "s/^/bench-scale: /" >&2
  python3 -c '
import json, re, sys
path, name, rc, t0, t1, out, load = sys.argv[1:]
try:
    d = json.load(open(path))
except FileNotFoundError:
    d = {}
m = re.search(r"\((\d+) entries/s\)", out)
d[name] = {"exit": int(rc), "seconds": float(t1) - float(t0), "rate": int(m.group(1)) if m else 0, "load": load}
json.dump(d, open(path, "w"))
' "$w/verify.json" "$name" "$rc" "$t0" "$t1" "$out" "$(load)"
}

# run_driver sqlite|postgresql: generation, full verify, pages, quick verify; results in $SCALE_DIR/<driver>/
run_driver() {
  local drv=$1 W="$SCALE_DIR/$1" DB T0 PORT
  local -a ZW
  mkdir -p "$W"
  if [ "$drv" = postgresql ]; then
    PG_DIR="$SCALE_DIR/pg"
    DB=$("$ROOT/scripts/pg-test-cluster.sh" start "$PG_DIR")
    pg_tune "$DB"
    ZW=("$BIN" --db "$DB" --set "audit_key_file=$W/audit.key" --set "audit_seal_file=$W/audit.seal")
  else
    DB="$W/db"
    ZW=("$BIN" --db "$DB")
  fi
  echo "bench-scale [$drv]: $P participants, $M access-log entries, $N requests per page; load $(load)" >&2
  if [ ! -f "$W/generated" ]; then
    "${ZW[@]}" demo --force >"$W/demo.out"
    T0=$(date +%s)
    "${ZW[@]}" scale-data --participants "$P" --log-entries "$M" >&2
    echo "bench-scale [$drv]: generated in $(( $(date +%s) - T0 )) s (load $(load))" >&2
    touch "$W/generated"
  else
    echo "bench-scale [$drv]: reusing the database of $W" >&2
  fi
  if [ "$drv" = sqlite ]; then
    echo "bench-scale [$drv]: database $(du -h "$DB" | cut -f1)" >&2
  else
    echo "bench-scale [$drv]: cluster $(du -sh "$PG_DIR/data" | cut -f1)" >&2
  fi
  if [ "${SCALE_SKIP_FULL:-0}" = 1 ] && [ -f "$W/verify.json" ]; then
    echo "bench-scale [$drv]: SCALE_SKIP_FULL=1: the full verify of the last run is reported" >&2
  else
    rm -f "$W/verify.json"
    verify_json "$W" full "${ZW[@]}" -- --full
  fi

  PORT=$(python3 "$HERE/setup.py" freeport)
  "${ZW[@]}" serve --listen "127.0.0.1:$PORT" 2>"$W/serve.err" &
  ZW_PID=$!
  python3 "$HERE/setup.py" wait "http://127.0.0.1:$PORT/healthz"
  load >"$W/load"
  python3 "$HERE/scale.py" pages "http://127.0.0.1:$PORT" "$DB" "$W/demo.out" "$N" "$W/pages.json"
  load >>"$W/load"
  kill -TERM "$ZW_PID"
  wait "$ZW_PID" || true
  ZW_PID=""
  verify_json "$W" quick "${ZW[@]}" -- --from-checkpoint
  if [ "$drv" = postgresql ]; then
    "$ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR"
    PG_DIR=""
  fi
}

echo "bench-scale: drivers: $DRIVERS; $(nproc) cores; load $(load)" >&2
TABLE_ARGS=()
for drv in $DRIVERS; do
  case "$drv" in
    sqlite) label=SQLite ;;
    postgresql) label=PostgreSQL ;;
    *) echo "bench-scale: unknown driver $drv (SCALE_DRIVERS: sqlite postgresql)" >&2; exit 2 ;;
  esac
  run_driver "$drv"
  TABLE_ARGS+=("$label" "$SCALE_DIR/$drv/pages.json" "$SCALE_DIR/$drv/verify.json" "$SCALE_DIR/$drv/load")
done

echo
echo "bench-scale: $P participants, $M access-log entries, $N sequential requests per page, $(nproc) cores"
echo
python3 "$HERE/scale.py" table "${TABLE_ARGS[@]}"
