#!/usr/bin/env python3
"""Tests of the checker itself, on small hand-written recordings (no server): the crash models
produce the states they promise and no others, and the expectations follow the acknowledgements.
Ends with "N passed, N failed" (scripts/count-results.py).
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from crash_models import crash_states  # noqa: E402
from recording import Recording  # noqa: E402
from verify import expectations  # noqa: E402

V0 = b'{"v":0}'
V1 = b'{"v":1,"longer":true}'


def recording(*lines: str) -> Recording:
    """A recording of the given lines; versions 0 and 1 of session a are sent before them."""
    head = ["O /r", "P /r", "T0 1000", f"V a 0 {V0.hex()}", f"V a 1 {V1.hex()}"]
    return Recording.parse("\n".join(head + list(lines)) + "\n")


# Save v0 by rename (acknowledged), then v1 by the verified copy: temp written and fsynced, the
# document truncated and that truncation fsynced, the copy, the temp removed, the directory flushed.
FIRST_SAVE = ["C 1 /r/a.json.x.tmp", f"W 1 0 {V0.hex()}", "S 1", "R 1 /r/a.json.x.tmp /r/a.json", "D /r", "A save a 0"]
COPY = ["T 1 0", "S 1", f"W 1 0 {V1.hex()}", "S 1", "U 2 /r/a.json.y.tmp", "D /r", "A save a 1"]
STAGE = ["C 2 /r/a.json.y.tmp", f"W 2 0 {V1.hex()}", "S 2"]


def files(state) -> dict:
    return {path: content for path, (content, _) in state.image.visible().items()}


def lost_save(states) -> list:
    """States where a.json is empty and no temp holds a complete version."""
    return [s for s in states if files(s).get("a.json") == b"" and V1 not in files(s).values() and V0 not in files(s).values()]


class CrashModelTests(unittest.TestCase):
    def test_strict_model_finds_the_unflushed_temp_name_before_a_flushed_truncation(self):
        states, _ = crash_states(recording(*FIRST_SAVE, *STAGE, *COPY), "strict")
        self.assertTrue(lost_save(states), "the strict model must contain the state: document empty, temp name lost")

    def test_ext4_ordered_commits_the_temp_name_with_any_fsync(self):
        states, _ = crash_states(recording(*FIRST_SAVE, *STAGE, *COPY), "ext4-ordered")
        self.assertEqual([], lost_save(states))

    def test_a_directory_flush_before_the_truncation_closes_the_window(self):
        states, _ = crash_states(recording(*FIRST_SAVE, *STAGE, "D /r", *COPY), "strict")
        self.assertEqual([], lost_save(states))

    def test_unflushed_rename_may_be_lost_but_flushed_one_may_not(self):
        no_dir_flush = [line for line in FIRST_SAVE if line != "D /r"]
        states, _ = crash_states(recording(*no_dir_flush), "strict")
        at_end = [s for s in states if s.crash_point == len(no_dir_flush)]
        self.assertIn(None, [files(s).get("a.json") for s in at_end])
        states, _ = crash_states(recording(*FIRST_SAVE), "strict")
        at_end = [s for s in states if s.crash_point == len(FIRST_SAVE)]
        self.assertEqual([V0], [files(s).get("a.json") for s in at_end])

    def test_prefixes_follow_issue_order(self):
        # Unflushed: create, write. A prefix may hold the create alone, never the write alone.
        states, pairs = crash_states(recording("C 1 /r/b.json", f"W 1 0 {V0.hex()}"), "strict")
        contents = sorted(files(s).get("b.json", b"-") for s in states)
        self.assertEqual(sorted([b"-", b"", V0]), contents)
        self.assertEqual(1 + 2 + 3, pairs)  # crash points 0, 1, 2 with 1, 2, 3 prefixes

    def test_a_fsync_makes_data_durable_but_not_the_name(self):
        states, _ = crash_states(recording("C 1 /r/b.json", f"W 1 0 {V0.hex()}", "S 1"), "strict")
        at_end = [files(s).get("b.json") for s in states if s.crash_point == 3]
        self.assertIn(None, at_end)
        self.assertNotIn(b"", at_end, "after the fsync the name, if there, holds the data")

    def test_a_rename_between_directories_is_atomic_and_needs_both_flushed(self):
        # Moving a file into a subfolder, with only the source directory flushed after it (another
        # thread's fsync): the file is at one place or the other in every state, never lost.
        rec = Recording.parse("\n".join(["O /r", "P /r", f"B 7 /r/c.tmp 900 {V0.hex()}", "T0 1000",
                                          "M /r/q", "R 7 /r/c.tmp /r/q/c", "D /r"]) + "\n")
        states, _ = crash_states(rec, "strict")
        for state in states:
            self.assertIn(V0, files(state).values(), f"lost at crash point {state.crash_point}")
        at_end = [files(s) for s in states if s.crash_point == 3]
        self.assertIn({"c.tmp": V0}, at_end, "without the subfolder's fsync the move may be undone")

    def test_unknown_lines_are_refused(self):
        with self.assertRaises(ValueError):
            recording("Z what")


class ExpectationTests(unittest.TestCase):
    def test_an_acknowledged_save_must_be_there_and_a_delete_must_stay(self):
        rec = Recording.parse("\n".join(["O /r", "P /r", "T0 1000", f"V a 0 {V0.hex()}", *FIRST_SAVE,
                                          "Q a", "U 1 /r/a.json", "D /r", "A delete a", f"V a 1 {V1.hex()}"]) + "\n")
        self.assertEqual({None, V0}, set(expectations(rec, len(FIRST_SAVE) - 1)["a"][1]), "not yet acknowledged")
        self.assertEqual([V0], expectations(rec, len(FIRST_SAVE))["a"][1], "acknowledged: only that version")
        self.assertEqual({None, V0}, set(expectations(rec, len(FIRST_SAVE) + 1)["a"][1]), "a delete is under way")
        self.assertEqual([None], expectations(rec, len(rec.events))["a"][1], "the delete was acknowledged")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
