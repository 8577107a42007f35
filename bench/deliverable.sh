#!/usr/bin/env bash
# Size and start-up of what ships (issue 14), in one run on this machine (bench/run.sh calls it; it
# also runs alone). Builds, unless SKIP_BUILD=1:
#   - the Windows deliverable (scripts/publish-windows.sh -> artifacts/publish/win-x64) and, for the
#     size comparison, the untrimmed self-contained win-x64 folder that shipped before it;
#   - its Linux twin: the same flags for linux-x64 (RID=linux-x64 scripts/publish-windows.sh), and the
#     untrimmed self-contained JIT linux-x64 folder, the twin of the old Windows folder;
#   - the baseline: a bare `dotnet new webapiaot` app from the SDK's template, published Native AOT;
# and expects the Linux Native AOT binary of scripts/build.sh (artifacts/publish/linux-x64).
# Then times spawn -> ready line of each (bench/node/startup.mjs, interleaved rounds) and prints
# sizes and ratios with PASS/MISS per target. Writes artifacts/bench/startup.{md,json}.
#
# Env: SKIP_BUILD=1 (reuse what is built), ROUNDS=<n> (default 20; QUICK=1: 8), BENCH_DIR (see run.sh)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/artifacts/bench"
m="$out/deliverable"
work="${BENCH_DIR:-$out/work}"
mkdir -p "$m" "$work"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

win="$repo/artifacts/publish/win-x64"
twin="$m/linux-x64-deliverable-flags"
jit="$m/linux-x64-untrimmed-jit"
win_untrimmed="$m/win-x64-untrimmed"
baseline="$m/webapiaot"
aot="$repo/artifacts/publish/linux-x64/SessionApi"

if [[ ${BENCH_MACHINE_PRINTED:-} != 1 ]]; then
  echo "== machine"
  "$repo/bench/machine.sh" "$work" | tee "$out/machine.txt"
fi

untrimmed() { # the self-contained folder as it shipped before issue 14: no trimming, no ReadyToRun of the app
  dotnet publish "$repo/src/SessionApi/SessionApi.csproj" -c Release -r "$1" --self-contained true \
    -p:PublishSingleFile=false -p:OpenApiGenerateDocuments=false --nologo -o "$2"
}

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  echo "== deliverable: publish win-x64 (scripts/publish-windows.sh), its linux-x64 twin, the untrimmed folders"
  {
    "$repo/scripts/publish-windows.sh"
    RID=linux-x64 OUT="$twin" "$repo/scripts/publish-windows.sh"
    rm -rf "$jit" "$win_untrimmed"
    untrimmed linux-x64 "$jit"
    untrimmed win-x64 "$win_untrimmed"
  } > "$out/deliverable-build.log" 2>&1 || { tail -40 "$out/deliverable-build.log"; exit 1; }

  echo "== baseline: dotnet new webapiaot, published Native AOT"
  {
    rm -rf "$baseline"
    mkdir -p "$baseline"
    # Its own MSBuild scope: not this repository's Directory.Build.props (warnings as errors,
    # analyzers) nor its central package versions; the template exactly as the SDK writes it.
    echo '<Project />' > "$baseline/Directory.Build.props"
    echo '<Project />' > "$baseline/Directory.Build.targets"
    echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' \
      > "$baseline/Directory.Packages.props"
    dotnet new webapiaot --name Baseline --output "$baseline/src"
    dotnet publish "$baseline/src/Baseline.csproj" -c Release -r linux-x64 --nologo -o "$baseline/publish"
  } > "$out/baseline-build.log" 2>&1 || { tail -40 "$out/baseline-build.log"; exit 1; }
fi
for f in "$win/SessionApi.exe" "$twin/SessionApi" "$jit/SessionApi" "$win_untrimmed/SessionApi.exe" "$baseline/publish/Baseline" "$aot"; do
  [[ -e $f ]] || { echo "deliverable: $f missing (run without SKIP_BUILD, and scripts/build.sh for the AOT binary)" >&2; exit 1; }
done

rounds="${ROUNDS:-20}"
[[ "${QUICK:-}" == 1 ]] && rounds="${ROUNDS:-8}"
echo "== deliverable: spawn -> ready line, median of $rounds interleaved rounds; sizes"
node "$repo/bench/node/startup.mjs" --out "$out" --work "$work/startup" --rounds "$rounds" \
  --subject "name=untrimmed JIT (linux-x64),exe=$jit/SessionApi,kind=sessionapi" \
  --subject "name=deliverable flags (linux-x64),exe=$twin/SessionApi,kind=sessionapi" \
  --subject "name=Native AOT (linux-x64),exe=$aot,kind=sessionapi" \
  --subject "name=webapiaot template (AOT),exe=$baseline/publish/Baseline,kind=webapi" \
  --ratio "deliverable flags (linux-x64)/untrimmed JIT (linux-x64)<=0.6" \
  --ratio "Native AOT (linux-x64)/webapiaot template (AOT)<=1.3" \
  --size "win-x64 deliverable=$win" \
  --size "win-x64 untrimmed folder=$win_untrimmed" \
  --size "linux-x64 twin=$twin" \
  --size "linux-x64 untrimmed JIT=$jit" \
  --size "linux-x64 Native AOT=$aot" \
  --size-ratio "win-x64 deliverable/win-x64 untrimmed folder" \
  2> "$out/startup.log" || { tail -40 "$out/startup.log"; exit 1; }
