"""A YAML emitter that writes exactly what kubectl's ``-o yaml`` writes.

kubectl marshals objects with sigs.k8s.io/yaml: JSON first, then go-yaml v2 re-reads that JSON and
emits it. So: map keys sorted with go-yaml's "natural" key order, strings quoted only when a plain
scalar would resolve to another type, long strings folded at column 80, multi-line strings as
literal block scalars. The rules below follow go-yaml v2's emitter (libyaml's design) so that
quoting, folding and chomping indicators match byte for byte.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Any

from .gofmt import format_float

PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"
_BEST_INDENT = 2
_BEST_WIDTH = 80
_BREAKS = frozenset("\r\n\x85\u2028\u2029")


# --- resolving: would a plain scalar read back as something other than a string? -------------

_RESOLVE_MAP = {
    **dict.fromkeys(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                     "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], "bool"),
    **dict.fromkeys(["", "~", "null", "Null", "NULL"], "null"),
    **dict.fromkeys([".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                     "-.inf", "-.Inf", "-.INF"], "float"),
}
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DOT_FLOAT = re.compile(r"^\.[0-9]+([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMPS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$"),
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?$"),
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _hint(ch: str) -> str:
    if ch in "+-":
        return "S"
    if "0" <= ch <= "9":
        return "D"
    if ch in "yYnNtTfFoO~":
        return "M"
    if ch == ".":
        return "."
    return ""


def _is_timestamp(s: str) -> bool:
    """go-yaml's parseTimestamp: the time.Parse layouts it tries, with their range checks."""
    if len(s) < 5 or not s[:4].isascii() or not s[:4].isdigit() or s[4] != "-":
        return False
    for pattern in _TIMESTAMPS:
        m = pattern.match(s)
        if not m:
            continue
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not 1 <= month <= 12 or not 1 <= day <= _DAYS[month - 1]:
            return False
        if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            return False
        if m.lastindex and m.lastindex >= 6:
            hour, minute, sec = int(m.group(4)), int(m.group(5)), int(m.group(6))
            if hour > 23 or minute > 59 or sec > 59:
                return False
        return True
    return False


def _go_parse_int(s: str, signed: bool) -> int | None:
    """strconv.ParseInt/ParseUint with base 0 (``0x``, ``0o``, ``0b`` and leading-``0`` octal)."""
    neg = False
    body = s
    if body[:1] in ("+", "-"):
        if not signed:
            return None
        neg = body[0] == "-"
        body = body[1:]
    if not body:
        return None
    base = 10
    if body[0] == "0" and len(body) > 1:
        prefix = body[1].lower()
        if prefix in "xob":
            base = {"x": 16, "o": 8, "b": 2}[prefix]
            body = body[2:]
        else:
            base, body = 8, body[1:]
    if not body or not all(c in "0123456789abcdefABCDEF"[: base + (6 if base == 16 else 0)] for c in body):
        return None
    try:
        value = int(body, base)
    except ValueError:
        return None
    if neg:
        value = -value
    if signed and not -(2**63) <= value < 2**63:
        return None
    if not signed and value >= 2**64:
        return None
    return value


def resolves_to_string(s: str) -> bool:
    """True when ``s`` written plain would still read back as a string (go-yaml ``resolve``)."""
    if s == "":
        return False
    hint = _hint(s[0])
    if not hint:
        return True
    if s in _RESOLVE_MAP:
        return False
    if hint == ".":
        return not _DOT_FLOAT.match(s)
    if hint in "DS":
        if _is_timestamp(s):
            return False
        plain = s.replace("_", "")
        if _go_parse_int(plain, True) is not None or _go_parse_int(plain, False) is not None:
            return False
        if _YAML_FLOAT.match(plain) and not math.isinf(float(plain)):
            return False
        if plain.startswith("0b") and plain[2:] and set(plain[2:]) <= {"0", "1"}:
            return False
        if plain.startswith("-0b") and plain[3:] and set(plain[3:]) <= {"0", "1"}:
            return False
    return True


def _is_base60(s: str) -> bool:
    return bool(s) and (s[0] in "+-" or "0" <= s[0] <= "9") and ":" in s and bool(_BASE60.match(s))


# --- key order ------------------------------------------------------------------------------

def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or (ch > "\x7f" and unicodedata.category(ch) == "Nd")


def _key_cmp(a: str, b: str) -> int:
    """go-yaml's keyList.Less for string keys: letters before others, digit runs compared as numbers."""
    return -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0)


def _key_less(a: str, b: str) -> bool:
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            return bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and _is_digit(a[j]):
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and _is_digit(a[ai]):
            an = an * 10 + ord(a[ai]) - 48
            ai += 1
        bi = i
        while bi < len(b) and _is_digit(b[bi]):
            bn = bn * 10 + ord(b[bi]) - 48
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


_KEY = functools.cmp_to_key(_key_cmp)


_PLAIN_ORDER = re.compile(r"^[A-Za-z./-]*$")


def sorted_keys(keys: list[str]) -> list[str]:
    """go-yaml's order; for keys of letters and ``./-`` only it equals code-point order (fast path)."""
    if all(_PLAIN_ORDER.match(k) for k in keys):
        return sorted(keys)
    return sorted(keys, key=_KEY)


# --- scalar analysis (emitterc.go yaml_emitter_analyze_scalar) -------------------------------

def _printable(ch: str) -> bool:
    o = ord(ch)
    return (o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF
            or (0xE000 <= o <= 0xFFFD and o != 0xFEFF))


class _Analysis:
    __slots__ = ("multiline", "flow_plain", "block_plain", "single", "block")

    def __init__(self, value: str) -> None:
        if not value:
            self.multiline, self.flow_plain, self.block_plain, self.single, self.block = (
                False, False, True, True, False)
            return
        block_ind = flow_ind = line_breaks = special = False
        leading_space = leading_break = trailing_space = trailing_break = False
        break_space = space_break = previous_space = previous_break = False
        if value.startswith("---") or value.startswith("..."):
            block_ind = flow_ind = True
        preceded_by_ws = True
        n = len(value)
        for i, ch in enumerate(value):
            followed_by_ws = i + 1 >= n or value[i + 1] in " \t"
            if i == 0:
                if ch in "#,[]{}&*!|>'\"%@`":
                    flow_ind = block_ind = True
                elif ch in "?:":
                    flow_ind = True
                    if followed_by_ws:
                        block_ind = True
                elif ch == "-" and followed_by_ws:
                    flow_ind = block_ind = True
            else:
                if ch in ",?[]{}":
                    flow_ind = True
                elif ch == ":":
                    flow_ind = True
                    if followed_by_ws:
                        block_ind = True
                elif ch == "#" and preceded_by_ws:
                    flow_ind = block_ind = True
            if not _printable(ch):
                special = True
            if ch == " ":
                if i == 0:
                    leading_space = True
                if i == n - 1:
                    trailing_space = True
                if previous_break:
                    break_space = True
                previous_space, previous_break = True, False
            elif ch in _BREAKS:
                line_breaks = True
                if i == 0:
                    leading_break = True
                if i == n - 1:
                    trailing_break = True
                if previous_space:
                    space_break = True
                previous_space, previous_break = False, True
            else:
                previous_space = previous_break = False
            preceded_by_ws = ch in " \t" or ch in _BREAKS or ch == "\0"
        self.multiline = line_breaks
        self.flow_plain = self.block_plain = self.single = self.block = True
        if leading_space or leading_break or trailing_space or trailing_break:
            self.flow_plain = self.block_plain = False
        if trailing_space:
            self.block = False
        if break_space:
            self.flow_plain = self.block_plain = self.single = False
        if space_break or special:
            self.flow_plain = self.block_plain = self.single = self.block = False
        if line_breaks:
            self.flow_plain = self.block_plain = False
        if flow_ind:
            self.flow_plain = False
        if block_ind:
            self.block_plain = False


# --- the emitter ----------------------------------------------------------------------------

# Printable ASCII without spaces, not starting with an indicator, not ending with ':' -- such a plain
# scalar analyses to "plain allowed, nothing to fold" in libyaml's rules.
_SIMPLE = re.compile(r"^[A-Za-z0-9_./=()+~$^\\;<]([\x21-\x39\x3b-\x7e]|:(?=.))*$")

class _Emitter:
    """The parts of libyaml's state machine that block-style documents of maps/lists/scalars use."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.indent = -1
        self.indents: list[int] = []
        self.whitespace = True
        self.indention = True
        self.mapping_ctx = False
        self.simple_key_ctx = False

    # low-level writers
    def put(self, ch: str) -> None:
        self.out.append(ch)
        self.column += 1

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write_break(self, ch: str) -> None:
        if ch == "\n":
            self.put_break()
        else:
            self.out.append(ch)
            self.column = 0

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        if self.column < indent:
            self.out.append(" " * (indent - self.column))
            self.column = indent
        self.whitespace = True
        self.indention = True

    def write_indicator(self, indicator: str, need_ws: bool, is_ws: bool, is_indention: bool) -> None:
        if need_ws and not self.whitespace:
            self.put(" ")
        self.out.append(indicator)
        self.column += len(indicator)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = _BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += _BEST_INDENT

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    # nodes
    def node(self, value: Any, *, mapping: bool = False, simple_key: bool = False) -> None:
        self.mapping_ctx = mapping
        self.simple_key_ctx = simple_key
        if isinstance(value, dict):
            self.mapping(value)
        elif isinstance(value, list):
            self.sequence(value)
        else:
            self.scalar(*_scalar(value))

    def mapping(self, value: dict) -> None:
        if not value:
            self.write_indicator("{", True, True, False)
            self.write_indicator("}", False, False, False)
            return
        self.increase_indent(False, False)
        for key in sorted_keys(list(value)):
            self.write_indent()
            if len(key.encode()) <= 128 and not any(c in _BREAKS for c in key):
                self.node(key, mapping=True, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.node(key, mapping=True)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(value[key], mapping=True)
        self.pop_indent()

    def sequence(self, value: list) -> None:
        if not value:
            self.write_indicator("[", True, True, False)
            self.write_indicator("]", False, False, False)
            return
        self.increase_indent(False, self.mapping_ctx and not self.indention)
        for item in value:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item)
        self.pop_indent()

    def scalar(self, text: str, style: str) -> None:
        if style == PLAIN and _SIMPLE.match(text) and not text.startswith(("---", "...")):
            # nothing in the text can need quoting or folding: the common case, done without analysis
            self.increase_indent(True, False)
            if not self.whitespace:
                self.put(" ")
            self.out.append(text)
            self.column += len(text)
            self.whitespace = False
            self.indention = False
            self.pop_indent()
            return
        if style == DOUBLE and not self.simple_key_ctx:
            self.increase_indent(True, False)
            self.write_double(text, True)
            self.pop_indent()
            return
        info = _Analysis(text)
        if self.simple_key_ctx and info.multiline:
            style = DOUBLE
        if style == PLAIN:
            if not info.block_plain or (not text and self.simple_key_ctx):
                style = SINGLE
        if style == SINGLE and not info.single:
            style = DOUBLE
        if style == LITERAL and (not info.block or self.simple_key_ctx):
            style = DOUBLE
        self.increase_indent(True, False)
        allow_breaks = not self.simple_key_ctx
        if style == PLAIN:
            self.write_plain(text, allow_breaks)
        elif style == SINGLE:
            self.write_single(text, allow_breaks)
        elif style == DOUBLE:
            self.write_double(text, allow_breaks)
        else:
            self.write_literal(text)
        self.pop_indent()

    def write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        if "\n" not in value and (not allow_breaks or self.column + len(value) <= _BEST_WIDTH + 1
                                  or " " not in value) and not any(c in _BREAKS for c in value):
            self.out.append(value)  # fast path: nothing to fold
            self.column += len(value)
        else:
            spaces = breaks = False
            n = len(value)
            for i, ch in enumerate(value):
                if ch == " ":
                    if allow_breaks and not spaces and self.column > _BEST_WIDTH and not (
                            i + 1 < n and value[i + 1] == " "):
                        self.write_indent()
                    else:
                        self.put(ch)
                    spaces = True
                elif ch in _BREAKS:
                    if not breaks and ch == "\n":
                        self.put_break()
                    self.write_break(ch)
                    self.indention = True
                    breaks = True
                else:
                    if breaks:
                        self.write_indent()
                    self.put(ch)
                    self.indention = False
                    spaces = breaks = False
        self.whitespace = False
        self.indention = False

    def write_single(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        spaces = breaks = False
        n = len(value)
        for i, ch in enumerate(value):
            if ch == " ":
                if (allow_breaks and not spaces and self.column > _BEST_WIDTH and 0 < i < n - 1
                        and value[i + 1] != " "):
                    self.write_indent()
                else:
                    self.put(ch)
                spaces = True
            elif ch in _BREAKS:
                if not breaks and ch == "\n":
                    self.put_break()
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if ch == "'":
                    self.put("'")
                self.put(ch)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_double(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator('"', True, False, False)
        spaces = False
        bom = value.startswith("\ufeff")  # go-yaml's is_bom looks at the start of the value
        n = len(value)
        for i, ch in enumerate(value):
            if bom or not _printable(ch) or ch in _BREAKS or ch in '"\\':
                self.put("\\")
                esc = _ESCAPES.get(ch)
                if esc is None:
                    o = ord(ch)
                    if o <= 0xFF:
                        esc = f"x{o:02X}"
                    elif o <= 0xFFFF:
                        esc = f"u{o:04X}"
                    else:
                        esc = f"U{o:08X}"
                self.out.append(esc)
                self.column += len(esc)
                spaces = False
            elif ch == " ":
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and 0 < i < n - 1:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(ch)
                spaces = True
            else:
                self.put(ch)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str) -> None:
        self.write_indicator("|", True, False, False)
        if value[0] == " " or value[0] in _BREAKS:
            self.write_indicator(str(_BEST_INDENT), False, False, False)
        chomp = ""
        if value[-1] not in _BREAKS:
            chomp = "-"
        elif len(value) == 1 or value[-2] in _BREAKS:
            chomp = "+"
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for ch in value:
            if ch in _BREAKS:
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(ch)
                self.indention = False
                breaks = False


_ESCAPES = {"\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f", "\r": "r",
            "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P"}


def _scalar(value: Any) -> tuple[str, str]:
    """The text and requested style go-yaml's encoder gives a JSON-decoded value."""
    if value is None:
        return "null", PLAIN
    if value is True:
        return "true", PLAIN
    if value is False:
        return "false", PLAIN
    if isinstance(value, int):
        return str(value), PLAIN
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**63:
            return str(int(value)), PLAIN  # JSON wrote it without a fraction: re-read as an int
        text = format_float(value, "g")
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text), PLAIN
    text = str(value)
    if "\n" in text:
        return text, LITERAL
    if resolves_to_string(text) and not _is_base60(text):
        return text, PLAIN
    return text, DOUBLE


def dump(value: Any) -> str:
    """One YAML document (no ``---``), newline-terminated, as sigs.k8s.io/yaml.Marshal returns it."""
    emitter = _Emitter()
    emitter.node(value)
    emitter.write_indent()
    return "".join(emitter.out)
