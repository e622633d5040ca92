#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks on the lab, in the same run, interleaved, whole processes:
#  1. `pgtls-check` full inspection (probe + session + server view + plaintext test) against
#     `psql ... -Atc 'select ssl_is_used()'` (target <= 1.2x);
#  2. `pgtls-check --matrix` (six sslmodes concurrently, on top of the inspection) against one
#     inspection (target <= 2x).
# Usage: tests/bench/session.sh [BUILD_DIR] [ITERATIONS]
set -euo pipefail
here=$(dirname "$0")
build=${1:-build}
n=${2:-30}
check="$build/app/cli/pgtls-check"
[ -x "$check" ] || { echo "session.sh: $check not built (cmake --build $build)" >&2; exit 2; }
source "$here/lib.sh"
start_lab "$check"
export PGPASSFILE=$LAB_PASSFILE

conninfo="host=$LAB_HOST hostaddr=127.0.0.1 port=$LAB_PORT dbname=$LAB_DB user=$LAB_USER sslmode=verify-full sslrootcert=$LAB_CA"
inspect() { "$check" "$conninfo" >/dev/null; }
matrix() { "$check" --matrix "$conninfo" >/dev/null; }
psql_ssl() { psql "$conninfo" -Atc 'select ssl_is_used()' >/dev/null; }
compare "$n" "A: pgtls-check (full inspection)" inspect "B: psql -c 'select ssl_is_used()'" psql_ssl 1.2
compare "$n" "A: pgtls-check --matrix" matrix "B: pgtls-check (one inspection)" inspect 2
