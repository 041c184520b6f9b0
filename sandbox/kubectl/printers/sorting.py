"""``--sort-by``: kubectl's TableSorter/RuntimeSort (pkg/cmd/get/sorter.go).

The field is a relaxed jsonpath; objects lacking it sort first; strings that both parse as resource
quantities compare by value (``100m`` < ``2``), other strings lexically; the sort is Go's unstable
pdqsort, so ties keep kubectl's order rather than Python's.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .gofmt import type_name
from .gosort import go_sort
from .jsonpath import JSONPath, JSONPathParseError, PrintError, relaxed

_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$")
_SCALE = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "k": Decimal(10) ** 3,
          "M": Decimal(10) ** 6, "G": Decimal(10) ** 9, "T": Decimal(10) ** 12, "P": Decimal(10) ** 15,
          "E": Decimal(10) ** 18, "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20, "Gi": Decimal(2) ** 30,
          "Ti": Decimal(2) ** 40, "Pi": Decimal(2) ** 50, "Ei": Decimal(2) ** 60}


def quantity(text: str) -> Decimal | None:
    """resource.ParseQuantity's value, or None when the string is not a quantity."""
    m = _QUANTITY.match(text)
    if not m:
        return None
    try:
        value = Decimal(m.group(1))
        if m.group(2):
            value *= Decimal(10) ** int(m.group(2)[1:])
        elif m.group(3):
            value *= _SCALE[m.group(3)]
    except (InvalidOperation, ValueError):
        return None
    return value


def is_less(a: Any, b: Any) -> bool:
    """sorter.go isLess for values of an unstructured object (reflect.Interface)."""
    if a is None and b is None:
        return False
    if a is None:
        return True
    if b is None:
        return False
    if isinstance(a, bool) or isinstance(a, dict | list):
        raise PrintError(f"unsortable type: {type_name(a)}")
    if isinstance(a, int):
        if isinstance(b, int) and not isinstance(b, bool):
            return a < b
    elif isinstance(a, float):
        if isinstance(b, float):
            return a < b
    elif isinstance(a, str):
        if isinstance(b, str):
            qa, qb = quantity(a), quantity(b)
            if qa is not None and qb is not None:
                return qa < qb
            return a < b
    raise PrintError("unsortable interface: interface")


def sort_objects(objs: list[dict], field: str, *, table: bool = True) -> list[dict]:
    """Objects in ``--sort-by`` order (a new list). ``table``: errors worded as the table sorter's."""
    try:
        expr = relaxed(field)
    except PrintError:
        expr = field
    try:
        path = JSONPath(expr, allow_missing_keys=True)
    except JSONPathParseError as exc:
        raise PrintError(f"sorting error: {exc}" if table else str(exc)) from None
    keyed = []
    found = False
    for obj in objs:
        results = path.find_results(obj)
        value = results[0] if results and results[0] else None
        found = found or value is not None
        keyed.append((value, obj))
    if objs and not found:
        raise PrintError(f'couldn\'t find any field with path "{expr}" in the list of objects')

    def less(x: tuple, y: tuple) -> bool:
        if x[0] is None:
            return True
        if y[0] is None:
            return False
        return is_less(x[0][0], y[0][0])

    go_sort(keyed, less)
    return [obj for _, obj in keyed]
