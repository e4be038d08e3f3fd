#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them on the shared data. Usage: bench/run.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"

cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DPAPERBOT_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench --target bench_digest bench_llm bench_slack_ack paperbot -j "$(nproc)" >/dev/null

for mode in day scale quality; do
  ./build-bench/bench/bench_digest "$mode" "$data"
done
for mode in tokens throughput; do
  ./build-bench/bench/bench_llm "$mode" "$data"
done
./build-bench/bench/bench_slack_ack
./build-bench/bench/bench_slack_ack daemon ./build-bench/paperbot "$data"
cmake --build build-bench --target bench_email -j "$(nproc)" >/dev/null
./build-bench/bench/bench_email "$data"
