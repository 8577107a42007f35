"""An in-memory image of the storage root: names -> logical inodes, inode -> bytes. A crash state is
built by applying a subset of a recording's operations, in recording order, to the baseline; then
it is written out as a real folder for the server to recover.
"""
import hashlib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Op:
    """One durable effect of an event. A rename is one op, atomic as on every file system (ALICE
    assumes the same): it reaches the disk whole or not at all, and is made durable by fsyncs of
    every directory it changes (both, when it moves a file between directories).
    """
    index: int         # the event's index in the recording
    kind: str          # create, trunc, write, add_name (link), rename, drop_name (unlink), mkdir, rmdir
    flush_keys: tuple  # ("ino", n): made durable by fsync of inode n; ("dir", path): by fsync of that dir
    ino: int = 0
    path: str = ""     # the name created, linked or removed; a rename's source
    dest: str = ""     # a rename's destination
    offset: int = 0
    data: bytes = b""
    replaces: bool = False  # a rename or link over an existing name (ext4's auto_da_alloc cares)

    @property
    def is_data(self) -> bool:
        return self.flush_keys[0][0] == "ino"


def parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


class Image:
    def __init__(self, recording):
        self.names: dict[str, int] = {p: v[0] for p, v in recording.baseline_files.items()}
        self.data: dict[int, bytearray] = {v[0]: bytearray(v[1]) for v in recording.baseline_files.values()}
        self.mtime: dict[int, float] = {v[0]: v[2] for v in recording.baseline_files.values()}
        self.dirs: set[str] = set(recording.baseline_dirs) | {""}
        self.start_time = recording.start_time

    def apply(self, op: Op) -> None:
        if op.kind == "create":
            self.names[op.path] = op.ino
            self._touch(op)
        elif op.kind == "trunc":
            buf = self._buf(op)
            del buf[op.offset:]
            buf.extend(b"\0" * (op.offset - len(buf)))
            self._touch(op)
        elif op.kind == "write":
            buf = self._buf(op)
            if len(buf) < op.offset:
                buf.extend(b"\0" * (op.offset - len(buf)))
            buf[op.offset:op.offset + len(op.data)] = op.data
            self._touch(op)
        elif op.kind == "add_name":
            self.names[op.path] = op.ino
            self.data.setdefault(op.ino, bytearray())
        elif op.kind == "rename":
            self.names[op.dest] = op.ino
            self.data.setdefault(op.ino, bytearray())
            if self.names.get(op.path) == op.ino:
                del self.names[op.path]
        elif op.kind == "drop_name":
            if self.names.get(op.path) == op.ino:
                del self.names[op.path]
        elif op.kind == "mkdir":
            self.dirs.add(op.path)
        elif op.kind == "rmdir":
            self.dirs.discard(op.path)

    def _buf(self, op: Op) -> bytearray:
        return self.data.setdefault(op.ino, bytearray())

    def _touch(self, op: Op) -> None:
        self.data.setdefault(op.ino, bytearray())
        # Later operations get later file times, in recording order (what recovery compares).
        self.mtime[op.ino] = self.start_time + op.index * 0.001

    def visible(self) -> dict[str, tuple[bytes, float]]:
        """The files a reader would find: names whose every ancestor directory exists."""
        out = {}
        for path, ino in self.names.items():
            d = parent(path)
            ok = True
            while d:
                if d not in self.dirs:
                    ok = False
                    break
                d = parent(d)
            if ok and "" in self.dirs:
                out[path] = (bytes(self.data.get(ino, b"")), self.mtime.get(ino, self.start_time))
        return out

    def digest(self) -> str:
        h = hashlib.sha256()
        for d in sorted(self.dirs):
            h.update(b"D" + d.encode() + b"\0")
        for path, (content, mtime) in sorted(self.visible().items()):
            # Times are part of a state: recovery prefers the newer of a document and its temp.
            h.update(b"F" + path.encode() + b"\0" + hashlib.sha256(content).digest() + repr(mtime).encode())
        return h.hexdigest()

    def write_to(self, folder: str) -> None:
        for d in sorted(self.dirs, key=len):
            os.makedirs(os.path.join(folder, d), exist_ok=True)
        for path, (content, mtime) in self.visible().items():
            full = os.path.join(folder, path)
            with open(full, "wb") as f:
                f.write(content)
            os.utime(full, (mtime, mtime))
