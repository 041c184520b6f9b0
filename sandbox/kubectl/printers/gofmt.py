"""Go's number formatting (strconv.FormatFloat), shared by the JSON, YAML and template printers.

Python's ``repr`` already yields the shortest round-tripping digits, exactly what Go's ``-1``
precision produces; only the layout rules differ.
"""

from __future__ import annotations

import math
from decimal import Decimal


def _digits(value: float) -> tuple[str, int]:
    """Shortest decimal digits of ``abs(value)`` and the decimal point position (Go's ``digs.dp``)."""
    _sign, digits, exponent = Decimal(repr(abs(value))).as_tuple()
    text = "".join(map(str, digits)).lstrip("0")
    if not text:
        return "0", 0
    # value = 0.<text> x 10^dp
    dp = len(text) + int(exponent)
    return text.rstrip("0"), dp


def _fmt_e(neg: bool, digs: str, dp: int) -> str:
    mant = digs[0] + ("." + digs[1:] if len(digs) > 1 else "")
    exp = dp - 1 if digs != "0" else 0
    sign = "-" if exp < 0 else "+"
    return f"{'-' if neg else ''}{mant}e{sign}{abs(exp):02d}"


def _fmt_f(neg: bool, digs: str, dp: int) -> str:
    if dp <= 0:
        text = "0." + "0" * (-dp) + digs if digs != "0" else "0"
    elif dp >= len(digs):
        text = digs + "0" * (dp - len(digs))
    else:
        text = digs[:dp] + "." + digs[dp:]
    return ("-" if neg else "") + text


def format_float(value: float, fmt: str = "g") -> str:
    """``strconv.FormatFloat(value, fmt, -1, 64)`` for fmt in ``g``, ``e``, ``f``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    neg = math.copysign(1.0, value) < 0
    digs, dp = _digits(value)
    if fmt == "e":
        return _fmt_e(neg, digs, dp)
    if fmt == "f":
        return _fmt_f(neg, digs, dp)
    exp = dp - 1 if digs != "0" else 0
    if exp < -4 or exp >= 6:  # shortest 'g' decides with precision 6
        return _fmt_e(neg, digs, dp)
    return _fmt_f(neg, digs, dp)


def json_float(value: float) -> str:
    """encoding/json's float64 form: ``f`` layout, ``e`` for tiny/huge values, ``e-07`` -> ``e-7``."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {format_float(value)}")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = format_float(value, "e")
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return text
    return format_float(value, "f")


_QUOTE_ESC = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
              "\\": "\\\\", '"': '\\"'}


def quote(text: str) -> str:
    """strconv.Quote (what ``%q`` prints): printable runes kept, the rest escaped Go-style."""
    out = ['"']
    for ch in text:
        esc = _QUOTE_ESC.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch == " " or ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def type_name(value: object) -> str:
    """The Go type of a JSON-decoded value (``map[string]interface {}``, ``int64``...)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list | tuple):
        return "[]interface {}"
    return type(value).__name__


def sprint(value: object) -> str:
    """``fmt.Sprint`` / ``%v`` of a JSON-decoded value: ``map[a:1 b:2]``, ``[x y]``, ``<nil>``."""
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value, "g")
    if isinstance(value, dict):
        return "map[" + " ".join(f"{sprint(k)}:{sprint(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(sprint(v) for v in value) + "]"
    return str(value)


def go_syntax(value: object, *, typed: bool = True) -> str:
    """``%#v`` of a JSON-decoded value, as kubectl shows it in template debugging output."""
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value, "g")
    if isinstance(value, dict):
        inner = ", ".join(f"{quote(str(k))}:{go_syntax(value[k])}" for k in sorted(value))
        return "map[string]interface {}{" + inner + "}"
    if isinstance(value, list | tuple):
        return "[]interface {}{" + ", ".join(go_syntax(v) for v in value) + "}"
    return quote(str(value))


class SyntaxErr(ValueError):
    """strconv.ErrSyntax."""

    def __init__(self) -> None:
        super().__init__("invalid syntax")


_SIMPLE_ESC = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def unquote_body(body: str, quote_char: str) -> str:
    """strconv.UnquoteChar over a whole literal body (escapes as Go reads them)."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == quote_char and quote_char in "'\"":
            raise SyntaxErr()
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= n:
            raise SyntaxErr()
        c = body[i + 1]
        i += 2
        if c in _SIMPLE_ESC:
            out.append(_SIMPLE_ESC[c])
        elif c in "xuU":
            size = {"x": 2, "u": 4, "U": 8}[c]
            digits = body[i:i + size]
            if len(digits) < size or any(d not in "0123456789abcdefABCDEF" for d in digits):
                raise SyntaxErr()
            value = int(digits, 16)
            i += size
            if c != "x" and (value > 0x10FFFF or 0xD800 <= value <= 0xDFFF):
                raise SyntaxErr()
            out.append(chr(value))
        elif "0" <= c <= "7":
            digits = body[i - 1:i + 2]
            if len(digits) < 3 or any(d not in "01234567" for d in digits) or int(digits, 8) > 255:
                raise SyntaxErr()
            out.append(chr(int(digits, 8)))
            i += 2
        elif c in "'\"":
            if c != quote_char:
                raise SyntaxErr()
            out.append(c)
        else:
            raise SyntaxErr()
    return "".join(out)


def unquote(literal: str) -> str:
    """strconv.Unquote for "..." and `...` (and '...' as jsonpath's UnquoteExtend allows)."""
    if len(literal) < 2 or literal[0] != literal[-1]:
        raise SyntaxErr()
    q = literal[0]
    body = literal[1:-1]
    if q == "`":
        if "`" in body:
            raise SyntaxErr()
        return body.replace("\r", "")
    if q not in "\"'":
        raise SyntaxErr()
    if "\\" not in body and q not in body:
        return body
    return unquote_body(body, q)
