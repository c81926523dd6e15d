#!/bin/sh
# The HTTP test suite with every zorgwerk process (server and CLI) under valgrind memcheck.
# Usage: scripts/valgrind.sh BUILDDIR [TEST...]   e.g. scripts/valgrind.sh build/valgrind http/auth http/csrf
# BUILDDIR must be a build without sanitizers. No TEST: the whole http suite. Fails on a failed test, a
# memcheck error or a definite leak in any process; the reports are kept in BUILDDIR/valgrind-logs.
set -eu
if [ "${1:-}" = "--as-wrapper" ]; then
  # meson test --wrapper: runs in the test's environment, where ZW_BIN is the real binary
  shift
  export ZW_VG_REAL="$ZW_BIN" ZW_BIN="$(dirname "$0")/valgrind-wrap.sh"
  exec "$@"
fi
cd "$(dirname "$0")/.."
BUILD=${1:?usage: scripts/valgrind.sh BUILDDIR [TEST...]}
shift
logs="$(pwd)/$BUILD/valgrind-logs"
rm -rf "$logs"
mkdir -p "$logs"
export ZW_VG_LOGDIR="$logs"
if [ $# -eq 0 ]; then set -- --suite http; fi
rc=0
meson test -C "$BUILD" --print-errorlogs --num-processes 2 --timeout-multiplier 6 \
  --wrapper "$(pwd)/scripts/valgrind.sh --as-wrapper" "$@" || rc=$?
# a process whose exit status nobody checked still counts: read every report
bad=$(grep -l -E "ERROR SUMMARY: [1-9]|definitely lost: [1-9]" "$logs"/vg.*.log 2>/dev/null || true)
n=$(ls "$logs" | wc -l)
# each report once: -s (valgrind-wrap.sh) repeats the errors after the first ERROR SUMMARY line
first_part() { for f in "$logs"/vg.*.log; do [ -f "$f" ] && sed '/ERROR SUMMARY/q' "$f"; done; }
errs=$(first_part | grep -c -E "^==[0-9]+== (Invalid|Conditional|Syscall param|Mismatched|Source and destination)" \
  || true)
leaks=$(first_part | grep -c -E "definitely lost in" || true)
echo "valgrind: $n process(es) checked, $errs memcheck error(s), $leaks definite leak record(s); reports in $logs"
# known reports outside zorgwerk, suppressed by tests/valgrind.supp: how many, by entry
cat "$logs"/vg.*.log 2>/dev/null | awk '$2 == "used_suppression:" { n[$4] += $3 }
  END { for (k in n) printf "valgrind: %d report(s) suppressed as %s (tests/valgrind.supp)\n", n[k], k }'
if [ -n "$bad" ]; then
  for f in $bad; do echo "--- $f"; head -60 "$f"; done
  exit 1
fi
exit $rc
