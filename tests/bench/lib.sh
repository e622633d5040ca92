#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shared by the benchmarks: start the lab through `pgtls-check --lab --json`, and time two commands
# interleaved (A B A B ...) as whole processes, printing medians and the median pairwise ratio A/B.

# start_lab CHECK_BINARY: sets LAB_HOST LAB_PORT LAB_CA LAB_PASSFILE LAB_DB LAB_USER LAB_STARTED_MS
start_lab() {
    local check=$1
    LAB_FIFO=$(mktemp -u)
    mkfifo "$LAB_FIFO"
    "$check" --lab --json >"$LAB_FIFO" &
    LAB_PID=$!
    trap 'kill $LAB_PID 2>/dev/null; wait $LAB_PID 2>/dev/null; rm -f "$LAB_FIFO"' EXIT
    local info
    read -r info <"$LAB_FIFO"
    field() { sed -E "s/.*\"$1\":\"?([^\",}]*)\"?.*/\1/" <<<"$info"; }
    LAB_HOST=$(field host); LAB_PORT=$(field port); LAB_CA=$(field sslrootcert)
    LAB_PASSFILE=$(field passfile); LAB_DB=$(field dbname); LAB_USER=$(field user)
    LAB_STARTED_MS=$(field started_ms)
    echo "lab: 127.0.0.1:$LAB_PORT, started in ${LAB_STARTED_MS} ms"
}

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# compare N LABEL_A FUNC_A LABEL_B FUNC_B TARGET: each FUNC runs one command (quietly).
compare() {
    local n=$1 label_a=$2 run_a=$3 label_b=$4 run_b=$5 target=$6
    "$run_a" || { echo "bench: '$label_a' failed" >&2; return 1; }
    "$run_b" || { echo "bench: '$label_b' failed" >&2; return 1; }
    local a=() b=() r=() i t0 t1 t2
    for ((i = 0; i < n; i++)); do
        t0=$(date +%s%N); "$run_a"; t1=$(date +%s%N); "$run_b"; t2=$(date +%s%N)
        a+=($(((t1 - t0) / 1000))); b+=($(((t2 - t1) / 1000)))
        r+=($(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN{printf "%.4f", x/y}'))
    done
    printf '%-44s median %7.1f ms\n' "$label_a" "$(awk -v x="$(median "${a[@]}")" 'BEGIN{print x/1000}')"
    printf '%-44s median %7.1f ms\n' "$label_b" "$(awk -v x="$(median "${b[@]}")" 'BEGIN{print x/1000}')"
    printf 'ratio A/B (median of %d pairs)               %7.2f   (target <= %s)\n\n' "$n" "$(median "${r[@]}")" "$target"
}
