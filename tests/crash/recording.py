"""A recording: the file-system mutations one server run made under its storage root (written by
recorder.h) interleaved with the workload driver's own lines (written by workload.py), parsed into
a list of events in the order they happened.

Driver lines:
  B <ino> <path> <mtime> <hex>  a file already on disk before the run (the durable starting state)
  P <path>                    a directory already on disk before the run
  V <id> <n> <hex>            version n of session <id> (the bytes a client sends); issued in order
  Q <id>                      the client sends a delete of <id>
  A save <id> <n>             the server acknowledged the save of version n (2xx received)
  A delete <id>               the server acknowledged the delete (204 received)
  O <root>                    the recorded storage root (paths are rewritten below it)
  T0 <epoch seconds>          when the run started (file times in crash states derive from it)
Recorder lines: see recorder.h.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Event:
    """One mutation, flush or acknowledgement. `ino` is the logical inode (see Recording.parse)."""
    kind: str            # create, trunc, write, fsync, dirsync, rename, link, unlink, mkdir, rmdir, ack
    index: int           # position in the recording
    ino: int = 0
    path: str = ""       # relative to the root ("" is the root itself)
    dest: str = ""       # rename/link destination
    offset: int = 0      # write offset / truncate length
    data: bytes = b""
    ack: tuple = ()      # ("save", id, n) or ("delete", id)


@dataclass
class Recording:
    root: str = ""
    start_time: float = 0.0
    baseline_files: dict = field(default_factory=dict)    # path -> (logical ino, bytes, mtime)
    baseline_dirs: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)          # id -> [bytes, ...] in issue order
    issued_at: dict = field(default_factory=dict)         # id -> [events recorded before each version was sent]
    deletes_at: dict = field(default_factory=dict)        # id -> [events recorded before each delete was sent]
    events: list = field(default_factory=list)

    @staticmethod
    def parse(text: str) -> "Recording":
        rec = Recording()
        # The recorder names inodes by st_ino, which the file system reuses after an unlink; a
        # create starts a new logical inode, so a reused number never merges two files.
        logical: dict[int, int] = {}
        next_ino = [1]

        def ino_for(real: str, create: bool = False) -> int:
            real_ino = int(real)
            if create or real_ino not in logical:
                logical[real_ino] = next_ino[0]
                next_ino[0] += 1
            return logical[real_ino]

        def rel(path: str) -> str:
            if path == rec.root:
                return ""
            if not path.startswith(rec.root + "/"):
                raise ValueError(f"path outside the recorded root: {path}")
            return path[len(rec.root) + 1:]

        events = rec.events
        for number, line in enumerate(text.splitlines(), 1):
            if not line:
                continue
            parts = line.split(" ")
            tag = parts[0]
            try:
                if tag == "O":
                    rec.root = parts[1]
                elif tag == "T0":
                    rec.start_time = float(parts[1])
                elif tag == "B":
                    rec.baseline_files[rel(parts[2])] = (ino_for(parts[1], create=True), bytes.fromhex(parts[4]) if len(parts) > 4 else b"", float(parts[3]))
                elif tag == "P":
                    rec.baseline_dirs.append(rel(parts[1]))
                elif tag == "V":
                    rec.versions.setdefault(parts[1], []).append(bytes.fromhex(parts[3]))
                    rec.issued_at.setdefault(parts[1], []).append(len(events))
                    assert len(rec.versions[parts[1]]) == int(parts[2]) + 1, "versions out of order"
                elif tag == "Q":
                    rec.deletes_at.setdefault(parts[1], []).append(len(events))
                elif tag == "A":
                    ack = ("save", parts[2], int(parts[3])) if parts[1] == "save" else ("delete", parts[2])
                    events.append(Event("ack", len(events), ack=ack))
                elif tag == "C":
                    events.append(Event("create", len(events), ino=ino_for(parts[1], create=True), path=rel(parts[2])))
                elif tag == "T":
                    events.append(Event("trunc", len(events), ino=ino_for(parts[1]), offset=int(parts[2])))
                elif tag == "W":
                    events.append(Event("write", len(events), ino=ino_for(parts[1]), offset=int(parts[2]),
                                        data=bytes.fromhex(parts[3]) if len(parts) > 3 else b""))
                elif tag == "S":
                    events.append(Event("fsync", len(events), ino=ino_for(parts[1])))
                elif tag == "D":
                    events.append(Event("dirsync", len(events), path=rel(parts[1])))
                elif tag in ("R", "L"):
                    events.append(Event("rename" if tag == "R" else "link", len(events), ino=ino_for(parts[1]),
                                        path=rel(parts[2]), dest=rel(parts[3])))
                elif tag == "U":
                    events.append(Event("unlink", len(events), ino=ino_for(parts[1]), path=rel(parts[2])))
                elif tag == "M":
                    events.append(Event("mkdir", len(events), path=rel(parts[1])))
                elif tag == "X":
                    events.append(Event("rmdir", len(events), path=rel(parts[1])))
                else:
                    raise ValueError(f"unknown tag {tag!r}")
            except (IndexError, ValueError, AssertionError) as e:
                raise ValueError(f"recording line {number}: {e}: {line[:120]}") from e
        return rec
