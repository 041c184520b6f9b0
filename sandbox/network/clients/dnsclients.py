"""nslookup (busybox 1.36, busybox 1.28, bind), dig, host and getent over the simulated DNS.

Every query goes to the nameserver of the host's own /etc/resolv.conf through the data plane, so a
CoreDNS with no endpoints times out and a node (whose resolver is not the cluster's) cannot resolve
cluster names — as on a real kubeadm node. Formats: dns.md §5.
"""

from __future__ import annotations

from typing import Any

from sandbox.network.clients.common import Impl, network_of, resolve, resolver_mode, tool_impl

TYPES = ("A", "AAAA", "SRV", "PTR", "CNAME", "TXT", "MX", "NS", "SOA", "ANY")


def _conf(ctx: Any) -> Any:
    from sandbox.network.resolver import ResolvConf, parse_resolv_conf

    try:
        return parse_resolv_conf(ctx.read_file("/etc/resolv.conf"))
    except Exception:  # noqa: BLE001 - no resolv.conf: glibc falls back to localhost
        return ResolvConf(nameservers=["127.0.0.1"], search=[], ndots=1)


def _is_ip(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


def reverse_name(ip: str) -> str:
    return ".".join(reversed(ip.split("."))) + ".in-addr.arpa."


def _query(ctx: Any, name: str, qtype: str, server: str, *, edns: bool = False) -> Any:
    resp = network_of(ctx).dns_query(ctx.host.source(), name, qtype, server=server, edns=edns)
    if resp.elapsed:
        ctx.sleep(resp.elapsed)
    return resp


def _strip(name: str) -> str:
    return name[:-1] if name.endswith(".") else name


# -- nslookup ---------------------------------------------------------------------------------------

def nslookup(ctx: Any) -> int:
    impl = tool_impl(ctx, "nslookup")
    args = [a for a in ctx.argv[1:]]
    qtype = None
    rest = []
    for a in args:
        low = a.lower()
        if low.startswith(("-type=", "-query=", "-q=", "-t=")):
            qtype = a.split("=", 1)[1].upper()
        elif a.startswith("-") and a != "-":
            continue
        else:
            rest.append(a)
    if not rest:
        if impl.family == "bind":
            ctx.err("nslookup: interactive mode is not available here; give a name: nslookup NAME\n")
        else:
            ctx.err(f"BusyBox v{impl.text} multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] "
                    "[-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n")
        return 1
    name = rest[0]
    conf = _conf(ctx)
    server = rest[1] if len(rest) > 1 else (conf.nameservers[0] if conf.nameservers else "127.0.0.1")
    if impl.family == "bind":
        return _ns_bind(ctx, impl, name, qtype, server, conf)
    if impl.version < (1, 29):
        return _ns_busybox_old(ctx, name, server)
    return _ns_busybox(ctx, name, qtype, server, conf)


def _timeout_line() -> str:
    return ";; connection timed out; no servers could be reached\n"


def _ns_busybox(ctx: Any, name: str, qtype: str | None, server: str, conf: Any) -> int:
    from sandbox.network.resolver import expand

    if _is_ip(name):
        queries = [(reverse_name(name), "PTR")]
    else:
        types = [qtype] if qtype else ["A", "AAAA"]
        queries = [(cand, t) for cand in expand(name, conf, "busybox") for t in types]
    printed_header = False
    status = 0
    for qname, qt in queries:
        resp = _query(ctx, qname, qt, server)
        if resp.status != "ok":
            ctx.out(_timeout_line())
            return 1
        if not printed_header:
            ctx.out(f"Server:\t\t{server}\nAddress:\t{server}:53\n\n")
            printed_header = True
        if resp.rcode != "NOERROR":
            ctx.out(f"** server can't find {_strip(qname)}: {resp.rcode}\n\n")
            status = 1
            continue
        lines = []
        for rec in resp.answer:
            owner = _strip(rec.name)
            if rec.rtype in ("A", "AAAA"):
                lines.append(f"Name:\t{owner}\nAddress: {rec.data}\n")
            elif rec.rtype == "CNAME":
                lines.append(f"{owner}\tcanonical name = {_strip(rec.data)}\n")
            elif rec.rtype == "SRV":
                lines.append(f"{owner}\tservice = {_strip(rec.data)}\n")
            elif rec.rtype == "PTR":
                lines.append(f"{owner}\tname = {_strip(rec.data)}\n")
            elif rec.rtype == "TXT":
                lines.append(f"{owner}\ttext = {rec.data}\n")
            else:
                lines.append(f"{owner}\t{rec.rtype.lower()} = {_strip(rec.data)}\n")
        ctx.out("".join(lines) + "\n")
    return status


def _ptr_name(ctx: Any, ip: str, server: str) -> str:
    resp = _query(ctx, reverse_name(ip), "PTR", server)
    for rec in resp.answer if resp.status == "ok" else []:
        if rec.rtype == "PTR":
            return _strip(rec.data)
    return ""


def _ns_busybox_old(ctx: Any, name: str, server: str) -> int:
    """busybox 1.28: getaddrinfo, then a PTR lookup for every address (tag 1_28_4 nslookup.c)."""
    server_name = _ptr_name(ctx, server, server)
    ctx.out(f"{'Server:':<10} {server}\n{'Address 1:':<10} {server}{' ' + server_name if server_name else ''}\n\n")
    found = resolve(ctx, name, mode="glibc" if resolver_mode(ctx) == "glibc" else "musl")
    if found.status != "ok" or not found.addresses:
        ctx.err(f"nslookup: can't resolve '{name}'\n")
        return 1
    ctx.out(f"{'Name:':<10} {name}\n")
    for i, ip in enumerate(found.addresses, 1):
        ptr = _ptr_name(ctx, ip, server)
        ctx.out(f"{f'Address {i}:':<10} {ip}{' ' + ptr if ptr else ''}\n")
    return 0


def _bind_candidates(name: str, conf: Any) -> list[str]:
    from sandbox.network.resolver import expand

    return expand(name, conf, "glibc")


def _ns_bind(ctx: Any, impl: Impl, name: str, qtype: str | None, server: str, conf: Any) -> int:
    if _is_ip(name):
        resp = _query(ctx, reverse_name(name), "PTR", server)
        if resp.status != "ok":
            ctx.out(_timeout_line() + "\n")
            return 1
        if resp.rcode != "NOERROR" or not resp.answer:
            ctx.out(f"** server can't find {reverse_name(name)[:-1]}: {resp.rcode}\n\n")
            return 1
        ctx.out("".join(f"{_strip(r.name)}\tname = {r.data}\n" for r in resp.answer if r.rtype == "PTR") + "\n")
        return 0
    header = f"Server:\t\t{server}\nAddress:\t{server}#53\n\n"
    types = [qtype] if qtype else ["A", "AAAA"]
    for cand in _bind_candidates(name, conf):
        first = _query(ctx, cand, types[0], server)
        if first.status != "ok":
            ctx.out(_timeout_line() + "\n")
            return 1
        if first.rcode == "NXDOMAIN":
            continue
        replies = [first] + [_query(ctx, cand, t, server) for t in types[1:]]
        if all(r.status == "ok" and r.rcode == "NOERROR" and not r.answer for r in replies) and cand != \
                _bind_candidates(name, conf)[-1]:
            continue
        out = [header]
        if not first.authoritative:
            out.append("Non-authoritative answer:\n")
        for reply in replies:
            for rec in reply.answer:
                owner = _strip(rec.name)
                if rec.rtype in ("A", "AAAA"):
                    out.append(f"Name:\t{owner}\nAddress: {rec.data}\n")
                elif rec.rtype == "CNAME":
                    if f"{owner}\tcanonical name = {rec.data}\n" not in out:
                        out.append(f"{owner}\tcanonical name = {rec.data}\n")
                elif rec.rtype == "SRV":
                    out.append(f"{owner}\tservice = {rec.data}\n")
                elif rec.rtype == "TXT":
                    out.append(f"{owner}\ttext = {rec.data}\n")
                else:
                    out.append(f"{owner}\t{rec.rtype.lower()} = {rec.data}\n")
        if qtype and not first.answer:
            out.append(f"*** Can't find {_strip(cand)}: No answer\n")
        ctx.out("".join(out) + "\n")
        return 0
    ctx.out(header + f"** server can't find {name}: NXDOMAIN\n\n")
    return 1


# -- dig --------------------------------------------------------------------------------------------

def _col(text: str, target: int) -> str:
    """BIND's masterfile indentation: tabs up to a column, or one space when already past it."""
    width = len(text.expandtabs(8))
    if width >= target:
        return text + " "
    while width < target:
        text += "\t"
        width = (width // 8 + 1) * 8
    return text


def dig_record(rec: Any) -> str:
    line = _col(rec.name, 24) + str(rec.ttl)
    line = _col(line, 32) + rec.rclass
    line = _col(line, 40) + rec.rtype
    line = _col(line, 48) + rec.data
    return line


def _dig_version(impl: Impl) -> str:
    text = impl.text
    if impl.version[:2] == (9, 18):
        return f"{text}-0ubuntu0.24.04.2-Ubuntu"
    if impl.version[:2] == (9, 9):
        return f"{text}-9+deb8u19-Debian"
    return text


def dig(ctx: Any) -> int:
    impl = tool_impl(ctx, "dig")
    conf = _conf(ctx)
    server = None
    qtype = "A"
    names: list[str] = []
    short = search = False
    sections = {"question": True, "answer": True, "authority": True, "additional": True, "comments": True,
                "stats": True, "cmd": True}
    args = ctx.argv[1:]
    i = 0
    reverse = False
    while i < len(args):
        a = args[i]
        i += 1
        if a.startswith("@"):
            server = a[1:]
        elif a in ("-t",) and i < len(args):
            qtype = args[i].upper()
            i += 1
        elif a == "-x" and i < len(args):
            names.append(args[i])
            reverse = True
            i += 1
        elif a.startswith("+"):
            opt = a[1:].lower()
            if opt == "short":
                short = True
            elif opt == "search":
                search = True
            elif opt == "nosearch":
                search = False
            elif opt == "noall":
                sections = dict.fromkeys(sections, False)
            elif opt == "all":
                sections = dict.fromkeys(sections, True)
            elif opt.startswith("no") and opt[2:] in sections:
                sections[opt[2:]] = False
            elif opt in sections:
                sections[opt] = True
        elif a.upper() in TYPES:
            qtype = a.upper()
        elif a.startswith("-"):
            continue
        else:
            names.append(a)
    if not names:
        names = ["."]
        qtype = "NS"
    server = server or (conf.nameservers[0] if conf.nameservers else "127.0.0.1")
    typed = " ".join(ctx.argv[1:])
    status = 0
    for name in names:
        qname = reverse_name(name) if reverse else name
        qt = "PTR" if reverse else qtype
        candidates = [qname if qname.endswith(".") else qname + "."]
        if search and not qname.endswith("."):
            from sandbox.network.resolver import expand

            candidates = expand(qname, conf, "glibc")
        resp = None
        for cand in candidates:
            resp = _query(ctx, cand, qt, server, edns=True)
            if resp.status != "ok" or resp.rcode != "NXDOMAIN":
                break
        assert resp is not None
        if resp.status != "ok":
            if impl.at_least(9, 16):
                ctx.out(f";; communications error to {server}#53: timed out\n" * 3)
                ctx.out(f"\n; <<>> DiG {_dig_version(impl)} <<>> {typed}\n;; global options: +cmd\n"
                        ";; no servers could be reached\n")
            else:
                ctx.out(f"\n; <<>> DiG {_dig_version(impl)} <<>> {typed}\n;; global options: +cmd\n"
                        ";; connection timed out; no servers could be reached\n")
            ctx.sleep(10.0)
            return 9
        if short:
            ctx.out("".join(f"{r.data}\n" for r in resp.answer))
            continue
        ctx.out(_dig_full(ctx, impl, resp, typed, server, sections))
    return status


def _dig_full(ctx: Any, impl: Impl, resp: Any, typed: str, server: str, show: dict[str, bool]) -> str:
    out = []
    if show["cmd"]:
        out.append(f"\n; <<>> DiG {_dig_version(impl)} <<>> {typed}\n;; global options: +cmd\n")
    if show["comments"]:
        out.append(";; Got answer:\n")
        out.append(f";; ->>HEADER<<- opcode: QUERY, status: {resp.rcode}, id: {resp.id}\n")
        out.append(f";; flags: {' '.join(resp.flags)}; QUERY: 1, ANSWER: {len(resp.answer)}, "
                   f"AUTHORITY: {len(resp.authority)}, ADDITIONAL: {len(resp.additional) + 1}\n")
        if "rd" in resp.flags and "ra" not in resp.flags:
            out.append(";; WARNING: recursion requested but not available\n")
        out.append("\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n")
    if show["question"]:
        if show["comments"]:
            out.append(";; QUESTION SECTION:\n")
        out.append(_col(";" + resp.qname, 32) + "IN")
        out[-1] = _col(out[-1], 40) + resp.qtype + "\n"
    for title, records in (("ANSWER", resp.answer), ("AUTHORITY", resp.authority),
                           ("ADDITIONAL", resp.additional)):
        if records and show[title.lower()]:
            if show["comments"]:
                out.append(f"\n;; {title} SECTION:\n")
            out += [dig_record(r) + "\n" for r in records]
    if show["stats"]:
        when = ctx.lab.cluster.clock.now.strftime("%a %b %d %H:%M:%S UTC %Y")
        proto = " (UDP)" if impl.at_least(9, 18) else ""
        out.append(f"\n;; Query time: {resp.query_time_ms} msec\n;; SERVER: {server}#53({server}){proto}\n"
                   f";; WHEN: {when}\n;; MSG SIZE  rcvd: {resp.size}\n\n")
    return "".join(out)


# -- host -------------------------------------------------------------------------------------------

def host(ctx: Any) -> int:
    conf = _conf(ctx)
    args = ctx.argv[1:]
    qtype = None
    names = []
    i = 0
    while i < len(args):
        if args[i] == "-t" and i + 1 < len(args):
            qtype = args[i + 1].upper()
            i += 2
            continue
        if not args[i].startswith("-"):
            names.append(args[i])
        i += 1
    if not names:
        ctx.err("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n"
                "            [-R number] [-m flag] [-p port] hostname [server]\n")
        return 1
    name = names[0]
    server = names[1] if len(names) > 1 else (conf.nameservers[0] if conf.nameservers else "127.0.0.1")
    if _is_ip(name):
        resp = _query(ctx, reverse_name(name), "PTR", server)
        if resp.status != "ok":
            ctx.out(";; connection timed out; no servers could be reached\n")
            return 1
        if resp.rcode != "NOERROR" or not resp.answer:
            ctx.out(f"Host {reverse_name(name)[:-1]} not found: 3(NXDOMAIN)\n")
            return 1
        ctx.out("".join(f"{_strip(r.name)} domain name pointer {r.data}\n" for r in resp.answer))
        return 0
    from sandbox.network.resolver import expand

    types = [qtype] if qtype else ["A", "AAAA", "MX"]
    for cand in expand(name, conf, "glibc"):
        first = _query(ctx, cand, types[0], server)
        if first.status != "ok":
            ctx.out(";; connection timed out; no servers could be reached\n")
            return 1
        if first.rcode == "NXDOMAIN":
            continue
        lines: list[str] = []
        for reply in [first] + [_query(ctx, cand, t, server) for t in types[1:]]:
            for r in reply.answer:
                owner = _strip(r.name)
                text = {"A": f"{owner} has address {r.data}", "AAAA": f"{owner} has IPv6 address {r.data}",
                        "CNAME": f"{owner} is an alias for {r.data}", "SRV": f"{owner} has SRV record {r.data}",
                        "MX": f"{owner} mail is handled by {r.data}", "TXT": f"{owner} descriptive text {r.data}"
                        }.get(r.rtype, f"{owner} has {r.rtype} record {r.data}")
                if text not in lines:
                    lines.append(text)
        if qtype and not lines:
            lines.append(f"{_strip(cand)} has no {qtype} record")
        ctx.out("".join(line + "\n" for line in lines))
        return 0
    ctx.out(f"Host {name} not found: 3(NXDOMAIN)\n")
    return 1


# -- getent -----------------------------------------------------------------------------------------

def getent(ctx: Any) -> int:
    args = ctx.argv[1:]
    if not args:
        ctx.err("Usage: getent [OPTION...] database [key ...]\n")
        return 1
    db = args[0]
    if db not in ("hosts", "ahosts", "ahostsv4"):
        if db in ("passwd", "group", "services", "protocols", "networks"):
            return 2
        ctx.err(f"Unknown database: {db}\nTry `getent --help' or `getent --usage' for more information.\n")
        return 1
    status = 0
    for name in args[1:]:
        found = resolve(ctx, name, qtypes=("A",))
        if found.status != "ok" or not found.addresses:
            status = 2
            continue
        canonical = found.canonical or name
        if db == "hosts":
            ctx.out(f"{found.addresses[0]:<15} {canonical}\n")
        else:
            for ip in found.addresses:
                ctx.out(f"{ip:<15} STREAM {canonical}\n{ip:<15} DGRAM  \n{ip:<15} RAW    \n")
    return status
