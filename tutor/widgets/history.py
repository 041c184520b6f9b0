"""Shell-style command history: up/down walk it, the line being typed is kept as a draft.

Pure Python so the walk rules (skip duplicates of the last entry, keep the draft) are unit-tested
without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable


class History:
    """Commands of one lesson, oldest first, with a cursor used while browsing."""

    def __init__(self, entries: Iterable[str] = (), limit: int = 1000) -> None:
        self._limit = limit
        self.entries: list[str] = []
        for entry in entries:
            self.add(entry)
        self._pos = len(self.entries)
        self._draft = ""

    def add(self, command: str) -> None:
        """Record a submitted command (blank lines and a repeat of the last one are not stored)."""
        command = command.rstrip("\n")
        if command.strip() and (not self.entries or self.entries[-1] != command):
            self.entries.append(command)
            del self.entries[: -self._limit]
        self._pos = len(self.entries)
        self._draft = ""

    def previous(self, current: str) -> str | None:
        """The entry before the cursor, or None at the oldest; the typed line is saved as the draft."""
        if self._pos == len(self.entries):
            self._draft = current
        if self._pos == 0:
            return None
        self._pos -= 1
        return self.entries[self._pos]

    def next(self) -> str | None:
        """The entry after the cursor; past the newest, the draft comes back; None if not browsing."""
        if self._pos >= len(self.entries):
            return None
        self._pos += 1
        if self._pos == len(self.entries):
            return self._draft
        return self.entries[self._pos]

    def reset_cursor(self) -> None:
        self._pos = len(self.entries)
        self._draft = ""
