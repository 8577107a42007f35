#!/usr/bin/env bash
# Builds the solution (Release, warnings are errors; JIT, as every test runs it) and publishes the
# linux-x64 server that the end-to-end tests and the benchmark start as Electron would: a Native AOT
# binary (PublishAot=true here only; see README "Native AOT"). The Dockerfile publishes the JIT build.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

# Native AOT links with clang and needs zlib's headers/static library (aka.ms/nativeaot-prerequisites).
# A fresh Debian has neither: install them once (idempotent; the package lists only when needed).
aot_prerequisites() {
  local missing=()
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q 'ok installed' || missing+=(zlib1g-dev)
  if [[ ${#missing[@]} -eq 0 ]]; then
    return
  fi
  echo "build.sh: installing Native AOT prerequisites: ${missing[*]}" >&2
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
}
aot_prerequisites

dotnet build "$repo/SessionApi.sln" -c Release --nologo
# The OpenAPI document is generated (and checked) by the JIT build above; the AOT publish only compiles.
dotnet publish "$repo/src/SessionApi/SessionApi.csproj" -c Release -r linux-x64 -p:PublishAot=true \
  -p:OpenApiGenerateDocuments=false --nologo -o "$repo/artifacts/publish/linux-x64"
