"""Records one workload: lays out its starting folder, starts the real server with the recorder
(and the fault shim, for a symptom) preloaded, runs the client steps, and appends the driver's
lines (baseline, versions, acknowledgements) to the same log the recorder writes. Returns the log.
"""
import os
import threading
import time

from server import Server


def _hex_line(*parts) -> bytes:
    return (" ".join(str(p) for p in parts) + "\n").encode()


def record(workload, exe: str, work: str, recorder: str, faultshim: str) -> str:
    root = os.path.join(work, "root")
    log_path = os.path.join(work, "recording.log")
    os.makedirs(root)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def line(*parts):
        # One write per line on an O_APPEND fd, like the recorder's: the order of lines is the order of events.
        os.write(log, _hex_line(*parts))

    now = time.time()
    line("O", os.path.realpath(root))
    line("P", os.path.realpath(root))
    for name, content, age in workload.stranded:
        path = os.path.join(root, name)
        with open(path, "wb") as f:
            f.write(content)
        os.utime(path, (now - age, now - age))
        line("B", os.stat(path).st_ino, os.path.realpath(path), now - age, content.hex())
    line("T0", now)

    # What the client already has on disk counts as acknowledged before the first event.
    for session, versions in workload.expected.items():
        for n, content in enumerate(versions):
            line("V", session, n, content.hex())
        line("A", "save", session, len(versions) - 1)

    env = {"CRASHREC_ROOT": os.path.realpath(root), "CRASHREC_LOG": log_path,
           "LD_PRELOAD": " ".join(p for p in (recorder, faultshim if workload.faults else "") if p)}
    for variable in workload.faults:
        env[variable] = os.path.realpath(root)
    server = Server(exe, root, env, os.path.join(work, "recording.stderr"))
    counts = {}

    def run(step, connection=None):
        session = step[1]
        if step[0] == "save":
            n = counts.get(session, 0)
            counts[session] = n + 1
            line("V", session, n, step[2].hex())
            status, _ = server.request("PUT", f"/sessions/{session}", step[2], connection)
            if status in (200, 201):
                line("A", "save", session, n)
        else:
            line("Q", session)
            status, _ = server.request("DELETE", f"/sessions/{session}", None, connection)
            if status == 204:
                line("A", "delete", session)

    try:
        for step in workload.steps:
            if step[0] != "together":
                run(step)
                continue
            # Several clients at once, each on its own connection (distinct sessions: numbering
            # versions from two threads of one session would need a lock the server does not see).
            threads = [threading.Thread(target=run, args=(inner, server.new_connection())) for inner in step[1]]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        server.stop()
        os.close(log)
    return log_path
