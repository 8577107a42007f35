#!/usr/bin/env bash
# Publishes the Windows deliverable: what an Electron app bundles (electron-builder extraResources)
# from artifacts/publish/win-x64/, i.e. SessionApi.exe and everything it needs, self-contained (no
# .NET on the user's machine) and multi-file (README "Shipping on Windows" says why not single-file).
# Built on Linux, so JIT + ReadyToRun: Native AOT for Windows needs a Windows build machine
# (README "Native AOT").
#
#   scripts/publish-windows.sh            # -> artifacts/publish/win-x64/
#
# Env: RID=linux-x64   the same flags for another runtime (the benchmark's Linux twin of the folder)
#      OUT=<dir>       output folder (default artifacts/publish/$RID)
# Extra arguments go to `dotnet publish` after the flags below (e.g. -p:PublishTrimmed=false to
# measure one lever; bench/RESULTS.md "The Windows deliverable" has what each one pays).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rid="${RID:-win-x64}"
out="${OUT:-$repo/artifacts/publish/$rid}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

flags=(
  -c Release -r "$rid" --self-contained true
  -p:PublishSingleFile=false
  # Trimmed: only the framework code SessionApi reaches (the code is trimming- and AOT-clean: the
  # analyzers run in every build, IsAotCompatible). Trimming rewrites the framework assemblies as
  # plain IL, so without ReadyToRun below every framework method would be JIT-compiled at start.
  -p:PublishTrimmed=true
  # ReadyToRun: machine code for the app, its packages and the trimmed framework, compiled by
  # crossgen2 here (it cross-compiles for win-x64). Composite: one image for all of them, so
  # generic code shared across assemblies (the app's types in framework generics) is precompiled
  # too instead of jitted at start.
  -p:PublishReadyToRun=true
  -p:PublishReadyToRunComposite=true
  # Runtime pieces it does not use: no EventSource/EventPipe tracing providers, no resource strings
  # for culture-specific lookups (InvariantGlobalization is set in the project), no IIS web.config,
  # no XML API docs.
  -p:EventSourceSupport=false
  # No profile-guided re-compilation: with it the runtime re-JITs the hottest precompiled methods
  # with instrumentation during start (~150 before the ready line) to optimize them later for a
  # throughput this companion, which waits on fsync, does not need. Start 0.59x -> 0.58x of the
  # untrimmed JIT build (bench/RESULTS.md).
  -p:TieredPGO=false
  -p:IsTransformWebConfigDisabled=true
  -p:PublishDocumentationFile=false
  # The build-time OpenAPI document runs the built app on this machine, which a build for another
  # RID cannot do; the RID-less build writes (and checks) it.
  -p:OpenApiGenerateDocuments=false
)

# Native runtime files the self-contained publish copies but SessionApi never loads:
#   aspnetcorev2_inprocess.dll         the IIS in-process module (SessionApi runs as its own process)
#   msquic.dll                         HTTP/3 over QUIC (Kestrel listens on loopback HTTP/1.1 only)
#   clrgc.dll, clrgcexp.dll            alternative GCs, loaded only when DOTNET_GCName names them
#   mscordbi.dll                       the managed debugger's side of an attach (nobody attaches to a shipped app)
#   Microsoft.DiaSymReader.Native.*    Windows PDB reading/writing for debuggers (stack traces use the portable PDB)
# createdump.exe and mscordaccore*.dll stay: they write a crash dump that dotnet-dump can read.
# Set KEEP_UNUSED_NATIVE=1 to keep them all (to measure what leaving them out saves).
unused_native=(aspnetcorev2_inprocess.dll msquic.dll clrgc.dll clrgcexp.dll mscordbi.dll Microsoft.DiaSymReader.Native.amd64.dll
  libmsquic.so libclrgc.so libclrgcexp.so libmscordbi.so)

rm -rf "$out"
dotnet publish "$repo/src/SessionApi/SessionApi.csproj" "${flags[@]}" --nologo -o "$out" "$@"
if [[ ${KEEP_UNUSED_NATIVE:-} != 1 ]]; then
  for f in "${unused_native[@]}"; do rm -f "$out/$f"; done
fi
echo "publish-windows: $out: $(find "$out" -type f | wc -l) files, $(du -sb "$out" | cut -f1) bytes ($(du -sh "$out" | cut -f1))"
