#!/bin/bash
# bench/matching.sh — the matching benchmark of issue 13: GET /t/{id}/matches for one participant against
# 5,000 open openings of 1,000 employers; p50 and p99 with wrk, the machine's load before and after, and
# PASS/FAIL against the target p99 < 20 ms. Called by bench/run.sh (`make bench`) or on its own:
#
#   bench/matching.sh path/to/release/zorgwerk
#
# The database: the demo plus bench/setup.py's coach (setup.py db), then 1,000 employers with 5 openings each
# (varied kinds of work, regions, hours, support and tasks), and a job profile for the coach's first
# trajectory (three kinds of work, hours, two regions, two kinds of support, two tasks to avoid — so every
# opening's title and tasks are read too). Everything goes in through SQL, like bench/setup.py.
#
# Environment: BENCH_SECONDS (10), MATCH_CONNECTIONS (4: the coaches looking at a match list at the same
# moment; the page's latency is the measure, not the server's saturation), BENCH_WRK_THREADS (2),
# BENCH_WARMUP (2), BENCH_KEEP=1 keeps the temporary directory. Writes build/bench/matching.json.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: bench/matching.sh path/to/release/zorgwerk" >&2
  exit 2
fi
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${BENCH_SECONDS:-10}
CONNS=${MATCH_CONNECTIONS:-4}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
WARMUP=${BENCH_WARMUP:-2}
[ "$WRK_THREADS" -le "$CONNS" ] || WRK_THREADS=$CONNS
PY="python3 $HERE/setup.py"
OUT="$ROOT/build/bench"
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/zw-bench-match.XXXXXX)
ZW_PID=""
cleanup() {
  if [ -n "$ZW_PID" ]; then
    kill -TERM "$ZW_PID" 2>/dev/null || true
    wait "$ZW_PID" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "bench: matching — creating the database (demo, 1,000 employers, 5,000 openings, one job profile)" >&2
$PY db "$BIN" "$WORK/bench.db" "$WORK/state.json"
python3 - "$WORK/bench.db" "$WORK/state.json" >"$WORK/tid" <<'PYEOF'
import json, sqlite3, sys, time
db, state = sys.argv[1], json.load(open(sys.argv[2]))
con = sqlite3.connect(db)
con.execute("PRAGMA foreign_keys=ON")
cur = con.cursor()
now = int(time.time())
coach = cur.execute("SELECT id FROM users WHERE email = ?", (state["email"],)).fetchone()[0]
KINDS = ["administration", "care", "cleaning", "construction", "education", "green", "hospitality", "ict",
         "logistics", "production", "retail", "transport", "other"]
REGIONS = ["Gent", "Antwerpen", "Brugge", "Leuven", "Mechelen", "Hasselt", "Kortrijk", "Aalst", "Utrecht",
           "Rotterdam", "Amsterdam", "Eindhoven", "Zwolle", "Breda", "Tilburg", "Genk", "Oostende", "Sint-Niklaas",
           "Roeselare", "Turnhout"]
TASKS = ["klanten te woord staan", "voorraad bijhouden", "zwaar tillen", "nachtdiensten", "administratie",
         "telefoon beantwoorden", "rijden met de bestelwagen", "plannen en organiseren", "schoonmaken", "kassa"]
cur.execute("UPDATE openings SET status = 'withdrawn'")  # the demo's own openings do not count
for e in range(1000):
    org = cur.execute("INSERT INTO organisations (name, kind, created_at) VALUES (?, 'employer', ?) RETURNING id",
                      ("Bench werkgever %04d" % e, now)).fetchone()[0]
    for k in range(5):
        n = e * 5 + k
        hmax = 8 + (n * 7) % 31
        hmin = (n % 3) * (hmax // 3)
        tasks = ", ".join(TASKS[(n + j * 3) % len(TASKS)] for j in range(3))
        cur.execute("INSERT INTO openings (employer_org_id, title, kind, work_kind, tasks, hours_min, hours_max, "
                    "region, requirements, support, status, created_by, created_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                    (org, "Vacature %05d %s" % (n, KINDS[n % len(KINDS)]), "job" if n % 4 else "work_experience",
                     KINDS[(n * 5) % len(KINDS)], tasks, hmin or None, hmax, REGIONS[(n * 11) % len(REGIONS)],
                     "Geen diploma vereist", n % 16, coach, now))
tid = state["trajectory_ids"][0]
items = [cur.execute("INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) VALUES "
                     "(?, 'job_profile', ?, ?, ?, ?, ?) RETURNING id",
                     (tid, c, coach, "Job profile: " + c, "In eigen woorden: rustig werk, dicht bij huis.", now)
                     ).fetchone()[0] for c in ("work", "capacity")]
cur.execute("INSERT INTO job_profiles (trajectory_id, work_item_id, capacity_item_id, kinds, hours_now, hours_goal, "
            "regions, max_travel_min, avoid, support, coach_work, coach_capacity, created_by, created_at, updated_by, "
            "updated_at) VALUES (?, ?, ?, 'ict,administration,retail', 12, 24, 'Gent\nAntwerpen', 45, "
            "'zwaar tillen\nnachtdiensten', 5, 'Rustige werkplek', 'Goed in structuur', ?, ?, ?, ?)",
            (tid, items[0], items[1], coach, now, coach, now))
con.commit()
assert cur.execute("SELECT COUNT(*) FROM openings WHERE status = 'open'").fetchone()[0] == 5000
print(tid)
PYEOF
TID=$(cat "$WORK/tid")
PORT=$($PY freeport)
"$BIN" --db "$WORK/bench.db" --listen "127.0.0.1:$PORT" --set threads="$(nproc)" --set per_ip_limit=1024 \
  serve 2>"$WORK/zorgwerk.log" &
ZW_PID=$!
$PY wait "http://127.0.0.1:$PORT/healthz"
mkdir -p "$WORK/www"
$PY login "http://127.0.0.1:$PORT" "$WORK/state.json" "$WORK/www" >/dev/null
COOKIE=$($PY get "$WORK/state.json" cookie)
URL="http://127.0.0.1:$PORT/t/$TID/matches"
got=$($PY check "http://127.0.0.1:$PORT" "$WORK/state.json" "/t/$TID/matches")
[ "${got%% *}" = 200 ] || { echo "bench: /t/$TID/matches answered '$got'" >&2; exit 1; }
echo "bench: matching /t/$TID/matches ($CONNS connections, ${SECS}s)" >&2
if [ "$WARMUP" -gt 0 ]; then
  BENCH_COOKIE="$COOKIE" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$HERE/wrk.lua" "$URL" >/dev/null
fi
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
BENCH_COOKIE="$COOKIE" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" --latency -s "$HERE/wrk.lua" "$URL" >"$WORK/wrk.txt"
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$WORK/wrk.txt" "$OUT/matching.json" "$LOAD_BEFORE" "$LOAD_AFTER" "$CONNS" "$(nproc)" "${got#* }" <<'PYEOF'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("{")]
r = json.loads(lines[-1])
out = {"scenario": "matching", "openings": 5000, "employers": 1000, "connections": int(sys.argv[5]),
       "cores": int(sys.argv[6]), "page_bytes": int(sys.argv[7]), "rps": r["rps"], "p50_ms": r["p50_us"] / 1000,
       "p99_ms": r["p99_us"] / 1000, "non_2xx": r["status_errors"], "load_before": float(sys.argv[3]),
       "load_after": float(sys.argv[4]), "target_p99_ms": 20}
out["pass"] = out["p99_ms"] < 20 and out["non_2xx"] == 0
json.dump(out, open(sys.argv[2], "w"), indent=1)
print("matching   %8.1f req/s   p50 %6.2f ms   p99 %6.2f ms   non-2xx %d   load %s -> %s   (%d connections, %d cores)"
      % (out["rps"], out["p50_ms"], out["p99_ms"], out["non_2xx"], sys.argv[3], sys.argv[4], out["connections"],
         out["cores"]))
print("%s matching p99 < 20 ms (5,000 openings of 1,000 employers)" % ("PASS" if out["pass"] else "FAIL"))
PYEOF
