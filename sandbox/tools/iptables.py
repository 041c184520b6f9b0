"""``iptables-save`` and ``iptables -S`` on a node: the constant rules of kube-proxy in IPVS mode.

In IPVS mode the number of iptables rules does not grow with Services (ipvs.md §1): the rules below
are those proxier.go writeIptablesRules / createAndLinkKubeChain write, matching kube-proxy's ipsets,
plus the kubelet's canary and localnet-firewall chains. Rules that kube-proxy writes only for
non-empty ipsets appear only when the set has members, as on a real node.
"""

from __future__ import annotations

from typing import Any

from sandbox.network.addresses import POD_NETWORK
from sandbox.tools import kernel_node, network_of

VERSION = "v1.8.10 (nf_tables)"
MARK = "0x4000/0x4000"

BUILTIN = {
    "mangle": ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
    "filter": ["INPUT", "FORWARD", "OUTPUT"],
    "nat": ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
}

# ipsetWithIptablesChain: (set, table, from, to, matchType, protocol)
IPSET_CHAINS = [
    ("KUBE-LOOP-BACK", "nat", "KUBE-POSTROUTING", "MASQUERADE", "dst,dst,src", ""),
    ("KUBE-LOAD-BALANCER", "nat", "KUBE-SERVICES", "KUBE-LOAD-BALANCER", "dst,dst", ""),
    ("KUBE-LOAD-BALANCER-LOCAL", "nat", "KUBE-LOAD-BALANCER", "RETURN", "dst,dst", ""),
    ("KUBE-NODE-PORT-LOCAL-TCP", "nat", "KUBE-NODE-PORT", "RETURN", "dst", "tcp"),
    ("KUBE-NODE-PORT-TCP", "nat", "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst", "tcp"),
    ("KUBE-NODE-PORT-LOCAL-UDP", "nat", "KUBE-NODE-PORT", "RETURN", "dst", "udp"),
    ("KUBE-NODE-PORT-UDP", "nat", "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst", "udp"),
    ("KUBE-NODE-PORT-LOCAL-SCTP-HASH", "nat", "KUBE-NODE-PORT", "RETURN", "dst,dst", "sctp"),
    ("KUBE-NODE-PORT-SCTP-HASH", "nat", "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst,dst", "sctp"),
    ("KUBE-LOAD-BALANCER-FW", "filter", "KUBE-PROXY-FIREWALL", "KUBE-SOURCE-RANGES-FIREWALL", "dst,dst", ""),
    ("KUBE-LOAD-BALANCER-SOURCE-CIDR", "filter", "KUBE-SOURCE-RANGES-FIREWALL", "RETURN", "dst,dst,src", ""),
    ("KUBE-LOAD-BALANCER-SOURCE-IP", "filter", "KUBE-SOURCE-RANGES-FIREWALL", "RETURN", "dst,dst,src", ""),
]


def _comment(set_name: str) -> str:
    from sandbox.network.ipsets import SET_INFO

    return f'"{SET_INFO[set_name].comment}"'


def ruleset(proxy: Any, cluster_cidr: str = POD_NETWORK) -> dict[str, tuple[list[str], list[str]]]:
    """table -> (user chains, rules in iptables-save order) for one node's kube-proxy state."""
    sets = proxy.ipsets
    rules: dict[str, dict[str, list[str]]] = {t: {} for t in BUILTIN}

    def add(table: str, chain: str, spec: str) -> None:
        rules[table].setdefault(chain, []).append(f"-A {chain} {spec}")

    user = {
        "mangle": ["KUBE-IPTABLES-HINT", "KUBE-KUBELET-CANARY", "KUBE-PROXY-CANARY"],
        "filter": ["KUBE-FIREWALL", "KUBE-FORWARD", "KUBE-IPVS-FILTER", "KUBE-IPVS-OUT-FILTER",
                   "KUBE-KUBELET-CANARY", "KUBE-NODE-PORT", "KUBE-PROXY-CANARY", "KUBE-PROXY-FIREWALL",
                   "KUBE-SOURCE-RANGES-FIREWALL"],
        "nat": ["KUBE-KUBELET-CANARY", "KUBE-LOAD-BALANCER", "KUBE-MARK-MASQ", "KUBE-NODE-PORT",
                "KUBE-POSTROUTING", "KUBE-PROXY-CANARY", "KUBE-SERVICES"],
    }
    # jump rules (EnsureRule Prepend: the last ensured comes first)
    add("filter", "INPUT", '-m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER')
    add("filter", "INPUT", '-m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL')
    add("filter", "INPUT", '-m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT')
    add("filter", "INPUT", "-j KUBE-FIREWALL")
    add("filter", "FORWARD", '-m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL')
    add("filter", "FORWARD", '-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD')
    add("filter", "OUTPUT", '-m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER')
    add("filter", "OUTPUT", "-j KUBE-FIREWALL")
    add("nat", "PREROUTING", '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES')
    add("nat", "OUTPUT", '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES')
    add("nat", "POSTROUTING", '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING')
    # kubelet: block incoming localnet connections
    add("filter", "KUBE-FIREWALL", '! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet '
                                   'connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP')
    # writeIptablesRules
    add("nat", "KUBE-SERVICES", "-s 127.0.0.0/8 -j RETURN")
    for name, table, frm, to, match, proto in IPSET_CHAINS:
        if sets.is_empty(name):
            continue
        p = f"-p {proto} " if proto else ""
        add(table, frm, f"{p}-m comment --comment {_comment(name)} -m set --match-set {name} {match} -j {to}")
    if not sets.is_empty("KUBE-CLUSTER-IP"):
        add("nat", "KUBE-SERVICES", f"! -s {cluster_cidr} -m comment --comment {_comment('KUBE-CLUSTER-IP')} "
                                    "-m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ")
    for name, local in (("KUBE-EXTERNAL-IP", False), ("KUBE-EXTERNAL-IP-LOCAL", True)):
        if sets.is_empty(name):
            continue
        base = f"-m comment --comment {_comment(name)} -m set --match-set {name} dst,dst"
        if not local:
            add("nat", "KUBE-SERVICES", f"{base} -j KUBE-MARK-MASQ")
        add("nat", "KUBE-SERVICES", f"{base} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT")
        add("nat", "KUBE-SERVICES", f"{base} -m addrtype --dst-type LOCAL -j ACCEPT")
    add("nat", "KUBE-SERVICES", "-m addrtype --dst-type LOCAL -j KUBE-NODE-PORT")
    add("nat", "KUBE-LOAD-BALANCER", "-j KUBE-MARK-MASQ")
    add("filter", "KUBE-SOURCE-RANGES-FIREWALL", "-j DROP")
    for name in ("KUBE-CLUSTER-IP", "KUBE-LOAD-BALANCER"):  # acceptIPVSTraffic
        if not sets.is_empty(name):
            add("nat", "KUBE-SERVICES", f"-m set --match-set {name} dst,dst -j ACCEPT")
    add("filter", "KUBE-FORWARD", f'-m comment --comment "kubernetes forwarding rules" -m mark --mark {MARK} -j ACCEPT')
    add("filter", "KUBE-FORWARD", '-m comment --comment "kubernetes forwarding conntrack rule" -m conntrack '
                                  '--ctstate RELATED,ESTABLISHED -j ACCEPT')
    add("filter", "KUBE-NODE-PORT", '-m comment --comment "Kubernetes health check node port" -m set '
                                    '--match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT')
    for name, match in (("KUBE-LOAD-BALANCER", "dst,dst"), ("KUBE-CLUSTER-IP", "dst,dst"),
                        ("KUBE-EXTERNAL-IP", "dst,dst"), ("KUBE-EXTERNAL-IP-LOCAL", "dst,dst"),
                        ("KUBE-HEALTH-CHECK-NODE-PORT", "dst")):
        add("filter", "KUBE-IPVS-FILTER", f"-m set --match-set {name} {match} -j RETURN")
    add("filter", "KUBE-IPVS-FILTER", "-m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst "
                                      "-j REJECT --reject-with icmp-port-unreachable")
    add("nat", "KUBE-POSTROUTING", f"-m mark ! --mark {MARK} -j RETURN")
    add("nat", "KUBE-POSTROUTING", "-j MARK --set-xmark 0x4000/0x0")
    add("nat", "KUBE-POSTROUTING", '-m comment --comment "kubernetes service traffic requiring SNAT" '
                                   "-j MASQUERADE --random-fully")
    add("nat", "KUBE-MARK-MASQ", f"-j MARK --set-xmark {MARK}")
    out: dict[str, tuple[list[str], list[str]]] = {}
    for table in ("mangle", "filter", "nat"):
        chains = BUILTIN[table] + sorted(user[table])
        lines: list[str] = []
        for chain in chains:
            lines += rules[table].get(chain, [])
        out[table] = (sorted(user[table]), lines)
    return out


def references(proxy: Any) -> dict[str, int]:
    """How many rules reference each ipset (``ipset list``'s References)."""
    counts: dict[str, int] = {}
    for _chains, lines in ruleset(proxy).values():
        for line in lines:
            parts = line.split()
            for i, word in enumerate(parts):
                if word == "--match-set" and i + 1 < len(parts):
                    counts[parts[i + 1]] = counts.get(parts[i + 1], 0) + 1
    return counts


def _stamp(network: Any) -> str:
    """ctime(3) form, as iptables-save prints it."""
    return network.clock.now.strftime("%a %b %e %H:%M:%S %Y")


def _no_kernel(ctx: Any, prog: str) -> int:
    ctx.err(f"{prog} {VERSION}: Could not fetch rule set generation id: Permission denied (you must be root)\n")
    return 4


def iptables_save(ctx: Any) -> int:
    prog = "iptables-save"
    args = ctx.argv[1:]
    only: str | None = None
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-t", "--table") and i + 1 < len(args):
            only = args[i + 1]
            i += 2
            continue
        if a.startswith("--table="):
            only = a.split("=", 1)[1]
        elif a.startswith("-t") and len(a) > 2:
            only = a[2:]
        elif a in ("-c", "--counters"):
            pass
        else:
            ctx.err("Unknown arguments found on commandline\n")
            return 1
        i += 1
    node = kernel_node(ctx)
    if node is None:
        return _no_kernel(ctx, prog)
    network = network_of(ctx)
    rs = ruleset(network.proxy(node))
    if only is not None and only not in rs:
        ctx.err(f"{prog}: Table does not exist (do you need to insmod?)\n")
        return 1
    stamp = _stamp(network)
    out = []
    for table, (chains, lines) in rs.items():
        if only is not None and table != only:
            continue
        out.append(f"# Generated by {prog} {VERSION} on {stamp}\n*{table}\n")
        for chain in BUILTIN[table]:
            out.append(f":{chain} ACCEPT [0:0]\n")
        for chain in chains:
            out.append(f":{chain} - [0:0]\n")
        out.extend(line + "\n" for line in lines)
        out.append(f"COMMIT\n# Completed on {stamp}\n")
    ctx.out("".join(out))
    return 0


def _listing_row(spec: str, numeric: bool) -> tuple[str, str]:
    """(target, formatted row) of one ``-A`` rule in ``iptables -L`` layout (print_firewall)."""
    import shlex

    toks = shlex.split(spec)[2:]
    target, prot, src, dst = "", "all", "0.0.0.0/0", "0.0.0.0/0"
    src_inv = dst_inv = False
    extras: list[str] = []
    module = ""
    inv = False
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if t == "!":
            inv = True
            i += 1
            continue
        if t == "-s":
            src, src_inv = nxt, inv
        elif t == "-d":
            dst, dst_inv = nxt, inv
        elif t == "-p":
            prot = nxt
        elif t == "-m":
            module = nxt
        elif t == "-j":
            target = nxt
            module = "target:" + nxt
        elif t == "--comment":
            extras.append(f"/* {nxt} */")
        elif t == "--match-set":
            extras.append(f"{'! ' if inv else ''}match-set {nxt} {toks[i + 2]}")
            i += 3
            inv = False
            continue
        elif t in ("--dst-type", "--src-type"):
            extras.append(f"ADDRTYPE match {t[2:]} {'!' if inv else ''}{nxt}")
        elif t == "--mark":
            extras.append(f"mark match {'! ' if inv else ''}{nxt}")
        elif t == "--ctstate":
            extras.append(f"{'! ' if inv else ''}ctstate {nxt}")
        elif t == "--physdev-is-in":
            extras.append(f"PHYSDEV match {'! ' if inv else ''}--physdev-is-in")
            inv = False
            i += 1
            continue
        elif t == "--set-xmark":
            value, _, mask = nxt.partition("/")
            extras.append(f"MARK or {value}" if value == mask else f"MARK xor {value}" if mask == "0x0"
                          else f"MARK xset {nxt}")
        elif t == "--random-fully":
            extras.append("random-fully")
            i += 1
            continue
        elif t == "--reject-with":
            extras.append(f"reject-with {nxt}")
        else:
            i += 1
            continue
        inv = False
        i += 2
    _ = module

    def addr(a: str) -> str:
        return "anywhere" if a == "0.0.0.0/0" and not numeric else a

    row = (f"{target:<9} {' '}{prot:<5}-- {'!' if src_inv else ' '}{addr(src):<19} {'!' if dst_inv else ' '}"
           f"{addr(dst):<19} " + "".join(" " + e for e in extras))
    return target, row


def _listing(table: str, chains: list[str], lines: list[str], only: str | None, numeric: bool,
             line_numbers: bool = False) -> str:
    by_chain: dict[str, list[str]] = {}
    refs: dict[str, int] = {}
    for line in lines:
        chain = line.split()[1]
        by_chain.setdefault(chain, []).append(line)
        target, _ = _listing_row(line, numeric)
        refs[target] = refs.get(target, 0) + 1
    blocks = []
    for chain in BUILTIN[table] + chains:
        if only is not None and chain != only:
            continue
        head = (f"Chain {chain} (policy ACCEPT)" if chain in BUILTIN[table]
                else f"Chain {chain} ({refs.get(chain, 0)} references)")
        num = "num  " if line_numbers else ""
        rows = [head, num + "target     prot opt source               destination         "]
        rows += [(f"{i:<4} " if line_numbers else "") + _listing_row(line, numeric)[1]
                 for i, line in enumerate(by_chain.get(chain, []), start=1)]
        blocks.append("\n".join(rows) + "\n")
    return "\n".join(blocks)


def iptables(ctx: Any) -> int:
    """``iptables [-t table] -S [chain]`` and ``-L [chain] [-n]``: the same rules, listed."""
    args = ctx.argv[1:]
    table = "filter"
    chain: str | None = None
    action = None
    numeric = line_numbers = False
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-t", "--table") and i + 1 < len(args):
            table = args[i + 1]
            i += 2
            continue
        if a in ("-S", "--list-rules", "-L", "--list") or (a.startswith("-L") and set(a[2:]) <= {"n"}):
            action = "S" if a in ("-S", "--list-rules") else "L"
            if a.startswith("-L") and "n" in a[2:]:
                numeric = True
            if i + 1 < len(args) and not args[i + 1].startswith("-"):
                chain = args[i + 1]
                i += 1
        elif a in ("-n", "--numeric"):
            numeric = True
        elif a == "--line-numbers":
            line_numbers = True
        else:
            ctx.err(f"iptables {VERSION}: unknown option \"{a}\"\nTry `iptables -h' or 'iptables --help' for more "
                    "information.\n")
            return 2
        i += 1
    if action is None:
        ctx.err(f"iptables {VERSION}: no command specified\nTry `iptables -h' or 'iptables --help' for more "
                "information.\n")
        return 2
    node = kernel_node(ctx)
    if node is None:
        return _no_kernel(ctx, "iptables")
    rs = ruleset(network_of(ctx).proxy(node))
    if table not in rs:
        ctx.err(f"iptables {VERSION}: can't initialize iptables table `{table}': Table does not exist (do you need "
                "to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n")
        return 3
    chains, lines = rs[table]
    all_chains = BUILTIN[table] + chains
    if chain is not None and chain not in all_chains:
        ctx.err("iptables: No chain/target/match by that name.\n")
        return 1
    if action == "L":
        ctx.out(_listing(table, chains, lines, chain, numeric, line_numbers))
        return 0
    out = []
    for c in all_chains:
        if chain is not None and c != chain:
            continue
        out.append(f"-P {c} ACCEPT\n" if c in BUILTIN[table] else f"-N {c}\n")
    for line in lines:
        if chain is None or line.split()[1] == chain:
            out.append(line + "\n")
    ctx.out("".join(out))
    return 0
