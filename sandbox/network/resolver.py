"""Client-side name resolution: resolv.conf, search-list expansion per client, and lookups (dns.md §2, §4).

Each client tool expands names its own way, which is the point of several lessons:

* ``glibc`` (getaddrinfo in Debian/Ubuntu images, curl, getent, bind9's nslookup/host/``dig +search``):
  fewer dots than ``ndots`` -> every search domain first, then the name as given; otherwise the name as
  given first, then the search domains; a trailing dot makes it absolute.
* ``musl`` (alpine, busybox-on-alpine, curlimages/curl): like glibc, but a name with ``>= ndots`` dots is
  only tried as given (musl's ``name_from_dns_search``).
* ``busybox`` (busybox >= 1.30 nslookup): search domains only for names *without any dot*, and then
  every domain is queried (never the bare name); dotted names are sent literally.
* ``dig``: the name as given, absolute, no search list (unless ``+search``: glibc rules).

:func:`lookup` runs the queries through ``Network.dns_query`` and reports every attempt, so a tool can
print each expanded query's answer (busybox prints each NXDOMAIN) or only the final one (curl).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sandbox.network.addresses import KUBE_DNS_IP, is_ipv4
from sandbox.network.models import DnsResponse, Source

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.network.network import Network

MODES = ("glibc", "musl", "busybox", "dig")


@dataclass
class ResolvConf:
    nameservers: list[str] = field(default_factory=lambda: [KUBE_DNS_IP])
    search: list[str] = field(default_factory=list)
    ndots: int = 1
    timeout: float = 5.0
    attempts: int = 2
    options: list[str] = field(default_factory=list)

    def text(self) -> str:
        """containerd's layout: search, nameserver(s), options."""
        lines = []
        if self.search:
            lines.append("search " + " ".join(self.search))
        lines += [f"nameserver {s}" for s in self.nameservers]
        if self.options:
            lines.append("options " + " ".join(self.options))
        return "\n".join(lines) + "\n"


def parse_resolv_conf(text: str) -> ResolvConf:
    """resolv.conf(5): the last ``search``/``domain`` line wins, at most 3 nameservers, options merge."""
    conf = ResolvConf(nameservers=[], search=[], ndots=1)
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        key, args = parts[0], parts[1:]
        if key == "nameserver" and args and len(conf.nameservers) < 3:
            conf.nameservers.append(args[0])
        elif key == "search":
            conf.search = [a.rstrip(".") for a in args if a != "."]
        elif key == "domain" and args:
            conf.search = [args[0].rstrip(".")]
        elif key == "options":
            for opt in args:
                conf.options.append(opt)
                name, _, value = opt.partition(":")
                try:
                    if name == "ndots":
                        conf.ndots = min(15, max(0, int(value)))
                    elif name == "timeout":
                        conf.timeout = min(30.0, max(1.0, float(int(value))))
                    elif name == "attempts":
                        conf.attempts = min(5, max(1, int(value)))
                except ValueError:
                    continue
    if not conf.nameservers:
        conf.nameservers = ["127.0.0.1"]
    return conf


def pod_resolv_conf(pod: dict) -> ResolvConf:
    """The resolv.conf the kubelet writes for ``pod`` (the workloads layer renders the file)."""
    try:
        from sandbox.workloads.podfiles import resolv_conf
    except ImportError:  # pragma: no cover - the workloads layer is always present in a lab
        ns = (pod.get("metadata") or {}).get("namespace") or "default"
        return ResolvConf([KUBE_DNS_IP], [f"{ns}.svc.cluster.local", "svc.cluster.local", "cluster.local"], 5,
                          options=["ndots:5"])
    return parse_resolv_conf(resolv_conf(pod))


def expand(name: str, conf: ResolvConf, mode: str = "glibc") -> list[str]:
    """The absolute names (trailing dot) a client of ``mode`` queries for ``name``, in order."""
    name = name.strip()
    if not name:
        return []
    if name.endswith("."):
        return [name]
    if mode == "dig":
        return [name + "."]
    searched = [f"{name}.{d}." for d in conf.search]
    if mode == "busybox":
        return searched if "." not in name and searched else [name + "."]
    dots = name.count(".")
    if dots >= conf.ndots:
        return [name + "."] if mode == "musl" else [name + "."] + searched
    return searched + [name + "."]


def parse_hosts(text: str) -> dict[str, list[str]]:
    """/etc/hosts: name (lower case) -> addresses in file order."""
    out: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].split()
        if len(line) < 2:
            continue
        for name in line[1:]:
            out.setdefault(name.lower(), []).append(line[0])
    return out


@dataclass
class Lookup:
    """A name resolution as a client performed it.

    ``status``: "ok", "nxdomain" (every candidate NXDOMAIN), "nodata" (names exist, no address of the
    wanted family), "timeout" (no server answered), "refused" (ICMP port unreachable from the server).
    ``attempts`` are all the exchanges, in the order they were sent; ``answer`` is the one that answered.
    """

    name: str
    status: str
    addresses: list[str] = field(default_factory=list)
    canonical: str = ""
    attempts: list[DnsResponse] = field(default_factory=list)
    answer: DnsResponse | None = None
    elapsed: float = 0.0
    source: str = "dns"   # "dns" | "hosts" | "literal"


def lookup(network: Network, src: Source, name: str, *, conf: ResolvConf | None = None, mode: str = "glibc",
           qtypes: tuple[str, ...] = ("A", "AAAA"), hosts: str | None = None, server: str | None = None) -> Lookup:
    """getaddrinfo-style resolution of ``name`` from ``src`` (``hosts`` = the client's /etc/hosts text)."""
    name = name.strip()
    if is_ipv4(name):
        return Lookup(name, "ok", [name], name, source="literal")
    if hosts is not None and mode != "busybox" and mode != "dig":
        found = parse_hosts(hosts).get(name.rstrip(".").lower())
        if found:
            return Lookup(name, "ok", [a for a in found if is_ipv4(a)] or found, name.rstrip("."), source="hosts")
    if conf is None:
        conf = _conf_for(network, src)
    if server is None:
        server = conf.nameservers[0] if conf.nameservers else KUBE_DNS_IP
    result = Lookup(name, "nxdomain")
    saw_nodata = False
    for cand in expand(name, conf, mode):
        answered: DnsResponse | None = None
        for qt in qtypes:
            resp = network.dns_query(src, cand, qt, server=server)
            if resp.status == "ok" and "tc" in resp.flags and mode != "busybox":
                result.attempts.append(resp)  # truncated over UDP: libc asks again over TCP
                resp = network.dns_query(src, cand, qt, server=server, protocol="TCP")
            result.attempts.append(resp)
            if resp.status != "ok":
                result.status = resp.status
                wait = conf.timeout * conf.attempts if mode == "glibc" else conf.timeout
                result.elapsed += wait if resp.status == "timeout" else 0.0
                return result
            result.elapsed += resp.query_time_ms / 1000
            if resp.rcode == "NOERROR":
                addrs = [r.data for r in resp.answer if r.rtype == qt]
                if addrs:
                    result.addresses.extend(a for a in addrs if a not in result.addresses)
                    answered = answered or resp
                else:
                    saw_nodata = True
        if answered is not None:
            result.status = "ok"
            result.answer = answered
            result.canonical = cand.rstrip(".")
            return result
    result.status = "nodata" if saw_nodata else "nxdomain"
    return result


def _conf_for(network: Network, src: Source) -> ResolvConf:
    if src.kind == "pod" and src.pod:
        pod = network.view.pods.get((src.namespace or "default", src.pod))
        if pod is not None:
            return pod_resolv_conf(pod)
    return ResolvConf(nameservers=["8.8.8.8", "8.8.4.4"], search=[], ndots=1)
