"""Go's ``fmt.Sprintf`` verbs for template ``printf``: the common verbs, flags, and Go's error forms
(``%!d(string=x)``, ``%!s(MISSING)``, ``%!(EXTRA ...)``) so that wrong templates fail like kubectl's."""

from __future__ import annotations

import re

from .gofmt import format_float, quote, sprint, type_name

_SPEC = re.compile(r"%([-+# 0]*)(\*|\d+)?(\.(\*|\d+)?)?(.)?", re.S)


def _type(value: object) -> str:
    if isinstance(value, float):
        return "float64"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if type(value).__name__ == "ConstInt" else "int64"
    return type_name(value)


def _pad(text: str, flags: str, width: int | None, numeric: bool = False) -> str:
    if width is None or len(text) >= width:
        return text
    if "-" in flags:
        return text + " " * (width - len(text))
    if "0" in flags and numeric:
        sign = text[0] if text[:1] in "+-" else ""
        body = text[len(sign):]
        return sign + "0" * (width - len(text)) + body
    return " " * (width - len(text)) + text


def _bad(verb: str, value: object) -> str:
    if value is None:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({_type(value)}={sprint(value)})"


def _int_verb(verb: str, value: int, flags: str, prec: int | None) -> str:
    neg = value < 0
    n = abs(value)
    if verb == "d":
        body = str(n)
    elif verb == "x":
        body = f"{n:x}"
    elif verb == "X":
        body = f"{n:X}"
    elif verb == "o":
        body = f"{n:o}"
    elif verb == "b":
        body = f"{n:b}"
    elif verb == "c":
        return chr(value) if 0 <= value <= 0x10FFFF else "\ufffd"
    elif verb == "q":
        return quote_rune(value)
    else:  # U
        return f"U+{n:04X}"
    if prec is not None and len(body) < prec:
        body = "0" * (prec - len(body)) + body
    if "#" in flags:
        body = {"x": "0x", "X": "0X", "o": "0", "b": ""}.get(verb, "") + body
    sign = "-" if neg else ("+" if "+" in flags else (" " if " " in flags else ""))
    return sign + body


def _float_verb(verb: str, value: float, flags: str, prec: int | None) -> str:
    if verb in "fF":
        body = f"{value:.{6 if prec is None else prec}f}"
    elif verb in "eE":
        body = f"{value:.{6 if prec is None else prec}e}"
        if verb == "E":
            body = body.upper()
    else:  # g G v
        body = format_float(value, "g") if prec is None else f"{value:.{prec}g}"
        if verb == "G":
            body = body.upper()
    if "+" in flags and not body.startswith("-"):
        body = "+" + body
    elif " " in flags and not body.startswith("-"):
        body = " " + body
    return body


def sprintf(fmt: str, args: list[object]) -> str:
    """fmt.Sprintf for JSON-decoded values and template constants."""
    out: list[str] = []
    i = 0
    argi = 0
    n = len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        m = _SPEC.match(fmt, j)
        assert m is not None
        flags, width_s, dot, prec_s, verb = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
        i = m.end()
        if verb is None:
            out.append("%!(NOVERB)")
            break
        if verb == "%":
            out.append("%")
            continue
        width = prec = None
        if width_s == "*":
            if argi < len(args) and isinstance(args[argi], int) and not isinstance(args[argi], bool):
                width = int(args[argi])  # type: ignore[arg-type]
                if width < 0:
                    flags += "-"
                    width = -width
            else:
                out.append("%!(BADWIDTH)")
            argi += 1
        elif width_s:
            width = int(width_s)
        if prec_s == "*":
            if argi < len(args) and isinstance(args[argi], int) and not isinstance(args[argi], bool):
                prec = int(args[argi])  # type: ignore[arg-type]
            else:
                out.append("%!(BADPREC)")
            argi += 1
        elif prec_s is not None:
            prec = int(prec_s)
        elif dot:
            prec = 0
        if argi >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        arg = args[argi]
        argi += 1
        out.append(_one(verb, arg, flags, width, prec))
    if argi < len(args):
        extra = ", ".join("<nil>" if a is None else f"{_type(a)}={sprint(a)}" for a in args[argi:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def quote_rune(value: int) -> str:
    """strconv.QuoteRune: ``'a'``, ``'\\n'``, ``'\\x03'``."""
    if not 0 <= value <= 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        value = 0xFFFD
    ch = chr(value)
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    body = quote(ch)[1:-1]
    return f"'{body}'"


def _one(verb: str, arg: object, flags: str, width: int | None, prec: int | None) -> str:
    if verb == "T":
        return _pad(_type(arg) if arg is not None else "<nil>", flags, width)
    if isinstance(arg, list | dict) and verb != "v":
        return _pad(_compound(verb, arg, flags, prec), flags, width)
    if verb == "v":
        if isinstance(arg, float):
            return _pad(_float_verb("g", arg, flags, prec), flags, width, True)
        if isinstance(arg, str) and prec is not None:
            return _pad(arg[:prec], flags, width)
        if "#" in flags:
            from .gofmt import go_syntax
            return _pad(go_syntax(arg), flags, width)
        return _pad(sprint(arg), flags, width)
    if isinstance(arg, bool):
        if verb == "t":
            return _pad("true" if arg else "false", flags, width)
        return _bad(verb, arg)
    if isinstance(arg, int):
        if verb in "dxXobcqU":
            return _pad(_int_verb(verb, arg, flags, prec), flags, width, verb in "dxXob")
        return _bad(verb, arg)
    if isinstance(arg, float):
        if verb in "eEfFgG":
            return _pad(_float_verb(verb, arg, flags, prec), flags, width, True)
        return _bad(verb, arg)
    if isinstance(arg, str):
        if verb == "s":
            text = arg if prec is None else arg[:prec]
            return _pad(text, flags, width)
        if verb == "q":
            return _pad(quote(arg), flags, width)
        if verb in "xX":
            data = arg.encode()
            text = data.hex() if verb == "x" else data.hex().upper()
            return _pad(text, flags, width)
        return _bad(verb, arg)
    if arg is None:
        return _bad(verb, arg)
    return _pad(sprint(arg), flags, width)


def _compound(verb: str, arg: object, flags: str, prec: int | None) -> str:
    """Go applies the verb element-wise inside maps and slices (``%s`` of ``[a b]`` -> ``[a b]``)."""
    if isinstance(arg, list):
        return "[" + " ".join(_one(verb, a, flags, None, prec) for a in arg) + "]"
    if isinstance(arg, dict):
        return "map[" + " ".join(f"{_one(verb, k, flags, None, prec)}:{_one(verb, arg[k], flags, None, prec)}"
                                 for k in sorted(arg)) + "]"
    return _one(verb, arg, flags, None, prec)
