"""ClusterIP and NodePort allocators (kubernetes pkg/registry/core/service/{ipallocator,portallocator}).

Both split their range into a static lower band (reserved for explicit requests, so a lesson can pin
``10.96.0.10`` without racing dynamic picks) and an upper band. A dynamic pick starts at a random
offset of the upper band and scans forward with wrap-around, falling back to the lower band only when
the upper one is full — the bitmap allocator's randomScanStrategyWithOffset. The allocators mirror
the store: the Cluster marks/releases through store watch events, so bootstrap objects, deletions and
failed writes can never leak an address.
"""

from __future__ import annotations

import ipaddress
import random
from typing import TYPE_CHECKING

from sandbox.api import errors

if TYPE_CHECKING:
    from sandbox.cluster import Cluster

SERVICE_CIDR = "10.96.0.0/12"
NODE_PORT_RANGE = (30000, 32767)


def _range_offset(size: int, lo: int, hi: int, step: int) -> int:
    """calculateRangeOffset: min(max(lo, size/step), hi), 0 for tiny ranges."""
    if size <= lo:
        return 0
    return max(lo, min(hi, size // step))


class _BandAllocator:
    """Offsets 0..size-1 with a reserved lower band of ``offset`` entries."""

    def __init__(self, rng: random.Random, size: int, offset: int) -> None:
        self.rng = rng
        self.size = size
        self.offset = offset
        self.used: set[int] = set()

    def free(self) -> int:
        return self.size - len(self.used)

    def pick(self) -> int | None:
        if len(self.used) >= self.size:
            return None
        upper = self.size - self.offset
        if upper > 0:
            start = self.rng.randrange(upper)
            for i in range(upper):
                at = self.offset + (start + i) % upper
                if at not in self.used:
                    return at
        if self.offset:
            start = self.rng.randrange(self.offset)
            for i in range(self.offset):
                at = (start + i) % self.offset
                if at not in self.used:
                    return at
        return None


class ClusterIPAllocator:
    """IPv4 ClusterIPs from 10.96.0.0/12 (kubeadm's default service subnet)."""

    def __init__(self, rng: random.Random, cidr: str = SERVICE_CIDR) -> None:
        self.cidr = cidr
        net = ipaddress.IPv4Network(cidr)
        self._base = int(net.network_address) + 1          # network address excluded
        size = net.num_addresses - 2                       # ... and broadcast
        self._bands = _BandAllocator(rng, size, _range_offset(net.num_addresses, 16, 256, 16))

    @property
    def static_band(self) -> tuple[str, str]:
        """First and last address reserved for explicit requests."""
        return (str(ipaddress.IPv4Address(self._base)),
                str(ipaddress.IPv4Address(self._base + self._bands.offset - 1)))

    def _offset(self, ip: str) -> int | None:
        try:
            value = int(ipaddress.IPv4Address(ip))
        except ValueError:
            return None
        off = value - self._base
        return off if 0 <= off < self._bands.size else None

    def in_range(self, ip: str) -> bool:
        return self._offset(ip) is not None

    def is_allocated(self, ip: str) -> bool:
        off = self._offset(ip)
        return off is not None and off in self._bands.used

    def mark(self, ip: str) -> None:
        off = self._offset(ip)
        if off is not None:
            self._bands.used.add(off)

    def release(self, ip: str) -> None:
        off = self._offset(ip)
        if off is not None:
            self._bands.used.discard(off)

    def next_free(self) -> str | None:
        off = self._bands.pick()
        return None if off is None else str(ipaddress.IPv4Address(self._base + off))

    def allocated(self) -> int:
        return len(self._bands.used)


class NodePortAllocator:
    """NodePorts from 30000-32767."""

    def __init__(self, rng: random.Random, lo: int = NODE_PORT_RANGE[0], hi: int = NODE_PORT_RANGE[1]) -> None:
        self.lo, self.hi = lo, hi
        size = hi - lo + 1
        self._bands = _BandAllocator(rng, size, _range_offset(size, 16, 128, 32))

    @property
    def range_text(self) -> str:
        return f"{self.lo}-{self.hi}"

    def in_range(self, port: int) -> bool:
        return self.lo <= port <= self.hi

    def is_allocated(self, port: int) -> bool:
        return (port - self.lo) in self._bands.used

    def mark(self, port: int) -> None:
        if self.in_range(port):
            self._bands.used.add(port - self.lo)

    def release(self, port: int) -> None:
        self._bands.used.discard(port - self.lo)

    def next_free(self) -> int | None:
        off = self._bands.pick()
        return None if off is None else self.lo + off


# ---------------------------------------------------------------------------- service admission
def needs_cluster_ip(spec: dict) -> bool:
    return spec.get("type", "ClusterIP") != "ExternalName" and spec.get("clusterIP") != "None"


def needs_node_ports(spec: dict) -> bool:
    if spec.get("type") == "NodePort":
        return True
    return spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True) is not False


def service_allocations(svc: dict | None) -> tuple[set[str], set[int]]:
    """The ClusterIPs and nodePorts a stored Service holds."""
    if not svc:
        return set(), set()
    spec = svc.get("spec") or {}
    ips = {ip for ip in (spec.get("clusterIPs") or [spec.get("clusterIP")]) if ip and ip != "None"}
    ports = {p["nodePort"] for p in spec.get("ports") or [] if isinstance(p, dict) and p.get("nodePort")}
    if spec.get("healthCheckNodePort"):
        ports.add(spec["healthCheckNodePort"])
    return ips, ports


def _invalid(svc: dict, cause: errors.FieldError) -> errors.ApiError:
    return errors.invalid_object("Service", "", svc["metadata"].get("name", ""), [cause])


def allocate_service(cluster: Cluster, svc: dict, old: dict | None, *, dry_run: bool) -> None:
    """Fill spec.clusterIP(s) and nodePorts; check explicit requests (service REST allocClusterIPs).

    Runs after validation. Nothing is marked here: the store's watch events mark what gets stored,
    so a dry run or a rejected write leaves the allocators untouched.
    """
    spec = svc.get("spec")
    if not isinstance(spec, dict):
        return
    old_ips, old_ports = service_allocations(old)
    ips = cluster.cluster_ips
    if needs_cluster_ip(spec):
        requested = spec.get("clusterIP") or ""
        if not isinstance(requested, str) or (requested and ips._offset(requested) is None
                                              and not _looks_like_ipv4(requested)):
            return          # malformed: validation reports it
        if requested:
            if requested not in old_ips:
                if not ips.in_range(requested):
                    raise _invalid(svc, errors.invalid(
                        "spec.clusterIPs", spec.get("clusterIPs") or [requested],
                        f"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid "
                        f"range. The range of valid IPs is {ips.cidr}"))
                if ips.is_allocated(requested):
                    raise _invalid(svc, errors.invalid(
                        "spec.clusterIPs", spec.get("clusterIPs") or [requested],
                        f"failed to allocate IP {requested}: provided IP is already allocated"))
        else:
            ip = ips.next_free()
            if ip is None:
                raise errors.ApiError("InternalError", "Internal error occurred: failed to allocate a serviceIP: "
                                      "range is full", 500)
            spec["clusterIP"] = ip
        spec["clusterIPs"] = [spec["clusterIP"]]
    if needs_node_ports(spec):
        taken: set[int] = set()
        ports = cluster.node_ports
        for i, p in enumerate(spec.get("ports") or []):
            if not isinstance(p, dict):
                continue
            np = p.get("nodePort")
            if np and not isinstance(np, int):
                return      # malformed: validation reports it
            if np:
                if np in old_ports and np not in taken:
                    taken.add(np)
                    continue
                if not ports.in_range(np):
                    raise _invalid(svc, errors.invalid(
                        f"spec.ports[{i}].nodePort", np,
                        f"provided port is not in the valid range. The range of valid ports is {ports.range_text}"))
                if ports.is_allocated(np) or np in taken:
                    # the same nodePort may serve one port number over TCP and UDP
                    if np in taken and _shares_port(spec, i, np):
                        continue
                    raise _invalid(svc, errors.invalid(f"spec.ports[{i}].nodePort", np,
                                                       "provided port is already allocated"))
                taken.add(np)
        for p in spec.get("ports") or []:
            if isinstance(p, dict) and not p.get("nodePort"):
                np = _free_port(ports, taken)
                if np is None:
                    raise errors.ApiError("InternalError", "Internal error occurred: failed to allocate a nodePort: "
                                          "range is full", 500)
                p["nodePort"] = np
                taken.add(np)
    if spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local":
        # allocHealthCheckNodePort: kube-proxy answers load-balancer health checks on it
        ports = cluster.node_ports
        hc = spec.get("healthCheckNodePort")
        if hc and not isinstance(hc, int):
            return
        if hc:
            if hc not in old_ports:
                if not ports.in_range(hc):
                    raise _invalid(svc, errors.invalid(
                        "spec.healthCheckNodePort", hc,
                        f"provided port is not in the valid range. The range of valid ports is {ports.range_text}"))
                if ports.is_allocated(hc):
                    raise _invalid(svc, errors.invalid("spec.healthCheckNodePort", hc,
                                                       "provided port is already allocated"))
        else:
            taken = {p.get("nodePort") for p in spec.get("ports") or [] if isinstance(p, dict)}
            spec["healthCheckNodePort"] = _free_port(ports, taken)


def _looks_like_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def _shares_port(spec: dict, index: int, node_port: int) -> bool:
    port = spec["ports"][index]
    return any(isinstance(q, dict) and q.get("nodePort") == node_port and q.get("port") == port.get("port")
               and q.get("protocol", "TCP") != port.get("protocol", "TCP") for q in spec["ports"][:index])


def _free_port(ports: NodePortAllocator, taken: set[int]) -> int | None:
    for _ in range(64):
        np = ports.next_free()
        if np is None:
            return None
        if np not in taken:
            return np
        ports.mark(np)           # temporarily, so the next pick skips it
        try:
            nxt = _free_port(ports, taken)
        finally:
            ports.release(np)
        return nxt
    return None
