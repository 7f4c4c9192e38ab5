#!/bin/sh
# Stops and removes the server start-server.sh started.   stop-server.sh STATE_FILE
set -u
state=${1:?usage: stop-server.sh STATE_FILE}
bin=${CHRONOSCOPE_PG_BIN:-/usr/lib/postgresql/15/bin}
[ -f "$state" ] || exit 0
directory=$(head -n 1 "$state")
[ -n "$directory" ] || { rm -f "$state"; exit 0; }
case "$directory" in
    */chronoscope-pg.*) ;;
    *) echo "stop-server.sh: '$directory' is not a directory start-server.sh made" >&2; exit 1 ;;
esac
if [ -d "$directory/data" ]; then
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$bin/pg_ctl" -D "$directory/data" -m immediate -w stop >/dev/null 2>&1 || true
    else
        "$bin/pg_ctl" -D "$directory/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
fi
rm -rf "$directory"
rm -f "$state"
