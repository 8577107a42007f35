#!/usr/bin/env python3
"""Prints the names of the tests a lane's log reports as failed, one per line, at most LIMIT.

The summary at the end of scripts/test.sh lists them under each failed lane, because the end of
the output is often all a CI page keeps. Understands: dotnet test ("  Failed Name [12 ms]"),
node --test's spec reporter ("✖ name"), our TAP-like suites ("not ok - name") and the crash
lane ("FAIL name: ...").
A lane that runs its tests more than once (the client lane: on Node 20, then on Node 22) starts
each run with a line "---- LABEL ----"; a test failing after it is listed as "LABEL: name", once
per run it failed in.
"""
import re
import sys

LIMIT = 20
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
text = re.sub(r"\x1b\[[0-9;]*m", "", text)
patterns = (
    r"^\s*Failed (\S+) \[",
    r"^\s*✖ (.+?)(?: \([\d.]+m?s\))?\s*$",
    r"^not ok\b(?:\s+\d+)?\s*-?\s*(.+)$",
    r"^FAIL (.+)$",
)
names = []
run = ""
for line in text.splitlines():
    m = re.match(r"^---- (.+) ----$", line)
    if m:
        run = m.group(1) + ": "
        continue
    for pattern in patterns:
        m = re.match(pattern, line)
        if m and m.group(1) != "failing tests:" and run + m.group(1) not in names:
            names.append(run + m.group(1))
for name in names[:LIMIT]:
    print(name)
if len(names) > LIMIT:
    print(f"... and {len(names) - LIMIT} more (see the lane's log)")
