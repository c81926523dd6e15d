#!/bin/sh
# A throwaway PostgreSQL cluster for tests, in a directory of its own.
# Usage: scripts/pg-test-cluster.sh start|stop|url DIR
#   start  initdb (if DIR has no cluster yet) and start it; prints the URL for the db setting
#   stop   stop it (DIR stays; remove it yourself)
#   url    print the URL
# The server listens on a Unix socket in DIR only (no TCP), fsync on. As root (CI) the cluster runs as
# Debian's unprivileged `postgres` user (initdb refuses root): DIR is handed to that user.
set -eu
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-test-cluster: no PostgreSQL server (install: scripts/deps.sh test)" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
run() { # runs a server program as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url() { printf 'postgresql:///zorgwerk?host=%s&user=zorgwerk\n' "$dir"; }
case "$cmd" in
  start)
    if [ "$(id -u)" -eq 0 ]; then
      id postgres >/dev/null 2>&1 || { echo "pg-test-cluster: no user postgres (Debian's postgresql package makes it)" >&2; exit 1; }
      chown postgres "$dir"
      # the socket directory must be reachable for the user through every parent
      p="$dir"; while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      run "$bin/initdb" -D "$dir/data" -U zorgwerk --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=on -c max_connections=200 -c shared_buffers=32MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    run "$bin/psql" -h "$dir" -U zorgwerk -d postgres -qAtc "SELECT 1 FROM pg_database WHERE datname = 'zorgwerk'" |
      grep -q 1 || run "$bin/createdb" -h "$dir" -U zorgwerk zorgwerk
    url ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && run "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    exit 0 ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url DIR" >&2; exit 2 ;;
esac
