#!/bin/sh
# SPDX-License-Identifier: MIT
# with-keyring.sh COMMAND [ARGS...]: runs COMMAND with a real, unlocked Secret Service of its own
# (a private D-Bus session and gnome-keyring-daemon, data in throwaway directories), the recipe of
# TOOLCHAIN.md. A missing tool or a keyring that does not start is a failure (exit 1), never a skip.
set -u
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-keyring: $tool is missing (install dbus and gnome-keyring: packaging/install-deps.sh)" >&2
        exit 1
    fi
done
base=$(mktemp -d "${TMPDIR:-/tmp}/pgtls-keyring.XXXXXX") || exit 1
trap 'rm -rf "$base"' EXIT HUP INT TERM
mkdir -p "$base/data" "$base/runtime" "$base/config"
chmod 700 "$base" "$base/data" "$base/runtime" "$base/config"
export XDG_DATA_HOME="$base/data" XDG_RUNTIME_DIR="$base/runtime" XDG_CONFIG_HOME="$base/config"
export HOME="$base"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
# gnome-keyring-daemon leaves with the session bus, which ends with the command.
dbus-run-session -- sh -c '
    if ! printf %s testpw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; then
        echo "with-keyring: gnome-keyring-daemon did not start" >&2
        exit 1
    fi
    exec "$@"
' with-keyring "$@"
