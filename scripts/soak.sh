#!/bin/sh
# Crash-durability soak (make soak): runs tests/http/test_durability.py against a build for ROUNDS rounds of
# SIGKILL + restart while four clients write, or until SECONDS have passed (0: no time limit).
# Usage: scripts/soak.sh BINARY [ROUNDS] [SECONDS]        (defaults: build/release/zorgwerk 200 0)
set -eu
bin=${1:-build/release/zorgwerk}
rounds=${2:-200}
seconds=${3:-0}
[ -x "$bin" ] || { echo "soak.sh: no binary at $bin (run make release)" >&2; exit 2; }
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
echo "soak: $rounds round(s)$( [ "$seconds" != 0 ] && echo ", at most ${seconds}s" ) of SIGKILL while writing ($bin)"
start=$(date +%s)
rc=0
ZW_BIN="$bin" SOAK_ROUNDS="$rounds" SOAK_SECONDS="$seconds" PYTHONDONTWRITEBYTECODE=1 \
  python3 "$(dirname "$0")/../tests/http/test_durability.py" || rc=$?
echo "soak: $(( $(date +%s) - start ))s, exit $rc"
exit $rc
