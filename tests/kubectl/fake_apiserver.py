"""A tiny local API server for the differential tests: discovery plus GETs of a few fixed objects.

``kubectl run`` and ``kubectl expose`` need discovery (and expose reads the exposed object) even with
``--dry-run=client``; this serves just that over plain HTTP on 127.0.0.1, so the real binary can run
those generators and be compared with ours.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sandbox.api import resources


def _resource_list(group_version: str) -> dict[str, Any]:
    items = []
    for rt in resources.RESOURCES:
        if rt.api_version != group_version:
            continue
        items.append({"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced,
                      "kind": rt.kind, "verbs": list(rt.verbs), "shortNames": list(rt.short_names),
                      "categories": list(rt.categories)})
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": items}


def _groups() -> dict[str, Any]:
    groups = []
    for name in ("apps", "discovery.k8s.io"):
        gv = {"groupVersion": f"{name}/v1", "version": "v1"}
        groups.append({"name": name, "versions": [gv], "preferredVersion": gv})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


class FakeApiServer:
    """Serves discovery and the objects given (keyed by API path) until ``close()``."""

    def __init__(self, objects: dict[str, dict[str, Any]]) -> None:
        routes: dict[str, Any] = {
            "/api": {"kind": "APIVersions", "versions": ["v1"],
                     "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]},
            "/apis": _groups(),
            "/api/v1": _resource_list("v1"),
            "/apis/apps/v1": _resource_list("apps/v1"),
            "/apis/discovery.k8s.io/v1": _resource_list("discovery.k8s.io/v1"),
            "/version": {"major": "1", "minor": "37", "gitVersion": "v1.37.1"},
        }
        routes.update(objects)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                path = self.path.split("?", 1)[0]
                body = routes.get(path)
                if body is None:
                    parts = path.strip("/").split("/")
                    group = parts[1] if parts[0] == "apis" and len(parts) > 1 else ""
                    plural = parts[-2] if len(parts) > 1 else path
                    qualified = f"{plural}.{group}" if group else plural
                    status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                              "message": f'{qualified} "{parts[-1]}" not found', "reason": "NotFound",
                              "details": {"name": parts[-1], "group": group, "kind": plural}, "code": 404}
                    self._send(404, status)
                    return
                self._send(200, body)

            def _send(self, code: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
