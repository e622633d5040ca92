#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds (warnings as errors), and runs every test with CTest.
# Then does the same with AddressSanitizer + UndefinedBehaviorSanitizer unless PGTLS_SKIP_SANITIZE=1.
# Then builds the fuzz targets with clang and runs each briefly unless PGTLS_SKIP_FUZZ=1
# (PGTLS_FUZZ_SECONDS per target, default 10; see fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh

jobs=$(nproc)
run() {
    local dir=$1; shift
    cmake -S . -B "$dir" -G Ninja -DPGTLS_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    ctest --test-dir "$dir" --output-on-failure --timeout 300 -j "$jobs"
}

run build
if [ "${PGTLS_SKIP_SANITIZE:-0}" != 1 ]; then
    echo "== the same tests under ASan+UBSan =="
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run build-asan -DPGTLS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
fi
if [ "${PGTLS_SKIP_FUZZ:-0}" != 1 ]; then
    echo "== fuzz targets, ${PGTLS_FUZZ_SECONDS:-10} s each =="
    bash scripts/fuzz.sh "${PGTLS_FUZZ_SECONDS:-10}"
fi
