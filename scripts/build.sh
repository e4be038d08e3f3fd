#!/usr/bin/env bash
# Builds paperbot (Release) into build/. Extra arguments go to CMake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPAPERBOT_BUILD_TESTS=OFF "$@" >/dev/null
cmake --build build --target paperbot -j "$(nproc)"
