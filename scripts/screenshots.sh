#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Renders the desktop app's views for every demo-lab scenario (sslmode matrix on) with
# `pgtls-inspector --screenshots`, then keeps the telling ones in docs/screenshots/ (listed in its
# README.md). Runs under Xvfb with the DejaVu fonts (Qt's offscreen platform renders the same
# pixels but has no real font configuration on some machines; Xvfb is what a desktop looks like).
# Usage: scripts/screenshots.sh [BUILD_DIR] [ALL_DIR]   ALL_DIR keeps every PNG (default: a temp dir)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
all=${2:-$(mktemp -d /tmp/pgtls-screenshots.XXXXXX)}
out="$root/docs/screenshots"

cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target pgtls-inspector
app="$build/app/gui/pgtls-inspector"

run() {
    local dir=$1 size=$2
    if [ "${PGTLS_SCREENSHOT_PLATFORM:-xvfb}" = offscreen ]; then
        QT_QPA_PLATFORM=offscreen "$app" --screenshots "$dir" --window-size "$size"
    else
        # Xvfb, no window manager: the window's own size and no decorations.
        QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --screenshots "$dir" \
            --window-size "$size"
    fi
}
# A fixed look whatever the desktop: Fusion style, default palette, no scaling.
export QT_STYLE_OVERRIDE=Fusion QT_SCALE_FACTOR=1 QT_AUTO_SCREEN_SCALE_FACTOR=0 QT_ENABLE_HIGHDPI_SCALING=0
run "$all" 1400x900
run "$all/small" 1024x700
echo "all screenshots: $all (1024x700 ones in $all/small)"

keep=(correct-window alias-window alias-host unknown-ca-chain expired-chain
      plaintext-accepted-session no-sslinfo-session correct-matrix correct-client ssl-off-window
      correct-raw)
keep_small=(correct-window correct-matrix plaintext-accepted-window)
mkdir -p "$out"
find "$out" -name '*.png' -delete
for name in "${keep[@]}"; do
    cp "$all/$name.png" "$out/$name.png"
done
for name in "${keep_small[@]}"; do
    cp "$all/small/$name.png" "$out/$name-1024x700.png"
done
du -ch "$out"/*.png | tail -1
