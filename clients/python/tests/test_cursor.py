"""Cursors: a position in the label feed kept across runs."""

from __future__ import annotations

import os
import tempfile
import unittest
from pathlib import Path

import helpers  # noqa: F401  (puts the package on the path)

from tribunal_client import FileCursor, MemoryCursor


class FileCursorTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "labels.cursor"

    def tearDown(self) -> None:
        self.dir.cleanup()

    def test_starts_before_the_first_label(self) -> None:
        self.assertEqual(FileCursor(self.path).load(), "0")
        self.assertFalse(self.path.exists())

    def test_keeps_the_last_value_saved_for_the_next_process(self) -> None:
        FileCursor(self.path).save("41")
        FileCursor(self.path).save("1234567890123")
        self.assertEqual(FileCursor(str(self.path)).load(), "1234567890123")
        self.assertEqual(self.path.read_text(), "1234567890123\n")
        # Written beside and renamed over: no temporary file is left behind.
        self.assertEqual(os.listdir(self.dir.name), ["labels.cursor"])

    def test_refuses_a_value_that_is_no_sequence_number(self) -> None:
        cursor = FileCursor(self.path)
        cursor.save("5")
        for value in ["-1", "abc", "", "1.5", "1" * 19]:
            with self.subTest(value=value):
                with self.assertRaisesRegex(ValueError, "sequence number"):
                    cursor.save(value)
        self.assertEqual(cursor.load(), "5")

    def test_names_the_file_when_it_holds_something_else(self) -> None:
        self.path.write_text("not a number\n")
        with self.assertRaises(ValueError) as raised:
            FileCursor(self.path).load()
        self.assertIn(str(self.path), str(raised.exception))

    def test_a_failed_save_leaves_the_old_value(self) -> None:
        cursor = FileCursor(self.path)
        cursor.save("7")
        os.chmod(self.dir.name, 0o500)  # no new file can be written beside it
        try:
            if os.access(self.dir.name, os.W_OK):
                # root writes anyway: make the rename fail instead, by putting a directory in the way
                os.chmod(self.dir.name, 0o700)
                blocked = FileCursor(Path(self.dir.name) / "in-the-way")
                (Path(self.dir.name) / "in-the-way").mkdir()
                with self.assertRaises(OSError):
                    blocked.save("8")
                self.assertEqual(sorted(os.listdir(self.dir.name)), ["in-the-way", "labels.cursor"])
            else:
                with self.assertRaises(OSError):
                    cursor.save("8")
        finally:
            os.chmod(self.dir.name, 0o700)
        self.assertEqual(cursor.load(), "7")


class MemoryCursorTest(unittest.TestCase):
    def test_holds_its_value(self) -> None:
        cursor = MemoryCursor()
        self.assertEqual(cursor.load(), "0")
        cursor.save("12")
        self.assertEqual(cursor.load(), "12")
        self.assertEqual(MemoryCursor(30).load(), "30")
        with self.assertRaises(ValueError):
            cursor.save("x")


if __name__ == "__main__":
    unittest.main()
