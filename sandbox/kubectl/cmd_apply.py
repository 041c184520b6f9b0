"""``kubectl apply`` (client-side): last-applied annotation and a three-way strategic merge patch.

For each object: absent -> create it with the annotation (``created``); present -> patch computed
from (last-applied, file, live): fields the file sets that differ from live are set, fields the
previous apply set but the file no longer has are deleted, keyed lists merge by their merge key.
An empty patch is ``unchanged``; otherwise ``configured``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sandbox.api import resources
from sandbox.api.errors import ApiError
from sandbox.kubectl import manifests
from sandbox.kubectl.cmd_create import place_namespace, server_view, validation_directive
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import make_printer

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def go_json_compact(value: Any, *, sort: bool = True) -> str:
    """encoding/json output: no spaces, HTML-escaped; unstructured maps have sorted keys."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=sort, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def last_applied_json(obj: dict[str, Any]) -> str:
    """GetModifiedConfiguration: the object without the annotation (``annotations: {}`` kept), + newline."""
    clone = copy.deepcopy(obj)
    md = clone.setdefault("metadata", {})
    annotations = dict(md.get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    md["annotations"] = annotations
    return go_json_compact(clone) + "\n"


def with_annotation(obj: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(obj)
    text = last_applied_json(out)
    md = out.setdefault("metadata", {})
    annotations = dict(md.get("annotations") or {})
    annotations[LAST_APPLIED] = text
    md["annotations"] = annotations
    return out


# -- three-way strategic merge patch ---------------------------------------------------------------------
def _merge_key(field: str, path: tuple[str, ...]) -> str | None:
    try:
        from sandbox.api.patch import _merge_key as engine_key

        return engine_key(field, path)
    except ImportError:  # pragma: no cover - the engine always has it
        return "name" if field in ("containers", "env", "volumes") else None


def three_way(original: Any, modified: Any, current: Any, path: tuple[str, ...] = ()) -> dict[str, Any]:
    """CreateThreeWayMergePatch for maps (strategic): what turns ``current`` into the applied intent."""
    patch: dict[str, Any] = {}
    original = original if isinstance(original, dict) else {}
    current = current if isinstance(current, dict) else {}
    for key, want in modified.items():
        have = current.get(key, _MISSING)
        if isinstance(want, dict) and isinstance(have, dict):
            sub = three_way(original.get(key), want, have, (*path, key))
            if sub:
                patch[key] = sub
        elif isinstance(want, list) and isinstance(have, list):
            mk = _merge_key(key, path)
            if mk and all(isinstance(i, dict) for i in want + have):
                sub_list = _keyed_list(original.get(key), want, have, mk, (*path, key))
                if sub_list:
                    patch[key] = sub_list
            elif want != have:
                patch[key] = want
        elif have is _MISSING or want != have:
            patch[key] = want
    for key in original:
        if key not in modified and key in current:
            patch[key] = None
    return patch


_MISSING = object()


def _keyed_list(original: Any, want: list[Any], have: list[Any], mk: str, path: tuple[str, ...]) -> list[Any]:
    out: list[Any] = []
    by_key = {item.get(mk): item for item in have}
    orig_by_key = {item.get(mk): item for item in (original or []) if isinstance(item, dict)}
    want_keys = set()
    for item in want:
        k = item.get(mk)
        want_keys.add(k)
        cur = by_key.get(k)
        if cur is None:
            out.append(item)
            continue
        sub = three_way(orig_by_key.get(k), item, cur, path)
        if sub:
            out.append({mk: k, **sub})
    for k in orig_by_key:
        if k not in want_keys and k in by_key:
            out.append({"$patch": "delete", mk: k})
    return out


# -- the command -----------------------------------------------------------------------------------------
def apply(inv: Invocation) -> int:
    files = inv.flags.list("filename")
    if not files and not inv.flags.str("kustomize"):
        raise KubectlError("error: must specify one of -f and -k")
    dry = inv.dry_run()
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    validation_directive(inv)
    printer_created = make_printer(inv, operation="created" + suffix)
    printer_configured = make_printer(inv, operation="configured" + suffix)
    printer_unchanged = make_printer(inv, operation="unchanged" + suffix)
    items = manifests.read(inv, files, recursive=inv.flags.bool("recursive"))
    cluster = inv.cluster
    errors: list[Exception] = []
    count = 0
    for m in items:
        obj = copy.deepcopy(m.obj)
        try:
            place_namespace(inv, obj, m.source)
            rt = resources.by_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
            assert rt is not None
            md = obj.get("metadata") or {}
            name = md.get("name", "")
            if not name:
                raise KubectlError(f'error when retrieving current configuration of:\nResource: "{_gvr(rt)}", '
                                   f'GroupVersionKind: "{_gvk(rt)}"\nName: "", Namespace: "{md.get("namespace", "")}"'
                                   f'\nfrom server for: "{m.source}": resource name may not be empty')
            ns = md.get("namespace") if rt.namespaced else None
            modified = with_annotation(obj)
            try:
                current = cluster.get(rt.plural, ns, name)
            except ApiError as exc:
                if exc.reason != "NotFound":
                    raise
                current = None
            if current is None:
                result = modified
                if dry != "client":
                    try:
                        result = cluster.create(modified, dry_run=dry == "server")
                    except ApiError as exc:
                        raise exc.with_source("creating", m.source) from None
                inv.out(printer_created.render(server_view(result)))
                count += 1
                continue
            annotations = (current.get("metadata") or {}).get("annotations") or {}
            original_text = annotations.get(LAST_APPLIED)
            if original_text is None:
                inv.warn(f"resource {rt.plural}{'.' + rt.group if rt.group else ''}/{name} is missing the "
                         f"{LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only "
                         "be used on resources created declaratively by either kubectl create --save-config or "
                         "kubectl apply. The missing annotation will be patched automatically.")
                original: dict[str, Any] = {}
            else:
                try:
                    original = json.loads(original_text)
                except ValueError:
                    original = {}
            patch = three_way(original, modified, current)
            if not patch:
                inv.out(printer_unchanged.render(server_view(current)))
                count += 1
                continue
            result = current
            if dry != "client":
                try:
                    result = cluster.patch(rt.plural, ns, name, patch, "strategic", dry_run=dry == "server")
                except ApiError as exc:
                    info = (f'Resource: "{_gvr(rt)}", GroupVersionKind: "{_gvk(rt)}"\n'
                            f'Name: "{name}", Namespace: "{ns or ""}"')
                    inner = exc.with_source("patching", m.source)
                    raise inner.with_source(f"applying patch:\n{go_json_compact(patch)}\nto:\n{info}\nfor:",
                                            m.source) from None
            inv.out(printer_configured.render(server_view(result)))
            count += 1
        except (ApiError, KubectlError) as exc:
            errors.append(exc)
    if errors:
        raise AggregateError(errors)
    if count == 0:
        raise KubectlError("no objects passed to apply")
    return 0


def _gvr(rt: Any) -> str:
    return f"{rt.group}/{rt.version}, Resource={rt.plural}" if rt.group else f"/{rt.version}, Resource={rt.plural}"


def _gvk(rt: Any) -> str:
    return f"{rt.group}/{rt.version}, Kind={rt.kind}" if rt.group else f"/{rt.version}, Kind={rt.kind}"
