#!/bin/sh
# Runs zorgwerk under valgrind memcheck; the HTTP harness starts it through $ZW_BIN (see scripts/valgrind.sh).
# Errors and definite leaks make the exit status 99 (the harness expects 0 from every server it stops);
# the reports go to $ZW_VG_LOGDIR/vg.PID.log, so that the program's own stderr stays as the tests expect.
# Known reports outside zorgwerk are suppressed by tests/valgrind.supp (each entry says why); -s lists the
# suppressions used in each report, which scripts/valgrind.sh counts.
: "${ZW_VG_REAL:?ZW_VG_REAL is not set (path of the real zorgwerk binary)}"
: "${ZW_VG_LOGDIR:=/tmp}"
supp="$(cd "$(dirname "$0")/.." && pwd)/tests/valgrind.supp"
exec valgrind --quiet -s --suppressions="$supp" --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite --track-fds=no --num-callers=30 --log-file="$ZW_VG_LOGDIR/vg.%p.log" \
  "$ZW_VG_REAL" "$@"
