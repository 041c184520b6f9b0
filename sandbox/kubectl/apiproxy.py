"""What ``kubectl proxy`` serves on its local port: the apiserver's REST reads and its service/pod proxy
subresources, answered from the lab's cluster (the apiserver itself forwards proxy requests to one
endpoint it picks, over the data plane from the control plane node)."""

from __future__ import annotations

import json
import re
from typing import Any

from sandbox.api import errors
from sandbox.api.errors import ApiError
from sandbox.api.resources import by_plural
from sandbox.workloads.http import HttpRequest, HttpResponse

#: kubectl proxy's default --reject-paths (pkg/cmd/proxy): exec/attach go through it only on request.
REJECT_PATHS = (re.compile(r"^/api/.*/pods/.*/exec"), re.compile(r"^/api/.*/pods/.*/attach"))
#: kubectl proxy's default --accept-hosts.
ACCEPT_HOSTS = r"^localhost$,^127\.0\.0\.1$,^\[::1\]$"
_PROXY = re.compile(r"^/api/v1/namespaces/([^/]+)/(services|pods)/([^/]+)/proxy(/.*)?$")
_READ = re.compile(r"^/(?:api/v1|apis/([^/]+)/([^/]+))(?:/namespaces/([^/]+))?/([a-z]+)(?:/([^/]+))?/?$")
#: The apiserver's non-resource paths that ``GET /`` lists besides the API groups.
_ROOT_EXTRA = ("/.well-known/openid-configuration", "/healthz", "/livez", "/metrics", "/openapi/v2",
               "/openapi/v3", "/openapi/v3/", "/openid/v1/jwks", "/readyz", "/version")
_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"}


def _pretty(req: HttpRequest) -> bool:
    """apiserver isPrettyPrint: ``?pretty=``, else curl/Wget/browser user agents get indented JSON."""
    m = re.search(r"[?&]pretty=([^&]*)", req.path)
    if m:
        return m.group(1).lower() in ("1", "t", "true")
    agent = req.header("User-Agent") or ""
    return agent.startswith(("curl", "Wget", "Mozilla/5.0"))


def _json(req: HttpRequest, status: int, obj: dict[str, Any]) -> HttpResponse:
    body = (json.dumps(obj, indent=2) if _pretty(req) else json.dumps(obj, separators=(",", ":"))) + "\n"
    return HttpResponse(status=status, headers=[("Cache-Control", "no-cache, private"),
                                                ("Content-Type", "application/json")], body=body)


def _status(req: HttpRequest, err: ApiError) -> HttpResponse:
    st = err.status()
    out = {k: st[k] for k in ("kind", "apiVersion", "metadata", "status", "message", "reason") if k in st}
    if "details" in st:
        out["details"] = st["details"]
    out["code"] = st["code"]
    return _json(req, err.code, out)


def _text(status: int, body: str) -> HttpResponse:
    return HttpResponse(status=status, headers=[("Content-Type", "text/plain; charset=utf-8"),
                                                ("X-Content-Type-Options", "nosniff")], body=body)


def _wire(obj: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys in the Go struct order the apiserver encodes (kind, apiVersion, metadata, ...)."""
    order = ("kind", "apiVersion", "metadata", "spec", "status")
    out = {k: obj[k] for k in order if k in obj}
    out.update((k, v) for k, v in obj.items() if k not in out)
    return out


def _root_paths() -> list[str]:
    from sandbox.api.resources import RESOURCES

    paths = {"/api", "/api/v1", "/apis", "/apis/", *_ROOT_EXTRA}
    for rt in RESOURCES:
        if rt.group:
            paths.update((f"/apis/{rt.group}", f"/apis/{rt.group}/{rt.version}"))
    return sorted(paths)


class ApiProxy:
    """The handler a running ``kubectl proxy`` registers on its node's loopback port."""

    def __init__(self, cluster: Any, *, api_prefix: str = "/", accept_hosts: str = ACCEPT_HOSTS) -> None:
        self.cluster = cluster
        self.api_prefix = api_prefix
        self.accept_hosts = [re.compile(p) for p in accept_hosts.split(",") if p]

    def handle_http(self, req: HttpRequest) -> HttpResponse:
        path = req.path.split("?", 1)[0]
        host = (req.header("Host") or "").rsplit(":", 1)[0] if not (req.header("Host") or "").endswith("]") \
            else req.header("Host") or ""
        # kubectl proxy's FilterServer: a rejected path or host gets 403 and this body
        if any(r.search(path) for r in REJECT_PATHS) or not any(r.search(host) for r in self.accept_hosts):
            return HttpResponse(status=403, headers=[("Content-Type", "text/html; charset=utf-8")],
                                body="<h3>Unauthorized</h3>")
        try:
            m = _PROXY.match(path)
            if m:
                return self._proxy(req, m.group(1), m.group(2), m.group(3), m.group(4))
            return self._read(req, path)
        except ApiError as e:
            return _status(req, e)

    # ---- plain API reads ---------------------------------------------------------------------------
    def _read(self, req: HttpRequest, path: str) -> HttpResponse:
        from sandbox.kubectl.cmd_misc import SERVER_VERSION

        if path in ("/version", "/version/"):
            return _json(req, 200, dict(SERVER_VERSION))
        if path in ("/api", "/api/"):
            cp = next(iter(self.cluster.network.node_ips.items()))
            return _json(req, 200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": f"{cp[1]}:6443"}]})
        if path == "/" and req.method in ("GET", "HEAD"):
            return _json(req, 200, {"paths": _root_paths()})
        m = _READ.match(path)
        if not m or req.method not in ("GET", "HEAD"):
            return _text(404, "404 page not found\n")
        group, version, ns, plural, name = m.group(1) or "", m.group(2) or "v1", m.group(3), m.group(4), m.group(5)
        try:
            rt = by_plural(plural)
        except KeyError:
            return _text(404, "404 page not found\n")
        if rt.group != group or rt.version != version or (ns is not None and not rt.namespaced):
            return _text(404, "404 page not found\n")
        if name is not None:
            return _json(req, 200, _wire(self.cluster.get(plural, ns if rt.namespaced else None, name)))
        items = []
        for obj in self.cluster.list(plural, ns if rt.namespaced else None):
            item = _wire(obj)
            item.pop("kind", None)       # a typed list's items carry no kind/apiVersion
            item.pop("apiVersion", None)
            items.append(item)
        rv = str(self.cluster.store.resource_version)
        api_version = f"{group}/{version}" if group else version
        return _json(req, 200, {"kind": f"{rt.kind}List", "apiVersion": api_version,
                                "metadata": {"resourceVersion": rv},
                                "items": items})

    # ---- the proxy subresources --------------------------------------------------------------------
    def _proxy(self, req: HttpRequest, ns: str, plural: str, ref: str, rest: str | None) -> HttpResponse:
        name, _, port = ref.partition(":")
        if ":" in port:                       # scheme:name:port
            _scheme, name, port = ref.split(":", 2)
        obj = self.cluster.get(plural, ns, name)
        if rest is None:
            # the apiserver's proxy handler redirects ".../proxy" to ".../proxy/" (curl -L follows)
            query = req.path[len(req.path.split("?", 1)[0]):]
            return HttpResponse(status=301, headers=[("Location", req.path.split("?", 1)[0] + "/" + query),
                                                     ("Content-Length", "0")], body="")
        target = self._service_target(obj, name, port) if plural == "services" else self._pod_target(obj, port)
        query = req.path[len(req.path.split("?", 1)[0]):]
        return self._forward(req, target, rest + query)

    def _service_target(self, svc: dict[str, Any], name: str, port: str) -> tuple[str, int]:
        unavailable = ApiError("ServiceUnavailable", f'no endpoints available for service "{name}"', 503)
        port_name = None
        for sp in (svc.get("spec") or {}).get("ports") or []:
            if not port or str(sp.get("port")) == port or sp.get("name") == port:
                port_name = sp.get("name") or ""
                break
        if port_name is None:
            raise unavailable
        meta = svc.get("metadata") or {}
        try:
            eps = self.cluster.get("endpoints", meta.get("namespace"), name)
        except ApiError:
            raise unavailable from None
        choices = []
        for subset in eps.get("subsets") or []:
            for p in subset.get("ports") or []:
                if (p.get("name") or "") == port_name:
                    choices.extend((a["ip"], int(p["port"])) for a in subset.get("addresses") or [])
        if not choices:
            raise unavailable
        return choices[self.cluster.rng.randrange(len(choices))] if len(choices) > 1 else choices[0]

    @staticmethod
    def _pod_target(pod: dict[str, Any], port: str) -> tuple[str, int]:
        ip = (pod.get("status") or {}).get("podIP")
        if not ip:
            raise errors.bad_request("address not allowed")  # pragma: no cover - a pod without an IP
        if port and not port.isdigit():
            for c in (pod.get("spec") or {}).get("containers") or []:
                for p in c.get("ports") or []:
                    if p.get("name") == port:
                        return ip, int(p["containerPort"])
        return ip, int(port) if port else 80

    def _forward(self, req: HttpRequest, target: tuple[str, int], path: str) -> HttpResponse:
        from sandbox.network.models import Source

        net = self.cluster.network
        node, node_ip = next(iter(net.node_ips.items()))     # the apiserver runs on the control plane
        src = Source(kind="node", node=node, ip=node_ip)
        ip, port = target
        headers = [(k, v) for k, v in req.headers if k.lower() not in _HOP and k.lower() != "host"]
        headers.insert(0, ("Host", f"{ip}:{port}"))
        out = net.http(src, req.method, ip, port, path, headers, body=req.body)
        conn = out.connection
        if conn.result != "ok":
            why = {"refused": "connect: connection refused", "unreachable": "connect: no route to host"}.get(
                conn.result, "i/o timeout")
            return _text(503, f"Error trying to reach service: dial tcp {ip}:{port}: {why}")
        if out.status is None:
            return _text(502, "Error trying to reach service: EOF")
        hdrs = [(k, v) for k, v in out.headers if k.lower() not in _HOP]
        return HttpResponse(status=out.status, reason=out.reason, headers=hdrs, body=out.body,
                            head_only=req.method == "HEAD")
