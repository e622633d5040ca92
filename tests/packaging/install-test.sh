#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the build tree BUILD into a scratch prefix and checks that every file is where a
# Debian system looks for it, then that the installed CLI runs.
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null

id=io.github.pgtls.Inspector
fail=0
for f in \
    bin/pgtls-check \
    bin/pgtls-inspector \
    share/applications/$id.desktop \
    share/metainfo/$id.metainfo.xml \
    share/icons/hicolor/scalable/apps/$id.svg \
    share/man/man1/pgtls-check.1 \
    share/man/man1/pgtls-inspector.1 \
    share/bash-completion/completions/pgtls-check; do
    if [ ! -s "$prefix/$f" ]; then
        echo "FAIL: $f was not installed"
        fail=1
    fi
done
for f in bin/pgtls-check bin/pgtls-inspector; do
    [ -x "$prefix/$f" ] || { echo "FAIL: $f is not executable"; fail=1; }
done
# The metainfo was configured: no @VARIABLE@ left, and a release for this version.
if grep -q '@[A-Z_]*@' "$prefix/share/metainfo/$id.metainfo.xml"; then
    echo "FAIL: the installed metainfo still has @...@ placeholders"
    fail=1
fi
version=$("$prefix/bin/pgtls-check" --version | awk '{print $2}')
if ! grep -q "<release version=\"$version\"" "$prefix/share/metainfo/$id.metainfo.xml"; then
    echo "FAIL: the metainfo has no <release> for $version"
    fail=1
fi
[ $fail -eq 0 ] && echo "installed and checked: $(find "$prefix" -type f | wc -l) files"
exit $fail
