#!/usr/bin/env bash
# The crash lane of scripts/test.sh: power-loss crash consistency of the real server.
#   0. The checker's own tests (test_checker.py: the models on hand-written recordings).
#   1. The shipped server ($SESSIONAPI_EXE, the published linux-x64 binary): every workload, both
#      crash models; every recovered state must keep the contract (no finding).
#   2. The proof that the checker can fail: a build of the server without the directory fsync after
#      a rename (MSBuild property CrashCheckPlantedBug=true, used only here) must be reported as
#      losing an acknowledged save.
# Each step ends with "N passed, N failed" (scripts/count-results.py sums them).
#
# Options (environment): CRASH_MAX_STATES (default 80 per workload and model; sampled above it with
# a fixed seed), CRASH_WORKLOADS="rename-crud exdev-crud" (default: all), CRASH_SKIP_PROOF=1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
exe="${SESSIONAPI_EXE:-$repo/artifacts/publish/linux-x64/SessionApi}"
out="$repo/artifacts/crash"
mkdir -p "$out"
[[ -x "$exe" ]] || { echo "crash: $exe missing (run scripts/build.sh)"; echo "0 passed, 1 failed"; exit 1; }

recorder="$out/librecorder.so"
# One library from recorder.h's files: the log, the path rules and the interposed calls by kind.
recorder_sources=("$here"/recorder_log.c "$here"/recorder_path.c "$here"/recorder_open.c "$here"/recorder_data.c "$here"/recorder_names.c)
stale=0
[[ -f $recorder ]] || stale=1
for f in "${recorder_sources[@]}" "$here/recorder.h" "$here/../native/canonical_path.h"; do
  [[ $f -nt $recorder ]] && stale=1
done
if [[ $stale == 1 ]]; then
  "${CC:-gcc}" -shared -fPIC -O2 -Wall -Wextra -Werror -o "$recorder.tmp.$$" "${recorder_sources[@]}" -ldl -lpthread
  mv -f "$recorder.tmp.$$" "$recorder"
fi
shim="$("$repo/tests/native/build.sh")"

workloads=()
for w in ${CRASH_WORKLOADS:-}; do workloads+=(--workload "$w"); done
check() { python3 "$here/check.py" --recorder "$recorder" --faultshim "$shim" --max-states "${CRASH_MAX_STATES:-80}" "$@"; }

status=0
echo "== the checker itself: crash models and expectations on hand-written recordings"
python3 "$here/test_checker.py" || status=1

echo
echo "== the shipped server: every workload, both crash models"
check --exe "$exe" "${workloads[@]}" || status=1

if [[ "${CRASH_SKIP_PROOF:-}" != 1 ]]; then
  echo
  echo "== proof: a build without the directory fsync after rename must lose an acknowledged save"
  planted="$out/planted"
  if dotnet build "$repo/src/SessionApi/SessionApi.csproj" -c Release --nologo -v q --no-restore \
      -p:CrashCheckPlantedBug=true -p:OpenApiGenerateDocuments=false \
      -p:IntermediateOutputPath="$planted/obj/" -o "$planted/bin" > "$out/planted-build.log" 2>&1; then
    # The JIT build starts in ~0.5 s instead of ~0.05: a sample of its states is enough to show the loss.
    check --exe "$planted/bin/SessionApi.dll" --workload rename-crud --model strict --expect-lost-save --max-states 12 || status=1
  else
    tail -20 "$out/planted-build.log"
    echo "planted build failed"
    echo "0 passed, 1 failed"
    status=1
  fi
fi
exit $status
