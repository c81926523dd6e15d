#!/bin/sh
# Installs the Debian packages zorgwerk needs, only those that are missing.
# Usage: scripts/deps.sh [build|test|pg|bench|fuzz|robust]...   (default: build)
set -eu
build="meson ninja-build pkg-config gcc gettext libmicrohttpd-dev libsqlite3-dev libsodium-dev
       liboath-dev libjansson-dev libmd4c-dev libmd4c-html0-dev libqrencode-dev libcurl4-openssl-dev
       libical-dev tzdata libcairo2-dev libpango1.0-dev libfontconfig-dev fonts-dejavu-core libpq-dev"
test="libcmocka-dev python3 python3-aiosmtpd tidy sqlite3 chromium curl poppler-utils nginx-light"
# a throwaway PostgreSQL 15 cluster (scripts/pg-test-cluster.sh: initdb, pg_ctl, createdb, psql; as root it runs
# as the package's user `postgres`) for make test's PostgreSQL round and make bench-scale
pg="postgresql"
bench="wrk nginx-light"
fuzz="clang libclang-rt-14-dev"
robust="python3 tidy sqlite3 sqlmap valgrind"
want=""
[ $# -eq 0 ] && set -- build
for set in "$@"; do
  case "$set" in
    build) want="$want $build" ;;
    test)  want="$want $build $test $pg" ;;
    pg)    want="$want $build $pg" ;;
    bench) want="$want $build $bench" ;;
    fuzz)  want="$want $build $fuzz" ;;
    robust) want="$want $build $robust" ;;
    *) echo "deps.sh: unknown set '$set'" >&2; exit 2 ;;
  esac
done
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js and npm (browser tests): any installation will do; only when neither is there, Debian's.
case " $* " in
  *" test "*)
    command -v node >/dev/null 2>&1 || missing="$missing nodejs"
    command -v npm >/dev/null 2>&1 || missing="$missing npm" ;;
esac
if [ -n "$missing" ]; then
  echo "Installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
case " $* " in
  *" test "*)
    # Browser tests: playwright-core from the npm registry (drives Debian's chromium, never downloads one)
    # and axe-core (the accessibility rules the crawl runs on every page), as pinned in package-lock.json.
    if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
      (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    fi ;;
esac
exit 0
