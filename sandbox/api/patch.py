"""The three patch types ``kubectl patch`` sends: strategic merge, JSON merge (RFC 7386), JSON (RFC 6902).

Strategic merge follows apimachinery's strategicpatch for the lists kubectl users patch: lists of
objects with a patchMergeKey are merged item by item (containers/env/volumes by ``name``, container
ports by ``containerPort``, Service ports by ``port``...), ``finalizers`` is a merged set, every other
list is replaced; ``null`` deletes a key; the ``$patch: delete|replace``, ``$retainKeys``,
``$setElementOrder/<list>`` and ``$deleteFromPrimitiveList/<list>`` directives are honoured.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sandbox.api.errors import ApiError, bad_request

_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
_MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
    "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath", "imagePullSecrets": "name",
    "hostAliases": "ip", "topologySpreadConstraints": "topologyKey", "conditions": "type",
    "ownerReferences": "uid", "resourceClaims": "name", "addresses": "type", "containerStatuses": "name",
}
_MERGED_PRIMITIVE_LISTS = frozenset({"finalizers"})


def _merge_key(field: str, path: tuple[str, ...]) -> str | None:
    if field == "ports":
        return "containerPort" if any(p in _CONTAINER_LISTS for p in path) else "port"
    if field == "addresses" and "status" not in path:
        return None  # EndpointSubset addresses have no merge key; only NodeStatus.addresses does
    return _MERGE_KEYS.get(field)


def strategic_merge(original: Any, patch: Any, path: tuple[str, ...] = ()) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if patch.get("$patch") == "delete":
        return None
    result = copy.deepcopy(original) if isinstance(original, dict) else {}
    retain = patch.get("$retainKeys")
    for key, value in patch.items():
        if key in ("$patch", "$retainKeys") or key.startswith("$setElementOrder/"):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            if isinstance(result.get(field), list) and isinstance(value, list):
                result[field] = [v for v in result[field] if v not in value]
            continue
        if value is None:
            result.pop(key, None)
            continue
        current = result.get(key)
        if isinstance(value, dict):
            merged = strategic_merge(current, value, path + (key,))
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
        elif isinstance(value, list):
            result[key] = _merge_list(key, current, value, path + (key,))
        else:
            result[key] = value
    for key, order in patch.items():
        if key.startswith("$setElementOrder/") and isinstance(order, list):
            field = key.split("/", 1)[1]
            if isinstance(result.get(field), list):
                result[field] = _apply_order(result[field], order, _merge_key(field, path + (field,)))
    if isinstance(retain, list):
        result = {k: v for k, v in result.items() if k in retain}
    return result


def _apply_order(items: list, order: list, key: str | None) -> list:
    """$setElementOrder: listed elements first, in the given order; the rest keep their relative order."""
    def ident(item: Any) -> Any:
        if key is not None and isinstance(item, dict):
            return item.get(key)
        if isinstance(item, dict) and key is None:
            return json.dumps(item, sort_keys=True)
        return item

    wanted = [ident(o) for o in order]
    rank = {w: i for i, w in enumerate(wanted) if isinstance(w, str | int | float | bool)}
    listed = [i for i in items if ident(i) in rank]
    listed.sort(key=lambda i: rank[ident(i)])
    rest = [i for i in items if ident(i) not in rank]
    return listed + rest


def _merge_list(field: str, current: Any, patch: list, path: tuple[str, ...]) -> list:
    if any(isinstance(i, dict) and i.get("$patch") == "replace" for i in patch):
        return [copy.deepcopy(i) for i in patch if not (isinstance(i, dict) and i.get("$patch") == "replace")]
    if field in _MERGED_PRIMITIVE_LISTS:
        out = list(current) if isinstance(current, list) else []
        for v in patch:
            if v not in out:
                out.append(v)
        return out
    key = _merge_key(field, path)
    if key is None or not isinstance(current, list) or not all(isinstance(i, dict) for i in patch):
        return [copy.deepcopy(i) for i in patch]
    out = [copy.deepcopy(i) for i in current]
    for item in patch:
        k = item.get(key)
        idx = next((n for n, existing in enumerate(out) if isinstance(existing, dict) and existing.get(key) == k),
                   None)
        if item.get("$patch") == "delete":
            if idx is not None:
                out.pop(idx)
            continue
        if idx is None:
            out.append(strategic_merge({}, item, path))
        else:
            out[idx] = strategic_merge(out[idx], item, path)
    return out


def json_merge(original: Any, patch: Any) -> Any:
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(original) if isinstance(original, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge(result.get(key), value)
    return result


# ---------------------------------------------------------------------------- RFC 6902
class PatchApplyError(Exception):
    """json-patch's own error text (the apiserver does not pass it on, see apply_patch)."""


#: NewGenericServerResponse(422, ...) drops json-patch's message: this is all a learner sees.
JSON_PATCH_FAILED = "the server rejected our request due to an error in our request"


def _invalid(message: str) -> PatchApplyError:
    return PatchApplyError(message)


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise _invalid(f'jsonpatch: invalid JSON pointer "{pointer}"')
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _parent(doc: Any, pointer: str, op: str) -> tuple[Any, str]:
    toks = _tokens(pointer)
    if not toks:
        raise _invalid(f"jsonpatch {op} operation does not apply: doc is missing path: {pointer}")
    cur = doc
    for t in toks[:-1]:
        if isinstance(cur, dict) and t in cur:
            cur = cur[t]
        elif isinstance(cur, list) and t.isdigit() and int(t) < len(cur):
            cur = cur[int(t)]
        else:
            raise _invalid(f'jsonpatch {op} operation does not apply: doc is missing path: "{pointer}": missing value')
    return cur, toks[-1]


def _get(doc: Any, pointer: str, op: str) -> Any:
    cur = doc
    for t in _tokens(pointer):
        if isinstance(cur, dict) and t in cur:
            cur = cur[t]
        elif isinstance(cur, list) and t.isdigit() and int(t) < len(cur):
            cur = cur[int(t)]
        else:
            raise _invalid(f"jsonpatch {op} operation does not apply: doc is missing path: {pointer}")
    return cur


def _add(doc: Any, pointer: str, value: Any, op: str = "add") -> Any:
    if pointer == "":
        return copy.deepcopy(value)
    parent, last = _parent(doc, pointer, op)
    if isinstance(parent, dict):
        parent[last] = copy.deepcopy(value)
    elif isinstance(parent, list):
        if last == "-":
            parent.append(copy.deepcopy(value))
        elif last.isdigit() and int(last) <= len(parent):
            parent.insert(int(last), copy.deepcopy(value))
        else:
            raise _invalid(f"Unable to access invalid index: {last}")
    else:
        raise _invalid(f'jsonpatch {op} operation does not apply: doc is missing path: "{pointer}": missing value')
    return doc


def _remove(doc: Any, pointer: str, op: str = "remove") -> Any:
    parent, last = _parent(doc, pointer, op)
    if isinstance(parent, dict) and last in parent:
        return parent.pop(last)
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent.pop(int(last))
    if op == "replace":
        raise _invalid(f"jsonpatch replace operation does not apply: doc is missing key: {pointer}")
    raise _invalid(f"jsonpatch {op} operation does not apply: doc is missing path: {pointer}")


def json_patch(doc: Any, ops: Any) -> Any:
    if not isinstance(ops, list):
        raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = copy.deepcopy(doc)
    for op in ops:
        if not isinstance(op, dict):
            raise bad_request("json: cannot unmarshal string into Go value of type jsonpatch.Operation")
        kind = op.get("op")
        path = op.get("path")
        if kind is None:
            raise _invalid("Unexpected kind: unknown")
        if path is None and kind in ("add", "remove", "replace", "move", "copy", "test"):
            raise _invalid(f"jsonpatch {kind} operation does not apply: doc is missing path: ")
        if kind == "add":
            doc = _add(doc, path, op.get("value"))
        elif kind == "remove":
            _remove(doc, path)
        elif kind == "replace":
            if path == "":
                doc = copy.deepcopy(op.get("value"))
                continue
            _remove(doc, path, "replace")
            doc = _add(doc, path, op.get("value"), "replace")
        elif kind == "move":
            value = _remove(doc, op.get("from", ""), "move")
            doc = _add(doc, path, value, "move")
        elif kind == "copy":
            value = _get(doc, op.get("from", ""), "copy")
            doc = _add(doc, path, value, "copy")
        elif kind == "test":
            try:
                have = _get(doc, path, "test")
            except PatchApplyError:
                have = None
            if json.dumps(have, sort_keys=True) != json.dumps(op.get("value"), sort_keys=True):
                raise _invalid(f"testing value {path} failed: test failed")
        else:
            raise _invalid(f"Unexpected kind: {kind}")
    return doc


def apply_patch(original: dict, patch: Any, patch_type: str = "strategic", *, kind: str = "") -> Any:
    """Apply ``patch`` of ``patch_type`` ("strategic" | "merge" | "json") to a copy of ``original``."""
    if patch_type == "json":
        try:
            return json_patch(original, patch)
        except PatchApplyError as exc:
            raise ApiError("Invalid", JSON_PATCH_FAILED, 422) from exc
    if not isinstance(patch, dict):
        raise bad_request(f"json: cannot unmarshal {_json_kind(patch)} into Go value of type map[string]interface {{}}")
    if patch_type == "merge":
        return json_merge(original, patch)
    if patch_type == "strategic":
        return strategic_merge(original, patch)
    raise bad_request(f"unknown patch type: {patch_type}")


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return "null"
