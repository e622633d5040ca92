#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark of the desktop app, on the demo lab: `pgtls-inspector --demo --measure`, N times.
#  - process start to first paint of the window: as the app sees it (UiLagMonitor, from the
#    kernel's process start time) and as measured outside (date before exec to the app's
#    CLOCK_REALTIME at first paint);                                          target <= 300 ms
#  - the longest UI-thread stall during an inspection, without and with the sslmode matrix
#    (a 5 ms timer's lateness, Inspect until the filled views have repainted); target <= 50 ms
# Runs under one Xvfb for all runs (or QT_QPA_PLATFORM=offscreen with PGTLS_BENCH_PLATFORM=offscreen).
# Usage: tests/bench/gui.sh [BUILD_DIR] [ITERATIONS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n=${2:-10}
app="$build/app/gui/pgtls-inspector"
[ -x "$app" ] || { echo "gui.sh: $app not built (cmake --build $build)" >&2; exit 2; }

if [ -z "${PGTLS_BENCH_INNER:-}" ]; then
    if [ "${PGTLS_BENCH_PLATFORM:-xvfb}" = offscreen ]; then
        PGTLS_BENCH_INNER=1 QT_QPA_PLATFORM=offscreen exec "$0" "$build" "$n"
    fi
    PGTLS_BENCH_INNER=1 QT_QPA_PLATFORM=xcb exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0" "$build" "$n"
fi
source "$here/lib.sh"

num() { sed -E "s/.*\"$1\":(-?[0-9]+).*/\1/" <<<"$2"; }
inner=() outer=() stall=() stall_m=() insp=() insp_m=()
# One untimed run warms the page cache (the first start of a freshly built binary is an outlier).
"$app" --demo --measure >/dev/null 2>&1 || true
for ((i = 0; i < n; i++)); do
    t0=$(date +%s%N)
    line=$("$app" --demo --measure 2>/dev/null | tail -1)
    case $line in *'"error"'*|'') echo "gui.sh: run $i failed: $line" >&2; exit 1 ;; esac
    inner+=("$(num first_paint_ms "$line")")
    outer+=($(( $(num first_paint_epoch_ms "$line") - t0 / 1000000 )))
    stall+=("$(num stall_ms "$line")"); stall_m+=("$(num stall_matrix_ms "$line")")
    insp+=("$(num inspect_ms "$line")"); insp_m+=("$(num inspect_matrix_ms "$line")")
done
max() { printf '%s\n' "$@" | sort -n | tail -1; }
report() { # LABEL TARGET VALUES...
    local label=$1 target=$2; shift 2
    local med mx verdict=ok
    med=$(median "$@"); mx=$(max "$@")
    [ -n "$target" ] && awk -v m="$mx" -v t="$target" 'BEGIN{exit !(m > t)}' && verdict="OVER TARGET"
    printf '%-52s median %6s ms   max %6s ms   %s\n' "$label" "$med" "$mx" \
        "${target:+(target <= $target ms: $verdict)}"
}
echo "pgtls-inspector --demo --measure, $n runs (${QT_QPA_PLATFORM})"
report "first paint, from process start (in the app)" 300 "${inner[@]}"
report "first paint, from exec (date before exec)" 300 "${outer[@]}"
report "longest UI stall during an inspection" 50 "${stall[@]}"
report "longest UI stall during an inspection with matrix" 50 "${stall_m[@]}"
report "inspection time (for reference)" "" "${insp[@]}"
report "inspection time with matrix (for reference)" "" "${insp_m[@]}"
