#!/usr/bin/env bash
# Builds everything with warnings as errors, AddressSanitizer and UBSan into build-test/, then
# runs the whole test suite. Extra arguments go to ctest (e.g. -R test_feed).
set -euo pipefail
cd "$(dirname "$0")/.."

cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DPAPERBOT_WERROR=ON -DPAPERBOT_SANITIZE=ON \
  >/dev/null
cmake --build build-test -j "$(nproc)"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-test --output-on-failure -j "$(nproc)" "$@"
