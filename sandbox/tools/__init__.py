"""Node and in-pod network tools (ipvsadm, ipset, iptables-save, ip, ping, nc) and their shared helpers.

Each tool is ``fn(ctx) -> int`` (sandbox.shell.registry). :data:`TOOLS` lists the entry points for
the shell's command table; :func:`register_all` registers them lazily.
"""

from __future__ import annotations

from typing import Any

#: command name -> "module:function"
TOOLS: dict[str, str] = {
    "ipvsadm": "sandbox.tools.ipvsadm:ipvsadm",
    "ipset": "sandbox.tools.ipset:ipset",
    "iptables-save": "sandbox.tools.iptables:iptables_save",
    "iptables": "sandbox.tools.iptables:iptables",
    "ip": "sandbox.tools.ip:ip",
    "ping": "sandbox.tools.ping:ping",
    "nc": "sandbox.tools.nc:nc",
}



def _client_tools() -> dict[str, str]:
    """curl, wget, nslookup, dig, host, getent: published by ``sandbox.network.clients.TOOLS`` (the
    client-tools layer) and merged here so the shell finds every network command in one table."""
    try:
        from sandbox.network.clients import TOOLS as client_tools  # type: ignore[attr-defined]
    except ImportError:
        return {}
    return dict(client_tools)


TOOLS.update({k: v for k, v in _client_tools().items() if k not in TOOLS})

#: /etc/services (Debian netbase) entries the tools print by name: (port, proto) -> name
SERVICES: dict[tuple[int, str], str] = {
    (20, "tcp"): "ftp-data", (21, "tcp"): "ftp", (22, "tcp"): "ssh", (23, "tcp"): "telnet", (25, "tcp"): "smtp",
    (53, "tcp"): "domain", (53, "udp"): "domain", (80, "tcp"): "http", (110, "tcp"): "pop3",
    (123, "udp"): "ntp", (143, "tcp"): "imap2", (443, "tcp"): "https", (443, "udp"): "https",
    (3306, "tcp"): "mysql", (5432, "tcp"): "postgresql", (6379, "tcp"): "redis", (8080, "tcp"): "http-alt",
    (2379, "tcp"): "etcd-client", (2380, "tcp"): "etcd-server", (9090, "tcp"): "websm",
}


def register_all() -> None:
    from sandbox.shell.registry import register_lazy

    for name, target in TOOLS.items():
        register_lazy(name, target)


def network_of(ctx: Any) -> Any:
    lab = ctx.lab
    cluster = getattr(lab, "cluster", lab)
    return cluster.network


def kernel_node(ctx: Any) -> str | None:
    """The node whose network namespace the command sees: the node itself, or the node of a
    host-network pod; None inside a pod's own network namespace."""
    host = ctx.host
    if host.kind == "node":
        return host.node or host.name
    pod = getattr(host, "pod", None) or {}
    if (pod.get("spec") or {}).get("hostNetwork"):
        return (pod.get("spec") or {}).get("nodeName") or host.node
    return None


def port_name(port: int, proto: str) -> str | None:
    return SERVICES.get((port, proto.lower()))


def node_hosts(network: Any, ctx: Any = None) -> dict[str, str]:
    """gethostbyaddr's view from this host: its /etc/hosts (the nodes list every node), ip -> name."""
    if ctx is not None:
        try:
            text = ctx.read_file("/etc/hosts")
        except Exception:  # noqa: BLE001 - no hosts file: fall back to the node list
            text = None
        if text is not None:
            out: dict[str, str] = {}
            for raw in text.splitlines():
                parts = raw.split("#", 1)[0].split()
                if len(parts) >= 2:
                    out.setdefault(parts[0], parts[1])
            return out
    return {ip: name for name, ip in network.node_ips.items()}


#: What an Ubuntu 24.04 kubeadm node runs for the tools that come in several flavours.
NODE_IMPLS = {"ping": "iputils 20240117", "nc": "openbsd 1.226", "ip": "iproute2 6.1.0"}


def _image(ctx: Any) -> Any:
    host = ctx.host
    if host.kind != "container" or not getattr(host, "pod", None):
        return None
    try:
        from sandbox.workloads.images import image_info
    except ImportError:  # pragma: no cover
        return None
    for c in (host.pod.get("spec") or {}).get("containers") or []:
        if getattr(host, "container", None) in (None, c.get("name")):
            return image_info(c.get("image", ""))
    return None


def tool_family(ctx: Any, name: str) -> str:
    """The implementation of ``name`` on this host: "busybox", "iputils", "openbsd", "traditional"..."""
    image = _image(ctx)
    if image is None:
        return NODE_IMPLS.get(name, "gnu").split()[0] if ctx.host.kind == "node" else "busybox"
    text = (image.tools or {}).get(name) or (image.tools or {}).get("sh", "busybox")
    family = text.split()[0] if text else "busybox"
    return "busybox" if family in ("dash", "bash") else family


def resolver_mode(ctx: Any) -> str:
    """getaddrinfo's rules on this host: "musl" for alpine/busybox-musl images, else "glibc"."""
    image = _image(ctx)
    if image is None:
        return "glibc"
    sh = (image.tools or {}).get("sh", "")
    if sh.startswith("busybox") and "glibc" not in sh:
        return "musl"
    if image.os_release and "Alpine" in image.os_release:
        return "musl"
    return "glibc"
