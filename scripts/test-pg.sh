#!/bin/sh
# The PostgreSQL round of `make test` (alone: `make test-pg`): every test that touches a database, against a
# throwaway cluster (scripts/pg-test-cluster.sh) that this script creates in a temporary directory, starts
# and removes:
#   unit/*     the unit tests of tests/meson.build that open a database (tests/unit/dbfixture.h, or db_open);
#              the others do not depend on the driver and run in the meson round only
#   http/*     every HTTP test of tests/http/meson.build but those of scripts/test-pg.skip (each with its
#              reason), and the PostgreSQL-only tests of scripts/test-pg.only
#   browser/*  every browser test of tests/browser/meson.build
# Each test gets ZW_TEST_DB_URL and makes its own databases in the cluster (dbfixture.h, harness.py, lib.mjs).
# Usage: scripts/test-pg.sh BUILD [unit/NAME | http/NAME | browser/NAME]...   (default: all of the above)
# PG_JOBS tests run at a time (default 3: most of a test's time is spent waiting for its server, the
# browser or the cluster's fsync), longest first (durations of earlier runs); http/pg_down, which stops
# and restarts the cluster, runs alone at the end. Prints one line per test (ok / FAIL) and a count, and
# exits 1 if any failed. Logs: BUILD/meson-logs/pg/ (results.txt: the lines, for scripts/test-summary.py;
# screenshots of the browser tests in screenshots/).
set -u
build=${1:?usage: scripts/test-pg.sh BUILD [TEST]...}
shift
cd "$(dirname "$0")/.."
build=$(cd "$build" && pwd) || exit 1
logs="$build/meson-logs/pg"

# one test: prints "ok   NAME (Ns)" or "FAIL NAME (Ns, log: FILE)"
one() {
  t=$1 name=${1#*/}
  log="$logs/$(echo "$t" | tr / _).log"
  limit=300
  case "$t" in
    unit/*) cmd="$build/tests/test_$name" ;;
    http/*) cmd="python3 tests/http/test_$name.py" ;;
    browser/*) cmd="node tests/browser/$name.mjs"; [ "$name" = crawl ] && limit=600 ;;
    *) echo "FAIL $t (unknown test)"; return ;;
  esac
  start=$(date +%s)
  if timeout "$limit" $cmd >"$log" 2>&1; then echo "ok   $t ($(( $(date +%s) - start ))s)"
  else echo "FAIL $t ($(( $(date +%s) - start ))s, log: $log)"; fi
}
if [ "${PG_ONE:-}" ]; then one "$PG_ONE"; exit 0; fi

if [ $# -gt 0 ]; then tests="$*"; else
  tests=$(python3 - <<'PY'
import os, re

def listed(meson, var):
    names = []
    for line in open(meson):
        if line.startswith(var):
            names += re.findall(r"'(\w+)'", line.split("#")[0])
    return names

def words(path):
    return {l.split()[0] for l in open(path) if l.strip() and not l.startswith("#")}

# unit tests of tests/meson.build (the quoted names of the unit_tests = [...] block) that open a database
src = open("tests/meson.build").read()
block = re.search(r"unit_tests\s*=\s*\[(.*?)\]", src, re.S).group(1)
unit = [n for n in re.findall(r"'(\w+)'", block)
        if re.search(r'#include "dbfixture.h"|\bdb_open\(', open("tests/unit/test_%s.c" % n).read())]
skip = words("scripts/test-pg.skip")
http = [n for n in listed("tests/http/meson.build", "http_tests") if n not in skip]
http += sorted(words("scripts/test-pg.only"))
browser = listed("tests/browser/meson.build", "browser_tests")
print(" ".join(["unit/" + n for n in unit] + ["http/" + n for n in http] + ["browser/" + n for n in browser]))
PY
  ) || exit 1
fi

# longest first: by the durations of earlier runs (durations.txt), browser tests first when unknown
order() {
  python3 - "$logs/durations.txt" "$@" <<'PY'
import re, sys
known = {}
try:
    for line in open(sys.argv[1]):
        m = re.match(r"(?:ok|FAIL)\s+(\S+) \((\d+)s", line)
        if m:
            known[m.group(1)] = int(m.group(2))
except OSError:
    pass
guess = {"browser/crawl": 300, "browser": 60, "http": 5, "unit": 2}
tests = sys.argv[2:]
print("\n".join(sorted(tests, key=lambda t: -known.get(t, guess.get(t, guess.get(t.split("/")[0], 5))))))
PY
}
parallel="" alone=""
for t in $tests; do
  case "$t" in http/pg_down) alone="$alone $t" ;; *) parallel="$parallel $t" ;; esac
done

mkdir -p "$logs"
dir=$(mktemp -d /tmp/zw-pg-XXXXXX)
cleanup() { scripts/pg-test-cluster.sh stop "$dir" >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
if ! url=$(scripts/pg-test-cluster.sh start "$dir" 2>"$logs/cluster.log"); then
  cat "$logs/cluster.log" >&2
  echo "FAIL cluster (scripts/pg-test-cluster.sh start did not start a PostgreSQL cluster, log: $logs/cluster.log)" |
    tee "$logs/results.txt"
  exit 1
fi
export ZW_TEST_DB_URL="$url" ZW_BIN="$build/zorgwerk" ZW_BUILD="$logs" PYTHONDONTWRITEBYTECODE=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

start=$(date +%s)
# each line as soon as its test ends; results.txt: this run's lines, durations.txt: the latest of every test
order $parallel | xargs -r -P "${PG_JOBS:-3}" -I{} env PG_ONE={} sh scripts/test-pg.sh "$build" | tee "$logs/results.new"
# CPU seconds so far: of the cluster (its postmaster and the backends it reaped; read before http/pg_down
# restarts it) and of the tests (this shell's children, servers and browsers included)
pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
cpu_cluster=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15 + $16 + $17) / hz }' "/proc/$pid/stat" 2>/dev/null)
times >"$logs/times"   # not in a pipeline or $(...): a subshell has no children of its own
cpu_tests=$(tail -n 1 "$logs/times" | tr 'ms' '  ' | awk '{ printf "%d", $1 * 60 + $2 + $3 * 60 + $4 }')
for t in $alone; do one "$t"; done | tee -a "$logs/results.new"
mv "$logs/results.new" "$logs/results.txt"
# servers that a test started on this cluster and never stopped (a bug of that test): named, then stopped
left=$(ps -eo pid=,args= | awk -v d="host=$dir&" '$2 ~ /zorgwerk$/ && index($0, d) { print $1 }')
if [ -n "$left" ]; then
  echo "test-pg: warning: $(echo $left | wc -w) server(s) left running by the tests (a test that starts its server twice?), stopped now:"
  ps -o pid=,args= -p "$(echo $left | tr ' ' ',')" | sed 's/^/  /'
  kill $left 2>/dev/null
fi
cat "$logs/results.txt" "$logs/durations.txt" 2>/dev/null | awk '!seen[$2]++' >"$logs/durations.new"
mv "$logs/durations.new" "$logs/durations.txt"
n=$(grep -c . "$logs/results.txt")
failed=$(grep -c '^FAIL' "$logs/results.txt")
echo "test-pg: $((n - failed)) of $n passed on PostgreSQL ($(( $(date +%s) - start ))s, PG_JOBS=${PG_JOBS:-3};" \
  "CPU before the tests run alone: tests ${cpu_tests:-?}s, cluster ${cpu_cluster:-?}s)"
[ "$failed" -eq 0 ]
