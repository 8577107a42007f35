#!/usr/bin/env bash
# The one benchmark command. In one run, on the same documents and the same disk:
#   1. publishes the server (Release, linux-x64, Native AOT) to artifacts/publish/linux-x64 via scripts/build.sh,
#      builds the raw C floor (bench/floor/floor.c) and the LD_PRELOAD fault shim (cross-device renames);
#   2. npm ci in bench/node, then bench/node/bench.mjs: SessionApi over HTTP (keep-alive client, the
#      published binary started per the process contract) against write-file-atomic, atomically and
#      the raw write+fsync+rename+dir-fsync floor; loads, start time, memory, scale, fallback cost;
#      the event stream (GET /events): save-to-event latency, 50 idle watchers' memory, saves with 50 watchers;
#   3. the deliverable (bench/deliverable.sh): size of the Windows folder of
#      scripts/publish-windows.sh against the untrimmed one, and start-up ratios (its flags on
#      linux-x64 vs the untrimmed JIT build; the Native AOT binary vs a bare `dotnet new webapiaot`);
#   4. BenchmarkDotNet for the in-process writer paths (bench/SessionApi.Benchmarks, short job).
# Prints one table (p50/p99/throughput, ratios, PASS/MISS per target); writes artifacts/bench/.
#
# Options (environment):
#   BENCH_DIR=<dir>   where the documents are written; must be a real disk, not tmpfs
#                     (default: artifacts/bench/work, i.e. the disk holding the repo)
#   QUICK=1           fewer iterations (a smoke run, ~1 minute)
#   SKIP_BUILD=1      use the already published server
#   SKIP_BDN=1        skip BenchmarkDotNet
#   SKIP_DELIVERABLE=1  skip the deliverable's sizes and start-up ratios (they build 5 more publishes)
#   ONLY=saves,fallback,history,startup,scale,events   run some sections of the Node benchmark only
#   BASELINE_EXE=<binary>   another build of the server (e.g. main's publish) saved 1 MB with renames
#                     refused in the same rounds: the row "this build vs baseline" prices a writer change
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out="$repo/artifacts/bench"
work="${BENCH_DIR:-$out/work}"
mkdir -p "$out" "$work"
start=$SECONDS

fstype="$(df --output=fstype "$work" | tail -1 | tr -d ' ')"
if [[ "$fstype" == tmpfs || "$fstype" == ramfs ]]; then
  echo "bench: $work is on $fstype, where fsync is free: the figures would be meaningless. Set BENCH_DIR to a real disk." >&2
  exit 2
fi

echo "== machine"
"$repo/bench/machine.sh" "$work" | tee "$out/machine.txt"
export BENCH_MACHINE_PRINTED=1

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  echo "== build + publish"
  "$repo/scripts/build.sh" > "$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
fi
exe="$repo/artifacts/publish/linux-x64/SessionApi"
[[ -x "$exe" ]] || { echo "bench: $exe missing (run without SKIP_BUILD)" >&2; exit 1; }

mkdir -p "$repo/artifacts/native"
gcc -O2 -Wall -Wextra -Werror -pthread -o "$repo/artifacts/native/floor" "$repo/bench/floor/floor.c"
shim="$("$repo/tests/native/build.sh")"

echo "== npm ci (bench/node)"
(cd "$repo/bench/node" && npm ci --no-audit --no-fund --loglevel=error)

echo "== SessionApi vs write-file-atomic, atomically and the raw floor"
quick=()
[[ "${QUICK:-}" == 1 ]] && quick=(--quick)
only=()
[[ -n "${ONLY:-}" ]] && only=(--only "$ONLY")
baseline=()
[[ -n "${BASELINE_EXE:-}" ]] && baseline=(--baseline "$BASELINE_EXE")
node "$repo/bench/node/bench.mjs" --exe "$exe" --work "$work/node" --floor "$repo/artifacts/native/floor" \
  --shim "$shim" --out "$out" "${quick[@]}" "${only[@]}" "${baseline[@]}" 2> "$out/node-bench.log" || { tail -40 "$out/node-bench.log"; exit 1; }

if [[ "${SKIP_DELIVERABLE:-}" != 1 ]]; then
  # Sizes of the Windows deliverable and start-up ratios (bench/deliverable.sh).
  "$repo/bench/deliverable.sh"
fi

if [[ "${SKIP_BDN:-}" != 1 ]]; then
  echo "== BenchmarkDotNet: in-process writer paths (short job)"
  mkdir -p "$work/bdn"
  BENCH_DIR="$work/bdn" BENCH_ARTIFACTS="$out/bdn" \
    dotnet run -c Release --project "$repo/bench/SessionApi.Benchmarks" -- --filter '*' > "$out/bdn.log" 2>&1 \
    || { tail -40 "$out/bdn.log"; exit 1; }
  # The summary tables (one per class), as BenchmarkDotNet prints them.
  for f in "$out"/bdn/results/*-report-github.md; do
    echo
    echo "### $(basename "$f" -report-github.md)"
    sed -n '/^| /,$p' "$f" | tr -d '*'  # BenchmarkDotNet bolds the first row of each group
  done | tee "$out/bdn-table.md"
fi

echo
echo "results: $out/table.md, $out/results.json, $out/startup.md, $out/bdn-table.md; logs: $out/*.log ($((SECONDS - start)) s)"
