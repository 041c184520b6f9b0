"""Interactive bash's history expansion (``!!``, ``!$``, ``!^``, ``!*``, ``!n``, ``!-n``, ``!prefix``,
``!?text?``): applied to a line before it is parsed, as bash does at its prompt (never in scripts)."""

from __future__ import annotations

import re

_LITERAL_AFTER = set(" \t\n=(\"")
_WORD_END = re.compile(r"[\s;&|()<>\"'`]")


class EventNotFound(Exception):
    """``str(err)`` is the event as typed (bash prints ``bash: !x: event not found``)."""


def _words(line: str) -> list[str]:
    return line.split()


def expand_history(text: str, history: list[str]) -> str:
    """The line with history references replaced; raises EventNotFound."""
    if "!" not in text:
        return text
    out: list[str] = []
    i = 0
    in_single = False
    in_double = False
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and not in_single:
            out.append(text[i:i + 2])
            i += 2
            continue
        if c == "'" and not in_double:
            in_single = not in_single
        elif c == '"':
            in_double = not in_double
        if c != "!" or in_single:
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        prev = text[i - 1] if i else ""
        if not nxt or nxt in _LITERAL_AFTER or prev in ("$", "[") or (prev == "{" and i > 1 and text[i - 2] == "$"):
            out.append(c)
            i += 1
            continue
        event, consumed = _event(text, i, history)
        out.append(event)
        i += consumed
    return "".join(out)


def _event(text: str, i: int, history: list[str]) -> tuple[str, int]:
    nxt = text[i + 1]
    last = history[-1] if history else None
    if nxt in "!$^*":
        if last is None:
            raise EventNotFound("!" + nxt)
        words = _words(last)
        if nxt == "!":
            return last, 2
        if nxt == "$":
            return (words[-1] if words else ""), 2
        if nxt == "^":
            if len(words) < 2:
                raise EventNotFound("^")  # bash: "bad word specifier"
            return words[1], 2
        return " ".join(words[1:]), 2
    m = re.match(r"-?\d+", text[i + 1:])
    if m:
        num = int(m.group(0))
        idx = num - 1 if num > 0 else len(history) + num
        if not 0 <= idx < len(history):
            raise EventNotFound("!" + m.group(0))
        return history[idx], 1 + m.end()
    if nxt == "?":
        end = text.find("?", i + 2)
        needle = text[i + 2:end if end >= 0 else len(text)]
        consumed = (end + 1 - i) if end >= 0 else len(text) - i
        for line in reversed(history):
            if needle in line:
                return line, consumed
        raise EventNotFound("!?" + needle)
    m = _WORD_END.search(text, i + 1)
    end = m.start() if m else len(text)
    prefix = text[i + 1:end]
    for line in reversed(history):
        if line.startswith(prefix):
            return line, end - i
    raise EventNotFound("!" + prefix)
