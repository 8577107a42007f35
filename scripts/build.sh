#!/usr/bin/env bash
# Builds the solution (Release, warnings are errors) and publishes the linux-x64 server that the
# end-to-end tests start as Electron would. The Dockerfile runs the same two dotnet commands.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$repo/SessionApi.sln" -c Release --nologo
dotnet publish "$repo/src/SessionApi/SessionApi.csproj" -c Release -r linux-x64 --self-contained false \
  --nologo -o "$repo/artifacts/publish/linux-x64"
