"""POSIX basic/extended regular expressions (GNU flavour) translated to Python's ``re``."""

from __future__ import annotations

import re
from functools import lru_cache

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r" \t\n\r\f\v", "blank": r" \t", "xdigit": "0-9A-Fa-f", "punct": r"!-/:-@\[-`{-~",
    "print": r" -~", "graph": r"!-~", "cntrl": r"\x00-\x1f\x7f",
}


class RegexError(Exception):
    """``message`` is GNU's wording (e.g. "Unmatched ( or \\\\(")."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _bracket(pattern: str, i: int) -> tuple[str, int]:
    """Translate ``[...]`` starting at ``i``; returns (python text, index after ``]``)."""
    j = i + 1
    out = ["["]
    if j < len(pattern) and pattern[j] == "^":
        out.append("^")
        j += 1
    first = True
    while j < len(pattern):
        c = pattern[j]
        if c == "]" and not first:
            out.append("]")
            return "".join(out), j + 1
        first = False
        if pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            if end < 0:
                raise RegexError("Unmatched [, [^, [:, [., or [=")
            name = pattern[j + 2:end]
            if name not in _CLASSES:
                raise RegexError("Invalid character class name")
            out.append(_CLASSES[name])
            j = end + 2
            continue
        if c in "\\[&~|":
            out.append("\\" + c)
        elif c == "]":
            out.append("\\]")
        elif c == "-" and out and out[-1] == "-":
            out.append("\\-")
        else:
            out.append(c)
        j += 1
    raise RegexError("Unmatched [, [^, [:, [., or [=")


@lru_cache(maxsize=256)
def translate(pattern: str, extended: bool) -> str:
    out: list[str] = []
    i = 0
    n = len(pattern)
    depth = 0
    at_start = True
    while i < n:
        c = pattern[i]
        if c == "[":
            if i + 1 >= n:
                raise RegexError("Invalid regular expression")
            text, i = _bracket(pattern, i)
            out.append(text)
            at_start = False
            continue
        if c == "*" and out and out[-1] == "*" and not at_start:
            i += 1  # a** is a*
            continue
        if c == "\\" and i + 1 < n:
            d = pattern[i + 1]
            i += 2
            if not extended and d == "{":
                m = re.match(r"(\d*)(,?)(\d*)\\\}", pattern[i:])
                if not m:
                    raise RegexError("Unmatched \\{")
                if m.group(1) and m.group(3) and int(m.group(3)) < int(m.group(1)):
                    raise RegexError("Invalid content of \\{\\}")
                out.append("{" + m.group(1) + m.group(2) + m.group(3) + "}")
                i += m.end()
                at_start = False
                continue
            if not extended and d in "(){}|+?":
                if d == "(":
                    depth += 1
                    out.append("(")
                    at_start = True
                    continue
                if d == ")":
                    if depth == 0:
                        raise RegexError("Unmatched ) or \\)")
                    depth -= 1
                out.append(d)
                at_start = False
                continue
            if d == "<":
                out.append(r"\b(?=\w)")
            elif d == ">":
                out.append(r"\b(?<=\w)")
            elif d in "wWsSbB" or d.isdigit():
                out.append("\\" + d)
            elif d == "n":
                out.append("\n")
            elif d == "t":
                out.append("\t")
            else:
                out.append(re.escape(d))
            at_start = False
            continue
        if c == "\\":
            raise RegexError("Trailing backslash")
        if extended:
            if c == "(":
                depth += 1
                out.append("(")
                at_start = True
                i += 1
                continue
            if c == ")":
                if depth == 0:
                    out.append("\\)")  # an unmatched ) is an ordinary character in ERE
                    at_start = False
                    i += 1
                    continue
                depth -= 1
                out.append(")")
            elif c == "{":
                m = re.match(r"\{(\d*)(,?)(\d*)\}", pattern[i:])
                if m and (m.group(1) or m.group(3)):
                    out.append(m.group(0))
                    i += m.end()
                    at_start = False
                    continue
                out.append("\\{")
            elif c == "*" and at_start:
                out.append("\\*")
            elif c in "+?" and at_start:
                out.append("\\" + c)
            elif c in ".^$|*+?}":
                out.append(c)
                if c == "|":
                    at_start = True
                    i += 1
                    continue
            else:
                out.append(re.escape(c))
        else:
            if c in "(){}|+?":
                out.append("\\" + c)
            elif c == "*" and at_start:
                out.append("\\*")
            elif c == "^" and not at_start:
                out.append("\\^")
            elif c == "$" and i + 1 < n and not pattern.startswith("\\)", i + 1):
                out.append("\\$")
            elif c in ".^$*":
                out.append(c)
                if c == "^":
                    i += 1
                    continue
            else:
                out.append(re.escape(c))
        at_start = False
        i += 1
    if depth:
        raise RegexError("Unmatched ( or \\(")
    return "".join(out)


def compile_posix(pattern: str, *, extended: bool = False, ignore_case: bool = False) -> re.Pattern[str]:
    try:
        return re.compile(translate(pattern, extended), re.IGNORECASE if ignore_case else 0)
    except re.error as e:
        msg = str(e)
        if "unbalanced parenthesis" in msg or "missing )" in msg:
            raise RegexError("Unmatched ( or \\(") from None
        if "nothing to repeat" in msg or "multiple repeat" in msg:
            raise RegexError("Invalid preceding regular expression") from None
        if "invalid group reference" in msg:
            raise RegexError("Invalid back reference") from None
        raise RegexError("Invalid regular expression") from None
