"""Node and pod addressing: who owns which IP, so the data plane can route without scanning objects.

Layout (CONTRACTS.md §3): node *i* (0-based, in cluster order) has ``172.30.{i+1}.2`` and the pod CIDR
``10.244.{i}.0/24`` of the Calico-like ``10.244.0.0/16`` pod network; Services come from
``10.96.0.0/12``. Host-network pods share their node's IP.

The workloads developer's kubelet asks for a pod IP with ``cluster.network.allocate_pod_ip(node)``
(or :meth:`PodIPAM.allocate`) when a sandbox is created and gives it back with
``cluster.network.release_pod_ip(ip)`` when the pod is gone. The choice is random among the free
host addresses of the node's /24 (``.2``–``.254``; ``.0`` is the network, ``.1`` the node's
gateway side, ``.255`` broadcast), drawn from the cluster's seeded rng so a lab replays exactly.
"""

from __future__ import annotations

import ipaddress
import random

POD_NETWORK = "10.244.0.0/16"
SERVICE_CIDR = "10.96.0.0/12"
CLUSTER_DOMAIN = "cluster.local"
KUBE_DNS_IP = "10.96.0.10"
#: The address every node's own resolver uses (systemd-resolved stub), and what it forwards to.
NODE_NAMESERVER = "127.0.0.53"

_POD_NET = ipaddress.ip_network(POD_NETWORK)
_SVC_NET = ipaddress.ip_network(SERVICE_CIDR)


def node_ip_for(index: int) -> str:
    """The default node address of the ``index``-th node (controlplane = 0 -> 172.30.1.2)."""
    return f"172.30.{index + 1}.2"


def pod_cidr_for(index: int) -> str:
    """The default pod CIDR of the ``index``-th node (controlplane = 0 -> 10.244.0.0/24)."""
    return f"10.244.{index}.0/24"


def ip_to_int(ip: str) -> int:
    """Numeric value of a dotted IPv4 address (ipvsadm and ipset sort by it)."""
    a, b, c, d = (int(x) for x in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def is_ipv4(text: str) -> bool:
    parts = text.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p.isdigit() or len(p) > 3 or int(p) > 255:
            return False
    return True


_POD_LO, _POD_HI = int(_POD_NET.network_address), int(_POD_NET.broadcast_address)
_SVC_LO, _SVC_HI = int(_SVC_NET.network_address), int(_SVC_NET.broadcast_address)


def in_pod_network(ip: str) -> bool:
    return is_ipv4(ip) and _POD_LO <= ip_to_int(ip) <= _POD_HI


def in_service_cidr(ip: str) -> bool:
    return is_ipv4(ip) and _SVC_LO <= ip_to_int(ip) <= _SVC_HI


def dashed(ip: str) -> str:
    """``10.244.1.5`` -> ``10-244-1-5`` (CoreDNS endpoint and pod names)."""
    return ip.replace(".", "-")


def reverse_name(ip: str) -> str:
    """``10.96.0.10`` -> ``10.0.96.10.in-addr.arpa`` (no trailing dot)."""
    return ".".join(reversed(ip.split("."))) + ".in-addr.arpa"


class PodIPAM:
    """Per-node host-local IPAM over each node's /24, with O(1) allocate and release."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._cidrs: dict[str, ipaddress.IPv4Network] = {}
        self._ranges: list[tuple[int, int, str]] = []  # (first, last, node) as integers, for node_of
        self._used: dict[str, set[int]] = {}
        self._owner: dict[str, str] = {}  # ip -> node

    def add_node(self, node: str, cidr: str) -> None:
        net = ipaddress.ip_network(cidr)
        self._cidrs[node] = net  # type: ignore[assignment]
        self._used.setdefault(node, set())
        self._ranges = [r for r in self._ranges if r[2] != node]
        self._ranges.append((int(net.network_address), int(net.broadcast_address), node))

    def cidr(self, node: str) -> str | None:
        net = self._cidrs.get(node)
        return str(net) if net is not None else None

    def node_of(self, ip: str) -> str | None:
        """Which node's pod CIDR contains ``ip`` (whether or not it is allocated)."""
        if not is_ipv4(ip):
            return None
        value = ip_to_int(ip)
        for first, last, node in self._ranges:
            if first <= value <= last:
                return node
        return None

    def allocate(self, node: str) -> str:
        """A free address of the node's CIDR; raises RuntimeError when the range is exhausted."""
        net = self._cidrs.get(node)
        if net is None:
            raise RuntimeError(f"no pod CIDR for node {node}")
        used = self._used[node]
        first, last = 2, net.num_addresses - 2
        size = last - first + 1
        if len(used) >= size:
            raise RuntimeError(f"failed to allocate for range 0: no IP addresses available in range set: "
                               f"{net[first]}-{net[last]}")
        offset = self._rng.randint(first, last)
        while offset in used:  # expected O(1) while the range is far from full
            offset = first + (offset - first + 1) % size
        used.add(offset)
        ip = str(net[offset])
        self._owner[ip] = node
        return ip

    def reserve(self, node: str, ip: str) -> None:
        """Mark an address taken (pods that already carry an IP when the network attaches)."""
        net = self._cidrs.get(node)
        if net is None or not is_ipv4(ip) or ipaddress.ip_address(ip) not in net:
            return
        self._used[node].add(int(ipaddress.ip_address(ip)) - int(net.network_address))
        self._owner[ip] = node

    def release(self, ip: str) -> None:
        node = self._owner.pop(ip, None)
        if node is None:
            return
        net = self._cidrs[node]
        self._used[node].discard(int(ipaddress.ip_address(ip)) - int(net.network_address))

    def allocated(self, ip: str) -> bool:
        return ip in self._owner
