"""``ip addr`` / ``ip link`` / ``ip route`` (iproute2 layout) for nodes and pods.

A node has lo, eth0 (the node IP), Calico's tunl0 (IPIP, the node's first pod address) and kube-ipvs0
(DOWN, NOARP) carrying every address kube-proxy bound, /32 each, in binding order; plus one ``cali*``
veth per local pod. A pod sees lo and ``eth0@ifN`` with its /32 address and Calico's link-local gateway.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sandbox.tools import kernel_node, network_of

VALID = "       valid_lft forever preferred_lft forever\n"


def _mac(seed: str, prefix: str = "") -> str:
    h = hashlib.sha1(seed.encode()).digest()
    b = [(h[0] & 0xFC) | 0x02] + list(h[1:6])
    mac = ":".join(f"{x:02x}" for x in b)
    return prefix + mac[len(prefix):] if prefix else mac


def _ll6(mac: str) -> str:
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 0x02
    words = [(b[0] << 8) | b[1], (b[2] << 8) | 0xFF, 0xFE00 | b[3], (b[4] << 8) | b[5]]
    return "fe80::" + ":".join(f"{w:x}" for w in words)


class Iface:
    def __init__(self, index: int, name: str, flags: str, mtu: int, qdisc: str, state: str, link: str,
                 addrs4: list[str], addrs6: list[str], *, qlen: bool = True, extra: str = "") -> None:
        self.index, self.name, self.flags, self.mtu, self.qdisc, self.state = index, name, flags, mtu, qdisc, state
        self.link, self.addrs4, self.addrs6, self.qlen, self.extra = link, addrs4, addrs6, qlen, extra

    @property
    def base(self) -> str:
        return self.name.split("@")[0]

    def header(self) -> str:
        q = " qlen 1000" if self.qlen else " "
        return (f"{self.index}: {self.name}: <{self.flags}> mtu {self.mtu} qdisc {self.qdisc} state {self.state} "
                f"group default{q}\n    {self.link}\n" + (f"    {self.extra}\n" if self.extra else ""))


def _node_ifaces(network: Any, node: str) -> list[Iface]:
    ip = network.node_ips[node]
    tunnel = network.ipam.cidr(node).rsplit(".", 1)[0] + ".1" if network.ipam.cidr(node) else None
    eth_mac = _mac(node + "eth0", "52:54:00")
    out = [
        Iface(1, "lo", "LOOPBACK,UP,LOWER_UP", 65536, "noqueue", "UNKNOWN",
              "link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00", ["127.0.0.1/8 scope host lo"],
              ["::1/128 scope host noprefixroute "]),
        Iface(2, "eth0", "BROADCAST,MULTICAST,UP,LOWER_UP", 1500, "fq_codel", "UP",
              f"link/ether {eth_mac} brd ff:ff:ff:ff:ff:ff", [f"{ip}/16 brd 172.30.255.255 scope global eth0"],
              [f"{_ll6(eth_mac)}/64 scope link "], extra="altname enp1s0"),
        Iface(3, "tunl0@NONE", "NOARP,UP,LOWER_UP", 1480, "noqueue", "UNKNOWN", "link/ipip 0.0.0.0 brd 0.0.0.0",
              [f"{tunnel}/32 scope global tunl0"] if tunnel else [], []),
        Iface(4, "kube-ipvs0", "BROADCAST,NOARP", 1500, "noop", "DOWN",
              f"link/ether {_mac(node + 'kube-ipvs0')} brd ff:ff:ff:ff:ff:ff",
              [f"{a}/32 scope global kube-ipvs0" for a in network.proxy(node).bound_addresses()], [], qlen=False),
    ]
    index = 5
    for pod in _local_pods(network, node):
        meta = pod["metadata"]
        name = "cali" + hashlib.sha1(f"{meta.get('namespace')}.{meta['name']}".encode()).hexdigest()[:11]
        out.append(Iface(index, f"{name}@if4", "BROADCAST,MULTICAST,UP,LOWER_UP", 1480, "noqueue", "UP",
                         "link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns "
                         f"cni-{_uuidish(meta.get('uid', name))}", [], ["fe80::ecee:eeff:feee:eeee/64 scope link "]))
        index += 1
    return out


def _uuidish(seed: str) -> str:
    h = hashlib.sha1(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _local_pods(network: Any, node: str) -> list[dict]:
    pods = [p for p in network.view.pods_by_ip.values()
            if (p.get("spec") or {}).get("nodeName") == node and (p.get("status") or {}).get("phase") == "Running"]
    return sorted(pods, key=lambda p: (p["metadata"].get("creationTimestamp", ""), p["metadata"]["name"]))


def _pod_ifaces(network: Any, pod: dict) -> list[Iface]:
    ip = (pod.get("status") or {}).get("podIP") or ""
    uid = pod["metadata"].get("uid", pod["metadata"]["name"])
    mac = _mac(uid + "eth0")
    peer = 5 + next((i for i, p in enumerate(_local_pods(network, (pod.get("spec") or {}).get("nodeName", "")))
                     if p["metadata"].get("uid") == uid), 0)
    return [
        Iface(1, "lo", "LOOPBACK,UP,LOWER_UP", 65536, "noqueue", "UNKNOWN",
              "link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00", ["127.0.0.1/8 scope host lo"],
              ["::1/128 scope host "]),
        Iface(2, "tunl0@NONE", "NOARP", 1480, "noop", "DOWN", "link/ipip 0.0.0.0 brd 0.0.0.0", [], []),
        Iface(4, f"eth0@if{peer}", "BROADCAST,MULTICAST,UP,LOWER_UP", 1480, "noqueue", "UP",
              f"link/ether {mac} brd ff:ff:ff:ff:ff:ff link-netnsid 0",
              [f"{ip}/32 scope global eth0"] if ip else [], [f"{_ll6(mac)}/64 scope link "]),
    ]


def _ifaces(ctx: Any) -> list[Iface]:
    network = network_of(ctx)
    node = kernel_node(ctx)
    if node is not None:
        return _node_ifaces(network, node)
    return _pod_ifaces(network, ctx.host.pod or {})


def _routes(ctx: Any) -> list[str]:
    network = network_of(ctx)
    node = kernel_node(ctx)
    if node is None:
        return ["default via 169.254.1.1 dev eth0 ", "169.254.1.1 dev eth0 scope link "]
    ip = network.node_ips[node]
    out = [f"default via 172.30.0.1 dev eth0 proto dhcp src {ip} metric 100 "]
    routes: list[tuple[int, str]] = []
    from sandbox.network.addresses import ip_to_int

    for other in network.node_ips:
        cidr = network.ipam.cidr(other)
        if cidr is None:
            continue
        base = cidr.split("/")[0]
        if other == node:
            routes.append((ip_to_int(base), f"blackhole {cidr} proto bird "))
        else:
            routes.append((ip_to_int(base), f"{cidr} via {network.node_ips[other]} dev tunl0 proto bird onlink "))
    for pod in _local_pods(network, node):
        meta = pod["metadata"]
        pip = pod["status"]["podIP"]
        name = "cali" + hashlib.sha1(f"{meta.get('namespace')}.{meta['name']}".encode()).hexdigest()[:11]
        routes.append((ip_to_int(pip), f"{pip} dev {name} scope link "))
    routes.append((ip_to_int("172.30.0.0"), f"172.30.0.0/16 dev eth0 proto kernel scope link src {ip} metric 100 "))
    out += [r for _, r in sorted(routes)]
    return out


def ip(ctx: Any) -> int:
    args = ctx.argv[1:]
    family = None
    brief = False
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt in ("-4",):
            family = 4
        elif opt in ("-6",):
            family = 6
        elif opt in ("-br", "-brief"):
            brief = True
        elif opt in ("-c", "-color", "--color", "-n", "-d", "-s"):
            continue
        else:
            ctx.err(f'Option "{opt}" is unknown, try "ip -help".\n')
            return 255
    if not args:
        ctx.err("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
                "where  OBJECT := { address | link | route | neigh | rule | netns ... }\n")
        return 255
    obj, rest = args[0], args[1:]
    if "address".startswith(obj) and obj.startswith("a"):
        return _addr(ctx, rest, family, brief, show_addrs=True)
    if "link".startswith(obj) and obj.startswith("l"):
        return _addr(ctx, rest, family, brief, show_addrs=False)
    if "route".startswith(obj) and obj.startswith("r"):
        if rest and rest[0] not in ("show", "list", "s", "ls"):
            ctx.err('RTNETLINK answers: Operation not permitted\n')
            return 2
        if family == 6:
            return 0
        ctx.out("".join(r + "\n" for r in _routes(ctx)))
        return 0
    ctx.err(f'Object "{obj}" is unknown, try "ip help".\n')
    return 255


def _addr(ctx: Any, rest: list[str], family: int | None, brief: bool, *, show_addrs: bool) -> int:
    dev = None
    if rest and rest[0] in ("show", "list", "s", "sh", "ls", "lst"):
        rest = rest[1:]
    if rest and rest[0] == "dev":
        rest = rest[1:]
    if rest:
        dev = rest[0]
    elif rest == [] and len(ctx.argv) > 1 and ctx.argv[-1] in ("add", "del", "flush"):
        ctx.err("RTNETLINK answers: Operation not permitted\n")
        return 2
    ifaces = _ifaces(ctx)
    if dev is not None:
        ifaces = [i for i in ifaces if i.base == dev]
        if not ifaces:
            ctx.err(f'Device "{dev}" does not exist.\n')
            return 1
    out = []
    for i in ifaces:
        a4 = i.addrs4 if family in (None, 4) else []
        a6 = i.addrs6 if family in (None, 6) else []
        if brief:
            addrs = [a.split()[0] for a in a4 + a6] if show_addrs else []
            state = i.state
            if show_addrs:
                out.append(f"{i.name:<16} {state:<14} " + " ".join(addrs) + " \n")
            else:
                mac = i.link.split()[1]
                out.append(f"{i.name:<16} {state:<14} {mac} <{i.flags}> \n")
            continue
        if show_addrs and family is not None and not (a4 or a6):
            continue
        out.append(i.header() if family is None or not show_addrs else i.header().split("\n")[0] + "\n")
        if show_addrs:
            for a in a4:
                out.append(f"    inet {a}\n" + VALID)
            for a in a6:
                out.append(f"    inet6 {a}\n" + VALID)
    ctx.out("".join(out))
    return 0
