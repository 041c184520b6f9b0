"""Client-side object generators (``create service|deployment|namespace|configmap``, ``run``, ``expose``).

Pure functions returning dicts whose key order is the Go struct order, because kubectl marshals
typed objects: that order is what ``--dry-run=client -o json`` shows. Validation messages are the
generators' own (kubectl pkg/cmd/create, pkg/cmd/run, pkg/generate).
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.kubectl.errors import KubectlError

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def meta(name: str, namespace: str | None = None, labels: dict[str, str] | None = None,
         annotations: dict[str, str] | None = None) -> dict[str, Any]:
    """ObjectMeta in struct order: name, namespace, labels, annotations."""
    out: dict[str, Any] = {"name": name}
    if namespace:
        out["namespace"] = namespace
    if labels:
        out["labels"] = dict(labels)
    if annotations:
        out["annotations"] = dict(annotations)
    return out


def _parse_port(text: str) -> int:
    """strconv.Atoi on a port spec part, with Go's wording."""
    try:
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError
        return int(text)
    except ValueError:
        raise KubectlError(f'strconv.Atoi: parsing "{text}": invalid syntax') from None


def service_ports(tcp: list[str], node_port: int = 0) -> list[dict[str, Any]]:
    """``--tcp=port[:targetPort]`` specs -> ServicePorts (create_service.go)."""
    ports = []
    for spec in tcp:
        port_text, sep, target = spec.partition(":")
        try:
            if not re.fullmatch(r"\d+", port_text) or int(port_text) > 65535:
                raise ValueError
            port = int(port_text)
        except ValueError:
            kind = "value out of range" if port_text.isdigit() else "invalid syntax"
            raise KubectlError(f'strconv.ParseUint: parsing "{port_text}": {kind}') from None
        name = spec.replace(":", "-")
        entry: dict[str, Any] = {"name": name, "protocol": "TCP", "port": port}
        if sep:
            entry["targetPort"] = int(target) if re.fullmatch(r"-?\d+", target) else target
        else:
            entry["targetPort"] = port
        if node_port > 0:
            entry["nodePort"] = node_port
        ports.append(entry)
    return ports


def service(name: str, svc_type: str, *, tcp: list[str], cluster_ip: str = "", node_port: int = 0,
            external_name: str = "", namespace: str | None = None) -> dict[str, Any]:
    """``kubectl create service <type>``: selector and labels ``app: <name>``."""
    labels = {"app": name}
    spec: dict[str, Any] = {}
    ports = service_ports(tcp, node_port)
    if ports:
        spec["ports"] = ports
    spec["selector"] = dict(labels)
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    spec["type"] = svc_type
    if external_name:
        spec["externalName"] = external_name
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta(name, namespace, labels), "spec": spec,
            "status": {"loadBalancer": {}}}


def container_name_for(image: str) -> str:
    """create deployment names the container after the image: basename, no tag or digest."""
    base = image.split("@", 1)[0]
    base = base.rsplit("/", 1)[-1]
    base = base.split(":", 1)[0]
    return base


def deployment(name: str, images: list[str], *, replicas: int = 1, port: int = -1,
               command: list[str] | None = None, namespace: str | None = None) -> dict[str, Any]:
    labels = {"app": name}
    containers = []
    for image in images:
        c: dict[str, Any] = {"name": container_name_for(image), "image": image}
        if command:
            c["command"] = list(command)
        if port >= 0:
            c["ports"] = [{"containerPort": port}]
        c["resources"] = {}
        containers.append(c)
    return {
        "kind": "Deployment", "apiVersion": "apps/v1", "metadata": meta(name, namespace, labels),
        "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                 "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}},
                 "strategy": {}},
        "status": {},
    }


def namespace(name: str) -> dict[str, Any]:
    return {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name}, "spec": {}, "status": {}}


def configmap(name: str, data: dict[str, str], binary: dict[str, str] | None = None,
              namespace: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": meta(name, namespace)}
    if data:
        out["data"] = dict(sorted(data.items()))
    if binary:
        out["binaryData"] = dict(sorted(binary.items()))
    return out


def parse_labels(text: str) -> dict[str, str]:
    """``--labels=a=b,c=d`` (run, expose): kubectl's ParseLabels wording."""
    out: dict[str, str] = {}
    if not text:
        return out
    for pair in text.split(","):
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise KubectlError(f"invalid label spec: {pair}")
        out[key] = value
    return out


def parse_env(items: list[str]) -> list[dict[str, str]]:
    env = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise KubectlError(f"invalid env: {item}")
        env.append({"name": key, "value": value})
    return env


def pod(name: str, image: str, *, labels: dict[str, str], args: list[str] | None = None, command: bool = False,
        port: int = -1, env: list[dict[str, str]] | None = None, restart: str = "Always",
        stdin: bool = False, tty: bool = False, image_pull_policy: str = "", namespace: str | None = None,
        annotations: dict[str, str] | None = None) -> dict[str, Any]:
    """``kubectl run``: a bare Pod (pkg/generate/versioned/run.go BasicPod)."""
    c: dict[str, Any] = {"name": name, "image": image}
    if args:
        c["command" if command else "args"] = list(args)
    if port >= 0:
        c["ports"] = [{"containerPort": port}]
    if env:
        c["env"] = env
    c["resources"] = {}
    if image_pull_policy:
        c["imagePullPolicy"] = image_pull_policy
    if stdin:
        c["stdin"] = True
        c["stdinOnce"] = True
    if tty:
        c["tty"] = True
    return {
        "kind": "Pod", "apiVersion": "v1", "metadata": meta(name, namespace, labels, annotations),
        "spec": {"containers": [c], "restartPolicy": restart, "dnsPolicy": "ClusterFirst"},
        "status": {},
    }


def expose_service(name: str, *, labels: dict[str, str], selector: dict[str, str], ports: list[dict[str, Any]],
                   svc_type: str = "", cluster_ip: str = "", external_ip: str = "",
                   session_affinity: str = "", load_balancer_ip: str = "", namespace: str | None = None,
                   ) -> dict[str, Any]:
    """``kubectl expose``: a Service copying the workload's labels, selecting its pods."""
    spec: dict[str, Any] = {"ports": ports, "selector": dict(selector)}
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if svc_type:
        spec["type"] = svc_type
    if external_ip:
        spec["externalIPs"] = [external_ip]
    if session_affinity:
        spec["sessionAffinity"] = session_affinity
    if load_balancer_ip:
        spec["loadBalancerIP"] = load_balancer_ip
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta(name, namespace, labels or None),
            "spec": spec, "status": {"loadBalancer": {}}}


def valid_dns1123_label(name: str) -> bool:
    return len(name) <= 63 and bool(_DNS1123_LABEL.match(name))
