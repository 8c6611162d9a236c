"""Where a pipeline keeps its place in the label feed: the sequence number of the last label it processed."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol, Union

_SEQ = re.compile(r"[0-9]{1,18}\Z")


def check_seq(value: Union[str, int], what: str = "after") -> str:
    """A label sequence number as the API takes it (a non-negative integer of at most 18 digits), as text."""
    text = str(value)
    if isinstance(value, bool) or not _SEQ.match(text):
        raise ValueError(f"{what} must be a label sequence number (a non-negative integer), got {value!r}")
    return text


class Cursor(Protocol):
    """Anything that loads and saves a position in the label feed (``"0"``: before the first label)."""

    def load(self) -> str:
        """The sequence number of the last label processed, ``"0"`` when none has been."""
        ...

    def save(self, seq: str) -> None:
        """Records that every label up to ``seq`` has been processed."""
        ...


class FileCursor:
    """A cursor kept in a file of its own: one line, the sequence number of the last label processed.

    Saving writes a new file beside it, flushes it to disk and renames it over the old one, so the
    file always holds one whole value, the old or the new, whenever the process is stopped.
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"]) -> None:
        self.path = Path(path)

    def load(self) -> str:
        """The saved sequence number; ``"0"`` when the file does not exist yet."""
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return "0"
        if not _SEQ.match(text):
            raise ValueError(f"{self.path} does not hold a label sequence number (found {text[:40]!r}): fix or remove it")
        return text

    def save(self, seq: str) -> None:
        """Replaces the saved sequence number with ``seq``, atomically and durably."""
        seq = check_seq(seq, "a cursor's value")
        directory = self.path.parent
        fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(seq + "\n")
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
            raise
        _fsync_directory(directory)

    def __repr__(self) -> str:
        return f"FileCursor({str(self.path)!r})"


class MemoryCursor:
    """A cursor held in memory (for tests, or a pipeline that stores its place elsewhere itself)."""

    def __init__(self, seq: Union[str, int] = "0") -> None:
        self.seq = check_seq(seq, "a cursor's value")

    def load(self) -> str:
        return self.seq

    def save(self, seq: str) -> None:
        self.seq = check_seq(seq, "a cursor's value")

    def __repr__(self) -> str:
        return f"MemoryCursor({self.seq!r})"


def _fsync_directory(directory: Path) -> None:
    """Makes a rename in ``directory`` durable, where the system allows opening a directory (not on Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
