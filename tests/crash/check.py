#!/usr/bin/env python3
"""The crash-state checker: records workloads against the real server, builds every state a power
cut could leave under each crash model, and has the real server recover each one (see README,
"Power-loss crash consistency").

  check.py --exe SERVER --recorder LIB --faultshim LIB [--workload NAME ...] [--model M ...]
           [--max-states N] [--seed S] [--expect-lost-save] [--keep DIR]

Prints one line per (workload, model) with how many states were explored and checked, every
finding with the crash point it needs, and a closing "N passed, N failed" line.
--expect-lost-save inverts the verdict for the planted-bug proof: a (workload, model) passes only
when the checker reports an acknowledged save lost.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from crash_models import MODELS, crash_states, sample  # noqa: E402
from record import record  # noqa: E402
from recording import Recording  # noqa: E402
from verify import check_state  # noqa: E402
from workloads import WORKLOADS, by_name  # noqa: E402


def describe_point(recording, state) -> str:
    if state.crash_point == 0:
        return "before the first event"
    events = recording.events[:state.crash_point]
    e = events[-1]
    names = {}  # logical inode -> its latest name, so a finding names files, not numbers
    for earlier in events:
        if earlier.kind in ("create", "rename", "link"):
            names[earlier.ino] = earlier.dest or earlier.path
    name = names.get(e.ino, f"inode {e.ino}")
    what = {"ack": lambda: f"ack {' '.join(map(str, e.ack))}", "dirsync": lambda: f"fsync dir /{e.path}",
            "fsync": lambda: f"fsync {name}", "write": lambda: f"write {name} @{e.offset}+{len(e.data)}",
            "trunc": lambda: f"truncate {name} to {e.offset}"}.get(e.kind, lambda: f"{e.kind} {e.path} {e.dest}".strip())()
    return f"crash after event {state.crash_point - 1} ({what}), {state.prefix} unflushed ops reached the disk"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exe", required=True)
    parser.add_argument("--recorder", required=True)
    parser.add_argument("--faultshim", required=True)
    parser.add_argument("--workload", action="append", help="default: all")
    parser.add_argument("--model", action="append", choices=MODELS, help="default: both")
    parser.add_argument("--max-states", type=int, default=80, help="per workload and model (sampled above it)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--expect-lost-save", action="store_true")
    parser.add_argument("--keep", help="keep the recordings and failing states here")
    args = parser.parse_args()

    workloads = [by_name(n) for n in args.workload] if args.workload else WORKLOADS
    models = args.model or list(MODELS)
    work = args.keep or tempfile.mkdtemp(prefix="sessionapi-crash.")
    os.makedirs(work, exist_ok=True)
    passed = failed = 0
    explored_total = checked_total = 0
    for workload in workloads:
        started = time.monotonic()
        wdir = os.path.join(work, workload.name)
        shutil.rmtree(wdir, ignore_errors=True)
        os.makedirs(wdir)
        log = record(workload, args.exe, wdir, args.recorder, args.faultshim)
        with open(log, encoding="utf-8") as f:
            recording = Recording.parse(f.read())
        known_docs = {v for versions in recording.versions.values() for v in versions}
        # digest -> (crash point, findings). A state both models produce is checked once: a clean
        # check at a later crash point covers an earlier one (more acknowledgements, a stricter
        # check; a version sent in between cannot be in a state that existed before it). A finding
        # is reused only for the same crash point, so it never lands on a model that cannot reach it.
        results = {}
        for model in models:
            states, pairs = crash_states(recording, model)
            chosen = sample(states, args.max_states, args.seed)
            explored_total += len(states)

            def run(item):
                n, state = item
                known = results.get(state.digest)
                if known and (known[0] == state.crash_point or (known[0] > state.crash_point and not known[1])):
                    return state, known[1], False
                folder = os.path.join(wdir, f"{model}-{n}")
                state.image.write_to(folder)
                env = {"LD_PRELOAD": args.faultshim} if workload.faults else {}
                for variable in workload.faults:
                    env[variable] = folder
                findings = check_state(state, recording, args.exe, folder, env, known_docs)
                results[state.digest] = (state.crash_point, findings)
                if not findings and not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
                    os.remove(folder + ".stderr")
                return state, findings, True

            with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                outcomes = list(pool.map(run, enumerate(chosen)))
            ran = sum(1 for _, _, r in outcomes if r)
            checked_total += ran
            bad = [(s, f) for s, f, _ in outcomes if f]
            lost = [x for s, fs in bad for x in fs if "acknowledged" in x]
            ok = bool(lost) if args.expect_lost_save else not bad
            verdict = "PASS" if ok else "FAIL"
            passed += ok
            failed += not ok
            sampled = f", sampled with seed {args.seed}" if len(chosen) < len(states) else ""
            reused = f" ({len(chosen) - ran} of them a state the model before had, not recovered twice)" if ran < len(chosen) else ""
            print(f"{verdict} {workload.name} [{model}]: {len(recording.events)} events, {pairs} crash states "
                  f"({len(states)} distinct), {len(chosen)} checked{sampled}{reused}; "
                  f"{len(bad)} with findings ({time.monotonic() - started:.1f}s)")
            for state, findings in bad[:5]:
                print(f"    {describe_point(recording, state)}:")
                for finding in findings:
                    print(f"      - {finding}")
            if len(bad) > 5:
                print(f"    ... and {len(bad) - 5} more states with findings")
    print(f"crash states: {explored_total} distinct explored, {checked_total} recovered by the real server")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
