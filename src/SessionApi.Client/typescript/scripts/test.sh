#!/usr/bin/env bash
# The `client` lane of scripts/test.sh: installs what the TypeScript package needs on a fresh
# Debian machine (npm ci, Debian's chromium), then proves the package against the real server:
# the generated client has not drifted from the committed OpenAPI document, it typechecks, and the
# launcher, client, example app and Chromium tests pass against SESSIONAPI_EXE.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cd "$here"
export SESSIONAPI_EXE="${SESSIONAPI_EXE:-$repo/artifacts/publish/linux-x64/SessionApi}"
if [[ ! -x "$SESSIONAPI_EXE" ]]; then
  echo "client lane: $SESSIONAPI_EXE is missing; run scripts/build.sh first" >&2
  exit 1
fi
sh scripts/install-browser-deps.sh
npm ci --no-audit --no-fund
npm run check-drift
npm run typecheck
npm test
