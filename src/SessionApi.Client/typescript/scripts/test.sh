#!/usr/bin/env bash
# The `client` lane of scripts/test.sh: installs what the TypeScript package needs on a fresh
# Debian machine (npm ci, Debian's chromium, Node 22 from npm), then proves the package against the
# real server: the generated client has not drifted from the committed OpenAPI document, the
# document is lint-clean (tests/openapi: Redocly CLI and Spectral, 0 errors and 0 warnings,
# offline), the package typechecks, and the tests pass against SESSIONAPI_EXE twice:
#   - on the machine's node (Node 20): every test file (launcher, client, watch, executable,
#     example app, Chromium);
#   - on Node 22, the Node of Electron's main process (test/node22, pinned by its lock file): every
#     test file but the Chromium one (browser.test.mjs drives the renderer in Chromium, which does
#     not depend on the Node that runs the test).
# Each run starts with a "---- client tests on Node vX.Y.Z ----" line; scripts/failed-tests.py
# names a failed test with that run. Both runs always run; either failing fails the lane.
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
npm run node22:install
node22="$here/test/node22/node_modules/.bin/node"
npm run check-drift
# --ignore-scripts: the linters need no install script, and one of Spectral's dependencies (Scarf)
# would report the install over the network.
npm ci --prefix "$repo/tests/openapi" --no-audit --no-fund --ignore-scripts
npm test --prefix "$repo/tests/openapi"
npm run typecheck

status=0
printf '\n---- client tests on Node %s ----\nnode: %s; files: every test file\n' "$(node --version)" "$(command -v node)"
npm test || status=1
printf '\n---- client tests on Node %s ----\nnode: %s; files: every test file but browser.test.mjs\n' "$("$node22" --version)" "$node22"
npm run test:node22:run || status=1 # after npm test: prep done, node22:install above
exit $status
