#!/usr/bin/env bash
# Prepares Wine for the Windows lane (issue 6): installs Debian's wine64 if missing and creates a
# headless 64-bit WINEPREFIX. Idempotent and non-interactive; safe to run on every CI run.
#
# Usage:  eval "$(tests/wine/setup-wine.sh)"     # exports WINE, WINESERVER, WINEPREFIX, WINEDEBUG
# Env:    SESSIONAPI_WINEPREFIX  prefix to create/use (default $HOME/.cache/sessionapi-wine)
#         WINE_WINVER            Windows version the prefix reports (default win10; wine 8 defaults
#                                to win7, which .NET 10 does not officially support)
# stdout: only `export` lines. Progress and timings go to stderr.
set -euo pipefail

log() { echo "setup-wine: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

prefix=${SESSIONAPI_WINEPREFIX:-$HOME/.cache/sessionapi-wine}
winver=${WINE_WINVER:-win10}
# Debian's wine64 package puts the loader and server here; /usr/bin/wine only comes with the
# 'wine' package (and would pull in 32-bit wine via multiarch), so use them directly.
wine=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver

# 1. Install wine64 (no recommends: no fonts, no Gecko/Mono packages, no 32-bit wine).
t=$(now)
if [[ ! -x $wine || ! -x $wineserver ]]; then
  export DEBIAN_FRONTEND=noninteractive
  sudo=; [[ $(id -u) -eq 0 ]] || sudo=sudo
  # apt-get update only when the package lists do not know wine64 yet.
  if ! apt-cache show wine64 >/dev/null 2>&1; then
    log "apt-get update"; $sudo apt-get update -qq >&2
  fi
  log "installing wine64"
  $sudo apt-get install -y -qq --no-install-recommends wine64 >&2
  log "installed wine64 in $(elapsed "$t")"
else
  log "wine64 already installed ($($wine --version 2>/dev/null))"
fi

# 2. Create the prefix, headless and without prompts:
#    - no DISPLAY: winex11 is not loaded, so no window (and no Xvfb needed) for console/server apps;
#    - WINEDLLOVERRIDES=mscoree,mshtml= disables the two DLLs whose absence makes wineboot offer to
#      download/install Wine Mono and Wine Gecko (a dialog, or a network fetch that fails here).
#      ONLY for wineboot: at run time mscoree must stay enabled, because Wine's loader needs it to
#      map IL-only assemblies (System.Runtime.dll...) that CoreCLR loads with LoadLibrary; with it
#      disabled a .NET app dies with "Could not load file or assembly ... Module not found".
#    - WINEDEBUG=-all: silence fixme/err chatter (e.g. the harmless syswow64\rundll32.exe c0000135
#      printed because 32-bit wine is not installed).
export WINEPREFIX=$prefix WINEDEBUG=${WINEDEBUG:--all} WINEARCH=win64
unset DISPLAY WAYLAND_DISPLAY
marker=$prefix/.sessionapi-ready
want="$($wine --version 2>/dev/null) $winver"
if [[ -f $marker && $(cat "$marker") == "$want" && -f $prefix/system.reg ]]; then
  log "prefix $prefix ready ($want)"
else
  t=$(now)
  mkdir -p "$(dirname "$prefix")"
  WINEDLLOVERRIDES="mscoree,mshtml=" "$wine" wineboot --init >/dev/null 2>&1 || true
  # Report a current Windows version (affects Environment.OSVersion and version-gated APIs).
  "$wine" winecfg -v "$winver" >/dev/null 2>&1 || true
  "$wineserver" -w                      # wait until the prefix is fully written and the server exits
  [[ -f $prefix/system.reg ]] || { log "wineboot did not create $prefix"; exit 1; }
  echo "$want" >"$marker"
  log "created prefix $prefix in $(elapsed "$t")"
fi
log "drive mapping: $(readlink "$prefix/dosdevices/z:" 2>/dev/null || echo '?') is Z:, C: is $prefix/drive_c"

cat <<EXPORTS
export WINE=$wine
export WINESERVER=$wineserver
export WINEPREFIX=$prefix
export WINEDEBUG=$WINEDEBUG
EXPORTS
