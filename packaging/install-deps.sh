#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian 12 package PG TLS Inspector needs to build, test and run its demo lab.
# Works as root or through sudo; does nothing (no apt-get at all) when everything is installed.
set -euo pipefail

PACKAGES=(
    # build
    cmake ninja-build g++ pkg-config
    # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
    clang libclang-rt-14-dev
    qt6-base-dev qt6-svg-dev libqt6svg6 qt6-tools-dev qt6-l10n-tools qtkeychain-qt6-dev
    libpq-dev libssl-dev
    # run time and test lab
    qt6-qpa-plugins postgresql-15 postgresql-client-15 openssl ca-certificates
    # headless GUI and keychain for tests
    xvfb xauth dbus dbus-x11 gnome-keyring libsecret-1-0 libsecret-tools
    # packaging and validation
    dpkg-dev file desktop-file-utils appstream groff-base
    # screenshots
    imagemagick
)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-deps: missing packages (${missing[*]}) and not root, no sudo: install them as root" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
