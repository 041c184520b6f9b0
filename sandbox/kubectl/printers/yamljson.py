"""``-o yaml``, ``-o json`` and ``-o name``: kubectl's YAMLPrinter, JSONPrinter and NamePrinter.

Objects are JSON wire-form dicts. YAML always sorts keys (go-yaml does); JSON keeps the dict's key
order unless ``sort_keys`` is set: objects read from the server come out alphabetical (Go marshals
``map[string]interface{}`` sorted), objects built client-side follow Go struct order, which the
caller expresses through insertion order.
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.api import resources

from . import goyaml
from .gofmt import json_float


def omit_managed_fields(obj: dict) -> dict:
    """A shallow copy without ``metadata.managedFields`` (kubectl hides them unless asked)."""
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        meta = {k: v for k, v in meta.items() if k != "managedFields"}
        return {**obj, "metadata": meta}
    if obj.get("kind") == "List" and isinstance(obj.get("items"), list):
        return {**obj, "items": [omit_managed_fields(i) if isinstance(i, dict) else i for i in obj["items"]]}
    return obj


def as_list(items: list[dict]) -> dict:
    """How ``kubectl get`` wraps several objects for yaml/json/jsonpath: a v1 List."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}


def to_yaml(obj: Any, *, show_managed_fields: bool = False) -> str:
    """sigs.k8s.io/yaml.Marshal of the object, newline-terminated."""
    if isinstance(obj, dict) and not show_managed_fields:
        obj = omit_managed_fields(obj)
    return goyaml.dump(obj)


def to_json(obj: Any, *, sort_keys: bool = False, show_managed_fields: bool = False,
            indent: int | None = 4) -> str:
    """encoding/json MarshalIndent(obj, "", "    ") + newline (``indent=None``: compact, no newline)."""
    if isinstance(obj, dict) and not show_managed_fields:
        obj = omit_managed_fields(obj)
    if not _has_float(obj):
        # no floats: Python's encoder lays JSON out exactly as Go's MarshalIndent, only faster
        separators = (",", ":") if indent is None else (",", ": ")
        text = json.dumps(obj, indent=indent, ensure_ascii=False, sort_keys=sort_keys, separators=separators,
                          default=str).translate(_HTML_SAFE)
    else:
        parts: list[str] = []
        _encode(obj, parts, sort_keys, indent, 0)
        text = "".join(parts)
    return text + "\n" if indent is not None else text


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_float(v) for v in value)
    return False


def go_json(value: Any, *, sort_keys: bool = True) -> str:
    """Compact ``json.Marshal`` (what jsonpath prints for maps and lists, and what apply stores)."""
    return to_json(value, sort_keys=sort_keys, indent=None, show_managed_fields=True)


_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                            "\u2028": "\\u2028", "\u2029": "\\u2029"})


def go_json_string(text: str) -> str:
    """A Go JSON string literal: Python's escaping plus Go's HTML-safe and U+2028/9 escapes."""
    return json.dumps(text, ensure_ascii=False).translate(_HTML_SAFE)


def _encode(value: Any, out: list[str], sort_keys: bool, indent: int | None, level: int) -> None:
    if isinstance(value, str):
        out.append(go_json_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(json_float(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        keys = sorted(value, key=str) if sort_keys else list(value)
        pad, inner = _pads(indent, level)
        out.append("{")
        for i, key in enumerate(keys):
            if i:
                out.append(",")
            out.append(inner)
            out.append(go_json_string(str(key)))
            out.append(":" if indent is None else ": ")
            _encode(value[key], out, sort_keys, indent, level + 1)
        out.append(pad)
        out.append("}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        pad, inner = _pads(indent, level)
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            out.append(inner)
            _encode(item, out, sort_keys, indent, level + 1)
        out.append(pad)
        out.append("]")
    else:
        out.append(go_json_string(str(value)))


def _pads(indent: int | None, level: int) -> tuple[str, str]:
    if indent is None:
        return "", ""
    return "\n" + " " * (indent * level), "\n" + " " * (indent * (level + 1))


def to_name(obj: dict) -> str:
    """NamePrinter: ``<kind>[.<group>]/<name>`` (``service/web``, ``deployment.apps/web``)."""
    api_version = obj.get("apiVersion", "") or ""
    kind = obj.get("kind", "") or ""
    name = (obj.get("metadata") or {}).get("name", "")
    rtype = resources.by_kind(api_version, kind)
    if rtype is not None:
        prefix = rtype.kind_group
    else:
        group = api_version.rpartition("/")[0] if "/" in api_version else ""
        prefix = f"{kind.lower()}.{group}" if group else kind.lower()
    return f"{prefix}/{name}"


def names(objs: list[dict]) -> str:
    """``-o name`` for several objects, one per line."""
    return "".join(to_name(o) + "\n" for o in objs)
