#!/bin/sh
# SPDX-License-Identifier: MIT
# deb-test.sh BUILD_DIR VERSION: build the Debian package with CPack (into a scratch directory),
# check its control fields, unpack it with dpkg -x into a scratch root and run the programs from it.
set -eu
build=$1
version=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps file; do
    command -v "$tool" >/dev/null || fail "$tool not found (install dpkg-dev and file)"
done

scratch=$(mktemp -d /tmp/pgtls-deb.XXXXXX)
trap 'rm -rf "$scratch"' EXIT INT TERM

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 \
    || { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB failed"; }
arch=$(dpkg --print-architecture)
deb="$scratch/out/pgtls-inspector_${version}_${arch}.deb"
[ -f "$deb" ] || { ls -l "$scratch/out" >&2; fail "no $deb"; }
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

field() { dpkg-deb -f "$deb" "$1"; }
# has PKG LIST: PKG is one of the comma-separated relations in LIST (alternatives "a | b" count).
has() { echo "$2" | tr ',|' '\n\n' | awk '{print $1}' | grep -Fxq -- "$1"; }
[ "$(field Package)" = pgtls-inspector ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), expected $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Homepage)" ] || fail "no Homepage"
[ -n "$(field Section)" ] || fail "no Section"
depends=$(field Depends)
echo "Depends: $depends"
# From dpkg-shlibdeps (the libraries linked) and the explicit plugin Depends.
for pkg in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libpq5 libssl3 libqt6keychain1 \
           libc6 libstdc++6 qt6-qpa-plugins libqt6svg6; do
    has "$pkg" "$depends" || fail "Depends lacks $pkg"
done
# Versioned library dependencies: dpkg-shlibdeps really ran.
echo "$depends" | grep -Eq 'libqt6core6 \(>= [0-9]' || fail "libqt6core6 is not versioned (shlibdeps?)"
recommends=$(field Recommends)
echo "Recommends: $recommends"
has postgresql-15 "$recommends" || fail "Recommends lacks postgresql-15"
description=$(field Description)
[ "$(echo "$description" | wc -l)" -ge 3 ] || fail "no long description"
[ "$(echo "$description" | head -n 1)" = "Shows exactly how a PostgreSQL connection is secured" ] \
    || fail "short description: $(echo "$description" | head -n 1)"

root="$scratch/root"
dpkg -x "$deb" "$root"
for f in usr/bin/pgtls-check usr/bin/pgtls-inspector; do
    [ -x "$root/$f" ] || fail "$f missing from the package"
done
# Contents must not leak build paths (everything under /usr).
dpkg-deb -c "$deb" | awk '{print $6}' | grep -Ev '^\./(usr(/|$))?$|^\./usr/' && fail "files outside /usr"

out=$("$root/usr/bin/pgtls-check" --version) || fail "pgtls-check --version exited $?"
[ "$out" = "pgtls-check $version" ] || fail "pgtls-check --version: '$out'"
out=$("$root/usr/bin/pgtls-check" --help) || fail "pgtls-check --help exited $?"
echo "$out" | grep -q -- '--json' || fail "pgtls-check --help does not mention --json: $out"
echo "$out" | grep -qi 'usage' || fail "pgtls-check --help has no usage line: $out"
# --help and --version need no display: run them where there is none (no X, no Wayland, no
# platform chosen), as on a server over ssh.
nodisplay() { env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$@"; }
out=$(nodisplay "$root/usr/bin/pgtls-inspector" --version 2>&1) \
    || fail "pgtls-inspector --version without a display exited $?: $out"
echo "$out" | grep -q "$version" || fail "pgtls-inspector --version: '$out'"
out=$(nodisplay "$root/usr/bin/pgtls-inspector" --help 2>&1) \
    || fail "pgtls-inspector --help without a display exited $?: $out"
echo "$out" | grep -q -- '--demo' || fail "pgtls-inspector --help: '$out'"
out=$(nodisplay "$root/usr/bin/pgtls-inspector" --no-such-option 2>&1) \
    && fail "pgtls-inspector --no-such-option exited 0"
echo "$out" | grep -q "no-such-option" || fail "pgtls-inspector --no-such-option: '$out'"
echo "PASS"
