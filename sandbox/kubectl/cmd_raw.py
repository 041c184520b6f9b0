"""``kubectl get --raw PATH``: the apiserver's own bytes for health checks, discovery and object paths."""

from __future__ import annotations

import json
from typing import Any

from sandbox.api import resources
from sandbox.api.errors import ApiError
from sandbox.kubectl.errors import KubectlError
from sandbox.kubectl.invocation import Invocation

_HEALTH = ("/healthz", "/livez", "/readyz")


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def raw(inv: Invocation, path: str) -> int:
    if inv.args:
        raise KubectlError("arguments may not be passed when --raw is specified")
    cluster = inv.cluster
    clean, _, query = path.partition("?")
    if clean in _HEALTH:
        if "verbose" in query:
            name = clean.strip("/")
            inv.out(f"[+]ping ok\n[+]log ok\n[+]etcd ok\n{name} check passed\n")
        else:
            inv.out("ok")
        return 0
    if clean == "/version":
        from sandbox.kubectl.cmd_misc import SERVER_VERSION

        inv.out(json.dumps(SERVER_VERSION, indent=2) + "\n")
        return 0
    parts = [p for p in clean.split("/") if p]
    try:
        body = _object_path(cluster, parts)
    except ApiError as exc:
        raise ApiError(exc.reason, exc.message, exc.code) from None
    if body is None:
        raise ApiError("NotFound", "the server could not find the requested resource", 404)
    inv.out(_compact(body))
    return 0


def _object_path(cluster: Any, parts: list[str]) -> Any:
    from sandbox.kubectl.output import struct_order

    if parts[:2] == ["api", "v1"]:
        group, rest = "", parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, rest = parts[1], parts[3:]
    else:
        return None
    namespace = None
    if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
        namespace, rest = rest[1], rest[2:]
    if not rest:
        return None
    rt = resources.lookup(rest[0] if not group else f"{rest[0]}.{group}")
    if rt is None or rt.plural != rest[0]:
        return None
    if len(rest) >= 2:
        return struct_order(dict(cluster.get(rt.plural, namespace if rt.namespaced else None, rest[1])))
    items = []
    for obj in cluster.list(rt.plural, namespace):
        ordered = struct_order(dict(obj))
        items.append({k: v for k, v in ordered.items() if k not in ("kind", "apiVersion")})
    return {"kind": f"{rt.kind}List", "apiVersion": rt.api_version,
            "metadata": {"resourceVersion": str(getattr(cluster.store, "resource_version", 0))}, "items": items}
