"""``-o kyaml``: KYAML, the flow-style YAML subset kubectl 1.34+ prints (sigs.k8s.io/yaml/kyaml).

Rules: a ``---`` header per document; ``{}``/``[]`` everywhere with a trailing comma after every
entry; strings always double-quoted (multi-line ones folded with ``\\`` line continuations); map keys
bare unless a YAML parser could read them as something other than a string; lists of maps or lists
"cuddled" (``[{ ... }, { ... }]``); numbers as Go's encoding/json writes them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from sandbox.kubectl.printers.gofmt import json_float

_INDENT = "  "
_SEXAGESIMAL = re.compile(r"^[+-]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_GO_BOOLS = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
_YAML_WORDS = {"true", "y", "yes", "on", "false", "n", "no", "off", "null", "~", ".inf", "-.inf", "+.inf", ".nan"}
_INT = re.compile(r"^[+-]?(0[bB][01]+|0[oO]?[0-7]+|0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)$")
_FLOAT = re.compile(r"^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*[pP][+-]?\d+|inf(inity)?|nan)$",
                    re.IGNORECASE)
_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([Tt ]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$")


def _timestamp_like(s: str) -> bool:
    if not _TIMESTAMP.match(s):
        return False
    date = s[:10].split("T")[0].split("t")[0].split(" ")[0]
    try:
        year, month, day = (int(x) for x in date.split("-"))
        datetime(year, month, day)
    except ValueError:
        return False
    return True


def type_ambiguous(s: str) -> bool:
    """Would a YAML parser read the bare string as null, a bool, a number or a timestamp?"""
    if s == "" or s in _GO_BOOLS or s.lower() in _YAML_WORDS:
        return True
    bare = s.replace("_", "")
    if _INT.match(bare) or _FLOAT.match(bare):
        return True
    return bool(_SEXAGESIMAL.match(s)) or _timestamp_like(s)


def needs_quotes(s: str) -> bool:
    if type_ambiguous(s):
        return True
    for i, ch in enumerate(s):
        if ch.isalpha() or ch.isdigit() or ch == "_" or unicodedata.category(ch).startswith("N"):
            continue
        if 0 < i < len(s) - 1 and ch in "-./":
            continue
        return True
    return False


_NAMED = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\r": "\\r", "\v": "\\v", "\x00": "\\0", "\x1b": "\\e",
          "\x85": "\\N", "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P"}


def _escape(ch: str, *, compact: bool) -> str:
    if ch == "\n":
        return "\\n" if compact else "\\n\\\n"
    if ch == "\t":
        return "\\t" if compact else "\t"
    if ch in '"\\':
        return "\\" + ch
    if ch.isprintable() or ch == " ":
        return ch
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quote(value: str, indent: int, *, compact: bool = False) -> str:
    """A double-quoted KYAML string; multi-line strings fold at each newline, lines indented."""
    multi = "\n" in value and not compact
    out = ['"']
    if multi:
        out.append("\\\n")
    at_line_start = multi
    for ch in value:
        if at_line_start:
            out.append(_INDENT * indent)
            out.append("\\" if ch.isspace() and ch != "\n" else " ")
        piece = _escape(ch, compact=compact)
        out.append(piece)
        at_line_start = piece.endswith("\n")
    if multi:
        if not at_line_start:
            out.append("\\\n")
        out.append(_INDENT * indent)
    out.append('"')
    return "".join(out)


def _key(key: str, indent: int) -> str:
    return quote(key, indent, compact=True) if needs_quotes(key) else key


def _scalar(value: Any, indent: int) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return json_float(value)
    return quote(str(value), indent + 1)


def render(value: Any, indent: int = 0) -> str:
    """One node, the cursor already placed; no trailing newline."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = ["{"]
        for key, item in value.items():
            lines.append(f"{_INDENT * (indent + 1)}{_key(str(key), indent + 1)}: {render(item, indent + 1)},")
        lines.append(_INDENT * indent + "}")
        return "\n".join(lines)
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(isinstance(v, dict | list) for v in value):
            return "[" + ", ".join(render(v, indent) for v in value) + "]"
        lines = ["["]
        for item in value:
            lines.append(f"{_INDENT * (indent + 1)}{render(item, indent + 1)},")
        lines.append(_INDENT * indent + "]")
        return "\n".join(lines)
    return _scalar(value, indent)


#: characters Go's encoding/json writes raw that a YAML reader refuses (kubectl re-reads its JSON as YAML)
_YAML_FORBIDDEN = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _check(value: Any) -> None:
    if isinstance(value, str):
        if _YAML_FORBIDDEN.search(value):
            from sandbox.kubectl.errors import KubectlError

            raise KubectlError("error decoding: yaml: control characters are not allowed")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key)
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)


def dump(obj: Any) -> str:
    """A whole KYAML document: the ``---`` header, the object, a trailing newline."""
    _check(obj)
    return "---\n" + render(obj) + "\n"
