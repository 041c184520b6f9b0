"""The builtin functions (eq/lt/index/slice/len/print/printf/html/js/urlquery) and kubectl's two extras."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ..gofmt import sprint
from .values import MISSING, ConstInt, _ExecError


def _truth(value: Any) -> bool:
    if value is MISSING or value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return True


def _kind(value: Any) -> str:
    if value is MISSING or value is None:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "other"


def _tname(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, ConstInt):
        return "int"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "interface {}"


def _eq(a: Any, *others: Any) -> bool:
    """text/template ``eq``: basic kinds compare by value; mixing kinds is an error unless one is missing."""
    if not others:
        raise _ExecError("missing argument for comparison")
    ka = _kind(a)
    for b in others:
        kb = _kind(b)
        if ka != kb:
            if a is not MISSING and a is not None and b is not MISSING and b is not None:
                raise _ExecError(f"incompatible types for comparison: {_tname(a)} and {_tname(b)}")
            continue
        if ka in ("invalid", "other"):
            if ka == "invalid":
                return True  # two missing values (or nils) are equal
            raise _ExecError(f"non-comparable types {sprint(a)}: {_tname(a)}, {_tname(b)}: {sprint(b)}")
        if a == b:
            return True
    return False


def _lt(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka in ("invalid", "other") or kb in ("invalid", "other"):
        raise _ExecError("invalid type for comparison")
    if ka != kb:
        raise _ExecError(f"incompatible types for comparison: {_tname(a)} and {_tname(b)}")
    if ka == "bool":
        raise _ExecError("invalid type for comparison")
    return a < b


def _index(item: Any, *indexes: Any) -> Any:
    if item is MISSING or item is None:
        raise _ExecError("index of untyped nil")
    for index in indexes:
        if isinstance(item, list | str):
            if isinstance(index, bool) or not isinstance(index, int):
                if index is MISSING or index is None:
                    raise _ExecError("cannot index slice/array with nil")
                raise _ExecError(f"cannot index slice/array with type {_tname(index)}")
            if index < 0 or index >= len(item):
                raise _ExecError(f"index out of range: {index}")
            item = item[index] if isinstance(item, list) else item.encode()[index]
        elif isinstance(item, dict):
            if not isinstance(index, str):
                raise _ExecError(f"value has type {_tname(index)}; should be string")
            item = item.get(index)
        elif item is None:
            raise _ExecError("index of nil pointer")
        else:
            raise _ExecError(f"can't index item of type {_tname(item)}")
    return item


def _slice(item: Any, *indexes: Any) -> Any:
    if item is MISSING or item is None:
        raise _ExecError("slice of untyped nil")
    if len(indexes) > 3:
        raise _ExecError(f"too many slice indexes: {len(indexes)}")
    if not isinstance(item, list | str):
        raise _ExecError(f"can't slice item of type {_tname(item)}")
    if isinstance(item, str) and len(indexes) == 3:
        raise _ExecError("cannot 3-index slice a string")
    bounds = [0, len(item)]
    for i, index in enumerate(indexes[:2]):
        if isinstance(index, bool) or not isinstance(index, int):
            raise _ExecError(f"cannot index slice/array with type {_tname(index)}")
        if index < 0 or index > len(item):
            raise _ExecError(f"index out of range: {index}")
        bounds[i] = index
    if bounds[0] > bounds[1]:
        raise _ExecError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    return item[bounds[0]:bounds[1]]


def _len(item: Any) -> int:
    if item is MISSING:
        raise _ExecError("reflect: call of reflect.Value.Type on zero Value")
    if item is None:
        raise _ExecError("len of nil pointer")
    if isinstance(item, str):
        return len(item.encode())
    if isinstance(item, list | dict):
        return len(item)
    raise _ExecError(f"len of type {_tname(item)}")


def _print_arg(value: Any) -> Any:
    return None if value is MISSING else value


def _go_print(args: list[Any]) -> str:
    """fmt.Sprint: spaces between operands when neither side is a string."""
    out = []
    prev_string = True
    for i, a in enumerate(args):
        is_string = isinstance(a, str)
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(_fmt_value(a))
        prev_string = is_string
    return "".join(out)


def _fmt_value(value: Any) -> str:
    return "<nil>" if value is None or value is MISSING else sprint(value)


def _js_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch == '"':
            out.append('\\"')
        elif ch == "<":
            out.append("\\u003C")
        elif ch == ">":
            out.append("\\u003E")
        elif ch == "&":
            out.append("\\u0026")
        elif ch == "=":
            out.append("\\u003D")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _html_escape(text: str) -> str:
    return (text.replace("\0", "\ufffd").replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&#34;"))


def _base64decode(value: Any) -> str:
    if not isinstance(value, str):
        raise _ExecError(f"wrong type for value; expected string; got {_tname(value)}")
    try:
        return base64.b64decode(value.encode(), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        raise _ExecError(f"base64 decode failed: {_b64_error(value, exc)}") from None


def _b64_error(value: str, exc: Exception) -> str:
    for i, ch in enumerate(value):
        if not (ch.isalnum() and ch.isascii()) and ch not in "+/=":
            return f"illegal base64 data at input byte {i}"
    return f"illegal base64 data at input byte {len(value) - len(value) % 4}"


def _exists(item: Any, *indexes: Any) -> bool:
    for index in indexes:
        if isinstance(item, dict) and isinstance(index, str) and index in item:
            item = item[index]
        elif isinstance(item, list) and isinstance(index, int) and not isinstance(index, bool) \
                and 0 <= index < len(item):
            item = item[index]
        else:
            return False
    return True


def _eval_args(args: list[Any]) -> str:
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return _go_print(args)
