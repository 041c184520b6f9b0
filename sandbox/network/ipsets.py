"""kube-proxy's ipsets (pkg/proxy/ipvs/ipset.go ipsetInfo) and their live members on one node.

Members are reference-counted per owner so that kube-proxy can add and remove one Service's entries
without rebuilding a set (the real proxier diffs the whole active set against ``ipset save``; the
result is the same set contents).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.network.addresses import ip_to_int


@dataclass(frozen=True)
class SetInfo:
    name: str
    type: str
    comment: str


#: In kube-proxy's declaration order (ipsetInfo), which is also `ipset list`'s creation order.
IPSET_INFO: tuple[SetInfo, ...] = (
    SetInfo("KUBE-LOOP-BACK", "hash:ip,port,ip", "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose"),
    SetInfo("KUBE-CLUSTER-IP", "hash:ip,port", "Kubernetes service cluster ip + port for masquerade purpose"),
    SetInfo("KUBE-EXTERNAL-IP", "hash:ip,port", "Kubernetes service external ip + port for masquerade and filter purpose"),
    SetInfo("KUBE-EXTERNAL-IP-LOCAL", "hash:ip,port", "Kubernetes service external ip + port with externalTrafficPolicy=local"),
    SetInfo("KUBE-LOAD-BALANCER", "hash:ip,port", "Kubernetes service lb portal"),
    SetInfo("KUBE-LOAD-BALANCER-FW", "hash:ip,port",
            "Kubernetes service load balancer ip + port for load balancer with sourceRange"),
    SetInfo("KUBE-LOAD-BALANCER-LOCAL", "hash:ip,port",
            "Kubernetes service load balancer ip + port with externalTrafficPolicy=local"),
    SetInfo("KUBE-LOAD-BALANCER-SOURCE-IP", "hash:ip,port,ip",
            "Kubernetes service load balancer ip + port + source IP for packet filter purpose"),
    SetInfo("KUBE-LOAD-BALANCER-SOURCE-CIDR", "hash:ip,port,net",
            "Kubernetes service load balancer ip + port + source cidr for packet filter purpose"),
    SetInfo("KUBE-NODE-PORT-TCP", "bitmap:port", "Kubernetes nodeport TCP port for masquerade purpose"),
    SetInfo("KUBE-NODE-PORT-LOCAL-TCP", "bitmap:port", "Kubernetes nodeport TCP port with externalTrafficPolicy=local"),
    SetInfo("KUBE-NODE-PORT-UDP", "bitmap:port", "Kubernetes nodeport UDP port for masquerade purpose"),
    SetInfo("KUBE-NODE-PORT-LOCAL-UDP", "bitmap:port", "Kubernetes nodeport UDP port with externalTrafficPolicy=local"),
    SetInfo("KUBE-NODE-PORT-SCTP-HASH", "hash:ip,port",
            "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'"),
    SetInfo("KUBE-NODE-PORT-LOCAL-SCTP-HASH", "hash:ip,port",
            "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'"),
    SetInfo("KUBE-HEALTH-CHECK-NODE-PORT", "bitmap:port", "Kubernetes health check node port"),
    SetInfo("KUBE-IPVS-IPS", "hash:ip", "Addresses on the ipvs interface"),
)
SET_INFO = {s.name: s for s in IPSET_INFO}

#: Revisions of the set types with the nodes' kernel (6.8) and ipset 7.19: bitmask support for hash:ip and
#: hash:ip,port, bucketsize/initval for the other hashes, skbinfo for bitmap:port.
REVISIONS = {"hash:ip": 6, "hash:ip,port": 7, "hash:ip,port,ip": 6, "hash:ip,port,net": 7, "bitmap:port": 3}


def member_sort_key(entry: str) -> tuple:
    """A stable numeric order for display (the kernel lists hash buckets; we sort for readability)."""
    out: list = []
    for part in entry.split(","):
        if ":" in part:
            proto, _, port = part.partition(":")
            out.append((1, proto, int(port) if port.isdigit() else 0))
        elif part.replace(".", "").isdigit() and part.count(".") == 3:
            out.append((0, "", ip_to_int(part)))
        elif part.isdigit():
            out.append((2, "", int(part)))
        else:
            out.append((3, part, 0))
    return tuple(out)


@dataclass
class IpsetState:
    """The sets of one node: name -> {member: refcount}."""

    members: dict[str, dict[str, int]] = field(default_factory=lambda: {s.name: {} for s in IPSET_INFO})
    #: a per-set initval (random in the kernel): derived deterministically from the node and set name
    seed: int = 0

    def add(self, name: str, entry: str) -> None:
        bucket = self.members[name]
        bucket[entry] = bucket.get(entry, 0) + 1

    def remove(self, name: str, entry: str) -> None:
        bucket = self.members[name]
        n = bucket.get(entry, 0) - 1
        if n <= 0:
            bucket.pop(entry, None)
        else:
            bucket[entry] = n

    def entries(self, name: str) -> list[str]:
        return sorted(self.members.get(name, {}), key=member_sort_key)

    def is_empty(self, name: str) -> bool:
        return not self.members.get(name)

    def initval(self, name: str) -> str:
        h = self.seed & 0xFFFFFFFF
        for ch in name.encode():
            h = ((h ^ ch) * 0x01000193) & 0xFFFFFFFF
        return f"0x{h:08x}"
