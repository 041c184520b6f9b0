"""``nc``: busybox's nc (nc_bloaty, ash images) and netcat-openbsd (netshoot, agnhost, nodes).

``-z`` probes a port (a real connection through the data plane: through IPVS for a VIP), ``-v`` reports,
``-w N`` bounds the connect; without ``-z`` the standard input is sent and the server's answer printed
(an HTTP request typed into nc reaches the HTTP handler and gets a raw HTTP response back).
"""

from __future__ import annotations

from typing import Any

from sandbox.network.addresses import is_ipv4
from sandbox.tools import network_of, port_name, resolver_mode, tool_family

#: Linux gives up on an unanswered SYN after 6 retries (about 127 s; curl reports ~130 s).
SYN_TIMEOUT = 127.0


def _flavour(ctx: Any) -> str:
    """netcat-openbsd and traditional netcat print the openbsd-style messages; busybox its own."""
    return "busybox" if tool_family(ctx, "nc") == "busybox" else "openbsd"


def _raw_http(request: str, listener: Any, conn: Any, network: Any) -> str | None:
    """Bytes an HTTP server writes back for a request typed into nc."""
    from sandbox.workloads.http import HttpRequest

    head, _, body = request.replace("\r\n", "\n").partition("\n\n")
    lines = head.split("\n")
    parts = lines[0].split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return None
    headers = []
    for line in lines[1:]:
        if ":" in line:
            k, _, v = line.partition(":")
            headers.append((k.strip(), v.strip()))
    req = HttpRequest(method=parts[0], path=parts[1], version=parts[2], headers=headers, body=body,
                      client_ip=conn.client_ip, client_port=conn.client_port, server_ip=conn.backend_ip or "",
                      server_port=conn.backend_port or 0, time=network.clock.now)
    resp = listener.handle_http(req)
    if not getattr(resp, "status", 0):
        return ""
    out = [f"{resp.version} {resp.status} {resp.reason}".rstrip() + "\r\n"]
    out += [f"{k}: {v}\r\n" for k, v in resp.headers]
    out.append("\r\n")
    if not getattr(resp, "head_only", False) and parts[0] != "HEAD":
        out.append(resp.body)
    return "".join(out)


def nc(ctx: Any) -> int:
    flavour = _flavour(ctx)
    args = ctx.argv[1:]
    verbose = 0
    zero = udp = False
    wait: float | None = None
    pos: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-w" and i + 1 < len(args):
            try:
                wait = float(args[i + 1])
            except ValueError:
                ctx.err(f"nc: invalid number '{args[i + 1]}'\n" if flavour == "busybox"
                        else f"nc: timeout {args[i + 1]}: invalid\n")
                return 1
            i += 2
            continue
        if a.startswith("-") and len(a) > 1 and not a[1:].isdigit():
            for ch in a[1:]:
                if ch == "v":
                    verbose += 1
                elif ch == "z":
                    zero = True
                elif ch == "u":
                    udp = True
                elif ch in ("n", "N", "q"):
                    continue
                elif ch == "w" and a.startswith("-w") and len(a) > 2:
                    try:
                        wait = float(a[2:])
                    except ValueError:
                        return 1
                    break
                elif ch == "l":
                    ctx.err("nc: listening is not available in this lab\n")
                    return 1
                else:
                    ctx.err(f"nc: invalid option -- '{ch}'\n")
                    return 1
        else:
            pos.append(a)
        i += 1
    if len(pos) < 2:
        if flavour == "busybox":
            ctx.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  "
                    "- connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n")
        else:
            ctx.err("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n"
                    "\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n"
                    "\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n"
                    "\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n"
                    "\t  [destination] [port]\n")
        return 1
    host, port_text = pos[0], pos[1]
    proto = "udp" if udp else "tcp"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        ctx.err(f"nc: bad port '{port_text}'\n" if flavour == "busybox" else f"nc: port number invalid: {port_text}\n")
        return 1
    port = int(port_text)
    network = network_of(ctx)
    src = ctx.host.source()
    ip = host if is_ipv4(host) else None
    if ip is None:
        from sandbox.network.resolver import lookup

        try:
            hosts = ctx.read_file("/etc/hosts")
        except Exception:  # noqa: BLE001
            hosts = None
        res = lookup(network, src, host, mode=resolver_mode(ctx), qtypes=("A",), hosts=hosts)
        if res.elapsed:
            ctx.sleep(res.elapsed)
        if res.status != "ok":
            if flavour == "busybox":
                ctx.err(f"nc: bad address '{host}'\n")
            else:
                ctx.err(f'nc: getaddrinfo for host "{host}" port {port}: Name or service not known\n')
            return 1
        ip = res.addresses[0]
    conn = network.connect(src, ip, port, proto.upper())
    result = conn.result
    if result in ("timeout", "unreachable"):
        spent = conn.elapsed if result == "unreachable" else (wait if wait is not None else SYN_TIMEOUT)
        if wait is not None and spent is not None:
            spent = min(spent, wait)
        ctx.sleep(spent or 0.0)
        if result == "timeout" and wait is not None:
            if flavour == "busybox":
                ctx.err(f"nc: {host} ({ip}:{port}): Connection timed out\n")
            elif verbose:
                ctx.err(f"nc: connect to {host} ({ip}) port {port} ({proto}) timed out: Operation now in progress\n")
            return 1
    if proto == "udp" and result != "refused":
        result = "ok"  # UDP "connects" without a handshake
    if result != "ok":
        reason = {"refused": "Connection refused", "timeout": "Connection timed out",
                  "unreachable": "No route to host"}[result]
        if flavour == "busybox":
            if verbose >= 2 or result != "refused":
                ctx.err(f"nc: {host} ({ip}:{port}): {reason}\n")
        elif verbose:
            ctx.err(f"nc: connect to {host} ({ip}) port {port} ({proto}) failed: {reason}\n")
        return 1
    if verbose:
        if flavour == "busybox":
            ctx.err(f"{host} ({ip}:{port}) open\n")
        else:
            svc = port_name(port, proto) or "*"
            ctx.err(f"Connection to {host} ({ip}) {port} port [{proto}/{svc}] succeeded!\n")
    if zero:
        return 0
    data = getattr(ctx, "stdin", "") or ""
    listener = conn.listener
    reply = None
    if data and hasattr(listener, "handle_http"):
        reply = _raw_http(data, listener, conn, network)
    if reply is None and data and hasattr(listener, "handle_raw"):
        reply = listener.handle_raw(data, f"{conn.client_ip}:{conn.client_port}")
    if reply:
        ctx.out(reply)
    return 0
