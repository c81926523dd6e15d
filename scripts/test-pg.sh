#!/bin/sh
# make test-pg: the tests that run on PostgreSQL (all but scripts/test-pg.skip), against a throwaway cluster
# (scripts/pg-test-cluster.sh) that this script creates in a temporary directory, starts and removes.
# Usage: scripts/test-pg.sh BUILD [http/NAME | unit/NAME]...   (default: the lists below)
# PG_JOBS tests run at a time (default 2); http/pg_down, which stops and restarts the cluster, runs alone
# at the end. Prints one line per test (ok / FAIL) and exits 1 if any failed. Logs: BUILD/meson-logs/pg/.
set -u
build=${1:?usage: scripts/test-pg.sh BUILD [TEST]...}
shift
logs="$build/meson-logs/pg"

# one test: prints "ok   NAME (Ns)" or "FAIL NAME (Ns, log: FILE)"
one() {
  t=$1 name=${1#*/}
  log="$logs/$(echo "$t" | tr / _).log"
  case "$t" in
    unit/*) cmd="$build/tests/test_$name" ;;
    http/*) cmd="python3 tests/http/test_$name.py" ;;
    *) echo "FAIL $t (unknown test)"; return ;;
  esac
  start=$(date +%s)
  if timeout 300 $cmd >"$log" 2>&1; then echo "ok   $t ($(( $(date +%s) - start ))s)"
  else echo "FAIL $t ($(( $(date +%s) - start ))s, log: $log)"; fi
}
if [ "${PG_ONE:-}" ]; then one "$PG_ONE"; exit 0; fi

# db-level unit tests: each opens its databases through tests/unit/dbfixture.h (PostgreSQL with ZW_TEST_DB_URL)
unit="rows chain policy session pgddl"
# every HTTP test of tests/http/meson.build but those of scripts/test-pg.skip (each with its reason there)
http=$(python3 - <<'PY'
import re
names = []
for line in open("tests/http/meson.build"):
    if line.startswith("http_tests"):
        names += re.findall(r"'(\w+)'", line.split("#")[0])
skip = {l.split()[0] for l in open("scripts/test-pg.skip") if l.strip() and not l.startswith("#")}
print(" ".join(n for n in names if n not in skip))
PY
)
# tests of PostgreSQL alone (a server restart under load; more in scripts/test-pg.only)
http="$http $(grep -v '^#' scripts/test-pg.only | cut -d' ' -f1 | tr '\n' ' ')"
tests=""
if [ $# -gt 0 ]; then tests="$*"; else
  for t in $unit; do tests="$tests unit/$t"; done
  for t in $http; do tests="$tests http/$t"; done
fi
parallel="" alone=""
for t in $tests; do
  case "$t" in http/pg_down) alone="$alone $t" ;; *) parallel="$parallel $t" ;; esac
done

dir=$(mktemp -d /tmp/zw-pg-XXXXXX)
cleanup() { scripts/pg-test-cluster.sh stop "$dir" >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
url=$(scripts/pg-test-cluster.sh start "$dir") || exit 1
export ZW_TEST_DB_URL="$url" ZW_BIN="$build/zorgwerk" PYTHONDONTWRITEBYTECODE=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p "$logs"

out=$(for t in $parallel; do echo "$t"; done | xargs -r -P "${PG_JOBS:-2}" -I{} env PG_ONE={} sh "$0" "$build")
[ -n "$out" ] && echo "$out"
for t in $alone; do
  line=$(one "$t")
  echo "$line"
  out="$out
$line"
done
n=$(echo "$out" | grep -c '^ok\|^FAIL')
failed=$(echo "$out" | grep -c '^FAIL')
echo "test-pg: $((n - failed)) of $n passed on PostgreSQL"
[ "$failed" -eq 0 ]
