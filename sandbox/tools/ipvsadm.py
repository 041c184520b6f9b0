"""``ipvsadm``: the node's IPVS table, with ipvsadm 1.26's option handling and exact layouts (ipvs.md §6).

Parsing follows popt as ipvsadm uses it: the *first* option must be a command (``-L``, ``-A``, ...),
short options bundle (``-Ln``), an unknown option or a misplaced one gets ipvsadm's own message.
Listing reads the kernel state of the node the shell runs on (a host-network pod sees its node's).
"""

from __future__ import annotations

from typing import Any

from sandbox.network.addresses import is_ipv4
from sandbox.network.ipvs import CONN_TAB_SIZE, IPVS_VERSION, IpvsTable, VirtualService
from sandbox.tools import kernel_node, network_of, node_hosts, port_name

VERSION_LINE = "ipvsadm v1.26 2008/5/15 (compiled with popt and IPVS v1.2.1)"
SCHED_LIST = "rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq"

# command options (the first option) and the option table: name -> (short, takes_arg)
COMMANDS = {"A": "add-service", "E": "edit-service", "D": "delete-service", "C": "clear", "L": "list",
            "l": "list", "Z": "zero", "a": "add-server", "e": "edit-server", "d": "delete-server",
            "set": "set", "h": "help", "v": "version", "R": "restore", "S": "save",
            "start-daemon": "start-daemon", "stop-daemon": "stop-daemon"}
LONG = {"add-service": "A", "edit-service": "E", "delete-service": "D", "clear": "C", "list": "L", "zero": "Z",
        "add-server": "a", "edit-server": "e", "delete-server": "d", "set": "set", "help": "h", "version": "v",
        "restore": "R", "save": "S", "start-daemon": "start-daemon", "stop-daemon": "stop-daemon",
        "tcp-service": "t", "udp-service": "u", "fwmark-service": "f", "scheduler": "s", "persistent": "p",
        "netmask": "M", "real-server": "r", "masquerading": "m", "ipip": "i", "gatewaying": "g", "weight": "w",
        "u-threshold": "x", "l-threshold": "y", "numeric": "n", "connection": "c", "mcast-interface": "mcast",
        "syncid": "syncid", "timeout": "timeout", "daemon": "daemon", "stats": "stats", "rate": "rate",
        "thresholds": "thresholds", "persistent-conn": "persistent-conn", "nosort": "nosort", "sort": "sort",
        "exact": "X", "ipv6": "6", "ops": "o", "pe": "pe"}
SHORT_ARG = {"t", "u", "f", "s", "M", "r", "w", "x", "y"}
SHORT_NOARG = {"A", "E", "D", "C", "L", "l", "Z", "a", "e", "d", "h", "v", "R", "S", "m", "i", "g", "n", "c", "X",
               "6", "o"}
LONG_ARG = {"t", "u", "f", "s", "M", "r", "w", "x", "y", "mcast", "syncid", "pe", "start-daemon", "stop-daemon"}
#: the list command's option rules (commands_v_options row LIST): "1" exclusive, "x" illegal
OPT_NAME = {"n": "numeric", "c": "connection", "svc": "service-address", "s": "scheduler", "p": "persistent",
            "M": "netmask", "r": "real-server", "fwd": "forwarding-method", "w": "weight", "x": "u-threshold",
            "y": "l-threshold", "mcast": "mcast-interface", "timeout": "timeout", "daemon": "daemon",
            "stats": "stats", "rate": "rate", "thresholds": "thresholds", "persistent-conn": "persistent-conn",
            "nosort": "nosort", "syncid": "syncid", "X": "exact", "o": "ops", "pe": "pe"}
LIST_RULES = {"c": "1", "svc": "1", "timeout": "1", "daemon": "1", "s": "x", "p": "x", "M": "x", "r": "x",
              "fwd": "x", "w": "x", "x": "x", "y": "x", "mcast": "x", "o": "x", "pe": "x"}
OPT_ORDER = ["n", "c", "svc", "s", "pe", "p", "M", "r", "fwd", "w", "x", "y", "mcast", "timeout", "daemon",
             "stats", "rate", "thresholds", "persistent-conn", "nosort", "syncid", "X", "o"]


class Fail(Exception):
    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


def _tryhelp(prog: str) -> Fail:
    return Fail(255, f"Try `{prog} -h' or '{prog} --help' for more information.")


def _tokens(argv: list[str], prog: str) -> list[tuple[str, str | None, str]]:
    """popt-style scan: (option key, argument, text as typed); positional args as ("", arg, arg)."""
    out: list[tuple[str, str | None, str]] = []
    i = 0
    only_args = False
    while i < len(argv):
        a = argv[i]
        i += 1
        if only_args or not a.startswith("-") or a == "-":
            out.append(("", a, a))
            continue
        if a == "--":
            only_args = True
            continue
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            key = LONG.get(name)
            if key is None:
                out.append(("?", None, a))
                continue
            if key in LONG_ARG:
                if not eq:
                    if i >= len(argv):
                        out.append(("!", None, a))
                        continue
                    val = argv[i]
                    i += 1
                out.append((key, val, a))
            elif key == "p":
                out.append((key, val if eq else None, a))
            else:
                out.append((key, None, a))
            continue
        j = 1
        while j < len(a):
            ch = a[j]
            if ch in SHORT_ARG:
                rest = a[j + 1:]
                if rest:
                    val = rest
                elif i < len(argv):
                    val = argv[i]
                    i += 1
                else:
                    out.append(("!", None, f"-{ch}"))
                    break
                out.append((ch, val, f"-{ch}"))
                break
            if ch == "p":
                rest = a[j + 1:]
                if rest:
                    out.append(("p", rest, "-p"))
                    break
                if i < len(argv) and not argv[i].startswith("-") and argv[i].isdigit():
                    out.append(("p", argv[i], "-p"))
                    i += 1
                else:
                    out.append(("p", None, "-p"))
                j += 1
                continue
            if ch in SHORT_NOARG:
                out.append((ch, None, f"-{ch}"))
            else:
                out.append(("?", None, f"-{ch}"))
                break
            j += 1
    return out


def _parse_service(text: str, network: Any) -> tuple[str, int] | None:
    """host[:port] -> (ip, port); hosts may be node names (/etc/hosts), ports service names."""
    host, _, port_text = text.rpartition(":") if ":" in text else (text, "", "")
    if not host:
        return None
    if not is_ipv4(host):
        ip = network.node_ips.get(host) if network is not None else None
        if ip is None:
            return None
        host = ip
    port = 0
    if port_text:
        if port_text.isdigit():
            port = int(port_text)
            if port > 65535:
                return None
        else:
            from sandbox.tools import SERVICES

            found = [p for (p, _proto), name in SERVICES.items() if name == port_text]
            if not found:
                return None
            port = found[0]
    return host, port


def ipvsadm(ctx: Any) -> int:
    prog = ctx.argv[0] if ctx.argv else "ipvsadm"
    try:
        return _run(ctx, prog)
    except Fail as f:
        ctx.err(f.msg + "\n")
        return f.code


def _run(ctx: Any, prog: str) -> int:
    node = kernel_node(ctx)
    if node is None:
        raise Fail(2, "Can't initialize ipvs: Permission denied (you must be root)\n"
                      "Are you sure that IP Virtual Server is built in the kernel or as module?")
    network = network_of(ctx)
    table = network.ipvs(node)
    now = network.clock.seconds
    table.purge(now)
    names = node_hosts(network, ctx)
    args = ctx.argv[1:]
    if not args:
        ctx.out(_list_all(table, names, numeric=False, fmt=set(), now=now))
        return 0
    toks = _tokens(args, prog)
    first = toks[0]
    if first[0] in ("?", "!", "") or first[0] not in COMMANDS:
        raise _tryhelp(prog)
    cmd = COMMANDS[first[0]]
    if cmd == "help":
        ctx.out(usage(prog))
        return 0
    if cmd == "version":
        ctx.out(VERSION_LINE + "\n")
        return 0
    opts: dict[str, str | None] = {}
    svc: tuple[str, tuple[str, int] | None] | None = None
    positional: list[str] = []
    for key, val, text in toks[1:]:
        if key == "":
            positional.append(val or "")
            continue
        if key == "?":
            if text.startswith("--"):
                ctx.err(f"{text}: unknown option\n")
                return 255
            raise Fail(2, f"invalid option `{text}'")
        if key == "!":
            ctx.err(f"{text}: missing argument\n")
            return 255
        if key in COMMANDS and key not in ("S",):
            raise Fail(2, f"invalid option `{text}'")
        if key in ("t", "u"):
            parsed = _parse_service(val or "", network)
            if parsed is None:
                raise Fail(2, "illegal virtual server address[:port] specified")
            svc = ("TCP" if key == "t" else "UDP", parsed)
            opts["svc"] = None
        elif key == "f":
            svc = ("FWM", None)
            opts["svc"] = None
        elif key in ("m", "i", "g"):
            opts["fwd"] = key
        elif key == "sort":
            continue
        else:
            opts[key] = val
    if cmd == "set":
        if len(positional) < 3:
            raise Fail(2, "--set option requires 3 timeout values")
        vals = []
        for p in positional[:3]:
            if not p.isdigit() or int(p) > 86400 * 31:
                raise Fail(2, f"illegal timeout value `{p}' specified")
            vals.append(int(p))
        conns = table.conns
        if vals[0]:
            conns.tcp_timeouts["ESTABLISHED"] = vals[0]
        if vals[1]:
            conns.tcp_timeouts["FIN_WAIT"] = vals[1]
        if vals[2]:
            conns.udp_timeout = vals[2]
        positional = positional[3:]
    if positional:
        raise Fail(2, f"unexpected argument {positional[0]}")
    if cmd == "list":
        return _cmd_list(ctx, table, names, opts, svc, now)
    if cmd == "save":
        ctx.out(_save(table, names, numeric="n" in opts))
        return 0
    if cmd == "clear":
        for key in list(table.services):
            table.del_service(key)
        return 0
    if cmd == "zero":
        targets = table.services.values() if svc is None else [_find(table, svc)]
        for vs in targets:
            _zero(vs, now)
        return 0
    if cmd in ("add-service", "edit-service", "delete-service", "add-server", "edit-server", "delete-server"):
        return _modify(ctx, table, cmd, opts, svc, now)
    if cmd in ("start-daemon", "stop-daemon"):
        raise Fail(2, "Operation not permitted")  # sync daemons are not part of a kubeadm node
    if cmd == "restore":
        raise Fail(2, "restore is not supported in this lab")
    return 0


def _find(table: IpvsTable, svc: tuple[str, tuple[str, int] | None]) -> VirtualService:
    proto, addr = svc
    vs = table.lookup(proto, addr[0], addr[1]) if addr is not None else None
    if vs is None:
        raise Fail(1, "No such service")
    return vs


def _zero(vs: VirtualService, now: float) -> None:
    from sandbox.network.ipvs import Stats

    vs.stats = Stats(est_at=now)
    for d in vs.dests:
        d.stats = Stats(est_at=now)


def _check_list_opts(opts: dict) -> None:
    exclusive = None
    for key in OPT_ORDER:
        if key not in opts:
            continue
        rule = LIST_RULES.get(key, " ")
        if rule == "x":
            raise Fail(2, f"Illegal '{OPT_NAME[key]}' option with the 'list' command")
        if rule == "1":
            if exclusive is None:
                exclusive = key
            else:
                raise Fail(2, f"The option '{OPT_NAME[key]}' conflicts with the '{OPT_NAME[exclusive]}' option "
                              f"in the 'list' command")
    if (("c" in opts or "timeout" in opts or "daemon" in opts) and
            ("stats" in opts or "rate" in opts or "thresholds" in opts)) or \
            (("timeout" in opts or "daemon" in opts) and "persistent-conn" in opts):
        raise Fail(2, "options conflicts in the list command")


def _cmd_list(ctx: Any, table: IpvsTable, names: dict[str, str], opts: dict, svc, now: float) -> int:
    _check_list_opts(opts)
    numeric = "n" in opts
    fmt = {k for k in ("stats", "rate", "thresholds", "persistent-conn", "nosort", "X") if k in opts}
    if "c" in opts:
        ctx.out(_list_conn(table, names, numeric, now, persistent_conn="persistent-conn" in opts))
    elif svc is not None:
        vs = _find(table, svc)
        ctx.out(_title(fmt) + _service_entry(vs, names, numeric, fmt, now))
    elif "timeout" in opts:
        t = table.conns
        ctx.out(f"Timeout (tcp tcpfin udp): {t.tcp_timeouts['ESTABLISHED']} {t.tcp_timeouts['FIN_WAIT']} "
                f"{t.udp_timeout}\n")
    elif "daemon" in opts:
        pass
    else:
        ctx.out(_list_all(table, names, numeric, fmt, now))
    return 0


# ---- formatting (ipvsadm.c print_title / print_service_entry / print_conn) -------------------------
def _addrport(addr: str, port: int, proto: str, names: dict[str, str] | None, numeric: bool) -> str:
    if numeric:
        return f"{addr}:{port}"
    host = (names or {}).get(addr, addr)
    name = port_name(port, proto) or str(port)
    return f"{host}:{name}"


def _largenum(n: int, exact: bool) -> str:
    if exact:
        s = str(n)
        return s.rjust(9 if len(s) <= 8 else len(s) + 1)
    if n < 100_000_000:
        return f"{n:9d}"
    if n < 1_000_000_000:
        return f"{n // 1000:8d}K"
    if n < 100_000_000_000:
        return f"{n // 1_000_000:8d}M"
    if n < 100_000_000_000_000:
        return f"{n // 1_000_000_000:8d}G"
    return f"{n // 1_000_000_000_000:8d}T"


def _title(fmt: set) -> str:
    if "stats" in fmt:
        return (f"{'Prot LocalAddress:Port':<33} {'Conns':>8} {'InPkts':>8} {'OutPkts':>8} {'InBytes':>8} "
                f"{'OutBytes':>8}\n  -> RemoteAddress:Port\n")
    if "rate" in fmt:
        return (f"{'Prot LocalAddress:Port':<33} {'CPS':>8} {'InPPS':>8} {'OutPPS':>8} {'InBPS':>8} {'OutBPS':>8}\n"
                "  -> RemoteAddress:Port\n")
    if "thresholds" in fmt:
        return (f"{'Prot LocalAddress:Port':<33} {'Uthreshold':<10} {'Lthreshold':<10} {'ActiveConn':<10} "
                f"{'InActConn':<10}\n  -> RemoteAddress:Port\n")
    if "persistent-conn" in fmt:
        return (f"{'Prot LocalAddress:Port':<33} {'Weight':<9} {'PersistConn':<11} {'ActiveConn':<10} "
                f"{'InActConn':<10}\n  -> RemoteAddress:Port\n")
    return ("Prot LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n")


def _service_entry(vs: VirtualService, names: dict[str, str], numeric: bool, fmt: set, now: float) -> str:
    exact = "X" in fmt
    name = f"{vs.proto}  {_addrport(vs.addr, vs.port, vs.proto, names, numeric)}"[:33]
    if "stats" in fmt:
        s = vs.stats
        line = f"{name:<33}" + "".join(_largenum(v, exact) for v in (s.conns, s.inpkts, s.outpkts, s.inbytes,
                                                                      s.outbytes))
    elif "rate" in fmt:
        line = f"{name:<33}" + "".join(_largenum(v, exact) for v in vs.stats.rates(now))
    else:
        line = f"{name} {vs.sched_name}{vs.flags_text()}"
    out = [line + "\n"]
    dests = list(vs.dests) if "nosort" in fmt else sorted(vs.dests, key=lambda d: d.sort_key())
    for d in dests:
        dname = _addrport(d.addr, d.port, vs.proto, names, numeric)[:28]
        if "stats" in fmt:
            s = d.stats
            out.append(f"  -> {dname:<28}" + "".join(_largenum(v, exact) for v in (
                s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes)) + "\n")
        elif "rate" in fmt:
            cps, inpps, outpps, inbps, outbps = d.stats.rates(now)
            out.append(f"  -> {dname:<28} {cps:8d} {inpps:8d} {outpps:8d}" + _largenum(inbps, exact)
                       + _largenum(outbps, exact) + "\n")
        elif "thresholds" in fmt:
            out.append(f"  -> {dname:<28} {0:<10} {0:<10} {d.active:<10} {d.inactive:<10}\n")
        elif "persistent-conn" in fmt:
            out.append(f"  -> {dname:<28} {d.weight:<9} {d.persist:<11} {d.active:<10} {d.inactive:<10}\n")
        else:
            out.append(f"  -> {dname:<28} {d.fwd:<7} {d.weight:<6} {d.active:<10} {d.inactive:<10}\n")
    return "".join(out)


def _list_all(table: IpvsTable, names: dict[str, str], numeric: bool, fmt: set, now: float) -> str:
    services = list(table.services.values()) if "nosort" in fmt else table.sorted_services()
    head = f"IP Virtual Server version {IPVS_VERSION} (size={CONN_TAB_SIZE})\n" + _title(fmt)
    return head + "".join(_service_entry(vs, names, numeric, fmt, now) for vs in services)


def _list_conn(table: IpvsTable, names: dict[str, str], numeric: bool, now: float, *,
               persistent_conn: bool = False) -> str:
    if persistent_conn:  # the extra columns stay empty: no persistence engine (pe) is in use
        title = (f"pro expire {'state':<11} {'source':<18} {'virtual':<18} {'destination':<18} {'pe name':<16} "
                 "pe_data\n")
    else:
        title = f"pro expire {'state':<11} {'source':<18} {'virtual':<18} destination\n"
    out = ["IPVS connection entries\n", title]
    for c in table.conns.listing(now):
        left = max(0, int(c.expires - now))
        expire = f"{left // 60:02d}:{left % 60:02d}"
        src = _addrport(c.caddr, c.cport, c.proto, names, numeric)
        vip = _addrport(c.vaddr, c.vport, c.proto, names, numeric)
        dst = _addrport(c.daddr, c.dport, c.proto, names, numeric)
        out.append(f"{c.proto:<3} {expire:<6} {c.state:<11} {src:<18} {vip:<18} {dst}\n")
    return "".join(out)


def _save(table: IpvsTable, names: dict[str, str], numeric: bool) -> str:
    out = []
    for vs in table.sorted_services():
        sw = "-t" if vs.proto == "TCP" else "-u"
        name = f"{sw} {_addrport(vs.addr, vs.port, vs.proto, names, numeric)}"
        line = f"-A {name} -s {vs.sched_name}"
        if vs.persistent:
            line += f" -p {vs.timeout}"
        out.append(line + "\n")
        for d in sorted(vs.dests, key=lambda d: d.sort_key()):
            switch = {"Masq": "-m", "Tunnel": "-i"}.get(d.fwd, "-g")
            out.append(f"-a {name} -r {_addrport(d.addr, d.port, vs.proto, names, numeric)} {switch} -w {d.weight}\n")
    return "".join(out)


def _modify(ctx: Any, table: IpvsTable, cmd: str, opts: dict, svc, now: float) -> int:
    if svc is None or svc[1] is None:
        raise Fail(2, f"You need to supply the 'service-address' option for the '{cmd}' command")
    proto, (addr, port) = svc
    if cmd in ("add-service", "edit-service"):
        sched = opts.get("s") or "wlc"
        persistent = "p" in opts
        value = opts.get("p")
        if persistent and value is not None and (not value.isdigit() or not 1 <= int(value) <= 2678400):
            raise Fail(2, "illegal timeout for persistent service")
        timeout = int(value) if persistent and value else (300 if persistent else 0)
        if not port and not persistent:
            raise Fail(2, "Zero port specified for non-persistent service")
        if cmd == "add-service":
            if table.lookup(proto, addr, port) is not None:
                raise Fail(2, "Service already exists")
            table.add_service(proto, addr, port, sched, persistent=persistent, timeout=timeout, now=now)
        else:
            if table.lookup(proto, addr, port) is None:
                raise Fail(2, "No such service")
            table.edit_service((proto, addr, port), scheduler=sched, persistent=persistent, timeout=timeout)
        return 0
    if cmd == "delete-service":
        if table.lookup(proto, addr, port) is None:
            raise Fail(2, "No such service")
        table.del_service((proto, addr, port))
        return 0
    vs = table.lookup(proto, addr, port)
    if "r" not in opts:
        raise Fail(2, f"You need to supply the 'real-server' option for the '{cmd}' command")
    rs = _parse_service(opts["r"] or "", None)
    if rs is None:
        raise Fail(2, "illegal real server address[:port] specified")
    raddr, rport = rs[0], rs[1] or port
    if vs is None:
        raise Fail(2, "Service not defined")
    weight = int(opts["w"]) if opts.get("w", "").isdigit() else 1 if "w" not in opts else -1
    if weight < 0 or weight > 65535:
        raise Fail(2, "illegal weight specified")
    # the forwarding method: -g (direct routing) unless -m or -i; DR and tunnelling keep the VS port
    fwd = {"m": "Masq", "i": "Tunnel", "g": "Route"}.get(opts.get("fwd") or "g", "Route")
    if fwd != "Masq":
        rport = port
    if cmd == "add-server":
        if (raddr, rport) in vs.by_key:
            raise Fail(2, "Destination already exists")
        vs.add_dest(raddr, rport, weight, now).fwd = fwd
    elif cmd == "edit-server":
        if (raddr, rport) not in vs.by_key:
            raise Fail(2, "No such destination")
        d = vs.edit_dest(raddr, rport, weight)
        if "fwd" in opts:
            d.fwd = fwd
    else:
        if (raddr, rport) not in vs.by_key:
            raise Fail(2, "No such destination")
        vs.del_dest(raddr, rport)
    return 0


def usage(prog: str) -> str:
    p = prog
    return (
        f"{VERSION_LINE}\n"
        "Usage:\n"
        f"  {p} -A|E -t|u|f service-address [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine]\n"
        f"  {p} -D -t|u|f service-address\n"
        f"  {p} -C\n"
        f"  {p} -R\n"
        f"  {p} -S [-n]\n"
        f"  {p} -a|e -t|u|f service-address -r server-address [options]\n"
        f"  {p} -d -t|u|f service-address -r server-address\n"
        f"  {p} -L|l [options]\n"
        f"  {p} -Z [-t|u|f service-address]\n"
        f"  {p} --set tcp tcpfin udp\n"
        f"  {p} --start-daemon state [--mcast-interface interface] [--syncid sid]\n"
        f"  {p} --stop-daemon state\n"
        f"  {p} -h\n\n"
        "Commands:\n"
        "Either long or short options are allowed.\n"
        "  --add-service     -A        add virtual service with options\n"
        "  --edit-service    -E        edit virtual service with options\n"
        "  --delete-service  -D        delete virtual service\n"
        "  --clear           -C        clear the whole table\n"
        "  --restore         -R        restore rules from stdin\n"
        "  --save            -S        save rules to stdout\n"
        "  --add-server      -a        add real server with options\n"
        "  --edit-server     -e        edit real server with options\n"
        "  --delete-server   -d        delete real server\n"
        "  --list            -L|-l     list the table\n"
        "  --zero            -Z        zero counters in a service or all services\n"
        "  --set tcp tcpfin udp        set connection timeout values\n"
        "  --start-daemon              start connection sync daemon\n"
        "  --stop-daemon               stop connection sync daemon\n"
        "  --help            -h        display this help message\n\n"
        "Options:\n"
        "  --tcp-service  -t service-address   service-address is host[:port]\n"
        "  --udp-service  -u service-address   service-address is host[:port]\n"
        "  --fwmark-service  -f fwmark         fwmark is an integer greater than zero\n"
        "  --ipv6         -6                   fwmark entry uses IPv6\n"
        f"  --scheduler    -s scheduler         one of {SCHED_LIST},\n"
        "                                      the default scheduler is wlc.\n"
        "  --pe            engine              alternate persistence engine may be sip,\n"
        "                                      not set by default.\n"
        "  --persistent   -p [timeout]         persistent service\n"
        "  --netmask      -M netmask           persistent granularity mask\n"
        "  --real-server  -r server-address    server-address is host (and port)\n"
        "  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
        "  --ipip         -i                   ipip encapsulation (tunneling)\n"
        "  --masquerading -m                   masquerading (NAT)\n"
        "  --weight       -w weight            capacity of real server\n"
        "  --u-threshold  -x uthreshold        upper threshold of connections\n"
        "  --l-threshold  -y lthreshold        lower threshold of connections\n"
        "  --mcast-interface interface         multicast interface for connection sync\n"
        "  --syncid sid                        syncid for connection sync (default=255)\n"
        "  --connection   -c                   output of current IPVS connections\n"
        "  --timeout                           output of timeout (tcp tcpfin udp)\n"
        "  --daemon                            output of daemon information\n"
        "  --stats                             output of statistics information\n"
        "  --rate                              output of rate information\n"
        "  --exact                             expand numbers (display exact values)\n"
        "  --thresholds                        output of thresholds information\n"
        "  --persistent-conn                   output of persistent connection info\n"
        "  --nosort                            disable sorting output of service/server entries\n"
        "  --sort                              does nothing, for backwards compatibility\n"
        "  --ops          -o                   one-packet scheduling\n"
        "  --numeric      -n                   numeric output of addresses and ports\n")
