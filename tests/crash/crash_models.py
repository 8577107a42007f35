"""Which disk states a power cut could leave, given a recording. Two models:

strict (the weakest file system POSIX allows, as ALICE reads it):
  a write or truncation of a file is durable once that file was fsynced after it; a directory
  change (create, rename, link, unlink, mkdir) once that directory was fsynced after it (a rename
  is atomic, and between two directories needs both). Of the
  operations not yet durable at the crash point, any prefix in issue order may also have reached
  the disk. A crash state = durable ops + such a prefix, applied in recording order.

ext4-ordered (a stronger, common file system, so a finding can say which model it needs):
  the journal is global and ordered: any fsync (file or directory) also commits every directory
  change and truncation issued before it, so fsyncing a new file makes its name durable too; a
  rename that replaces a file carries the renamed file's data with it (auto_da_alloc); file data
  is otherwise durable only through its own file's fsync. The rest: any prefix in issue order.

Each crash point k (the first k events happened) and prefix length j gives a state; identical
states are kept once, with the largest k (the most acknowledgements, so the strictest check).
"""
import random
from dataclasses import dataclass

from fs_image import Image, Op, parent

MODELS = ("strict", "ext4-ordered")


def ops_of(recording) -> list:
    """The events' durable effects, in order (flushes and acknowledgements are not ops)."""
    ops = []
    names = {p: v[0] for p, v in recording.baseline_files.items()}
    for e in recording.events:
        if e.kind == "create":
            ops.append(Op(e.index, "create", (("dir", parent(e.path)),), ino=e.ino, path=e.path))
            names[e.path] = e.ino
        elif e.kind in ("trunc", "write"):
            ops.append(Op(e.index, e.kind, (("ino", e.ino),), ino=e.ino, offset=e.offset, data=e.data))
        elif e.kind == "rename":
            dirs = tuple(dict.fromkeys([("dir", parent(e.dest)), ("dir", parent(e.path))]))
            ops.append(Op(e.index, "rename", dirs, ino=e.ino, path=e.path, dest=e.dest, replaces=e.dest in names))
            names[e.dest] = e.ino
            names.pop(e.path, None)
        elif e.kind == "link":
            ops.append(Op(e.index, "add_name", (("dir", parent(e.dest)),), ino=e.ino, path=e.dest, replaces=e.dest in names))
            names[e.dest] = e.ino
        elif e.kind == "unlink":
            ops.append(Op(e.index, "drop_name", (("dir", parent(e.path)),), ino=e.ino, path=e.path))
            names.pop(e.path, None)
        elif e.kind in ("mkdir", "rmdir"):
            ops.append(Op(e.index, e.kind, (("dir", parent(e.path)),), path=e.path))
    return ops


def _flushes(f) -> tuple:
    return ("ino", f.ino) if f.kind == "fsync" else ("dir", f.path)


def _durable_at(model: str, ops: list, flushes: list) -> list:
    """For each op, the index of the flush event that makes it durable (inf: none does)."""
    inf = float("inf")
    result = []
    for op in ops:
        later = [f for f in flushes if f.index > op.index]
        if model == "strict":
            # Every file or directory the op changes must have been flushed after it.
            firsts = [next((f.index for f in later if _flushes(f) == key), inf) for key in op.flush_keys]
            result.append(max(firsts))
        elif not op.is_data or op.kind == "trunc":
            result.append(later[0].index if later else inf)  # the global journal: any flush commits it
        else:
            result.append(next((f.index for f in later if _flushes(f) == op.flush_keys[0]), inf))
    return result


@dataclass
class CrashState:
    model: str
    crash_point: int      # events [0, crash_point) happened
    prefix: int           # how many not-yet-durable ops also reached the disk
    image: Image
    digest: str


def crash_states(recording, model: str) -> tuple[list, int]:
    """Every distinct state of `model`, and how many (crash point, prefix) pairs produced them."""
    ops = ops_of(recording)
    flushes = [e for e in recording.events if e.kind in ("fsync", "dirsync")]
    durable = _durable_at(model, ops, flushes)
    by_digest: dict[str, CrashState] = {}
    pairs = 0
    for k in range(len(recording.events) + 1):
        issued = [i for i, op in enumerate(ops) if op.index < k]
        synced = [i for i in issued if durable[i] < k]
        rest = [i for i in issued if durable[i] >= k]
        for j in range(len(rest) + 1):
            chosen = set(synced) | set(rest[:j])
            if model == "ext4-ordered":
                chosen |= _auto_da_alloc(ops, chosen)
            image = Image(recording)
            for i in sorted(chosen):
                image.apply(ops[i])
            digest = image.digest()
            pairs += 1
            known = by_digest.get(digest)
            if known is None or known.crash_point < k:
                by_digest[digest] = CrashState(model, k, j, image, digest)
    return list(by_digest.values()), pairs


def _auto_da_alloc(ops: list, chosen: set) -> set:
    """ext4 flushes a file's data before a rename that replaces another file commits."""
    extra = set()
    for i in chosen:
        op = ops[i]
        if op.kind in ("rename", "add_name") and op.replaces:
            extra |= {m for m, o in enumerate(ops) if o.is_data and o.ino == op.ino and o.index < op.index}
    return extra


def sample(states: list, limit: int, seed: int) -> list:
    """At most `limit` states, chosen with a fixed seed so every run checks the same ones."""
    ordered = sorted(states, key=lambda s: (s.crash_point, s.prefix, s.digest))
    if len(ordered) <= limit:
        return ordered
    return sorted(random.Random(seed).sample(ordered, limit), key=lambda s: (s.crash_point, s.prefix))
