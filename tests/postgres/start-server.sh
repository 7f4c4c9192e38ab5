#!/bin/sh
# Starts a throwaway PostgreSQL 15 server for the pull tests and the pull benchmark.
#   start-server.sh STATE_FILE
# initdb and pg_ctl from /usr/lib/postgresql/15/bin (Debian keeps them off PATH) run as
# the `postgres` user when started as root (they refuse root), otherwise as the caller.
# The cluster lives in a new temporary directory owned by that user; the server listens
# on no TCP address (listen_addresses='') and puts its socket in that directory, on a
# port no other server there uses. STATE_FILE receives two lines: the data directory
# and the libpq connection string. Fails (exit 1) with a message when it cannot start.
set -eu
state=${1:?usage: start-server.sh STATE_FILE}
bin=${CHRONOSCOPE_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
    echo "start-server.sh: no initdb/pg_ctl in $bin: install postgresql-15 (scripts/install-dependencies.sh)" >&2
    exit 1
fi
directory=$(mktemp -d "${TMPDIR:-/tmp}/chronoscope-pg.XXXXXX")
if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$directory"
    as() { runuser -u postgres -- "$@"; }
    user=postgres
else
    as() { "$@"; }
    user=$(id -un)
fi
# The socket is in a directory of our own, so any port is free there; vary it anyway.
port=$((20000 + $$ % 20000))
if ! as "$bin/initdb" -D "$directory/data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$directory/initdb.log" 2>&1; then
    echo "start-server.sh: initdb failed:" >&2
    cat "$directory/initdb.log" >&2
    rm -rf "$directory"
    exit 1
fi
cat >>"$directory/data/postgresql.conf" <<CONF
listen_addresses = ''
port = $port
unix_socket_directories = '$directory'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 128MB
CONF
if ! as "$bin/pg_ctl" -D "$directory/data" -l "$directory/server.log" -w -t 60 start >/dev/null; then
    echo "start-server.sh: the PostgreSQL server did not start:" >&2
    cat "$directory/server.log" >&2
    rm -rf "$directory"
    exit 1
fi
printf '%s\n%s\n' "$directory" "host=$directory port=$port user=$user dbname=postgres" >"$state"
echo "PostgreSQL 15 running in $directory (port $port)"
