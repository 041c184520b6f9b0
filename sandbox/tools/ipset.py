"""``ipset list [-n|-t] [SETNAME]`` / ``ipset save``: kube-proxy's sets on this node (ipset 7.x layout).

Members are printed in a stable numeric order (the kernel prints hash-bucket order, which is
arbitrary); sizes in memory are the kernel's order of magnitude, not a byte-exact figure.
"""

from __future__ import annotations

from typing import Any

from sandbox.network.ipsets import IPSET_INFO, REVISIONS, SET_INFO
from sandbox.tools import kernel_node, network_of

VERSION = "v7.19"


def _size(set_type: str, n: int) -> int:
    if set_type == "bitmap:port":
        return 8264
    per = {"hash:ip": 16, "hash:ip,port": 24, "hash:ip,port,ip": 32, "hash:ip,port,net": 40}.get(set_type, 24)
    return 200 + (per * ((n + 3) // 4) * 4 + 56 * ((n + 3) // 4) if n else 0)


def _header(set_type: str, initval: str) -> str:
    if set_type == "bitmap:port":
        return "range 0-65535"
    return f"family inet hashsize 1024 maxelem 65536 bucketsize 12 initval {initval}"


def _describe(proxy: Any, name: str, refs: dict[str, int], terse: bool) -> str:
    info = SET_INFO[name]
    members = proxy.ipsets.entries(name)
    lines = [f"Name: {name}", f"Type: {info.type}", f"Revision: {REVISIONS[info.type]}",
             f"Header: {_header(info.type, proxy.ipsets.initval(name))}",
             f"Size in memory: {_size(info.type, len(members))}", f"References: {refs.get(name, 0)}",
             f"Number of entries: {len(members)}"]
    if not terse:
        lines.append("Members:")
        lines += members
    return "\n".join(lines) + "\n"


def ipset(ctx: Any) -> int:
    args = ctx.argv[1:]
    if not args:
        ctx.err(f"ipset {VERSION}: No command specified.\nTry `ipset help' for more documentation.\n")
        return 1
    cmd, rest = args[0], args[1:]
    flags = {a for a in rest if a.startswith("-")}
    names = [a for a in rest if not a.startswith("-")]
    if cmd in ("-v", "version", "--version"):
        ctx.out(f"ipset {VERSION}, protocol version: 7\n")
        return 0
    node = kernel_node(ctx)
    if cmd not in ("list", "-L", "-l", "--list", "save", "-S", "--save", "-n"):
        ctx.err(f"ipset {VERSION}: No command specified: unknown argument {cmd}\n"
                "Try `ipset help' for more documentation.\n")
        return 1
    if node is None:
        ctx.err(f"ipset {VERSION}: Kernel error received: Operation not permitted\n")
        return 1
    network = network_of(ctx)
    proxy = network.proxy(node)
    if len(names) > 1:
        ctx.err(f"ipset {VERSION}: Unknown argument: `{names[1]}'\nTry `ipset help' for more documentation.\n")
        return 1
    wanted = [s.name for s in IPSET_INFO]
    if names:
        if names[0] not in SET_INFO:
            ctx.err(f"ipset {VERSION}: The set with the given name does not exist\n")
            return 1
        wanted = [names[0]]
    if cmd in ("save", "-S", "--save"):
        out = []
        for name in wanted:
            info = SET_INFO[name]
            out.append(f"create {name} {info.type} {_header(info.type, proxy.ipsets.initval(name))}\n")
            out.extend(f"add {name} {m}\n" for m in proxy.ipsets.entries(name))
        ctx.out("".join(out))
        return 0
    if "-n" in flags or "-name" in flags:
        ctx.out("".join(f"{n}\n" for n in wanted))
        return 0
    from sandbox.tools.iptables import references

    refs = references(proxy)
    terse = "-t" in flags or "-terse" in flags
    ctx.out("\n".join(_describe(proxy, n, refs, terse) for n in wanted))
    return 0
