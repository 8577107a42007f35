#!/usr/bin/env bash
# Starts a fresh SessionApi (temp storage root, port 0, random token), reads its ready line, and
# runs every .http file here against it with httpyac's assertions. Exits non-zero on any failure.
# Usage: http/run.sh            (builds first)   SKIP_BUILD=1 http/run.sh   (uses the last build)
#        SESSIONAPI_EXE=artifacts/publish/linux-x64/SessionApi http/run.sh   (the published binary, e.g.
#        the Native AOT one scripts/build.sh makes; scripts/test.sh sets it; nothing is built then)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
configuration="${CONFIGURATION:-Debug}"

if [[ -n "${SESSIONAPI_EXE:-}" ]]; then
  exe="$(realpath "$SESSIONAPI_EXE")"
  [[ -x "$exe" ]] || { echo "run.sh: SESSIONAPI_EXE=$SESSIONAPI_EXE is not an executable" >&2; exit 1; }
  server=("$exe")
else
  server=(dotnet "$repo/src/SessionApi/bin/$configuration/net10.0/SessionApi.dll")
fi
if [[ -z "${SESSIONAPI_EXE:-}" && "${SKIP_BUILD:-}" != 1 ]]; then
  dotnet build "$repo/src/SessionApi/SessionApi.csproj" -c "$configuration" --nologo -v quiet >&2
fi
if [[ ! -x "$here/node_modules/.bin/httpyac" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund >&2)
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export SESSIONAPI_TOKEN="http-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkfifo "$work/stdout"
"${server[@]}" \
  --Storage:Root="$work/sessions" --Swagger:Enabled=true --Hosting:ShutdownOnStdinClose=Off \
  >"$work/stdout" 2>"$work/stderr" </dev/null &
server_pid=$!

# The ready line is the first (and only) stdout line.
if ! read -r -t 60 ready <"$work/stdout"; then
  echo "run.sh: no ready line; server stderr:" >&2
  cat "$work/stderr" >&2
  exit 1
fi
SESSIONAPI_URL="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).url)' "$ready")"
export SESSIONAPI_URL
echo "run.sh: SessionApi (${server[*]}) ready at $SESSIONAPI_URL" >&2

cd "$here"
status=0
for file in sessions.http history.http events.http security.http diagnostics.http; do
  ./node_modules/.bin/httpyac send "$file" --all --bail --output-failed response --no-color || status=1
done
exit "$status"
