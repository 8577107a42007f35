#!/usr/bin/env bash
# Prints the machine a benchmark's figures come from (usage: bench/machine.sh <dir the documents are written to>).
set -euo pipefail
work="${1:-.}"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) x $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
echo "memory:  $(free -h | awk '/^Mem:/ {print $2}')"
echo "disk:    $(df -T "$work" | awk 'NR==2 {print $1" "$2}') at $work"
echo "kernel:  $(uname -r)"
echo "dotnet:  $(dotnet --version)  node: $(node --version)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (other builds on the machine slow every subject alike; ratios are taken in the same run)"
