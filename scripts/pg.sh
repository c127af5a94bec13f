#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite: its own data folder and port, trust auth on 127.0.0.1,
# run as the postgres user (PostgreSQL refuses root). Nothing under /etc is touched.
#   scripts/pg.sh start DIR PORT   -> prints the SQLAlchemy URL of a fresh database
#   scripts/pg.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data folder}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin)" >&2; exit 3
fi
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }
case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$PGBIN/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 4; }
    fi
    as_pg "$PGBIN/pg_ctl -D '$dir/data' -l '$dir/pg.log' -w -t 60 start -o \"-p $port -c listen_addresses=127.0.0.1 -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\"" >&2 \
      || { cat "$dir/pg.log" >&2; exit 5; }
    as_pg "psql -h 127.0.0.1 -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='endroll_test'\" | grep -q 1 || psql -q -h 127.0.0.1 -p $port -U postgres -c 'CREATE DATABASE endroll_test'" >&2
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/endroll_test"
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl -D '$dir/data' -m fast -w stop" >&2 || true
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
