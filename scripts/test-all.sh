#!/bin/sh
# Everything CI checks; .ci/run and the README's test command run exactly this, after
# scripts/install-dependencies.sh:
#   1. the normal build (build/) and every CTest test;
#   2. the engine, the CLI and their tests again under AddressSanitizer and
#      UndefinedBehaviorSanitizer (build-asan/, without the GUI);
#   3. each libFuzzer target of tests/fuzz for a fixed budget, starting from the committed
#      seed corpus (build-fuzz/, clang). New inputs it finds stay in build-fuzz/corpus/.
# CHRONOSCOPE_FUZZ_SECONDS sets the budget per fuzz target (default 20).
set -e
cd "$(dirname "$0")/.."
fuzz_seconds=${CHRONOSCOPE_FUZZ_SECONDS:-20}

cmake -S . -B build -G Ninja
cmake --build build
ctest --test-dir build --output-on-failure

cmake -S . -B build-asan -G Ninja -DCHRONOSCOPE_BUILD_GUI=OFF -DCHRONOSCOPE_SANITIZERS=ON
cmake --build build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure

CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCHRONOSCOPE_BUILD_GUI=OFF -DCHRONOSCOPE_BUILD_TESTS=OFF \
    -DCHRONOSCOPE_FUZZ=ON
cmake --build build-fuzz --target fuzz_import_line fuzz_filter fuzz_order_key fuzz_projection
for target in import_line filter order_key projection; do
    mkdir -p "build-fuzz/corpus/$target"
    echo "fuzzing $target for $fuzz_seconds s"
    "build-fuzz/bin/fuzz_$target" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="build-fuzz/crash-$target-" \
        "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target"
done
