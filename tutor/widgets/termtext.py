"""Pure text helpers for the terminal widget: output line assembly, clear markers, tab completion.

Kept free of Textual so the rules a real terminal follows (partial lines, ``clear``'s escape
sequence, bash's completion of a common prefix) are tested on their own.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

# What `clear` (ncurses) and `ctrl+l` emit: home + erase display, optionally erase scrollback, or RIS.
CLEAR_RE = re.compile(r"\x1b\[H\x1b\[2J(?:\x1b\[3J)?|\x1b\[2J|\x1b\[3J|\x1bc")
# Other escape sequences are not rendered (the lab's tools do not colour their output).
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class LineAssembler:
    """Turns streamed chunks into whole lines per stream; a clear marker drops what came before it."""

    def __init__(self) -> None:
        self._partial: dict[str, str] = {}

    def feed(self, stream: str, chunk: str) -> list[tuple[str, str | None]]:
        """Events for one chunk: ``("line", text)`` for each completed line, ``("clear", None)``."""
        events: list[tuple[str, str | None]] = []
        pieces = CLEAR_RE.split(chunk)
        for index, piece in enumerate(pieces):
            if index:
                self._partial.clear()
                events.append(("clear", None))
            text = self._partial.pop(stream, "") + ANSI_RE.sub("", piece).replace("\r\n", "\n")
            *lines, rest = text.split("\n")
            events.extend(("line", line) for line in lines)
            if rest:
                self._partial[stream] = rest
        return events

    def flush(self, stream: str) -> str | None:
        """The unterminated last line of ``stream`` (printed when the command ends), if any."""
        return self._partial.pop(stream, None)


@dataclass
class Completion:
    """What a tab press does: a new line and cursor, and candidates to list when ambiguous."""

    value: str
    cursor: int
    listing: list[str]


def current_word(text: str, cursor: int) -> tuple[int, str]:
    """Start index and text of the word that ends at the cursor (split on unquoted blanks)."""
    start = cursor
    while start > 0 and text[start - 1] not in " \t|;&<>(":
        start -= 1
    return start, text[start:cursor]


def complete(text: str, cursor: int, candidates: list[str]) -> Completion:
    """Bash's rule: one candidate is inserted (plus a space unless it names a directory); several
    are reduced to their common prefix, and listed when that does not extend the word."""
    start, word = current_word(text, cursor)
    matches = sorted({c for c in candidates if c.startswith(word)})
    if not matches:
        return Completion(text, cursor, [])
    if len(matches) == 1:
        insert = matches[0]
        if not insert.endswith(("/", "=")):
            insert += " "
    else:
        insert = os.path.commonprefix(matches)
        if len(insert) <= len(word):
            return Completion(text, cursor, matches)
    value = text[:start] + insert + text[cursor:]
    return Completion(value, start + len(insert), [])


def columns(words: list[str], width: int) -> list[str]:
    """Lay candidates out in columns, down then across, as bash lists completions."""
    if not words:
        return []
    cell = max(len(w) for w in words) + 2
    per_row = max(1, width // cell)
    rows = -(-len(words) // per_row)
    lines = []
    for r in range(rows):
        row = [words[c * rows + r] for c in range(per_row) if c * rows + r < len(words)]
        lines.append("".join(w.ljust(cell) for w in row).rstrip())
    return lines
