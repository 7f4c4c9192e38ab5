#!/bin/sh
# Everything CI checks; .ci/run and the README's test command run exactly this, after
# scripts/install-dependencies.sh:
#   1. the normal build (build/, g++, the programs as the README builds them, with
#      jemalloc, without debug information), the tests that depend on the allocator (the
#      sandbox's memory limits) and a smoke run of the programs (demo, verify, state, the
#      GUI's --help);
#   2. the sanitizer build (build-sanitize/, clang 14, -O1): the engine, the CLI, the GUI
#      libraries and every test, then every CTest test of that build under AddressSanitizer
#      and UndefinedBehaviorSanitizer (any report fails the run; the GUI's tests offscreen).
#      LeakSanitizer skips only the third-party leaks listed in scripts/lsan-suppressions.txt;
#   3. each libFuzzer target of tests/fuzz (built in the same directory) for a fixed budget,
#      two at a time, starting from the committed seed corpus. New inputs it finds stay in
#      build-sanitize/corpus/; a crash stops the run and leaves build-sanitize/crash-*.
# Both builds are unity builds (CMAKE_UNITY_BUILD: a file's anonymous-namespace names must
# not clash with another file's of the same library) and link with mold when installed.
# The sanitizer build's test programs load one precompiled header per group of tests
# (tests/precompiled_headers.h; clang without a compiler launcher).
# CHRONOSCOPE_FUZZ_SECONDS sets the budget per fuzz target (default 30). Each stage prints
# its wall time; docs/reliability.md lists the measured times.
set -e
cd "$(dirname "$0")/.."
fuzz_seconds=${CHRONOSCOPE_FUZZ_SECONDS:-30}
# The sanitizer build replaces malloc with its own, so the tests of what depends on the
# shipped allocator (jemalloc: the projection watchdog's resident-memory limit; the
# bench's check that jemalloc serves malloc) also run in the normal build.
jemalloc_tests="engine_test_hostile_projections engine_test_projection_sandbox cli_test_hostile_cli cli_test_cli_bench"
started=$(date +%s)
stage_started=$started
stage() {
    now=$(date +%s)
    echo "== test-all: $1 (previous stage $((now - stage_started)) s, total $((now - started)) s)"
    stage_started=$now
}

stage "normal build (the programs with jemalloc, g++, -O2 without debug information)"
cmake -S . -B build -G Ninja -DCMAKE_UNITY_BUILD=ON -DCHRONOSCOPE_BUILD_TESTS=ON \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG"
cmake --build build --target chronoscope chronoscope-cli $jemalloc_tests
stage "the sandbox's tests with the programs' malloc (jemalloc)"
ctest --test-dir build --output-on-failure -R "^($(echo $jemalloc_tests | tr ' ' '|'))\$"
stage "smoke run of the g++ programs"
smoke=$(mktemp -d)
build/bin/chronoscope-cli demo "$smoke/demo.chrono" --orders 500 >/dev/null
build/bin/chronoscope-cli verify "$smoke/demo.chrono"
build/bin/chronoscope-cli state "$smoke/demo.chrono" --projection order-status --at 400 >/dev/null
QT_QPA_PLATFORM=offscreen build/bin/chronoscope --help >/dev/null
rm -rf "$smoke"

stage "sanitizer build (engine, CLI, GUI libraries, tests, fuzz targets)"
CXX=clang++-14 cmake -S . -B build-sanitize -G Ninja -DCMAKE_UNITY_BUILD=ON -DCHRONOSCOPE_FUZZ=ON
cmake --build build-sanitize
stage "tests under ASan and UBSan"
# The kill test imports 20,000 lines instead of 60,000 here and lands 8 kills per scenario
# instead of 20: the same scenarios (its own checks are about SQLite's atomicity, not
# memory; the normal build's run does them whole), in about a sixth of the time under ASan.
# ASan keeps freed memory poisoned in a 64 MiB quarantine (default 256 MiB) and records
# 10 frames of each allocation's stack (default 30): the import tests took a third less
# CPU, and a use after free is still caught unless 64 MiB were freed in between.
# tests/sanitizer_scale.h runs fewer rounds of a few long property tests here.
CHRONOSCOPE_KILL_LINES=20000 CHRONOSCOPE_KILL_ROUNDS=8 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=64:malloc_context_size=10 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    LSAN_OPTIONS=suppressions="$PWD/scripts/lsan-suppressions.txt":print_suppressions=0 \
    ctest --test-dir build-sanitize --output-on-failure -j2

# The fuzz targets run two at a time (each is one thread; CI has two cores). Each one's
# output goes to build-sanitize/fuzz-NAME.log; its final statistics are printed, and the
# end of the log when it fails.
fuzz() {
    mkdir -p "build-sanitize/corpus/$1"
    "build-sanitize/bin/fuzz_$1" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="build-sanitize/crash-$1-" \
        "build-sanitize/corpus/$1" "tests/fuzz/corpus/$1" >"build-sanitize/fuzz-$1.log" 2>&1
}
for pair in "import_line filter" "order_key projection"; do
    set -- $pair
    stage "fuzzing $1 and $2 side by side for $fuzz_seconds s"
    fuzz "$1" & first=$!
    fuzz "$2" & second=$!
    failed=
    wait "$first" || failed="$failed $1"
    wait "$second" || failed="$failed $2"
    for target in "$@"; do
        echo "-- fuzz_$target:"
        grep -E '^(stat::|Done )' "build-sanitize/fuzz-$target.log" || true
    done
    for target in $failed; do
        echo "== test-all: fuzz_$target failed; the end of its output:"
        tail -n 60 "build-sanitize/fuzz-$target.log"
    done
    [ -z "$failed" ]
done
stage "done"
