"""``ping``: busybox (ash images) and iputils (nodes, Debian-based images, netshoot) flavours.

Echo requests go through ``Network.ping``: pods and nodes answer; a Service VIP never replies (kube-proxy's
KUBE-IPVS-FILTER rejects new packets to kube-ipvs0 addresses with ICMP port unreachable: iputils prints
"Destination Port Unreachable", busybox ignores the error); dead pod addresses give no reply or
"Destination Host Unreachable". One request per virtual second.
"""

from __future__ import annotations

from typing import Any

from sandbox.network.addresses import in_pod_network, is_ipv4
from sandbox.tools import network_of, resolver_mode, tool_family


def _flavour(ctx: Any) -> str:
    return "busybox" if tool_family(ctx, "ping") == "busybox" else "iputils"


def _ttl(network: Any, src: Any, ip: str) -> int:
    """The reply's TTL: 64 minus the routers it crossed (each node forwarding pod traffic is one)."""
    if ip.startswith("127.") or ip == src.ip:
        return 64
    if ip in network.node_by_ip:
        return 64 if src.kind == "node" or network.node_by_ip[ip] == src.node else 63
    if in_pod_network(ip):
        same = network.ipam.node_of(ip) == src.node
        if src.kind == "node":
            return 64 if same else 63
        return 63 if same else 62
    return 117


def _rtt(network: Any, src: Any, ip: str) -> float:
    rng = network.rng
    if ip.startswith("127.") or ip == src.ip:
        return rng.uniform(0.025, 0.06)
    if in_pod_network(ip) and network.ipam.node_of(ip) == src.node:
        return rng.uniform(0.05, 0.12)
    if in_pod_network(ip) or ip in network.node_by_ip:
        return rng.uniform(0.3, 0.9)
    return rng.uniform(9.0, 14.0)


def _resolve(ctx: Any, network: Any, src: Any, name: str, mode: str) -> tuple[str | None, str, float]:
    from sandbox.network.resolver import lookup

    hosts = None
    try:
        hosts = ctx.read_file("/etc/hosts")
    except Exception:  # noqa: BLE001 - no file: DNS only
        hosts = None
    res = lookup(network, src, name, mode=mode, qtypes=("A",), hosts=hosts)
    if res.status != "ok" or not res.addresses:
        return None, name, res.elapsed
    return res.addresses[0], res.canonical or name, res.elapsed


def ping(ctx: Any) -> int:
    from sandbox.shell.registry import Interrupted

    flavour = _flavour(ctx)
    args = ctx.argv[1:]
    count: int | None = None
    wait: float | None = None
    deadline: float | None = None
    quiet = numeric = False
    target = None
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-c", "-W", "-w", "-i", "-s", "-t") and i + 1 < len(args):
            val = args[i + 1]
            try:
                if a == "-c":
                    count = int(val)
                elif a == "-W":
                    wait = float(val)
                elif a == "-w":
                    deadline = float(val)
            except ValueError:
                msg = (f"ping: invalid number '{val}'" if flavour == "busybox"
                       else f"ping: invalid argument: '{val}'")
                ctx.err(msg + "\n")
                return 1 if flavour == "busybox" else 2
            i += 2
            continue
        if a.startswith("-c") and len(a) > 2 and a[2:].isdigit():
            count = int(a[2:])
        elif a == "-q":
            quiet = True
        elif a == "-n":
            numeric = True
        elif a in ("-4",):
            pass
        elif a.startswith("-"):
            if flavour == "busybox":
                ctx.err(f"ping: invalid option -- '{a.lstrip('-')[:1]}'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) "
                        "multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n")
            else:
                ctx.err(f"ping: invalid option -- '{a.lstrip('-')[:1]}'\n")
            return 1 if flavour == "busybox" else 2
        else:
            target = a
        i += 1
    if target is None:
        if flavour == "busybox":
            ctx.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n")
            return 1
        ctx.err("ping: usage error: Destination address required\n")
        return 1
    if flavour == "busybox" and getattr(ctx.host, "user", "root") != "root":
        ctx.err("ping: permission denied (are you root?)\n")
        return 1
    network = network_of(ctx)
    src = ctx.host.source()
    if is_ipv4(target):
        ip, shown = target, target
    else:
        ip, shown, spent = _resolve(ctx, network, src, target, resolver_mode(ctx))
        if spent:
            ctx.sleep(spent)
        if ip is None:
            if flavour == "busybox":
                ctx.err(f"ping: bad address '{target}'\n")
                return 1
            ctx.err(f"ping: {target}: Name or service not known\n")
            return 2
    if flavour == "busybox":
        ctx.out(f"PING {target} ({ip}): 56 data bytes\n")
    else:
        ctx.out(f"PING {shown} ({ip}) 56(84) bytes of data.\n")
    sent = received = errors = 0
    rtts: list[float] = []
    peer_name = ip
    if flavour == "iputils" and not numeric and not is_ipv4(target):
        peer_name = f"{_ptr(network, src, ip) or ip} ({ip})"
    limit = count
    if deadline is not None:
        limit = int(deadline) if limit is None else min(limit, int(deadline))
    try:
        seq = 0
        while limit is None or seq < limit:
            ctx.check_interrupt()
            outcome = network.ping(src, ip)
            sent += 1
            if outcome == "reply":
                rtt = _rtt(network, src, ip)
                rtts.append(rtt)
                received += 1
                ttl = _ttl(network, src, ip)
                if quiet:
                    pass
                elif flavour == "busybox":
                    ctx.out(f"64 bytes from {ip}: seq={seq} ttl={ttl} time={rtt:.3f} ms\n")
                else:
                    ctx.out(f"64 bytes from {peer_name}: icmp_seq={seq + 1} ttl={ttl} time={_fmt_rtt(rtt)} ms\n")
            elif outcome == "rejected" and flavour == "iputils":
                # busybox drops ICMP errors that do not carry its echo id; iputils reports them
                errors += 1
                if not quiet:
                    ctx.out(f"From {ip} icmp_seq={seq + 1} Destination Port Unreachable\n")
            elif outcome == "unreachable" and flavour == "iputils":
                errors += 1
                if seq % 3 == 2 and not quiet:
                    ctx.out(f"From {src.ip} icmp_seq={seq + 1} Destination Host Unreachable\n")
            seq += 1
            if limit is None or seq < limit:
                ctx.sleep(1.0)
        if received == 0 and limit is not None:
            # with no answer at all both pings linger for -W seconds (default 10) after the last request
            ctx.sleep(10.0 if wait is None else wait)
    except Interrupted:
        ctx.out("^C\n" if flavour == "iputils" else "")
    loss = 0 if sent == 0 else int(round(100 * (sent - received) / sent))
    if flavour == "busybox":
        ctx.out(f"\n--- {target} ping statistics ---\n"
                f"{sent} packets transmitted, {received} packets received, {loss}% packet loss\n")
        if rtts:
            ctx.out(f"round-trip min/avg/max = {min(rtts):.3f}/{sum(rtts) / len(rtts):.3f}/{max(rtts):.3f} ms\n")
        return 0 if received else 1
    elapsed_ms = max(0, (sent - 1) * 1000 + (sent > 1) * network.rng.randint(1, 9))
    err = f", +{errors} errors" if errors else ""
    ctx.out(f"\n--- {shown} ping statistics ---\n"
            f"{sent} packets transmitted, {received} received{err}, {loss}% packet loss, time {elapsed_ms}ms\n")
    if rtts:
        avg = sum(rtts) / len(rtts)
        mdev = (sum((r - avg) ** 2 for r in rtts) / len(rtts)) ** 0.5
        ctx.out(f"rtt min/avg/max/mdev = {min(rtts):.3f}/{avg:.3f}/{max(rtts):.3f}/{mdev:.3f} ms\n")
    return 0 if received else 1


def _fmt_rtt(rtt: float) -> str:
    """iputils prints 3 significant decimals below 1 ms, 2 below 10, 1 below 100."""
    if rtt < 1:
        return f"{rtt:.3f}"
    if rtt < 10:
        return f"{rtt:.2f}"
    if rtt < 100:
        return f"{rtt:.1f}"
    return f"{rtt:.0f}"


def _ptr(network: Any, src: Any, ip: str) -> str | None:
    from sandbox.network.addresses import reverse_name

    resp = network.dns_query(src, reverse_name(ip), "PTR")
    if resp.status == "ok" and resp.answer:
        return resp.answer[0].data.rstrip(".")
    return None
