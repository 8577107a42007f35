#!/usr/bin/env bash
# Builds the fault-injection LD_PRELOAD shim. Idempotent: rebuilds only when the source is newer.
# Prints the absolute path of the library on stdout (nothing else), so callers can do
#   SHIM=$(tests/native/build.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out_dir=${FAULTSHIM_OUT_DIR:-$root/artifacts/native}
out=$out_dir/libfaultshim.so
src=$here/faultshim.c
mkdir -p "$out_dir"
if [[ ! -f $out || $src -nt $out || $here/canonical_path.h -nt $out || $0 -nt $out ]]; then
  command -v "${CC:-gcc}" >/dev/null || { echo "build.sh: ${CC:-gcc} not found (apt-get install gcc)" >&2; exit 1; }
  # Build to a temp name and rename, so a concurrent reader never sees a half-written library.
  "${CC:-gcc}" -shared -fPIC -O2 -Wall -Wextra -Werror -o "$out.tmp.$$" "$src" -ldl
  mv -f "$out.tmp.$$" "$out"
fi
echo "$out"
