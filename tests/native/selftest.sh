#!/usr/bin/env bash
# Proves the fault shim itself works: builds it, compiles a small C program that calls
# rename/renameat/renameat2/link/linkat/fsync/fdatasync/open/open64/openat, and runs it with the
# shim preloaded (EXDEV renames, EIO fsync, false EEXIST on exclusive creates, ENOENT renames).
# Ends with "N passed, N failed"; exit code 0 only when every check passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shim=$("$here/build.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/exdev/sub" "$work/ok" "$work/symptom"
"${CC:-gcc}" -O1 -Wall -Wextra -Werror -o "$work/selftest" "$here/selftest.c"

# Sanity: without the shim the same program must see no faults for the "bad" dir.
if env -u LD_PRELOAD "$work/selftest" "$work/exdev" "$work/ok" "$work/symptom" >/dev/null 2>&1; then
  echo "selftest: the checks passed WITHOUT the shim, so they prove nothing" >&2; exit 1
fi
rm -rf "$work/exdev" "$work/ok" "$work/exdev-sibling" "$work/toggle" "$work/symptom"; mkdir -p "$work/exdev/sub" "$work/ok" "$work/symptom"

LD_PRELOAD=$shim FAULTSHIM_EXDEV_DIR=$work/exdev FAULTSHIM_FSYNC_EIO_DIR=$work/exdev \
  FAULTSHIM_EEXIST_DIR=$work/symptom FAULTSHIM_ENOENT_DIR=$work/symptom FAULTSHIM_LOG=${FAULTSHIM_LOG:-0} \
  "$work/selftest" "$work/exdev" "$work/ok" "$work/symptom"
