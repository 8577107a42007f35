#!/usr/bin/env bash
# Instructions a Native AOT start executes up to its ready line, counted by valgrind's callgrind:
# repeatable to ~0.1% whatever else runs on the machine, unlike the wall clock (bench/RESULTS.md,
# "The Native AOT start against a bare dotnet new webapiaot"). Counts every thread from exec to the
# dump, which callgrind takes on entering the function that writes the ready line (SessionApi:
# ReadyLineService.WriteReadyLine; the webapiaot template: ConsoleLifetime.OnApplicationStarted, the
# "Application started" line that follows "Now listening").
#
#   bench/startup-instructions.sh [aot publish dir] [webapiaot publish dir]
#     defaults: artifacts/publish/linux-x64 (scripts/build.sh) and artifacts/bench/deliverable/webapiaot/publish
#     (bench/deliverable.sh)
#
# Env: KEEP=<dir> keeps the callgrind files there for callgrind_annotate (default: a temp dir, removed).
#
# Under valgrind the server GC does not start, so both run with DOTNET_gcServer=0 (workstation GC):
# the counts compare the two starts, not the shipped GC's own start. valgrind 3.19 cannot read the
# DWARF 5 in the .dbg files, so each binary runs from a copy whose debug link names a copy of its
# symbols without DWARF (the loaded segments are untouched).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
aot="${1:-$repo/artifacts/publish/linux-x64}"
baseline="${2:-$repo/artifacts/bench/deliverable/webapiaot/publish}"
command -v valgrind >/dev/null || { echo "startup-instructions: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
work="$(mktemp -d /tmp/sessionapi-instructions.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# copy <publish dir> <name>: the folder with symbols valgrind can read
copy() {
  mkdir -p "$work/$2"
  cp -a "$1"/. "$work/$2"/
  objcopy --strip-debug "$1/$2.dbg" "$work/$2/$2.dbg"
  objcopy --remove-section=.gnu_debuglink --add-gnu-debuglink="$work/$2/$2.dbg" "$work/$2/$2"
}

# count <name> <function> [args]: instructions until <function> is entered
count() {
  local name=$1 fn=$2 out="$work/$1.callgrind"
  shift 2
  (cd "$work/$name" && DOTNET_gcServer=0 SESSIONAPI_TOKEN=startup-instructions-token \
    valgrind --tool=callgrind --callgrind-out-file="$out" --dump-before="$fn" "./$name" "$@" \
    >"$out.stdout" 2>"$out.stderr") &
  local pid=$! i
  for ((i = 0; i < 1200; i++)); do
    if grep -qs '^totals:' "$out.1"; then break; fi
    kill -0 "$pid" 2>/dev/null || { echo "startup-instructions: $name exited before its ready line:" >&2; tail -5 "$out.stderr" >&2; exit 1; }
    sleep 0.25
  done
  pkill -KILL -P "$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  awk '/^totals:/ {print $2}' "$out.1"
}

copy "$aot" SessionApi
copy "$baseline" Baseline
sessionapi=$(count SessionApi SessionApi_SessionApi_Hosting_ReadyLineService__WriteReadyLine \
  --Storage:Root="$work/root" --urls http://127.0.0.1:0)
template=$(count Baseline Microsoft_Extensions_Hosting_Microsoft_Extensions_Hosting_Internal_ConsoleLifetime__OnApplicationStarted \
  --urls http://127.0.0.1:0)
printf 'SessionApi (Native AOT) to its ready line:     %s instructions\n' "$sessionapi"
printf 'webapiaot template to "Application started":  %s instructions\n' "$template"
awk -v a="$sessionapi" -v b="$template" 'BEGIN { printf "ratio: %.2fx\n", a / b }'
if [[ -n ${KEEP:-} ]]; then
  mkdir -p "$KEEP"
  cp "$work"/*.callgrind.1 "$KEEP"/
  echo "callgrind files in $KEEP (callgrind_annotate --inclusive=yes <file>)"
fi
