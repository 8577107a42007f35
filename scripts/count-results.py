#!/usr/bin/env python3
"""Prints "passed failed skipped" summed over the test-runner summary lines found in a log.

Understands: dotnet test ("Passed!  - Failed: 0, Passed: 12, Skipped: 0"), node --test
("# pass 3" / "# fail 0" / "# skipped 0"), httpyac ("12 requests processed (12 succeeded)")
and plain "N passed, N failed[, N skipped]" lines (our own scripts print those).
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
text = re.sub(r"\x1b\[[0-9;]*m", "", text)
passed = failed = skipped = 0

for m in re.finditer(r"(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+)", text):
    failed += int(m.group(1)); passed += int(m.group(2)); skipped += int(m.group(3))
# dotnet test with the normal console verbosity: "Total tests: N" then "Passed: N", "Failed: N", "Skipped: N".
for m in re.finditer(r"^Total tests: \d+\s*\n((?:\s+(?:Passed|Failed|Skipped): \d+\s*\n?)+)", text, re.M):
    for kind, n in re.findall(r"(Passed|Failed|Skipped): (\d+)", m.group(1)):
        if kind == "Passed": passed += int(n)
        elif kind == "Failed": failed += int(n)
        else: skipped += int(n)
for key, pattern in (("pass", r"^[#ℹ]\s*pass (\d+)"), ("fail", r"^[#ℹ]\s*fail (\d+)"), ("skip", r"^[#ℹ]\s*skipped (\d+)")):
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
