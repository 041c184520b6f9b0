"""describe and custom-columns byte for byte against the real kubectl, through a stub API server.

``kubectl describe`` and ``-o custom-columns`` do all their formatting client-side: they only GET
and LIST objects. A tiny in-process HTTP server answers discovery and serves the objects of one of
our engine's clusters, so the real binary prints the very objects our printers print. Ages depend
on the wall clock of the real binary, so every timestamp is shifted far into the past first
(``400d`` is stable across the two runs).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from sandbox.api import resources
from sandbox.kubectl.describe import describe
from sandbox.kubectl.printers import PrintError, custom_columns, print_tables, sort_objects
from sandbox.kubectl.printers.columns import handler_for

KUBECTL = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kubectl"
pytestmark = pytest.mark.skipif(not KUBECTL.exists() and not shutil.which("kubectl"), reason="no kubectl oracle")

SHIFT = timedelta(days=400)
_TIME_KEYS = {"creationTimestamp", "lastTimestamp", "firstTimestamp", "startTime", "startedAt", "finishedAt",
              "lastTransitionTime", "lastHeartbeatTime", "lastUpdateTime", "lastProbeTime", "eventTime",
              "deletionTimestamp"}


def _shift(value: Any, delta: timedelta) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in _TIME_KEYS and isinstance(v, str) and v.endswith("Z"):
                micro = "." in v
                layout = "%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ"
                moment = datetime.strptime(v, layout).replace(tzinfo=UTC) - delta
                out[k] = moment.strftime(layout)
            else:
                out[k] = _shift(v, delta)
        return out
    if isinstance(value, list):
        return [_shift(v, delta) for v in value]
    return value


class StubCluster:
    """The read API our describe uses, over the same (time-shifted) objects the stub serves."""

    def __init__(self, objs: dict[str, list[dict]], now: datetime) -> None:
        self.objs = objs
        self.clock = type("C", (), {"now": now})()

    def list(self, resource: str, namespace: str | None = None, *, label_selector: str | None = None,
             field_selector: str | None = None) -> list[dict]:
        return _select(self.objs.get(resource, []), namespace, label_selector, field_selector)

    def get(self, resource: str, namespace: str | None, name: str) -> dict:
        for obj in self.list(resource, namespace):
            if obj["metadata"]["name"] == name:
                return obj
        raise KeyError(name)


def _field(obj: dict, path: str) -> str:
    cur: Any = obj
    for part in path.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
    return "" if cur is None else str(cur)


def _select(objs: list[dict], namespace: str | None, labels: str | None, fields: str | None) -> list[dict]:
    out = []
    for obj in objs:
        meta = obj.get("metadata") or {}
        if namespace and meta.get("namespace") != namespace:
            continue
        ok = True
        for req in filter(None, (labels or "").split(",")):
            key, _, value = req.partition("=")
            if (meta.get("labels") or {}).get(key) != value:
                ok = False
        for req in filter(None, (fields or "").split(",")):
            if "!=" in req:
                key, _, value = req.partition("!=")
                if _field(obj, key) == value:
                    ok = False
            else:
                key, _, value = req.partition("=")
                if _field(obj, key) != value:
                    ok = False
        if ok:
            out.append(obj)
    return out


_EXTRA_KINDS = {"resourcequotas": "ResourceQuota", "limitranges": "LimitRange", "leases": "Lease"}
_EXTRA_GROUPS = ["coordination.k8s.io"]


class _Handler(BaseHTTPRequestHandler):
    objs: dict[str, list[dict]] = {}

    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass

    def _send(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        url = urlparse(self.path)
        query = parse_qs(url.query)
        parts = [p for p in url.path.split("/") if p]
        if parts == ["api"]:
            return self._send(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]})
        if parts == ["apis"]:
            groups = sorted({r.group for r in resources.RESOURCES if r.group} | set(_EXTRA_GROUPS))
            return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": g, "versions": [{"groupVersion": f"{g}/v1", "version": "v1"}],
                 "preferredVersion": {"groupVersion": f"{g}/v1", "version": "v1"}} for g in groups]})
        if parts in (["api", "v1"], ["apis", *parts[1:2], "v1"]) and len(parts) in (2, 3):
            group = "" if parts[0] == "api" else parts[1]
            return self._send(200, {"kind": "APIResourceList", "apiVersion": "v1",
                                    "groupVersion": f"{group}/v1" if group else "v1", "resources": [
                {"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced, "kind": r.kind,
                 "verbs": list(r.verbs), "shortNames": list(r.short_names), "categories": list(r.categories)}
                for r in resources.RESOURCES if r.group == group]})
        rest = parts[2:] if parts[0] == "api" else parts[3:]
        namespace = None
        if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
            namespace, rest = rest[1], rest[2:]
        resource = rest[0] if rest else ""
        name = rest[1] if len(rest) > 1 else None
        if resource == "namespaces" and len(rest) == 2:
            name = rest[1]
        items = _select(self.objs.get(resource, []), namespace, query.get("labelSelector", [""])[0],
                        query.get("fieldSelector", [""])[0])
        if "as=Table" in (self.headers.get("Accept") or ""):
            if name is not None:
                items = [o for o in items if o["metadata"]["name"] == name]
                if not items:
                    return self._send(404, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                            "status": "Failure", "message": f'{resource} "{name}" not found',
                                            "reason": "NotFound", "code": 404})
            return self._send(200, _table(resource, items, "includeObject=None" not in url.query,
                                          "includeObject=Object" in url.query))
        if name is None:
            rt = resources.by_plural(resource) if resource in {r.plural for r in resources.RESOURCES} else None
            kind = (rt.kind if rt else _EXTRA_KINDS.get(resource, "Object")) + "List"
            api_version = rt.api_version if rt else "v1"
            return self._send(200, {"kind": kind, "apiVersion": api_version, "metadata": {"resourceVersion": "9"},
                                    "items": items})
        for obj in items:
            if obj["metadata"]["name"] == name:
                return self._send(200, obj)
        return self._send(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": f'{resource} "{name}" not found', "reason": "NotFound", "code": 404})


def _table(resource: str, items: list[dict], with_objects: bool, full: bool = False) -> dict:
    """What the apiserver's TableConvertor returns: our printers.go cells (always wide), object metadata."""
    handler = handler_for(resource)
    now = datetime.now(UTC)
    rows = []
    for obj in items:
        row: dict[str, Any] = {"cells": handler.row(obj, now, True)}
        if full:
            row["object"] = obj
        elif with_objects:
            row["object"] = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                             "metadata": obj["metadata"]}
        rows.append(row)
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "9"},
            "columnDefinitions": [{"name": c.name, "type": "string", "format": "name" if c.is_name else "",
                                   "description": "", "priority": c.priority} for c in handler.columns],
            "rows": rows}


@pytest.fixture(scope="module")
def stub(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from sandbox.cluster import Cluster

    cluster = Cluster(seed=7)
    cluster.create({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", "tier": "fe"},
                                 "annotations": {"note": "x" * 150}},
                    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                             "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                                 {"name": "nginx", "image": "nginx:1.27",
                                  "ports": [{"containerPort": 80, "name": "http"}],
                                  "env": [{"name": "MODE", "value": "a\nb"}],
                                  "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
                                  "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                                                "limits": {"memory": "128Mi"}}}]}}}})
    cluster.create({"apiVersion": "v1", "kind": "Service",
                    "metadata": {"name": "web", "namespace": "default"},
                    "spec": {"type": "NodePort", "selector": {"app": "web"},
                             "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}})
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lonely", "namespace": "default"},
                    "spec": {"selector": {"app": "nothing"}, "ports": [{"port": 8080}]}})
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext", "namespace": "default"},
                    "spec": {"type": "ExternalName", "externalName": "example.com"}})
    cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "default"},
                    "data": {"b.txt": "two\nlines", "a.txt": "one"}})
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": "default"},
                    "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}})
    cluster.create({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "namespace": "default"},
                    "spec": {"serviceName": "db", "replicas": 2, "selector": {"matchLabels": {"app": "db"}},
                             "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [
                                 {"name": "db", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"]}]}}}})
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb", "namespace": "default"},
                    "spec": {"type": "LoadBalancer", "selector": {"app": "web"}, "ports": [{"port": 443}],
                             "externalIPs": ["203.0.113.10"]}})
    for name, spec in {
        "crash": {"containers": [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "exit 3"]}]},
        "badimage": {"containers": [{"name": "c", "image": "nosuchimage/xyz:9"}]},
        "done": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox:1.36",
                                                           "command": ["sh", "-c", "echo hi"]}]},
        "withinit": {"initContainers": [{"name": "init", "image": "busybox:1.36", "command": ["sleep", "1"]}],
                     "containers": [{"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"],
                                     "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
                                     "volumeMounts": [{"name": "cfg", "mountPath": "/etc/cfg", "readOnly": True}]}],
                     "volumes": [{"name": "cfg", "configMap": {"name": "cfg"}}, {"name": "tmp", "emptyDir": {}}]},
    }.items():
        cluster.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
                        "spec": spec})
    cluster.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "multi", "namespace": "default",
                                                                   "labels": {"app": "multi"}},
                    "spec": {"terminationGracePeriodSeconds": 600, "nodeSelector": {"kubernetes.io/os": "linux"},
                             "containers": [
                        {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80, "name": "http"},
                                                                         {"containerPort": 443, "hostPort": 8443}],
                         "args": ["--flag", "two\nlines"], "livenessProbe": {"tcpSocket": {"port": 80}},
                         "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}},
                        {"name": "side", "image": "busybox:1.36", "command": ["sleep", "infinity"],
                         "envFrom": [{"configMapRef": {"name": "cfg"}, "prefix": "CFG_"}],
                         "env": [{"name": "S", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "a.txt"}}}]}]}})
    cluster.tick(60)
    cluster.patch("deployments", "default", "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.26"}]}}}}, "strategic")
    cluster.tick(60)
    cluster.delete("pods", "default", "multi")
    cluster.tick(2)
    now = datetime.now(UTC)
    delta = (cluster.clock.now - now) + SHIFT
    objs = {r.plural: [_shift(copy.deepcopy(o), delta) for o in cluster.list(r.plural)]
            for r in resources.RESOURCES if r.plural not in ("bindings", "componentstatuses")}
    cfg = next(o for o in objs["configmaps"] if o["metadata"]["name"] == "cfg")
    stamps = ["2025-10-18T06:00:00Z", "2025-10-18T05:00:00Z", "2025-10-18T06:00:00Z", "2025-10-18T04:00:00Z"]
    for i in range(30):  # > 12 events with ties: Go's pdqsort decides their order, not a stable sort
        objs["events"].append({
            "apiVersion": "v1", "kind": "Event", "count": 1 + i % 3,
            "metadata": {"name": f"cfg.{i:04x}", "namespace": "default"},
            "involvedObject": {"apiVersion": "v1", "kind": "ConfigMap", "name": "cfg", "namespace": "default",
                               "uid": cfg["metadata"]["uid"]},
            "reason": f"Reason{i}", "message": f"message {i}", "type": "Normal" if i % 4 else "Warning",
            "firstTimestamp": "2025-10-18T03:00:00Z", "lastTimestamp": stamps[i % 4],
            "source": {"component": "tester"}})
    objs["events"].sort(key=lambda e: (e["metadata"]["namespace"], e["metadata"]["name"]))
    objs["leases"] = [{"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                       "metadata": {"name": n["metadata"]["name"], "namespace": "kube-node-lease"},
                       "spec": {"holderIdentity": n["metadata"]["name"], "leaseDurationSeconds": 40,
                                "renewTime": "2025-10-18T06:00:10.000000Z"}} for n in objs["nodes"]]
    _Handler.objs = objs
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    home = tmp_path_factory.mktemp("kube")
    config = home / "config"
    config.write_text(f"""apiVersion: v1
kind: Config
clusters:
- cluster: {{server: "http://127.0.0.1:{server.server_address[1]}"}}
  name: stub
contexts:
- context: {{cluster: stub, user: stub, namespace: default}}
  name: stub
current-context: stub
users:
- name: stub
  user: {{}}
""")
    yield objs, str(config), StubCluster(objs, now)
    server.shutdown()


def _kubectl(config: str, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path(config).parent), "KUBECONFIG": config}
    run = subprocess.run([str(KUBECTL), *args], capture_output=True, text=True, env={**env, **_cache(config)})
    assert run.returncode == 0, run.stderr
    return run.stdout


def _cache(config: str) -> dict[str, str]:
    return {"KUBECACHEDIR": os.path.join(os.path.dirname(config), "cache")}


def _names(objs: dict, resource: str) -> list[tuple[str | None, str]]:
    return [((o["metadata"].get("namespace")), o["metadata"]["name"]) for o in objs[resource]]


CASES = ["services", "deployments", "replicasets", "pods", "endpoints", "endpointslices", "namespaces", "configmaps",
         "daemonsets", "serviceaccounts", "nodes", "statefulsets", "events"]


@pytest.mark.parametrize("resource", CASES)
def test_describe_like_kubectl(resource: str, stub: Any) -> None:
    objs, config, cluster = stub
    targets = _names(objs, resource)
    if resource in ("pods", "replicasets", "endpoints", "endpointslices", "configmaps", "serviceaccounts", "events"):
        targets = [t for t in targets if t[0] == "default"]
    if resource == "daemonsets":
        targets = targets[:1]
    assert targets, resource
    for namespace, name in targets:
        args = ["describe", resource, name] + (["-n", namespace] if namespace else [])
        want = _kubectl(config, *args)
        obj = cluster.get(resource, namespace, name)
        assert describe(cluster, resource, obj, now=datetime.now(UTC)) == want, (resource, name)


def test_custom_columns_like_kubectl(stub: Any) -> None:
    objs, config, _cluster = stub
    spec = ("NAME:.metadata.name,IP:.spec.clusterIP,PORTS:.spec.ports[*].port,SEL:.spec.selector,"
            "NODEPORT:{.spec.ports[0].nodePort},MISSING:.status.nope")
    want = _kubectl(config, "get", "services", "-A", "-o", f"custom-columns={spec}")
    assert custom_columns(spec, objs["services"]) == want


GET_CASES = [
    (["services"], {}),
    (["services", "-o", "wide"], {"wide": True}),
    (["services", "-A"], {"with_namespace": True}),
    (["pods", "-A", "-o", "wide", "--show-labels"], {"with_namespace": True, "wide": True, "show_labels": True}),
    (["pods", "-L", "app", "-L", "pod-template-hash", "--no-headers"],
     {"label_columns": ["app", "pod-template-hash"], "no_headers": True}),
    (["deployments,services,replicasets"], {"with_kind_prefix": True}),
    (["deployments,services", "--no-headers"], {"with_kind_prefix": True, "no_headers": True}),
    (["nodes", "-o", "wide"], {"wide": True}),
    (["endpoints,endpointslices", "-A"], {"with_kind_prefix": True, "with_namespace": True}),
    (["namespaces,configmaps,serviceaccounts"], {"with_kind_prefix": True}),
    (["daemonsets", "-A", "-o", "wide"], {"with_namespace": True, "wide": True}),
    (["events", "-A"], {"with_namespace": True}),
    (["pods", "-A", "--sort-by=.status.podIP"], {"with_namespace": True, "sort_by": ".status.podIP"}),
    (["pods", "-A", "--sort-by={.metadata.namespace}"], {"with_namespace": True, "sort_by": "{.metadata.namespace}"}),
    (["pods", "-A", "--sort-by=.spec.nodeName"], {"with_namespace": True, "sort_by": ".spec.nodeName"}),
    (["services", "-A", "--sort-by=.spec.ports[0].port"], {"with_namespace": True, "sort_by": ".spec.ports[0].port"}),
    (["pods", "-A", "--sort-by=.metadata.creationTimestamp"],
     {"with_namespace": True, "sort_by": ".metadata.creationTimestamp"}),
]


@pytest.mark.parametrize(("args", "options"), GET_CASES)
def test_get_tables_like_kubectl(args: list[str], options: dict, stub: Any) -> None:
    """kubectl decorates the server's Table (namespace, labels, -L, kind prefixes, blocks): compare it all."""
    objs, config, cluster = stub
    want = _kubectl(config, "get", *args)
    all_ns = "-A" in args
    groups = []
    for resource in args[0].split(","):
        items = objs[resource] if all_ns or not resources.by_plural(resource).namespaced else \
            [o for o in objs[resource] if o["metadata"].get("namespace") == "default"]
        groups.append((resource, items))
    options = dict(options)
    sort_by = options.pop("sort_by", None)
    if sort_by:
        groups = [(resource, sort_objects(items, sort_by)) for resource, items in groups]
    namespaced = {"with_namespace": options.pop("with_namespace", False)}
    got = print_tables(groups, now=datetime.now(UTC), **namespaced, **options)
    assert got == want


@pytest.mark.parametrize("spec", ["NAME", "NAME:.metadata.name,IP", "A:{.metadata.name", "A:.spec.ports[",
                                  "A:.spec.ports[x]", "A:{.a}{.b}", "A:.metadata.name,B:.spec.ports[9].port"])
def test_custom_columns_errors_like_kubectl(spec: str, stub: Any) -> None:
    objs, config, _cluster = stub
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path(config).parent), "KUBECONFIG": config, **_cache(config)}
    run = subprocess.run([str(KUBECTL), "get", "services", "-o", f"custom-columns={spec}"], capture_output=True,
                         text=True, env=env)
    services = [o for o in objs["services"] if o["metadata"]["namespace"] == "default"]
    try:
        ours = (custom_columns(spec, services), "", 0)
    except PrintError as exc:
        text = str(exc)
        ours = (getattr(exc, "stdout", ""), "error: " + text + ("" if text.endswith("\n") else "\n"), 1)
    assert ours == (run.stdout, run.stderr, run.returncode)
