#!/bin/sh
# Runs `chronoscope-cli bench --only pull` against a throwaway PostgreSQL 15 server
# (tests/postgres/start-server.sh), removed afterwards.
#   scripts/bench-pull.sh [BUILD_DIR] [bench options, e.g. --events 1000000 --json]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
[ $# -gt 0 ] && shift
state=$(mktemp "${TMPDIR:-/tmp}/chronoscope-bench-pg.XXXXXX")
trap '"$root/tests/postgres/stop-server.sh" "$state"' EXIT INT TERM
"$root/tests/postgres/start-server.sh" "$state" >&2
"$build/bin/chronoscope-cli" bench --only pull --pg "$(sed -n 2p "$state")" "$@"
