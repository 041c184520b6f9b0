"""A minimal cluster for network tests: the real Store, Clock and watch events, objects written by hand.

The network layer only needs the contracted surface (clock, rng, store, subscribe, nodes_info,
runtime), so its tests do not depend on the controllers: Services, EndpointSlices and Pods (with
their status) are written directly, exactly as the controllers and kubelet would store them.
"""

from __future__ import annotations

import random

from sandbox.api.clock import Clock
from sandbox.api.store import Store
from sandbox.network import Source, attach
from sandbox.workloads.http import HttpRequest, HttpResponse


class FakeHandler:
    """A listener like the workloads' Handler: answers HTTP with the pod's name."""

    def __init__(self, pod: str, protocol: str, port: int, kind: str = "http") -> None:
        self.pod, self.protocol, self.port, self.kind = pod, protocol, port, kind
        self.requests: list[HttpRequest] = []

    def handle_http(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        if self.kind != "http":
            return HttpResponse(status=0)
        return HttpResponse(status=200, headers=[("Content-Type", "text/plain")], body=self.pod)


class FakeRuntime:
    def __init__(self) -> None:
        self.listeners: dict[str, dict[tuple[str, int], FakeHandler]] = {}

    def pod_listeners(self, uid: str) -> dict:
        return self.listeners.get(uid, {})


class MiniCluster:
    def __init__(self, nodes=("controlplane", "node01", "node02"), seed: int = 0, scheduler: str = "rr") -> None:
        self.clock = Clock()
        self.rng = random.Random(seed)
        self.store = Store(self.clock, self.rng)
        self.node_names = list(nodes)
        self.nodes_info: dict = {}
        self.runtime = FakeRuntime()
        self.ipvs_scheduler = scheduler
        self.network = None
        for ns in ("default", "kube-system"):
            self.store.add("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        attach(self)

    # ---- the contracted surface
    def subscribe(self, fn) -> None:
        self.store.watch(fn)

    def tick(self, seconds: float) -> None:
        self.clock.advance(seconds)

    # ---- object helpers
    def _put(self, resource: str, obj: dict) -> dict:
        meta = obj["metadata"]
        if self.store.get(resource, meta.get("namespace"), meta["name"]) is None:
            return self.store.add(resource, obj)
        cur = self.store.get(resource, meta.get("namespace"), meta["name"])
        obj["metadata"] = {**cur["metadata"], **meta}
        return self.store.replace(resource, obj)

    def namespace(self, name: str) -> None:
        self._put("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})

    def service(self, name: str, ip: str | None, ports: list[dict], *, ns: str = "default",
                selector: dict | None = None, **spec) -> dict:
        full = {"type": "ClusterIP", "ports": [{"protocol": "TCP", **p} for p in ports],
                "selector": selector or {"app": name}, **spec}
        if ip is not None:
            full["clusterIP"] = ip
            full["clusterIPs"] = [ip] if ip != "None" else ["None"]
        return self._put("services", {"apiVersion": "v1", "kind": "Service",
                                      "metadata": {"name": name, "namespace": ns}, "spec": full})

    def pod(self, name: str, node: str, ip: str, *, ns: str = "default", labels: dict | None = None,
            listen: tuple = (("TCP", 80),), phase: str = "Running", hostname: str | None = None,
            subdomain: str | None = None, host_network: bool = False, image: str = "nginx") -> dict:
        spec: dict = {"nodeName": node, "containers": [{"name": "c", "image": image}]}
        if hostname:
            spec["hostname"] = hostname
        if subdomain:
            spec["subdomain"] = subdomain
        if host_network:
            spec["hostNetwork"] = True
        obj = self._put("pods", {"apiVersion": "v1", "kind": "Pod",
                                 "metadata": {"name": name, "namespace": ns, "labels": labels or {}},
                                 "spec": spec, "status": {"phase": phase, "podIP": ip}})
        uid = obj["metadata"]["uid"]
        self.runtime.listeners[uid] = {(p, n): FakeHandler(name, p, n, "dns" if n == 53 else "http")
                                       for p, n in listen}
        return obj

    def slice(self, svc: str, endpoints: list[dict], ports: list[dict], *, ns: str = "default",
              name: str | None = None) -> dict:
        eps = []
        for e in endpoints:
            ep = {"addresses": [e["ip"]], "conditions": {"ready": e.get("ready", True),
                                                         "serving": e.get("serving", e.get("ready", True)),
                                                         "terminating": e.get("terminating", False)},
                  "nodeName": e.get("node", "node01")}
            if e.get("hostname"):
                ep["hostname"] = e["hostname"]
            if e.get("pod"):
                ep["targetRef"] = {"kind": "Pod", "name": e["pod"], "namespace": ns}
            eps.append(ep)
        return self._put("endpointslices", {
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": {"name": name or f"{svc}-abcde", "namespace": ns,
                         "labels": {"kubernetes.io/service-name": svc}},
            "endpoints": eps, "ports": [{"protocol": "TCP", **p} for p in ports]})

    def delete(self, resource: str, name: str, ns: str | None = "default") -> None:
        self.store.remove(resource, ns, name)

    def with_dns(self, replicas: int = 1) -> list[str]:
        """kube-dns (10.96.0.10) + kubernetes (10.96.0.1) with ``replicas`` CoreDNS pods on the control plane."""
        self.service("kubernetes", "10.96.0.1", [{"name": "https", "port": 443, "targetPort": 6443}], selector={})
        self.slice("kubernetes", [{"ip": "172.30.1.2", "node": "controlplane"}], [{"name": "https", "port": 6443}])
        self.service("kube-dns", "10.96.0.10", [
            {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
            {"name": "dns-tcp", "port": 53, "targetPort": 53},
            {"name": "metrics", "port": 9153, "targetPort": 9153}], ns="kube-system", selector={"k8s-app": "kube-dns"})
        ips = []
        for i in range(replicas):
            ip = self.network.allocate_pod_ip("controlplane")
            self.pod(f"coredns-{i}", "controlplane", ip, ns="kube-system", labels={"k8s-app": "kube-dns"},
                     listen=(("UDP", 53), ("TCP", 53), ("TCP", 9153)))
            ips.append(ip)
        self.dns_endpoints(ips)
        return ips

    def dns_endpoints(self, ips: list[str]) -> None:
        self.slice("kube-dns", [{"ip": ip, "node": "controlplane"} for ip in ips],
                   [{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "dns-tcp", "port": 53},
                    {"name": "metrics", "port": 9153}], ns="kube-system")


def pod_source(c: MiniCluster, name: str, ns: str = "default") -> Source:
    return c.network.source_for_pod(c.store.get("pods", ns, name))


def node_source(c: MiniCluster, node: str = "controlplane") -> Source:
    return c.network.source_for_node(node)


class FakeHost:
    def __init__(self, kind: str, name: str, node: str | None = None, pod: dict | None = None) -> None:
        self.kind, self.name, self.node, self.pod = kind, name, node or name, pod


class FakeCtx:
    """The parts of sandbox.shell.registry.CommandContext the network tools use."""

    def __init__(self, cluster: MiniCluster, argv: list[str], host: FakeHost) -> None:
        self.argv, self.host, self.lab = argv, host, cluster
        self.stdout, self.stderr = [], []
        self.slept = 0.0
        self.env: dict[str, str] = {}

    def out(self, text: str) -> None:
        self.stdout.append(text)

    def err(self, text: str) -> None:
        self.stderr.append(text)

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.lab.tick(seconds)

    def check_interrupt(self) -> None:
        pass


def run_tool(fn, cluster: MiniCluster, cmdline: str, *, node: str = "controlplane",
             pod: str | None = None, ns: str = "default") -> tuple[int, str, str]:
    import shlex

    if pod is not None:
        obj = cluster.store.get("pods", ns, pod)
        host = FakeHost("container", pod, obj["spec"]["nodeName"], obj)
        src = cluster.network.source_for_pod(obj)
    else:
        host = FakeHost("node", node)
        src = cluster.network.source_for_node(node)
    host.source = lambda: src  # type: ignore[attr-defined]
    ctx = FakeCtx(cluster, shlex.split(cmdline), host)
    code = fn(ctx)
    return code, "".join(ctx.stdout), "".join(ctx.stderr)
