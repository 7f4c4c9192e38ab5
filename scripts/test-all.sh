#!/bin/sh
# Everything CI checks; .ci/run and the README's test command run exactly this, after
# scripts/install-dependencies.sh:
#   1. the normal build (build/) and every CTest test;
#   2. the sanitizer build (build-sanitize/, clang 14, -O1): the engine, the CLI, the GUI
#      libraries and every test, then every CTest test of that build under AddressSanitizer
#      and UndefinedBehaviorSanitizer (any report fails the run; the GUI's tests offscreen).
#      LeakSanitizer skips only the third-party leaks listed in scripts/lsan-suppressions.txt;
#   3. each libFuzzer target of tests/fuzz (built in the same directory) for a fixed budget,
#      starting from the committed seed corpus. New inputs it finds stay in
#      build-sanitize/corpus/; a crash stops the run and leaves build-sanitize/crash-*.
# Both builds are unity builds (CMAKE_UNITY_BUILD: a file's anonymous-namespace names must
# not clash with another file's of the same library) and link with mold when installed.
# CHRONOSCOPE_FUZZ_SECONDS sets the budget per fuzz target (default 30). Each stage prints
# its wall time; docs/reliability.md lists the measured times.
set -e
cd "$(dirname "$0")/.."
fuzz_seconds=${CHRONOSCOPE_FUZZ_SECONDS:-30}
started=$(date +%s)
stage_started=$started
stage() {
    now=$(date +%s)
    echo "== test-all: $1 (previous stage $((now - stage_started)) s, total $((now - started)) s)"
    stage_started=$now
}

stage "normal build"
cmake -S . -B build -G Ninja -DCMAKE_UNITY_BUILD=ON
cmake --build build
stage "normal tests"
ctest --test-dir build --output-on-failure

stage "sanitizer build (engine, CLI, GUI libraries, tests, fuzz targets)"
CXX=clang++-14 cmake -S . -B build-sanitize -G Ninja -DCMAKE_UNITY_BUILD=ON -DCHRONOSCOPE_FUZZ=ON
cmake --build build-sanitize
stage "tests under ASan and UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    LSAN_OPTIONS=suppressions="$PWD/scripts/lsan-suppressions.txt":print_suppressions=0 \
    ctest --test-dir build-sanitize --output-on-failure -j2

for target in import_line filter order_key projection; do
    stage "fuzzing $target for $fuzz_seconds s"
    mkdir -p "build-sanitize/corpus/$target"
    "build-sanitize/bin/fuzz_$target" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="build-sanitize/crash-$target-" \
        "build-sanitize/corpus/$target" "tests/fuzz/corpus/$target"
done
stage "done"
