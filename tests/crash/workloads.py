"""The workloads the checker records. Each is data: a starting folder, the client's steps, and the
fault-shim switches that give the root an MSIX symptom. Adding a symptom is adding an entry.

A step is ("save", id, bytes), ("delete", id), or ("together", [steps]): steps of distinct sessions
sent at once by separate clients. Versions are numbered per id in step order.
"""
import json
from dataclasses import dataclass, field


def document(session: str, version: int, size: int = 0) -> bytes:
    """Version `version` of session `session`: a JSON object, about `size` bytes when given."""
    body = {"id": session, "version": version, "messages": [{"role": "user", "text": f"{session} says {version}"}]}
    if size:
        body["padding"] = "x" * size
    return json.dumps(body, separators=(",", ":")).encode()


LARGE = 300_000  # several write calls, so torn states exist in the middle of one document

CRUD_STEPS = [
    ("save", "a", document("a", 0)),
    ("save", "b", document("b", 0)),
    ("save", "a", document("a", 1)),
    ("save", "c", document("c", 0, LARGE)),
    ("delete", "b"),
    ("save", "a", document("a", 2)),
    ("save", "c", document("c", 1, LARGE)),
    ("save", "b", document("b", 1)),
]

# Two clients at once: the saves' flushes interleave (one save's directory fsync may make another's
# rename durable early, never late), and a delete runs beside a replace.
CONCURRENT_STEPS = [
    ("together", [("save", "a", document("a", 0)), ("save", "b", document("b", 0, LARGE))]),
    ("together", [("save", "a", document("a", 1)), ("save", "c", document("c", 0))]),
    ("together", [("delete", "a"), ("save", "b", document("b", 1, LARGE)), ("save", "c", document("c", 1))]),
]

# A folder as earlier writers left it (the MSIX bug strands temps that hold the only good copies):
# (file name, bytes, age in seconds), plus which version each session's recovery must bring back.
STRANDED = [
    ("a.json.tmp", document("a", 0), 300),
    ("b.json", document("b", 0), 400),
    ("b.json.0123456789ab.tmp", document("b", 1), 200),
    ("c.json.tmp", document("c", 0)[:20], 100),
    ("d.json", b"", 500),
    ("d.json.tmp", document("d", 0, LARGE), 250),
]
STRANDED_EXPECTED = {"a": [document("a", 0)], "b": [document("b", 0), document("b", 1)], "d": [document("d", 0, LARGE)]}


@dataclass(frozen=True)
class Workload:
    name: str
    summary: str
    steps: list = field(default_factory=list)
    stranded: list = field(default_factory=list)   # the starting folder
    expected: dict = field(default_factory=dict)   # id -> versions it holds before the run (acknowledged)
    faults: tuple = ()                             # fault-shim variables pointed at the root


WORKLOADS = [
    Workload("rename-crud", "create, replace, delete; renames work", steps=CRUD_STEPS),
    Workload("exdev-crud", "create, replace, delete; renames refused (EXDEV): the verified copy",
             steps=CRUD_STEPS, faults=("FAULTSHIM_EXDEV_DIR",)),
    Workload("rename-concurrent", "saves and a delete of different sessions at once; renames work",
             steps=CONCURRENT_STEPS),
    Workload("exdev-concurrent", "saves and a delete of different sessions at once; renames refused",
             steps=CONCURRENT_STEPS, faults=("FAULTSHIM_EXDEV_DIR",)),
    Workload("eexist-crud", "create, replace, delete; exclusive temp creates refused with a false EEXIST",
             steps=CRUD_STEPS, faults=("FAULTSHIM_EEXIST_DIR",)),
    Workload("enoent-crud", "create, replace, delete; renames of present temps refused with ENOENT",
             steps=CRUD_STEPS, faults=("FAULTSHIM_ENOENT_DIR",)),
    Workload("rename-recovery", "startup recovery of stranded temps, interrupted; renames work",
             stranded=STRANDED, expected=STRANDED_EXPECTED),
    Workload("exdev-recovery", "startup recovery of stranded temps, interrupted; renames refused",
             stranded=STRANDED, expected=STRANDED_EXPECTED, faults=("FAULTSHIM_EXDEV_DIR",)),
]


def by_name(name: str) -> Workload:
    for w in WORKLOADS:
        if w.name == name:
            return w
    raise KeyError(f"no workload {name!r}; known: {', '.join(w.name for w in WORKLOADS)}")
