#!/usr/bin/env bash
# Runs a Windows program under Wine with tests/native's fault shim preloaded into BOTH the wine
# client and the wineserver. Renames happen in the wineserver (server/fd.c), fsync in the client,
# and the server's environment is fixed when it starts, so this script stops the prefix's
# server first and lets the wine client start a new one that inherits LD_PRELOAD and FAULTSHIM_*.
#
# Usage: FAULTSHIM_EXDEV_DIR=/tmp/x FAULTSHIM_FSYNC_EIO_DIR=/tmp/y \
#          tests/wine/wine-with-shim.sh path/to/App.exe [args...]
# Paths: Wine maps Z: to /, so the Linux dir /tmp/x is Z:\tmp\x to the program.
# The exit code is the program's. The wineserver is stopped again afterwards (it would otherwise
# keep the shim and these fault dirs for the next, unrelated wine call in this prefix).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
eval "$("$here/setup-wine.sh")"
shim=$("$here/../native/build.sh")
[[ $# -ge 1 ]] || { echo "usage: $0 program.exe [args...]" >&2; exit 2; }

"$WINESERVER" -k 2>/dev/null || true
"$WINESERVER" -w 2>/dev/null || true
rc=0
LD_PRELOAD=$shim${LD_PRELOAD:+:$LD_PRELOAD} "$WINE" "$@" || rc=$?
"$WINESERVER" -k 2>/dev/null || true
exit "$rc"
