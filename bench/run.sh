#!/bin/bash
# bench/run.sh — `make bench`: wrk against zorgwerk and, for reference, Debian's nginx, on 127.0.0.1 only.
#
#   bench/run.sh path/to/release/zorgwerk
#
# Scenarios (one run):
#   static               a static asset from zorgwerk (the stylesheet, as pages link it)
#   caseload             GET /caseload, signed in as a coach with exactly 20 open trajectories
#   dashboard            GET /dashboard (the coach's day), same coach; each of the 20 trajectories has a plan of
#                        5 goals x 4 actions with due dates from 4 days ago to 35 days ahead (access log on)
#   inbox                GET /messages (the coach's message inbox), same coach; each of the 20 trajectories has
#                        one conversation of 50 messages with its participant, 3 of them unread (access log on)
#   conversation         GET /t/{id}/messages, one of those conversations (50 messages; its first request marks
#                        them read, so the run measures reading, not receipts)
#   nginx                the same caseload HTML saved to a file, served by nginx (2 workers, access_log off):
#                        the reference for every ratio, as in the foundation issue
#   nginx_dashboard      the saved dashboard HTML served by the same nginx (same bytes as zorgwerk's dashboard),
#                        for a like-for-like ratio of the dashboard
#   nginx_inbox          the saved inbox HTML served by the same nginx, like-for-like for the inbox
#   trajectory_logged    GET /t/{id} with the access log on           } only when /t/{id} exists;
#   trajectory_unlogged  GET /t/{id} with access_log_off (a 2nd server) } throughput ratio logged/unlogged
#   caseload_pg          GET /caseload as above with the database on PostgreSQL: the same demo + 20 trajectories
#                        written into a throwaway cluster (scripts/pg-test-cluster.sh, its settings unchanged:
#                        fsync on, Unix socket); reported as a ratio to the same run's nginx. Skipped (said so)
#                        when PostgreSQL's server programs are not installed; BENCH_PG=0 skips it.
# Prints req/s, p50/p99 latency, peak RSS (VmHWM), the 1-minute load average before/after each run and ratios
# to nginx, then PASS/FAIL against the targets,
# and writes the same to build/bench/results.json.
#
# Environment: BENCH_SECONDS (10), BENCH_CONNECTIONS (64), BENCH_WRK_THREADS (2), BENCH_WARMUP seconds (2),
# BENCH_KEEP=1 keeps the temporary directory (database, logs, wrk output) for inspection.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: bench/run.sh path/to/release/zorgwerk" >&2
  exit 2
fi
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
WARMUP=${BENCH_WARMUP:-2}
CORES=$(nproc)
OUT="$ROOT/build/bench"
PY="python3 $HERE/setup.py"

for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is missing (scripts/deps.sh bench)" >&2; exit 2; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

WORK=$(mktemp -d /tmp/zw-bench.XXXXXX)
STATE="$WORK/state.json"
ZW_PID=""
NGINX_PID=""

stop_pid() { # pid: TERM, wait up to 10 s, then KILL
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$ZW_PID"
  stop_pid "$NGINX_PID"
  ZW_PID=""
  NGINX_PID=""
  if [ -n "${PG_DIR:-}" ]; then "$ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR" || true; fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wrk_run NAME URL: warm-up, then the measured run; result JSON line in $WORK/wrk-NAME.json
wrk_run() {
  local name=$1 url=$2
  printf 'bench: %-20s %s\n' "$name" "$url" >&2
  if [ "$WARMUP" -gt 0 ]; then
    BENCH_COOKIE="${COOKIE:-}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$HERE/wrk.lua" "$url" >/dev/null
  fi
  cut -d' ' -f1 /proc/loadavg >"$WORK/load-$name.txt"
  BENCH_COOKIE="${COOKIE:-}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" --latency -s "$HERE/wrk.lua" "$url" \
    >"$WORK/wrk-$name.json"
  cut -d' ' -f1 /proc/loadavg >>"$WORK/load-$name.txt"
  printf '    load average %s -> %s\n' $(cat "$WORK/load-$name.txt") >&2
  grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|Socket errors' "$WORK/wrk-$name.json" | sed 's/^/    /' >&2 || true
}

# start_zorgwerk PORT LOG [--set k=v ...]
start_zorgwerk() {
  local port=$1 log=$2
  shift 2
  # per_ip_limit: every wrk connection comes from 127.0.0.1 and the default (64) equals the connection count,
  # so a reconnect could be refused; everything else is the default configuration.
  "$BIN" --db "${ZW_DB:-$WORK/bench.db}" --listen "127.0.0.1:$port" --set threads="$CORES" --set per_ip_limit=1024 \
    "$@" serve 2>"$log" &
  ZW_PID=$!
  $PY wait "http://127.0.0.1:$port/healthz"
}

check_200() { # base path expected_name
  local got
  got=$($PY check "$1" "$STATE" "$2")
  [ "${got%% *}" = 200 ] || { echo "bench: $2 answered '$got' before the run of $3" >&2; return 1; }
}

$PY set "$STATE" loadavg_start="$(cut -d' ' -f1 /proc/loadavg)" workdir="$WORK" seconds="$SECS" connections="$CONNS" wrk_threads="$WRK_THREADS" \
  server_threads="$CORES" cores="$CORES" problems='[]'

# ---- database and login ----
echo "bench: creating the benchmark database (demo + 20 open trajectories for one coach)" >&2
$PY db "$BIN" "$WORK/bench.db" "$WORK/db.json"
python3 - "$WORK/db.json" "$STATE" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2])); b.update(a)
json.dump(b, open(sys.argv[2], "w"), indent=1)
EOF

ZW_PORT=$($PY freeport)
start_zorgwerk "$ZW_PORT" "$WORK/zorgwerk.log"
ZW="http://127.0.0.1:$ZW_PORT"
mkdir -p "$WORK/www"
$PY login "$ZW" "$STATE" "$WORK/www"
COOKIE=$($PY get "$STATE" cookie)
CASELOAD_STATUS=$($PY get "$STATE" caseload_status)
TRAJ_PATH=$($PY get "$STATE" trajectory_path)
TRAJ_STATUS=$($PY get "$STATE" trajectory_status)
STATIC_PATH=$($PY get "$STATE" static_path)
DASHBOARD_STATUS=$($PY get "$STATE" dashboard_status)
INBOX_STATUS=$($PY get "$STATE" inbox_status)
CONV_PATH=$($PY get "$STATE" conversation_path)

# ---- nginx: the saved caseload HTML, same bytes ----
NGINX_PORT=$($PY freeport)
if [ "$CASELOAD_STATUS" = 200 ]; then
  mkdir -p "$WORK/nginx/tmp"
  USER_LINE=""
  [ "$(id -u)" -eq 0 ] && USER_LINE="user $(id -un) $(id -gn);"
  sed -e "s|@PREFIX@|$WORK/nginx|g" -e "s|@PORT@|$NGINX_PORT|g" -e "s|@ROOT@|$WORK/www|g" \
    -e "s|@USER@|$USER_LINE|" "$HERE/nginx.conf" >"$WORK/nginx/nginx.conf"
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" 2>"$WORK/nginx/stderr.log" &
  NGINX_PID=$!
  $PY wait "http://127.0.0.1:$NGINX_PORT/caseload"
  COOKIE="" wrk_run nginx "http://127.0.0.1:$NGINX_PORT/caseload"
  if [ "$DASHBOARD_STATUS" = 200 ]; then
    COOKIE="" wrk_run nginx_dashboard "http://127.0.0.1:$NGINX_PORT/dashboard"
  fi
  if [ "$INBOX_STATUS" = 200 ]; then
    COOKIE="" wrk_run nginx_inbox "http://127.0.0.1:$NGINX_PORT/messages"
  fi
  $PY set "$STATE" rss_nginx="$($PY rss "$NGINX_PID" --children)"
  stop_pid "$NGINX_PID"
  NGINX_PID=""
else
  echo "bench: GET /caseload answered $CASELOAD_STATUS — caseload and nginx scenarios skipped" >&2
fi

# ---- zorgwerk with the access log on ----
check_200 "$ZW" "$STATIC_PATH" static
wrk_run static "$ZW$STATIC_PATH"
if [ "$CASELOAD_STATUS" = 200 ]; then
  check_200 "$ZW" /caseload caseload
  wrk_run caseload "$ZW/caseload"
  check_200 "$ZW" /caseload "(after) caseload" || $PY set "$STATE" problems='["session lost during the caseload run"]'
fi
if [ "$DASHBOARD_STATUS" = 200 ]; then
  check_200 "$ZW" /dashboard dashboard
  wrk_run dashboard "$ZW/dashboard"
else
  echo "bench: GET /dashboard answered $DASHBOARD_STATUS — dashboard scenario skipped" >&2
fi
if [ "$INBOX_STATUS" = 200 ]; then
  check_200 "$ZW" /messages inbox
  wrk_run inbox "$ZW/messages"
  if [ -n "$CONV_PATH" ] && check_200 "$ZW" "$CONV_PATH" conversation; then
    wrk_run conversation "$ZW$CONV_PATH"
  fi
else
  echo "bench: GET /messages answered $INBOX_STATUS — message inbox scenario skipped" >&2
fi
HAVE_TRAJ=0
if [ -n "$TRAJ_PATH" ] && [ "$TRAJ_STATUS" = 200 ]; then
  HAVE_TRAJ=1
  wrk_run trajectory_logged "$ZW$TRAJ_PATH"
fi
$PY set "$STATE" rss_zorgwerk="$($PY rss "$ZW_PID")"
stop_pid "$ZW_PID"
ZW_PID=""

# ---- zorgwerk with access_log_off (benchmark only) ----
if [ "$HAVE_TRAJ" = 1 ]; then
  ZW2_PORT=$($PY freeport)
  start_zorgwerk "$ZW2_PORT" "$WORK/zorgwerk-unlogged.log" --set access_log_off=true
  check_200 "http://127.0.0.1:$ZW2_PORT" "$TRAJ_PATH" trajectory_unlogged
  wrk_run trajectory_unlogged "http://127.0.0.1:$ZW2_PORT$TRAJ_PATH"
  $PY set "$STATE" rss_zorgwerk_unlogged="$($PY rss "$ZW_PID")"
  stop_pid "$ZW_PID"
  ZW_PID=""
fi

# ---- zorgwerk on PostgreSQL: the caseload (issue 15) ----
PG_DIR=""
if [ "${BENCH_PG:-1}" != 0 ] && [ "$CASELOAD_STATUS" = 200 ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  PG_DIR="$WORK/pg"
  PG_URL=$("$ROOT/scripts/pg-test-cluster.sh" start "$PG_DIR")
  PG_SET=(--set "audit_key_file=$WORK/pg-audit.key" --set "audit_seal_file=$WORK/pg-audit.seal")
  echo "bench: creating the benchmark database on PostgreSQL (the same demo + 20 open trajectories)" >&2
  $PY db "$BIN" "$PG_URL" "$WORK/state-pg.json" "${PG_SET[@]}"
  $PY set "$WORK/state-pg.json" workdir="$WORK"
  ZW3_PORT=$($PY freeport)
  ZW_DB="$PG_URL" start_zorgwerk "$ZW3_PORT" "$WORK/zorgwerk-pg.log" "${PG_SET[@]}"
  mkdir -p "$WORK/www-pg"
  $PY login "http://127.0.0.1:$ZW3_PORT" "$WORK/state-pg.json" "$WORK/www-pg"
  if [ "$($PY get "$WORK/state-pg.json" caseload_status)" = 200 ]; then
    COOKIE=$($PY get "$WORK/state-pg.json" cookie)
    wrk_run caseload_pg "http://127.0.0.1:$ZW3_PORT/caseload"
    $PY set "$STATE" rss_zorgwerk_pg="$($PY rss "$ZW_PID")" \
      caseload_pg_bytes="$($PY get "$WORK/state-pg.json" caseload_bytes)"
  else
    echo "bench: GET /caseload on PostgreSQL answered $($PY get "$WORK/state-pg.json" caseload_status)" >&2
  fi
  stop_pid "$ZW_PID"
  ZW_PID=""
  "$ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR"
  PG_DIR=""
else
  echo "bench: caseload on PostgreSQL skipped (BENCH_PG=0, no caseload, or no PostgreSQL server installed)" >&2
fi

"$HERE/matching.sh" "$BIN" || echo "bench: the matching scenario (bench/matching.sh) could not be measured" >&2
python3 - "$STATE" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["rss_kib"] = {k[4:]: s[k] for k in ("rss_zorgwerk", "rss_nginx", "rss_zorgwerk_unlogged", "rss_zorgwerk_pg") if k in s}
json.dump(s, open(sys.argv[1], "w"), indent=1)
EOF
"$HERE/reports.sh" "$BIN" >&2 || echo "bench: /reports misses its target (build/bench/reports.json)" >&2 # issue 14
$PY set "$STATE" loadavg_end="$(cut -d' ' -f1 /proc/loadavg)"
set +e
$PY report "$STATE" "$OUT/results.json"
rc=$?
grep -v ' req ' "$WORK/zorgwerk.log" | tail -n 50 >"$OUT/zorgwerk.log.tail" 2>/dev/null
exit $rc
