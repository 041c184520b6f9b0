"""The cluster view: a live text diagram of one namespace's Services, endpoints and pods.

Plain text with words for every state (no emoji, no colour-only meaning) so a screen reader reads it
as well as an eye does. ``diagram()`` is a pure function of the cluster's objects; the widget only
re-renders it when the text changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Static

CountsFn = Callable[[dict], dict[str, int]]


def _labels(labels: dict[str, str] | None) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted((labels or {}).items())) or "<none>"


def _pod_ready(pod: dict) -> bool:
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def _selects(selector: dict[str, str], labels: dict[str, str] | None) -> bool:
    labels = labels or {}
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def _ports(svc: dict) -> str:
    parts = []
    for port in (svc.get("spec") or {}).get("ports") or []:
        text = f"{port.get('port')}/{port.get('protocol', 'TCP')}"
        target = port.get("targetPort")
        if target is not None and target != port.get("port"):
            text += f"->{target}"
        if port.get("nodePort"):
            text += f" (node port {port['nodePort']})"
        if port.get("name"):
            text = f"{port['name']} {text}"
        parts.append(text)
    return ", ".join(parts) or "no ports"


def _endpoints(slices: list[dict]) -> list[tuple[str, str, str | None]]:
    """(address, state, pod name) for every endpoint of a Service's slices."""
    out = []
    for eps in slices:
        ports = [str(p.get("port")) for p in eps.get("ports") or [] if p.get("port") is not None]
        for endpoint in eps.get("endpoints") or []:
            conditions = endpoint.get("conditions") or {}
            if conditions.get("terminating"):
                state = "terminating"
            elif conditions.get("ready", True):
                state = "ready"
            else:
                state = "not ready"
            target = (endpoint.get("targetRef") or {}).get("name")
            for address in endpoint.get("addresses") or []:
                shown = f"{address}:{'/'.join(ports)}" if ports else address
                out.append((shown, state, target))
    return sorted(out)


def diagram(services: list[dict], pods: list[dict], slices: list[dict], namespace: str,
            counts: CountsFn | None = None) -> str:
    """The namespace as text: per Service its type, IP, ports, endpoints and selected pods."""
    def count(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    lines = [f"Namespace {namespace}: {count(len(services), 'service')}, {count(len(pods), 'pod')}", ""]
    slices_by_service: dict[str, list[dict]] = {}
    for eps in slices:
        owner = ((eps.get("metadata") or {}).get("labels") or {}).get("kubernetes.io/service-name")
        if owner:
            slices_by_service.setdefault(owner, []).append(eps)
    selected_somewhere: set[str] = set()
    for svc in services:
        meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
        name = meta.get("name", "?")
        svc_type = spec.get("type", "ClusterIP")
        cluster_ip = spec.get("clusterIP") or "<none>"
        head = f"Service {name}  type {svc_type}  cluster IP {cluster_ip}  ports {_ports(svc)}"
        if svc_type == "ExternalName":
            head += f"  external name {spec.get('externalName')}"
        lines.append(head)
        selector = spec.get("selector") or {}
        endpoints = _endpoints(slices_by_service.get(name, []))
        if endpoints:
            lines.append(f"  endpoints ({len(endpoints)}):")
            for shown, state, _target in endpoints:
                lines.append(f"    {shown}  {state}")
        else:
            lines.append("  endpoints: none")
        if not selector:
            lines.append("  selector: none (endpoints are managed by hand)")
        else:
            per_backend = counts(svc) if counts else {}
            chosen = [p for p in pods if _selects(selector, (p.get("metadata") or {}).get("labels"))]
            lines.append(f"  selector {_labels(selector)} selects {len(chosen)} pods:")
            for pod in chosen:
                selected_somewhere.add(pod["metadata"]["name"])
                lines.append("    " + _pod_line(pod, per_backend))
        lines.append("")
    others = [p for p in pods if p["metadata"]["name"] not in selected_somewhere]
    if others:
        lines.append(f"Pods selected by no Service ({len(others)}):")
        lines.extend("    " + _pod_line(pod, {}) for pod in others)
    return "\n".join(lines).rstrip() + "\n"


def _pod_line(pod: dict, per_backend: dict[str, int]) -> str:
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    ip = status.get("podIP") or "no IP"
    node = (pod.get("spec") or {}).get("nodeName") or "unscheduled"
    ready = "ready" if _pod_ready(pod) else "not ready"
    line = f"{meta.get('name')}  {ip}  on {node}  {ready}"
    if status.get("podIP") in per_backend:
        line += f"  connections {per_backend[status['podIP']]}"
    return line + f"  labels {_labels(meta.get('labels'))}"


def ipvs_counts(cluster: Any) -> CountsFn:
    """Per-backend connection totals for a Service, summed over every node's IPVS table."""

    def counts(svc: dict) -> dict[str, int]:
        spec = svc.get("spec") or {}
        vips = [ip for ip in spec.get("clusterIPs") or [spec.get("clusterIP")] if ip and ip != "None"]
        network = getattr(cluster, "network", None)
        if not vips or network is None or not hasattr(network, "ipvs"):
            return {}
        totals: dict[str, int] = {}
        for node in _node_names(cluster):
            try:
                table = network.ipvs(node)
            except Exception:
                continue
            for vip in vips:
                for port in spec.get("ports") or []:
                    for ip, conns in _real_server_conns(table, vip, port.get("port"), port.get("protocol", "TCP")):
                        totals[ip] = totals.get(ip, 0) + conns
        return totals

    return counts


def _node_names(cluster: Any) -> list[str]:
    info = getattr(cluster, "nodes_info", None)
    if isinstance(info, dict):
        return list(info)
    return [n["metadata"]["name"] for n in cluster.list("nodes")]


def _real_server_conns(table: Any, vip: str, port: Any, proto: str) -> list[tuple[str, int]]:
    """(real server IP, connections ever scheduled to it) of one virtual service (``ipvsadm --stats``)."""
    service = table.lookup(proto, vip, int(port))
    if service is None:
        return []
    return [(real.addr, int(real.stats.conns)) for real in service.dests]


def lab_namespace(lab: Any) -> str:
    """The namespace kubectl would use on the control plane: its kubeconfig's current context, so
    the view follows ``kubectl config set-context --current --namespace=...``."""
    current = getattr(lab, "current_namespace", None)
    if callable(current):
        return current() or "default"
    try:
        import yaml

        from sandbox.kubectl.kubeconfig import DEFAULT_PATH, KubeConfig

        fs = lab.sessions[0].host.fs
        data = yaml.safe_load(fs.read(DEFAULT_PATH)) if fs.is_file(DEFAULT_PATH) else None
        return KubeConfig(DEFAULT_PATH, data if isinstance(data, dict) else {}).namespace()
    except Exception:  # no kubeconfig, or one the learner broke: kubectl would say so; we show default
        return "default"


def namespace_diagram(cluster: Any, namespace: str) -> str:
    return diagram(
        cluster.list("services", namespace),
        cluster.list("pods", namespace),
        cluster.list("endpointslices", namespace),
        namespace,
        ipvs_counts(cluster),
    )


class ClusterView(Static):
    """Shows ``namespace_diagram`` for the lab's current namespace; re-rendered on request."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._text = ""

    def refresh_from(self, cluster: Any, namespace: str = "default") -> None:
        try:
            text = namespace_diagram(cluster, namespace)
        except Exception as exc:  # the view must never break the lesson
            text = f"The cluster view could not be drawn: {type(exc).__name__}: {exc}\n"
        if text != self._text:
            self._text = text
            self.update(text)
        self.border_title = f"Cluster view: namespace {namespace}"
