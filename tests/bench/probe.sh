#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark: `pgtls-check --probe-only` (TLS probe + chain verification + host-name check, verify-full)
# against `openssl s_client -starttls postgres` doing the same handshake and verification, on the lab,
# in the same run, interleaved, whole processes.
# Usage: tests/bench/probe.sh [BUILD_DIR] [ITERATIONS]   (target: ratio <= 1.1)
set -euo pipefail
here=$(dirname "$0")
build=${1:-build}
n=${2:-40}
check="$build/app/cli/pgtls-check"
[ -x "$check" ] || { echo "probe.sh: $check not built (cmake --build $build)" >&2; exit 2; }
source "$here/lib.sh"
start_lab "$check"

conninfo="host=$LAB_HOST hostaddr=127.0.0.1 port=$LAB_PORT sslmode=verify-full sslrootcert=$LAB_CA"
probe() { "$check" --probe-only "$conninfo" >/dev/null; }
s_client() { openssl s_client -starttls postgres -connect "127.0.0.1:$LAB_PORT" -servername "$LAB_HOST" \
                 -CAfile "$LAB_CA" -verify_return_error -verify_hostname "$LAB_HOST" </dev/null >/dev/null 2>&1; }
compare "$n" "A: pgtls-check --probe-only" probe "B: openssl s_client -starttls postgres" s_client 1.1
