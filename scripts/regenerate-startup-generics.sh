#!/usr/bin/env bash
# Rewrites src/SessionApi/StartupGenerics.rd.xml (the generic types dependency injection builds
# before the ready line, generated ahead of time by the Native AOT compiler) from what the app
# builds now: StartupGenericsTests records them and, with the variable set, writes the list.
# Run it when that test fails after a change to the services or a framework update.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
SESSIONAPI_REGENERATE_STARTUP_GENERICS=1 dotnet test "$repo/tests/SessionApi.Tests/SessionApi.Tests.csproj" -c Release \
  --nologo --filter "FullyQualifiedName~StartupGenericsTests"
git -C "$repo" diff --stat -- src/SessionApi/StartupGenerics.rd.xml
