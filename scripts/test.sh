#!/usr/bin/env bash
# Runs every test of SessionApi on a fresh Debian machine, installing what it needs first.
# The README's test command and CI (.ci/run) both call exactly this.
#
# Lanes, in order; each prints its own output, then a summary table closes the run:
#   build      dotnet build (warnings are errors) and the linux-x64 publish the end-to-end lanes start
#   faultshim  the LD_PRELOAD fault shim's self-test (EXDEV and ENOENT renames, false EEXIST on
#              exclusive creates, EIO fsync)
#   crash      power-loss crash states: the server's file-system calls recorded, every state a power
#              cut could leave (strict and ext4-ordered models) recovered by the real server
#   dotnet     xunit: unit, WebApplicationFactory, real-OS fault and end-to-end tests, run with the
#              fault shim preloaded so rename/create/fsync faults are real syscall failures; the
#              MSIX symptom matrix runs against the published binary (SESSIONAPI_EXE)
#   http       the http/*.http request files against a live server (httpyac)
#   client     the TypeScript client: typecheck, drift, the OpenAPI document's lint (tests/openapi),
#              launcher and Chromium tests (node --test) on the machine's Node 20, then all but the
#              Chromium ones on Node 22 (pinned, from npm)
#   windows    the win-x64 build under Wine, with and without renames refused (ERROR_NOT_SAME_DEVICE),
#              and every MSIX symptom alone and combined (tests/wine/msix.mjs)
#
# A lane that skips tests (a fault test whose OS facility is missing) says so loudly; with CI=true
# a skip fails the run.
# Options: LANES="dotnet http" to run some lanes only (build always runs).
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
lanes="${LANES:-faultshim crash dotnet http client windows}"
artifacts="$repo/artifacts"
mkdir -p "$artifacts/test-results"

declare -a summary=()
declare -a failed_logs=() # "lane log" of each failed lane, for the list of failed tests at the end
failed=0
passed_total=0
failed_total=0
skipped_total=0

banner() { printf '\n==================== %s ====================\n' "$*"; }

# record LANE STATUS PASSED FAILED SKIPPED SECONDS NOTE
record() {
  summary+=("$(printf '%-10s %-8s %7s %7s %7s %6ss  %s' "$1" "$2" "$3" "$4" "$5" "$6" "$7")")
  passed_total=$((passed_total + $3)); failed_total=$((failed_total + $4)); skipped_total=$((skipped_total + $5))
  if [[ "$2" == FAILED ]]; then failed=1; fi
}

# counts_from FILE: "passed failed skipped" from a runner's own summary lines.
counts_from() {
  python3 "$repo/scripts/count-results.py" "$1"
}

run_lane() { # run_lane NAME COMMAND...
  local name=$1; shift
  local log="$artifacts/test-results/$name.log" start=$SECONDS rc
  banner "$name"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  read -r p f s < <(counts_from "$log")
  if [[ $s -gt 0 ]]; then
    printf '\n!!!!!!!!!! LANE %s SKIPPED %s TESTS (see its log: %s) !!!!!!!!!!\n' "$name" "$s" "$log"
    if [[ "${CI:-}" == true ]]; then
      record "$name" FAILED "$p" "$f" "$s" $((SECONDS - start)) "$s skipped: CI=true allows none"
      return
    fi
  fi
  if [[ $rc -eq 0 && $f -eq 0 ]]; then
    if [[ $p -eq 0 ]]; then record "$name" FAILED 0 0 "$s" $((SECONDS - start)) "ran no test"; else record "$name" passed "$p" 0 "$s" $((SECONDS - start)) ""; fi
  else
    record "$name" FAILED "$p" "$((f > 0 ? f : 1))" "$s" $((SECONDS - start)) "exit code $rc"
    failed_logs+=("$name $log")
  fi
}

lane_enabled() { [[ " $lanes " == *" $1 "* ]]; }

# --- build (always) ---
banner "build"
start=$SECONDS
if ! "$repo/scripts/build.sh" 2>&1 | tee "$artifacts/test-results/build.log"; then
  record build FAILED 0 1 0 $((SECONDS - start)) "build failed"
else
  record build passed 0 0 0 $((SECONDS - start)) "build + publish linux-x64"
  export SESSIONAPI_EXE="$artifacts/publish/linux-x64/SessionApi"

  if lane_enabled faultshim; then
    run_lane faultshim "$repo/tests/native/selftest.sh"
  fi

  if lane_enabled crash; then
    run_lane crash "$repo/tests/crash/run.sh" # records $SESSIONAPI_EXE; builds the planted-bug proof
  fi

  if lane_enabled dotnet; then
    shim="$("$repo/tests/native/build.sh")"
    faults="$(mktemp -d /tmp/sessionapi-faults.XXXXXX)"
    mkdir -p "$faults/exdev" "$faults/eio" "$faults/eexist" "$faults/enoent"
    # Only paths under these folders get injected faults; everything else runs untouched. Suites
    # that start servers may point the variables elsewhere in the server's own environment.
    run_lane dotnet env LD_PRELOAD="$shim" FAULTSHIM_EXDEV_DIR="$faults/exdev" FAULTSHIM_FSYNC_EIO_DIR="$faults/eio" \
      FAULTSHIM_EEXIST_DIR="$faults/eexist" FAULTSHIM_ENOENT_DIR="$faults/enoent" \
      SESSIONAPI_FAULT_ROOT="$faults" \
      dotnet test "$repo/SessionApi.sln" --no-build -c Release --logger "console;verbosity=normal"
    rm -rf "$faults"
  fi

  if lane_enabled http; then
    run_lane http "$repo/http/run.sh" # starts $SESSIONAPI_EXE, builds nothing
  fi

  if lane_enabled client; then
    run_lane client "$repo/src/SessionApi.Client/typescript/scripts/test.sh"
  fi

  if lane_enabled windows; then
    run_lane windows "$repo/tests/wine/run-lane.sh"
  fi
fi

banner "summary"
printf '%-10s %-8s %7s %7s %7s %7s  %s\n' lane status passed failed skipped time note
printf '%s\n' "${summary[@]}"
for entry in "${failed_logs[@]}"; do
  read -r name log <<<"$entry"
  echo
  echo "failed in $name (log: $log):"
  python3 "$repo/scripts/failed-tests.py" "$log" | sed 's/^/  /'
done
echo
echo "${passed_total} passed, ${failed_total} failed, ${skipped_total} skipped"
exit $failed
