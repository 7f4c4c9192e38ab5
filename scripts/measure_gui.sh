#!/bin/sh
# Measures the GUI on a store under Xvfb: time to the first rows, to the complete row
# count and to the end of indexing, the time to load the rows after jumps to random
# rows and the last row, the longest GUI-thread event (with and without painting), the
# GUI thread's worst time inside a jump and a move of the list scroll bar (wall and CPU)
# and resident memory.
#
#   scripts/measure_gui.sh BUILD_DIR STORE [JUMPS [OPEN_STORE]]
#
# After the jumps the program opens OPEN_STORE (by default STORE again) in its window as
# File > Open does, and reports the time and the GUI thread's CPU from that open to its
# first rows painted ("opened in the window"); OPEN_STORE "-" skips it.
#
# Make a big store first: build/bin/chronoscope-cli demo big.chrono --orders 2000000
# (about ten million events). CHRONOSCOPE_MEASURE_VERBOSE=1 lists every event over 10 ms,
# its wall time split into CPU, waiting for a core and blocked (the summary gives the worst
# of each per kind of event), with its CLOCK_MONOTONIC start to line up with a
# `perf record -k CLOCK_MONOTONIC -e sched:sched_switch` of the run.
# Times count from the program's launch (CHRONOSCOPE_MEASURE_LAUNCHED_AT, set below); the
# probe also says when the application object was made, the window built and shown, and
# when the first expose came.
set -eu
build=$1
store=$2
jumps=${3:-12}
open_store=${4:-$store}
[ "$open_store" = - ] && open_store=
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
# CHRONOSCOPE_MEASURE_SECOND_START=1 measures a start after an earlier one in the same
# settings (a first start, one jump, not reported, runs before): the panes beside the list
# are then built after the first frame, with the sizes their content had at that start;
# at a first start (the default here: fresh settings) they are built before it.
if [ "${CHRONOSCOPE_MEASURE_SECOND_START:-}" = 1 ]; then
    XDG_CONFIG_HOME="$config" CHRONOSCOPE_MEASURE_OPEN= xvfb-run -a -s '-screen 0 1600x1000x24' \
        "$build/bin/chronoscope" -geometry 1600x1000+0+0 --measure --jumps 1 "$store" >/dev/null 2>&1
fi
# The program's times count from its launch: the wall clock just before it starts.
XDG_CONFIG_HOME="$config" CHRONOSCOPE_MEASURE_OPEN="$open_store" xvfb-run -a -s '-screen 0 1600x1000x24' \
    sh -c 'CHRONOSCOPE_MEASURE_LAUNCHED_AT=$(date +%s%N) exec "$@"' sh \
    "$build/bin/chronoscope" -geometry 1600x1000+0+0 --measure --jumps "$jumps" "$store" 2>&1 | grep '^measure:'
