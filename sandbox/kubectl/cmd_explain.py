"""``kubectl explain`` (pkg/explain/v2): the plaintext template over the OpenAPI v3 schemas.

The schemas are the apiserver's own (``data/openapi``); this module follows the template's rules:
type guesses, ``-required-``, enum lines, go-wordwrap at 76/78 columns, indentation, and the
FIELD/DESCRIPTION/FIELDS layout (including its blank lines).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources as ires
from typing import Any

from sandbox.kubectl.errors import KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.resolve import lookup_type

_REF = "#/components/schemas/"


@cache
def _document(group: str) -> dict[str, Any]:
    name = "apps.json" if group == "apps" else "core.json"
    text = ires.files("sandbox.kubectl").joinpath("data", "openapi", name).read_text()
    return json.loads(text)["schemas"]


def _resolve(ref: str, doc: dict[str, Any]) -> dict[str, Any] | None:
    if not ref or not ref.startswith(_REF):
        return None
    return doc.get(ref[len(_REF):])


# -- go-wordwrap and the template's indent -------------------------------------------------------------
def wrap(text: str, limit: int) -> str:
    """github.com/mitchellh/go-wordwrap WrapString."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for ch in text:
        if ch == "\n":
            out.extend(space)
            space = []
            out.extend(word)
            word = []
            out.append(ch)
            current = 0
        elif ch.isspace() and ch != "\u00a0":
            if not space or word:
                current += len(space) + len(word)
                out.extend(space)
                space = []
                out.extend(word)
                word = []
            space.append(ch)
        else:
            word.append(ch)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def indent(amount: int, text: str) -> str:
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


# -- template pieces ----------------------------------------------------------------------------------
def type_guess(schema: dict[str, Any], doc: dict[str, Any]) -> str:
    if schema.get("items"):
        return "[]" + type_guess(schema["items"], doc)
    ap = schema.get("additionalProperties")
    if ap and not isinstance(ap, bool):
        return "map[string]" + type_guess(ap, doc)
    if schema.get("allOf") and not schema.get("properties") and len(schema["allOf"]) == 1:
        return type_guess(schema["allOf"][0], doc)
    ref = schema.get("$ref")
    if ref:
        target = _resolve(ref, doc)
        if not target or not target.get("type") or target.get("type") == "object":
            name = ref.split("/")[-1]
            return name.split(".")[-1] or "Object"
        return target.get("type") or "Object"
    if schema.get("type") == "object":
        return "Object"
    return schema.get("type") or "Object"


def _enum_text(element: Any) -> str:
    if element == "":
        return '""'
    if isinstance(element, bool):
        return "true" if element else "false"
    return str(element)


def extract_enum(schema: dict[str, Any], *, long_view: bool, limit: int, indent_amount: int = 0) -> str:
    values = schema.get("enum")
    if not values:
        return ""
    out = "ENUM:" if long_view else "\n" + " " * indent_amount + "enum: "
    for i, element in enumerate(values):
        if limit > -1 and i >= limit:
            out += ", ...."
            break
        if i > 0 and not long_view:
            out += ", "
        elif long_view:
            out += "\n    "
        out += _enum_text(element)
    return out


def description(schema: dict[str, Any], doc: dict[str, Any]) -> str:
    node = _resolve(schema.get("$ref", ""), doc) or schema
    out = ""
    if node.get("description"):
        out += node["description"] + "\n"
    for sub in node.get("allOf") or []:
        out += description(sub, doc)
    if node.get("items"):
        out += description(node["items"], doc)
    ap = node.get("additionalProperties")
    if ap and not isinstance(ap, bool):
        out += description(ap, doc)
    return out


def external_docs(schema: dict[str, Any]) -> str:
    ext = schema.get("externalDocs")
    if not ext:
        return ""
    out = "EXTERNAL DOCS:\n"
    if ext.get("description"):
        out += indent(4, wrap(ext["description"], 76)) + "\n"
    if ext.get("url"):
        out += indent(4, "URL: " + ext["url"]) + "\n"
    return out


def field_detail(name: str, schema: dict[str, Any], short: bool, level: int, doc: dict[str, Any]) -> str:
    amount = level * 2
    field = schema["properties"][name]
    out = indent(amount, name) + "\t<" + type_guess(field, doc) + ">"
    if name in (schema.get("required") or []):
        out += " -required-"
    out += extract_enum(field, long_view=False, limit=4, indent_amount=amount)
    out += "\n"
    if not short:
        out += indent(amount + 2, wrap(field.get("description") or "<no description>", 78 - amount)) + "\n"
        ext = field.get("externalDocs")
        if ext:
            out += "\n" + indent(amount + 2, "EXTERNAL DOCS:") + "\n"
            if ext.get("description"):
                out += indent(amount + 4, wrap(ext["description"], 76 - amount)) + "\n"
            if ext.get("url"):
                out += indent(amount + 4, "URL: " + ext["url"]) + "\n"
        out += "\n"
    return out


def field_list(schema: dict[str, Any], level: int, doc: dict[str, Any], recursive: bool, max_depth: int,
               history: set[str]) -> str:
    ref = schema.get("$ref", "")
    if ref and ref in history:
        return ""
    history = history | {ref}
    node = _resolve(ref, doc) or schema
    out = ""
    for key in sorted(node.get("properties") or {}):
        out += field_detail(key, node, recursive, level, doc)
        if recursive and (max_depth == 0 or level < max_depth):
            out += field_list(node["properties"][key], level + 1, doc, recursive, max_depth, history)
    for sub in node.get("allOf") or []:
        out += field_list(sub, level, doc, recursive, max_depth, history)
    if node.get("items"):
        out += field_list(node["items"], level, doc, recursive, max_depth, history)
    ap = node.get("additionalProperties")
    if ap and not isinstance(ap, bool):
        out += field_list(ap, level, doc, recursive, max_depth, history)
    return out


def output(schema: dict[str, Any], path: list[str], doc: dict[str, Any], recursive: bool, max_depth: int,
           history: set[str]) -> str:
    ref = schema.get("$ref", "")
    node = _resolve(ref, doc) or schema
    if not path:
        out = "DESCRIPTION:\n" + indent(4, wrap(description(node, doc) or "<empty>", 76)) + "\n"
        ext = external_docs(node)
        if ext:
            out += "\n" + ext
        fields = field_list(node, 1, doc, recursive, max_depth, set())
        if fields:
            out += "FIELDS:\n" + fields
        return out
    if ref and ref in history:
        return ""
    history = history | {ref}
    props = node.get("properties") or {}
    if path[0] in props:
        sub = props[path[0]]
        out = ""
        if len(path) == 1:
            out = f"FIELD: {path[0]} <{type_guess(sub, doc)}>\n" + extract_enum(sub, long_view=True, limit=-1) \
                + "\n\n"
        return out + output(sub, path[1:], doc, recursive, max_depth, set())
    if node.get("items"):
        return output(node["items"], path, doc, recursive, max_depth, history)
    ap = node.get("additionalProperties")
    if ap and not isinstance(ap, bool):
        return output(ap, path, doc, recursive, max_depth, history)
    for sub in node.get("allOf") or []:
        text = output(sub, path, doc, recursive, max_depth, history)
        if text:
            return text
    return ""


def explain_text(resource: str, path: list[str], *, recursive: bool = False, max_depth: int = 0) -> str:
    rt = lookup_type(resource)
    if rt.group not in ("", "apps"):
        raise KubectlError(f'couldn\'t find resource for "{rt.group}/{rt.version}, Resource={rt.plural}"')
    doc = _document(rt.group)
    target = None
    for schema in doc.values():
        for gvk in schema.get("x-kubernetes-group-version-kind") or []:
            if gvk.get("kind") == rt.kind and gvk.get("group", "") == rt.group and gvk.get("version") == rt.version:
                target = schema
                break
        if target is not None:
            break
    if target is None:
        raise KubectlError(f'couldn\'t find resource for "{rt.api_version}, Resource={rt.plural}"')
    head = (f"GROUP:      {rt.group}\n" if rt.group else "") + f"KIND:       {rt.kind}\nVERSION:    {rt.version}\n\n"
    body = output(target, path, doc, recursive, max_depth, set())
    if not body:
        raise KubectlError(f'field "{path[-1]}" does not exist')
    return head + body + "\n"


def explain(inv: Invocation) -> int:
    args = inv.args
    if not args:
        raise KubectlError('You must specify the type of resource to explain. Use "kubectl api-resources" for a '
                           "complete list of supported resources.\n")
    if len(args) > 1:
        raise KubectlError("We accept only this format: explain RESOURCE\n")
    recursive = inv.flags.bool("recursive")
    max_depth = inv.flags.int("max-depth") if "max-depth" in inv.flags.fs.defs else 0
    if "max-depth" in inv.flags.changed and not recursive:
        raise KubectlError("--max-depth requires --recursive")
    if max_depth < 0:
        raise KubectlError("--max-depth must be non-negative")
    resource, *path = args[0].split(".")
    inv.out(explain_text(resource, [p for p in path if p], recursive=recursive, max_depth=max_depth))
    return 0
