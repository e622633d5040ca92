#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets of fuzz/ with clang (build dir build-fuzz) and runs each for
# SECONDS on a copy of its seed corpus (fuzz/corpus/<target>/). Prints one line per target and
# exits non-zero on any crash, leak, timeout or sanitizer report. Usage: bash scripts/fuzz.sh [SECONDS]
# Inputs that broke a target are kept in build-fuzz/fuzz-run/<target>/ (never in the source tree;
# copy one into fuzz/corpus/<target>/ deliberately to make it a regression seed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=(bundle certificate hostmatch endpoint probe report)
declare -A maxlen=([bundle]=16384 [certificate]=8192 [hostmatch]=4096 [endpoint]=2048
                   [probe]=8192 [report]=8192)

if ! command -v clang++ >/dev/null 2>&1; then
    echo "fuzz: clang++ not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    exit 1
fi
launcher=()
if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DPGTLS_FUZZ=ON -DPGTLS_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target pgtls_fuzzers >build-fuzz/fuzz-build.log 2>&1 || {
    tail -n 50 build-fuzz/fuzz-build.log >&2
    echo "fuzz: build failed (build-fuzz/fuzz-build.log)" >&2
    exit 1
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export QT_QPA_PLATFORM=offscreen
failed=0
for t in "${targets[@]}"; do
    run=build-fuzz/fuzz-run/$t
    rm -rf "$run"
    mkdir -p "$run/corpus" "$run/artifacts"
    cp fuzz/corpus/"$t"/* "$run/corpus/" 2>/dev/null || true
    rc=0
    build-fuzz/fuzz/fuzz_"$t" -max_total_time="$seconds" -max_len="${maxlen[$t]}" \
        -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
        -artifact_prefix="$run/artifacts/" "$run/corpus" >"$run/log" 2>&1 || rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log" | tail -n 1)
    runs=${runs:-0}
    artifact=$(find "$run/artifacts" -type f | head -n 1)
    if [ "$rc" -ne 0 ] || [ -n "$artifact" ] \
        || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$run/log"; then
        failed=1
        what=$(grep -m1 -oE 'FUZZ INVARIANT VIOLATED: .*|ERROR: [A-Za-z]+Sanitizer: [a-z-]+|ERROR: libFuzzer: [a-z -]+|runtime error: .*' "$run/log" || true)
        echo "$t: $runs runs, CRASH (${what:-exit $rc}), see ${artifact:-$run/log} (log $run/log)"
    else
        echo "$t: $runs runs, clean"
    fi
done
exit "$failed"
