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
