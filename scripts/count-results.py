#!/usr/bin/env python3
"""Prints "passed failed skipped" summed over the test-runner summary lines found in a log.

Understands: dotnet test ("Passed!  - Failed: 0, Passed: 12, Skipped: 0"), node --test
("# pass 3" / "# fail 0" / "# cancelled 0" / "# skipped 0", or "ℹ pass 3" from the spec reporter;
a cancelled test counts as failed), httpyac ("12 requests processed (12 succeeded)")
and plain "N passed, N failed[, N skipped]" lines (our own scripts print those).
Every summary in the log is added, so a lane that runs its tests twice (the client lane: Node 20,
then Node 22) counts both runs.
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
text = re.sub(r"\x1b\[[0-9;]*m", "", text)
passed = failed = skipped = 0

for m in re.finditer(r"(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+)", text):
    failed += int(m.group(1)); passed += int(m.group(2)); skipped += int(m.group(3))
# dotnet test with the normal console verbosity: "Total tests: N" then "Passed: N", "Failed: N", "Skipped: N".
# Read line by line: the lines after "Total tests" until the first that is not a count.
lines = text.splitlines()
for i, line in enumerate(lines):
    if not re.match(r"^Total tests: \d+\s*$", line):
        continue
    for following in lines[i + 1:]:
        count = re.match(r"^\s+(Passed|Failed|Skipped): (\d+)\s*$", following)
        if not count:
            break
        kind, n = count.group(1), int(count.group(2))
        if kind == "Passed": passed += n
        elif kind == "Failed": failed += n
        else: skipped += n
for key, pattern in (("pass", r"^[#ℹ]\s*pass (\d+)"), ("fail", r"^[#ℹ]\s*(?:fail|cancelled) (\d+)"), ("skip", r"^[#ℹ]\s*skipped (\d+)")):
    for m in re.finditer(pattern, text, re.M):
        n = int(m.group(1))
        if key == "pass": passed += n
        elif key == "fail": failed += n
        else: skipped += n
for m in re.finditer(r"(\d+) requests? (?:processed|tested) \((\d+) succeeded(?:, (\d+) failed)?", text):
    passed += int(m.group(2)); failed += int(m.group(3) or 0)
for m in re.finditer(r"^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$", text, re.M):
    passed += int(m.group(1)); failed += int(m.group(2)); skipped += int(m.group(3) or 0)
print(passed, failed, skipped)
