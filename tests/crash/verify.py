"""Checks one crash state: the real server starts on the materialized folder, recovers, and must
answer within the contract:
  - a session whose save was acknowledged before the crash point is served as that version or a
    later one the client sent, byte for byte (never torn, never missing);
  - a session whose delete was acknowledged stays deleted, unless the client saved it again after
    the delete (then that later version may be there);
  - every session served is byte for byte a version the client sent (no temp or torn file served);
  - recovery leaves no temp file in the root, and never quarantines a document that held a
    complete version;
  - nothing that was on disk before the run is deleted silently: the bytes of every file of the
    starting folder are still served, in the root, or in quarantine.
Returns the list of findings (empty: the state is fine).
"""
import json
import os

from server import Server, ServerError


def expectations(recording, crash_point: int) -> dict:
    """id -> (what was acknowledged last, the versions that may be served; None = may be absent)."""
    last, ack_index = {}, {}
    for e in recording.events[:crash_point]:
        if e.kind == "ack":
            last[e.ack[1]] = e.ack
            ack_index[e.ack[1]] = e.index
    result = {}
    for session, versions in recording.versions.items():
        ack = last.get(session)
        # A request sent when `at` events were recorded can only show from event `at` on.
        sent = [v for v, at in zip(versions, recording.issued_at[session]) if at < crash_point]
        if ack is None:
            allowed = [None] + sent
        elif ack[0] == "save":
            # That version or a later one; absent only if a delete was sent after the acknowledgement.
            deleting = any(ack_index[session] < at < crash_point for at in recording.deletes_at.get(session, []))
            allowed = versions[ack[2]:len(sent)] + ([None] if deleting else [])
        else:
            # After an acknowledged delete only a version sent after it may come back.
            allowed = [None] + [v for v, at in zip(versions, recording.issued_at[session]) if ack_index[session] < at < crash_point]
        result[session] = (ack, allowed)
    return result


def check_state(state, recording, exe: str, folder: str, env: dict, known_docs: set) -> list:
    findings = []
    served_all = {}
    expected = expectations(recording, state.crash_point)
    try:
        server = Server(exe, folder, env, folder + ".stderr")
    except ServerError as e:
        return [f"the server did not start: {e}"]
    try:
        status, body = server.request("GET", "/sessions")
        listed = {item["id"] for item in json.loads(body)["items"]} if status == 200 else set()
        if status != 200:
            findings.append(f"GET /sessions answered {status}")
        for session in sorted(set(expected) | listed):
            status, content = server.request("GET", f"/sessions/{session}")
            served = content if status == 200 else None
            if served is not None:
                served_all[session] = served
            if status not in (200, 404):
                findings.append(f"GET /sessions/{session} answered {status}")
            if served is not None and served not in known_docs:
                findings.append(f"{session}: serves {len(served)} bytes that are no version the client sent (torn or a temp)")
                continue
            ack, allowed = expected.get(session, (None, [None]))
            if served not in allowed:
                findings.append(f"{session}: {_describe(recording, session, served)} served, but {_describe_ack(ack)} "
                                f"was acknowledged before the crash point")
    finally:
        server.kill()
    findings += _leftovers(folder, known_docs)
    findings += _baseline_lost(folder, recording, served_all)
    return findings


def _baseline_lost(folder: str, recording, served: dict) -> list:
    kept = set(served.values())
    for where in (folder, os.path.join(folder, ".quarantine")):
        if os.path.isdir(where):
            for name in os.listdir(where):
                path = os.path.join(where, name)
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        kept.add(f.read())
    findings = []
    for path, (_, content, _) in sorted(recording.baseline_files.items()):
        if content in kept or _superseded(recording, content, served):
            continue
        findings.append(f"the bytes of {path} ({len(content)} bytes, on disk before the run) are gone: neither served nor kept")
    return findings


def _superseded(recording, content: bytes, served: dict) -> bool:
    """An older version replaced by a newer one of the same session (a promotion) is not a loss."""
    for session, versions in recording.versions.items():
        if content in versions and served.get(session) in versions:
            if versions.index(served[session]) > versions.index(content):
                return True
    return False


def _describe(recording, session: str, content) -> str:
    if content is None:
        return "nothing"
    versions = recording.versions.get(session, [])
    return f"version {versions.index(content)}" if content in versions else "an unknown document"


def _describe_ack(ack) -> str:
    return "its delete" if ack[0] == "delete" else f"version {ack[2]}"


def _leftovers(folder: str, known_docs: set) -> list:
    findings = []
    for name in os.listdir(folder):
        if name.endswith(".tmp") and not name.startswith("."):
            findings.append(f"recovery left the temp {name} in the root")
    manifest = os.path.join(folder, ".quarantine", "manifest.jsonl")
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as f:
            for raw in f:
                try:
                    entry = json.loads(raw)
                except ValueError:
                    continue
                original = entry.get("originalName", "")
                path = os.path.join(folder, ".quarantine", entry.get("name", ""))
                if original.endswith(".json") and os.path.exists(path):
                    with open(path, "rb") as q:
                        if q.read() in known_docs:
                            findings.append(f"a good document was quarantined: {original} ({entry.get('reason')})")
    return findings
