#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark: `pgtls-check --probe-only` (TLS probe + chain verification + host-name check, verify-full)
# against `openssl s_client -starttls postgres` doing the same handshake and verification, on the lab,
# in the same run, interleaved (A B A B ...), whole processes. Prints medians and the ratio A/B.
# Usage: tests/bench/probe.sh [BUILD_DIR] [ITERATIONS]   (target: ratio <= 1.1)
set -euo pipefail
build=${1:-build}
n=${2:-40}
check="$build/app/cli/pgtls-check"
[ -x "$check" ] || { echo "probe.sh: $check not built (cmake --build $build)" >&2; exit 2; }

fifo=$(mktemp -u); mkfifo "$fifo"
"$check" --lab --json >"$fifo" &
lab_pid=$!
trap 'kill $lab_pid 2>/dev/null; wait $lab_pid 2>/dev/null; rm -f "$fifo"' EXIT
read -r info <"$fifo"
field() { sed -E "s/.*\"$1\":\"?([^\",}]*)\"?.*/\1/" <<<"$info"; }
host=$(field host); port=$(field port); ca=$(field sslrootcert); started=$(field started_ms)
echo "lab: 127.0.0.1:$port, started in ${started} ms"

conninfo="host=$host hostaddr=127.0.0.1 port=$port sslmode=verify-full sslrootcert=$ca"
run_a() { "$check" --probe-only "$conninfo" >/dev/null; }
run_b() { openssl s_client -starttls postgres -connect "127.0.0.1:$port" -servername "$host" \
              -CAfile "$ca" -verify_return_error -verify_hostname "$host" </dev/null >/dev/null 2>&1; }
now_ns() { date +%s%N; }

run_a; run_b # warm-up, and both must succeed
a=(); b=()
for ((i = 0; i < n; i++)); do
    t0=$(now_ns); run_a; t1=$(now_ns); run_b; t2=$(now_ns)
    a+=($(( (t1 - t0) / 1000 ))); b+=($(( (t2 - t1) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ma=$(median "${a[@]}"); mb=$(median "${b[@]}")
ratios=(); for ((i = 0; i < n; i++)); do ratios+=($(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN{printf "%.4f", x/y}')); done
mr=$(median "${ratios[@]}")
printf 'iterations            %d\n' "$n"
printf 'pgtls-check median    %.1f ms\n' "$(awk -v x="$ma" 'BEGIN{print x/1000}')"
printf 'openssl s_client      %.1f ms\n' "$(awk -v x="$mb" 'BEGIN{print x/1000}')"
printf 'ratio (median of pairwise A/B)  %.2f   (target <= 1.10)\n' "$mr"
