"""CoreDNS as kubeadm configures it, answering from live cluster state (dns.md §1, §3).

``CoreDNS.answer`` follows the kubernetes plugin (parse.go parseRequest, kubernetes.go findServices /
findPods, reverse.go, handler.go, plugin/backend_lookup.go) for names in ``cluster.local`` and the
reverse zones, with ``pods insecure``, ``ttl 30``, ``fallthrough in-addr.arpa ip6.arpa``; everything
else goes to ``forward . /etc/resolv.conf``, modelled by a small fixed *upstream* table
(:data:`UPSTREAM`): those names resolve, every other outside name is NXDOMAIN. The kubeadm Corefile
disables the cache for cluster.local, so cluster answers always reflect the current state with TTL 30.
``loadbalance`` shuffles multi-record A/AAAA answers with the cluster's seeded rng.

Replies carry the header flags real clients print: cluster answers are ``qr aa rd`` (never ``ra``),
forwarded ones ``qr rd ra``; negative answers carry one SOA in AUTHORITY.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sandbox.network.addresses import CLUSTER_DOMAIN, dashed, is_ipv4
from sandbox.network.models import DnsRecord
from sandbox.network.view import ClusterView

TTL = 30
SCHEMA_VERSION = "1.1.0"
TXT_TTL = 28800

#: Outside names the lab's "internet" knows (the forward plugin's upstream). TTLs are capped by
#: CoreDNS's ``cache 30``. Anything else outside the cluster is NXDOMAIN.
UPSTREAM: dict[str, dict[str, list[str]]] = {
    "example.com.": {"A": ["93.184.215.14"], "AAAA": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"]},
    "www.example.com.": {"A": ["93.184.215.14"], "AAAA": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"]},
    "google.com.": {"A": ["142.250.185.78"], "AAAA": ["2a00:1450:4001:82f::200e"]},
    "www.google.com.": {"A": ["142.250.185.68"], "AAAA": ["2a00:1450:4001:829::2004"]},
    "kubernetes.io.": {"A": ["15.197.167.90", "3.33.186.135"]},
    "github.com.": {"A": ["140.82.121.4"]},
    "registry.k8s.io.": {"A": ["34.96.108.209"], "AAAA": ["2600:1901:0:bbc4::"]},
    "archive.ubuntu.com.": {"A": ["185.125.190.83", "91.189.91.82"]},
    "security.ubuntu.com.": {"A": ["185.125.190.82"]},
    "deb.debian.org.": {"A": ["151.101.2.132"]},
    "dl-cdn.alpinelinux.org.": {"A": ["151.101.2.133"]},
}
#: Public resolvers a client may name explicitly (``dig @8.8.8.8``): they answer from UPSTREAM.
PUBLIC_RESOLVERS = frozenset({"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9"})


def fqdn(name: str) -> str:
    name = name.strip()
    return name if name.endswith(".") else name + "."


@dataclass
class Reply:
    rcode: str = "NOERROR"
    flags: list[str] = field(default_factory=lambda: ["qr", "aa", "rd"])
    answer: list[DnsRecord] = field(default_factory=list)
    authority: list[DnsRecord] = field(default_factory=list)
    additional: list[DnsRecord] = field(default_factory=list)
    forwarded: bool = False


@dataclass
class _Item:
    """A msg.Service: an address (or a name for ExternalName) behind a DNS path."""

    host: str
    port: int = 0
    target: str = ""     # the record's own name (SRV target), absolute


def _split(name: str) -> list[str]:
    return [p for p in name.rstrip(".").split(".") if p]


def upstream_reply(qname: str, qtype: str, *, recursion: bool = True) -> Reply:
    """What the forward plugin's upstream (or a public resolver) says about an outside name."""
    flags = ["qr", "rd", "ra"] if recursion else ["qr", "ra"]
    name = fqdn(qname).lower()
    rec = UPSTREAM.get(name)
    if rec is None:
        labels = _split(name)
        tld = labels[-1] if labels else ""
        if tld in ("com", "net", "org", "io"):
            soa = DnsRecord(name=f"{tld}.", ttl=TTL, rtype="SOA",
                            data="a.gtld-servers.net. nstld.verisign-grs.com. 1763791200 1800 900 604800 900")
        elif name.endswith("in-addr.arpa."):
            soa = DnsRecord(name="in-addr.arpa.", ttl=TTL, rtype="SOA",
                            data="b.in-addr-servers.arpa. nstld.iana.org. 2026110900 1800 900 604800 3600")
        else:
            soa = DnsRecord(name=".", ttl=TTL, rtype="SOA",
                            data="a.root-servers.net. nstld.verisign-grs.com. 2026112200 1800 900 604800 86400")
        return Reply("NXDOMAIN", flags, [], [soa], forwarded=True)
    values = rec.get(qtype, [])
    answer = [DnsRecord(name=fqdn(qname), ttl=TTL, rtype=qtype, data=v) for v in values]
    authority = []
    if not answer:
        labels = _split(name)
        zone = ".".join(labels[-2:]) + "."
        authority = [DnsRecord(name=zone, ttl=TTL, rtype="SOA",
                               data=f"ns1.{zone} dns-admin.{zone} 2026112201 900 900 1800 60")]
    return Reply("NOERROR", flags, answer, authority, forwarded=True)


class CoreDNS:
    """The kubernetes plugin + forward + loadbalance, over the network's informer cache."""

    def __init__(self, view: ClusterView, rng: random.Random, zone: str = CLUSTER_DOMAIN,
                 dns_ip: str = "10.96.0.10") -> None:
        self.view = view
        self.rng = rng
        self.zone = zone.rstrip(".")
        self.dns_ip = dns_ip

    # ---- helpers ---------------------------------------------------------------------------------
    def soa(self) -> DnsRecord:
        serial = self.view.modified or 1
        return DnsRecord(name=f"{self.zone}.", ttl=TTL, rtype="SOA",
                         data=f"ns.dns.{self.zone}. hostmaster.{self.zone}. {serial} 7200 1800 86400 {TTL}")

    def _negative(self, rcode: str) -> Reply:
        return Reply(rcode, ["qr", "aa", "rd"], [], [self.soa()])

    def _ns_exists(self, ns: str) -> bool:
        return bool(ns) and ns in self.view.namespaces

    # ---- entry point ------------------------------------------------------------------------------
    def answer(self, qname: str, qtype: str, *, recursion: bool = True) -> Reply:
        qname = fqdn(qname)
        low = qname.lower()
        qtype = qtype.upper()
        zone = self.zone + "."
        if low == zone or low.endswith("." + zone):
            reply = self._cluster(qname, low, qtype)
        elif low.endswith(".in-addr.arpa.") and qtype == "PTR":
            reply = self._reverse(qname, low)
        else:
            reply = upstream_reply(qname, qtype, recursion=recursion)
        if not recursion and "rd" in reply.flags:
            reply.flags = [f for f in reply.flags if f != "rd"]
        if len(reply.answer) > 1:
            self._loadbalance(reply)
        return reply

    def _loadbalance(self, reply: Reply) -> None:
        """plugin/loadbalance: shuffle the address records, keep CNAMEs and the rest in place."""
        addr_idx = [i for i, r in enumerate(reply.answer) if r.rtype in ("A", "AAAA", "MX")]
        if len(addr_idx) < 2:
            return
        recs = [reply.answer[i] for i in addr_idx]
        self.rng.shuffle(recs)
        for i, r in zip(addr_idx, recs, strict=True):
            reply.answer[i] = r

    # ---- cluster zone -----------------------------------------------------------------------------
    def _cluster(self, qname: str, low: str, qtype: str) -> Reply:
        zone = self.zone + "."
        base = low[: -len(zone)].rstrip(".") if low != zone else ""
        if qtype == "TXT":
            # kubernetes.go Services(): only dns-version.<zone> has a TXT record; anything else is NODATA
            if base == "dns-version":
                return Reply("NOERROR", ["qr", "aa", "rd"],
                             [DnsRecord(name=qname, ttl=TXT_TTL, rtype="TXT", data=f'"{SCHEMA_VERSION}"')])
            return self._negative("NOERROR")
        if base == "":
            if qtype == "SOA":
                return Reply("NOERROR", ["qr", "aa", "rd"], [self.soa()])
            if qtype == "NS":
                return Reply("NOERROR", ["qr", "aa", "rd"],
                             [DnsRecord(name=qname, ttl=TTL, rtype="NS", data=f"ns.dns.{zone}")],
                             additional=[DnsRecord(name=f"ns.dns.{zone}", ttl=TTL, rtype="A", data=self.dns_ip)])
            return self._negative("NOERROR")
        if base == "ns.dns":
            if qtype == "A":
                return Reply("NOERROR", ["qr", "aa", "rd"], [DnsRecord(name=qname, ttl=TTL, rtype="A",
                                                                      data=self.dns_ip)])
            return self._negative("NOERROR")
        items, err = self._records(base)
        if err:
            return self._negative("NXDOMAIN")
        if items is None:
            return self._negative("NOERROR")  # apex-like partial names: NODATA
        return self._assemble(qname, qtype, items)

    def _records(self, base: str) -> tuple[list[_Item] | None, bool]:
        """parseRequest + Records: (items, name_error). items None = NODATA for a partial name."""
        segs = _split(base)
        if not segs:
            return None, False
        kind = segs[-1]
        if kind not in ("svc", "pod"):
            return [], True
        rest = segs[:-1]
        if not rest:
            return None, False
        ns = rest[-1]
        rest = rest[:-1]
        if not self._ns_exists(ns):
            return [], True
        if not rest:
            return None, False  # "<ns>.svc.<zone>": NODATA when the namespace exists
        service = rest[-1]
        rest = rest[:-1]
        endpoint = port = proto = ""
        if len(rest) == 1:
            endpoint = rest[0]
        elif len(rest) == 2:
            port, proto = rest[0].lstrip("_"), rest[1].lstrip("_")
        elif len(rest) > 2:
            return [], True
        if kind == "pod":
            if endpoint or port:
                return [], True
            return self._pod_items(service, ns)
        items = self._service_items(ns, service, endpoint, port, proto)
        return items, not items

    def _pod_items(self, podname: str, ns: str) -> tuple[list[_Item], bool]:
        """findPods with ``pods insecure``: any dashed IPv4 answers, without checking for a pod."""
        if podname.count("-") == 3 and "--" not in podname:
            ip = podname.replace("-", ".")
            if is_ipv4(ip):
                return [_Item(ip)], False
        return [], True

    def _service_items(self, ns: str, name: str, endpoint: str, port: str, proto: str) -> list[_Item]:
        view = self.view
        svc = view.services.get((ns, name))
        if svc is None:
            return []
        spec = svc.get("spec") or {}
        zone = self.zone
        svc_fqdn = f"{name}.{ns}.svc.{zone}."

        def match(want: str, have: str) -> bool:
            return want == "" or want == "*" or want.lower() == (have or "").lower()

        if spec.get("type") == "ExternalName":
            # dns.md §3: names below an ExternalName (and _port._proto forms) are NXDOMAIN
            if endpoint or port or not spec.get("externalName"):
                return []
            return [_Item(fqdn(spec["externalName"]), 0, svc_fqdn)]
        cluster_ip = spec.get("clusterIP") or ""
        headless = cluster_ip in ("None", "")
        items: list[_Item] = []
        if headless or endpoint:
            for sl, ep in view.endpoints((ns, name)):
                cond = ep.get("conditions") or {}
                if cond.get("ready") is False:
                    continue  # object/endpoint.go drops not-ready endpoints
                for ip in ep.get("addresses") or []:
                    host = ep.get("hostname") or dashed(ip)
                    if endpoint and endpoint.lower() != host.lower():
                        continue
                    # object/endpoint.go: a slice without ports gets a sentinel port so A records exist
                    for p in sl.get("ports") or [{"name": "", "port": -1, "protocol": "TCP"}]:
                        if not (match(port, p.get("name") or "") and match(proto, p.get("protocol") or "TCP")):
                            continue
                        items.append(_Item(ip, int(p.get("port") or 0), f"{host}.{name}.{ns}.svc.{zone}."))
            return items
        ips = [ip for ip in (spec.get("clusterIPs") or [cluster_ip]) if ip]
        for ip in ips:
            for p in spec.get("ports") or []:
                if not (match(port, p.get("name") or "") and match(proto, p.get("protocol") or "TCP")):
                    continue
                items.append(_Item(ip, int(p.get("port") or 0), svc_fqdn))
        return items

    def _assemble(self, qname: str, qtype: str, items: list[_Item]) -> Reply:
        """plugin.A / AAAA / SRV / CNAME over the found items; empty answer = NODATA."""
        answer: list[DnsRecord] = []
        additional: list[DnsRecord] = []
        seen: set[tuple[str, str]] = set()

        def add(lst: list[DnsRecord], rec: DnsRecord) -> None:
            key = (rec.name.lower() + rec.rtype, rec.data)
            if key not in seen:
                seen.add(key)
                lst.append(rec)

        for it in items:
            is_name = not is_ipv4(it.host) and ":" not in it.host
            if qtype in ("A", "AAAA"):
                if is_name:  # ExternalName: CNAME, then the target's addresses
                    add(answer, DnsRecord(name=qname, ttl=TTL, rtype="CNAME", data=it.host))
                    target = self.answer(it.host, qtype)
                    for r in target.answer:
                        add(answer, r)
                elif (qtype == "A") == is_ipv4(it.host):
                    add(answer, DnsRecord(name=qname, ttl=TTL, rtype=qtype, data=it.host))
            elif qtype == "CNAME":
                if is_name:
                    add(answer, DnsRecord(name=qname, ttl=TTL, rtype="CNAME", data=it.host))
            elif qtype == "SRV":
                if is_name:
                    continue
                weight = 100 // max(1, len([i for i in items if is_ipv4(i.host) or ":" in i.host]))
                add(answer, DnsRecord(name=qname, ttl=TTL, rtype="SRV", data=f"0 {weight} {it.port} {it.target}"))
                add(additional, DnsRecord(name=it.target, ttl=TTL, rtype="A" if is_ipv4(it.host) else "AAAA",
                                          data=it.host))
        if not answer:
            return Reply("NOERROR", ["qr", "aa", "rd"], [], [self.soa()])
        return Reply("NOERROR", ["qr", "aa", "rd"], answer, [], additional)

    # ---- reverse zone -----------------------------------------------------------------------------
    def _reverse(self, qname: str, low: str) -> Reply:
        labels = _split(low)[:-2]
        ip = ".".join(reversed(labels)) if len(labels) == 4 else ""
        names: list[str] = []
        if ip and is_ipv4(ip):
            view = self.view
            key = view.by_cluster_ip.get(ip)
            if key is not None and key in view.services:
                names = [f"{key[1]}.{key[0]}.svc.{self.zone}."]
            else:
                for skey in view.endpoint_ips.get(ip, {}):
                    for _sl, ep in view.endpoints(skey):
                        if ip in (ep.get("addresses") or []) and (ep.get("conditions") or {}).get("ready") is not False:
                            host = ep.get("hostname") or dashed(ip)
                            name = f"{host}.{skey[1]}.{skey[0]}.svc.{self.zone}."
                            if name not in names:
                                names.append(name)
        if not names:
            return upstream_reply(qname, "PTR")  # fallthrough in-addr.arpa
        return Reply("NOERROR", ["qr", "aa", "rd"],
                     [DnsRecord(name=qname, ttl=TTL, rtype="PTR", data=n) for n in names])


# ---- wire size (dig's "MSG SIZE  rcvd") ---------------------------------------------------------------
def _name_len(name: str, table: dict[str, int], offset: int) -> int:
    """Encoded length of a name with RFC 1035 compression against names already written."""
    labels = _split(name.lower())
    size = 0
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        if suffix in table:
            return size + 2
        table[suffix] = offset + size
        size += 1 + len(labels[i])
    return size + 1


def _rdata_len(rec: DnsRecord, table: dict[str, int], offset: int) -> int:
    t = rec.rtype
    if t == "A":
        return 4
    if t == "AAAA":
        return 16
    if t in ("CNAME", "PTR", "NS"):
        return _name_len(rec.data, table, offset)
    if t == "SRV":
        target = rec.data.split()[3]
        return 6 + _name_len(target, table, offset + 6)
    if t == "TXT":
        text = rec.data.strip('"')
        return 1 + len(text)
    if t == "SOA":
        mname, rname = rec.data.split()[:2]
        n1 = _name_len(mname, table, offset)
        n2 = _name_len(rname, table, offset + n1)
        return n1 + n2 + 20
    return len(rec.data)


def wire_size(qname: str, sections: list[list[DnsRecord]], *, edns: bool = False) -> int:
    table: dict[str, int] = {}
    size = 12
    size += _name_len(qname, table, size) + 4
    for section in sections:
        for rec in section:
            size += _name_len(rec.name, table, size)
            size += 10
            size += _rdata_len(rec, table, size)
    if edns:
        size += 11
    return size
