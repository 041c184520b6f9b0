"""``-o kyaml``: sigs.k8s.io/yaml/kyaml, the explicit flow-style YAML dialect kubectl 1.34+ prints.

Every document starts with ``---``; maps are ``{ key: value, }`` one entry per line, strings are
always double-quoted (keys only when YAML could misread them), multi-line strings are folded with
``\\`` line continuations, and lists of maps/lists are "cuddled" (``[{`` ... ``}, {`` ... ``}]``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from .gofmt import json_float
from .goyaml import _go_parse_int, _is_timestamp

_FOLD = "\\\n"
_SEXAGESIMAL = re.compile(r"^[+-]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_GO_FLOAT = re.compile(r"^[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|"
                       r"\.[0-9a-fA-F]+)[pP][+-]?[0-9]+|inf|infinity|nan)$", re.IGNORECASE)
_BOOL_STRINGS = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\r": "\\r", "\v": "\\v", "\0": "\\0", "\x1b": "\\e",
            "\x85": "\\N", "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P"}


def _guesses_wrong(s: str) -> bool:
    """yamlGuessesWrong: would a YAML reader take this bare string for null, bool, number or time?"""
    low = s.lower()
    if len(s) <= 5 and low in ("null", "~", ""):
        return True
    if s in _BOOL_STRINGS:
        return True
    if len(s) <= 5 and low in ("true", "y", "yes", "on", "false", "n", "no", "off"):
        return True
    plain = s.replace("_", "")
    if plain and _go_parse_int(plain, True) is not None:
        return True
    if plain and _GO_FLOAT.match(plain):
        return True
    if _SEXAGESIMAL.match(s):
        return True
    if len(s) <= 5 and low in (".inf", "-.inf", "+.inf", ".nan"):
        return True
    return _is_timestamp(s)


def needs_quotes(s: str) -> bool:
    if s == "" or _guesses_wrong(s):
        return True
    last = len(s) - 1
    for i, ch in enumerate(s):
        if ch.isalpha() or ch.isnumeric() or ch == "_":
            continue
        if 0 < i < last and ch in "-./":
            continue
        return True
    return False


def _indent(level: int) -> str:
    return "  " * level


def _escaped(ch: str, newline: str, compact: bool) -> str:
    if ch in '"\\':
        return "\\" + ch
    if ch == "\n":
        return newline
    if ch.isprintable() or (ch == "\t" and not compact):  # folded values keep tabs; keys escape them
        return ch
    if ch == "\t":
        return "\\t"
    esc = _ESCAPES.get(ch)
    if esc is not None:
        return esc
    o = ord(ch)
    if o < 0x20 or o == 0x7F:
        return f"\\x{o:02x}"
    if o < 0x10000:
        return f"\\u{o:04x}"
    return f"\\U{o:08x}"


def render_string(value: str, indent: int, *, lazy: bool = False, compact: bool = False) -> str:
    """renderString: bare when allowed (keys), else quoted; multi-line values folded with ``\\``."""
    multi = "\n" in value
    if not multi and lazy and not needs_quotes(value):
        return value
    newline = "\\n" if compact else "\\n" + _FOLD
    out = ['"']
    if multi and not compact:
        out.append(_FOLD)
    after_newline = multi and not compact
    for ch in value:
        if after_newline:
            out.append(_indent(indent))
            out.append("\\" if ch.isspace() and ch != "\n" else " ")
        piece = _escaped(ch, newline, compact)
        out.append(piece)
        after_newline = piece.endswith("\n")
    if multi and not compact:
        if not after_newline:
            out.append(_FOLD)
        out.append(_indent(indent))
    out.append('"')
    return "".join(out)


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
        if math.isnan(value) or math.isinf(value):
            raise ValueError("json: unsupported value")
        return json_float(value)
    return render_string(str(value), indent + 1)


def _node(value: Any, indent: int, out: list[str], sort_keys: bool) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{\n")
        keys = sorted(value, key=str) if sort_keys else list(value)
        for key in keys:
            out.append(_indent(indent + 1))
            out.append(render_string(str(key), indent + 1, lazy=True, compact=True))
            out.append(": ")
            _node(value[key], indent + 1, out, sort_keys)
            out.append(",\n")
        out.append(_indent(indent))
        out.append("}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        if all(isinstance(v, dict | list | tuple) for v in value):
            out.append("[")
            for i, item in enumerate(value):
                if i:
                    out.append(", ")
                _node(item, indent, out, sort_keys)
            out.append("]")
            return
        out.append("[\n")
        out.append(_indent(indent))
        for item in value:
            out.append(_indent(1))
            _node(item, indent + 1, out, sort_keys)
            out.append(",\n")
            out.append(_indent(indent))
        out.append("]")
    else:
        out.append(_scalar(value, indent))


#: characters Go's encoding/json writes raw that a YAML reader refuses (kubectl re-reads its JSON as YAML)
_YAML_FORBIDDEN = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _check_readable(value: Any) -> None:
    """kubectl's KYAML encoder re-parses the JSON as YAML, which rejects some raw control characters."""
    if isinstance(value, str):
        if _YAML_FORBIDDEN.search(value):
            from sandbox.kubectl.printers.jsonpath import PrintError

            raise PrintError("error decoding: yaml: control characters are not allowed")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_readable(key)
            _check_readable(item)
    elif isinstance(value, list):
        for item in value:
            _check_readable(item)


def to_kyaml(obj: Any, *, sort_keys: bool = True) -> str:
    """One KYAML document with its ``---`` header and trailing newline (Encoder.FromObject)."""
    _check_readable(obj)
    out = ["---\n"]
    _node(obj, 0, out, sort_keys)
    out.append("\n")
    return "".join(out)
