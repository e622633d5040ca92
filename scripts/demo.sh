#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds, and starts the desktop app on the local demo lab
# (a throwaway TLS PostgreSQL with an RDS-like certificate chain; it stops when the app quits).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)" --target pgtls-inspector pgtls-check
exec ./build/app/gui/pgtls-inspector --demo "$@"
