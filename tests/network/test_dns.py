"""CoreDNS from live state (dns.md §3) and client-side expansion (dns.md §4)."""

from __future__ import annotations

import pytest
from netlab import MiniCluster, node_source, pod_source

from sandbox.network.resolver import ResolvConf, expand, lookup, parse_resolv_conf


@pytest.fixture
def dns() -> MiniCluster:
    c = MiniCluster()
    c.with_dns()
    c.namespace("prod")
    c.service("backend", "10.96.45.123", [{"name": "http", "port": 80}, {"name": "", "port": 9000}])
    c.service("plain", "10.96.45.124", [{"port": 80}])
    c.service("ext", None, [], type="ExternalName", externalName="example.com")
    c.service("data", "10.96.45.200", [{"port": 5432}], ns="prod")
    c.service("nginx", "None", [{"name": "web", "port": 80}])
    c.slice("nginx", [{"ip": "10.244.1.5", "hostname": "web-0"}, {"ip": "10.244.2.6", "hostname": "web-1"},
                      {"ip": "10.244.1.7", "hostname": "web-2", "ready": False}], [{"name": "web", "port": 80}])
    c.slice("backend", [{"ip": "10.244.1.20"}], [{"name": "http", "port": 8080}, {"name": "", "port": 9000}])
    c.pod("client", "node01", c.network.allocate_pod_ip("node01"))
    return c


def q(c: MiniCluster, name: str, qtype: str = "A"):
    return c.network.dns_query(pod_source(c, "client"), name, qtype)


def rr(resp) -> list[tuple[str, str, str]]:
    return [(r.name, r.rtype, r.data) for r in resp.answer]


def test_service_a_record_flags_and_ttl(dns: MiniCluster) -> None:
    r = q(dns, "backend.default.svc.cluster.local")
    assert r.status == "ok" and r.rcode == "NOERROR" and r.flags == ["qr", "aa", "rd"]
    assert rr(r) == [("backend.default.svc.cluster.local.", "A", "10.96.45.123")]
    assert r.answer[0].ttl == 30 and r.backend_pod == "kube-system/coredns-0" and r.size == 67


def test_aaaa_on_ipv4_service_is_nodata_with_soa(dns: MiniCluster) -> None:
    r = q(dns, "backend.default.svc.cluster.local", "AAAA")
    assert (r.rcode, r.answer) == ("NOERROR", [])
    assert [(a.name, a.rtype) for a in r.authority] == [("cluster.local.", "SOA")]
    assert r.authority[0].data.startswith("ns.dns.cluster.local. hostmaster.cluster.local. ")
    assert r.authority[0].data.endswith(" 7200 1800 86400 30")


def test_nxdomain_cases(dns: MiniCluster) -> None:
    for name in ("nosuch.default.svc.cluster.local", "backend.nons.svc.cluster.local", "foo.cluster.local",
                 "backend.default.default.svc.cluster.local", "a.b.c.backend.default.svc.cluster.local"):
        r = q(dns, name)
        assert r.rcode == "NXDOMAIN" and r.authority[0].rtype == "SOA", name
    for name in ("svc.cluster.local", "default.svc.cluster.local", "pod.cluster.local", "cluster.local"):
        r = q(dns, name)
        assert (r.rcode, r.answer) == ("NOERROR", []), name


def test_srv_named_ports_and_bare_name(dns: MiniCluster) -> None:
    r = q(dns, "_http._tcp.backend.default.svc.cluster.local", "SRV")
    assert rr(r) == [("_http._tcp.backend.default.svc.cluster.local.", "SRV",
                      "0 100 80 backend.default.svc.cluster.local.")]
    assert [(a.name, a.data) for a in r.additional] == [("backend.default.svc.cluster.local.", "10.96.45.123")]
    assert q(dns, "_http._tcp.plain.default.svc.cluster.local", "SRV").rcode == "NXDOMAIN"
    bare = q(dns, "backend.default.svc.cluster.local", "SRV")
    assert sorted(r.data for r in bare.answer) == ["0 50 80 backend.default.svc.cluster.local.",
                                                    "0 50 9000 backend.default.svc.cluster.local."]


def test_headless_returns_ready_endpoints_and_per_pod_names(dns: MiniCluster) -> None:
    r = q(dns, "nginx.default.svc.cluster.local")
    assert sorted(a for _, _, a in rr(r)) == ["10.244.1.5", "10.244.2.6"]
    assert rr(q(dns, "web-0.nginx.default.svc.cluster.local")) == [
        ("web-0.nginx.default.svc.cluster.local.", "A", "10.244.1.5")]
    assert q(dns, "web-2.nginx.default.svc.cluster.local").rcode == "NXDOMAIN"   # not ready
    srv = q(dns, "_web._tcp.nginx.default.svc.cluster.local", "SRV")
    assert sorted(r.data for r in srv.answer) == ["0 50 80 web-0.nginx.default.svc.cluster.local.",
                                                   "0 50 80 web-1.nginx.default.svc.cluster.local."]
    dns.slice("nginx", [{"ip": "10.244.1.5", "hostname": "web-0", "ready": False}], [{"name": "web", "port": 80}])
    assert q(dns, "nginx.default.svc.cluster.local").rcode == "NXDOMAIN"


def test_headless_shuffle_is_seeded() -> None:
    def orders(seed: int) -> list[list[str]]:
        c = MiniCluster(seed=seed)
        c.with_dns()
        c.service("h", "None", [{"port": 80}])
        c.slice("h", [{"ip": f"10.244.1.{i}"} for i in range(2, 8)], [{"name": "", "port": 80}])
        c.pod("client", "node01", c.network.allocate_pod_ip("node01"))
        return [[a.data for a in q(c, "h.default.svc.cluster.local").answer] for _ in range(4)]

    a = orders(3)
    assert a == orders(3)
    assert len({tuple(x) for x in a}) > 1


def test_external_name_cname_and_upstream(dns: MiniCluster) -> None:
    r = q(dns, "ext.default.svc.cluster.local")
    assert rr(r) == [("ext.default.svc.cluster.local.", "CNAME", "example.com."),
                     ("example.com.", "A", "93.184.215.14")]
    assert q(dns, "x.ext.default.svc.cluster.local").rcode == "NXDOMAIN"
    up = q(dns, "example.com")
    assert up.flags == ["qr", "rd", "ra"] and rr(up) == [("example.com.", "A", "93.184.215.14")]
    nx = q(dns, "nosuch.invalid")
    assert nx.rcode == "NXDOMAIN" and "aa" not in nx.flags


def test_ptr_txt_and_pod_records(dns: MiniCluster) -> None:
    assert rr(q(dns, "123.45.96.10.in-addr.arpa", "PTR")) == [
        ("123.45.96.10.in-addr.arpa.", "PTR", "backend.default.svc.cluster.local.")]
    assert rr(q(dns, "5.1.244.10.in-addr.arpa", "PTR")) == [
        ("5.1.244.10.in-addr.arpa.", "PTR", "web-0.nginx.default.svc.cluster.local.")]
    assert rr(q(dns, "20.1.244.10.in-addr.arpa", "PTR")) == [
        ("20.1.244.10.in-addr.arpa.", "PTR", "10-244-1-20.backend.default.svc.cluster.local.")]
    assert q(dns, "99.99.244.10.in-addr.arpa", "PTR").rcode == "NXDOMAIN"
    txt = q(dns, "dns-version.cluster.local", "TXT")
    assert rr(txt) == [("dns-version.cluster.local.", "TXT", '"1.1.0"')] and txt.answer[0].ttl == 28800
    assert rr(q(dns, "10-244-9-9.default.pod.cluster.local")) == [
        ("10-244-9-9.default.pod.cluster.local.", "A", "10.244.9.9")]
    assert q(dns, "10-244-9-9.nons.pod.cluster.local").rcode == "NXDOMAIN"


def test_deleting_a_service_is_nxdomain_at_once(dns: MiniCluster) -> None:
    dns.delete("services", "backend")
    assert q(dns, "backend.default.svc.cluster.local").rcode == "NXDOMAIN"


def test_coredns_without_endpoints_cannot_be_reached(dns: MiniCluster) -> None:
    dns.dns_endpoints([])
    r = q(dns, "backend.default.svc.cluster.local")
    assert r.status == "refused"  # IPVS: empty virtual server -> ICMP port unreachable
    res = lookup(dns.network, pod_source(dns, "client"), "backend")
    assert res.status == "refused" and res.addresses == []


def test_node_resolves_only_outside_names(dns: MiniCluster) -> None:
    src = node_source(dns)
    assert dns.network.dns_query(src, "backend.default.svc.cluster.local").rcode == "NXDOMAIN"
    assert lookup(dns.network, src, "example.com", qtypes=("A",)).addresses == ["93.184.215.14"]


def test_dns_observations(dns: MiniCluster) -> None:
    lookup(dns.network, pod_source(dns, "client"), "backend")
    obs = dns.network.observations.dns_queries(name="backend.default.svc.cluster.local")
    assert [(o.qtype, o.rcode, o.answers) for o in obs] == [("A", "NOERROR", ["10.96.45.123"]),
                                                            ("AAAA", "NOERROR", [])]


# ---- client-side expansion --------------------------------------------------------------------------
CONF = ResolvConf(["10.96.0.10"], ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], 5)


def test_resolv_conf_parsing() -> None:
    conf = parse_resolv_conf("search default.svc.cluster.local svc.cluster.local cluster.local\n"
                             "nameserver 10.96.0.10\noptions ndots:5\n")
    assert (conf.nameservers, conf.search, conf.ndots) == (["10.96.0.10"], CONF.search, 5)
    assert conf.text() == ("search default.svc.cluster.local svc.cluster.local cluster.local\n"
                           "nameserver 10.96.0.10\noptions ndots:5\n")


@pytest.mark.parametrize(("name", "mode", "expected"), [
    ("web", "glibc", ["web.default.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local.", "web."]),
    ("web.prod", "glibc", ["web.prod.default.svc.cluster.local.", "web.prod.svc.cluster.local.",
                           "web.prod.cluster.local.", "web.prod."]),
    ("web.", "glibc", ["web."]),
    ("a.b.c.d.e.f", "glibc", ["a.b.c.d.e.f.", "a.b.c.d.e.f.default.svc.cluster.local.", "a.b.c.d.e.f.svc.cluster.local.",
                            "a.b.c.d.e.f.cluster.local."]),
    ("a.b.c.d.e.f", "musl", ["a.b.c.d.e.f."]),
    ("web", "busybox", ["web.default.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local."]),
    ("web.prod", "busybox", ["web.prod."]),
    ("web", "dig", ["web."]),
])
def test_expand(name: str, mode: str, expected: list[str]) -> None:
    assert expand(name, CONF, mode) == expected


def test_lookup_follows_the_search_list(dns: MiniCluster) -> None:
    src = pod_source(dns, "client")
    res = lookup(dns.network, src, "data.prod", conf=CONF)
    assert (res.status, res.addresses, res.canonical) == ("ok", ["10.96.45.200"], "data.prod.svc.cluster.local")
    assert [a.qname for a in res.attempts] == ["data.prod.default.svc.cluster.local."] * 2 + \
        ["data.prod.svc.cluster.local."] * 2
    assert lookup(dns.network, src, "data", conf=CONF).status == "nxdomain"
    assert lookup(dns.network, src, "data.prod", conf=CONF, mode="busybox").status == "nxdomain"
    assert lookup(dns.network, src, "10.1.2.3").source == "literal"
    hosts = "127.0.0.1\tlocalhost\n10.244.1.9\tclient\n"
    assert lookup(dns.network, src, "client", conf=CONF, hosts=hosts).addresses == ["10.244.1.9"]


def test_large_udp_answers_are_truncated_and_libc_retries_over_tcp(dns: MiniCluster) -> None:
    dns.service("big", "None", [{"port": 80}])
    dns.slice("big", [{"ip": f"10.244.1.{i}"} for i in range(10, 50)], [{"name": "", "port": 80}])
    udp = q(dns, "big.default.svc.cluster.local")
    assert udp.flags == ["qr", "aa", "tc", "rd"] and udp.size <= 512 and 0 < len(udp.answer) < 40
    tcp = dns.network.dns_query(pod_source(dns, "client"), "big.default.svc.cluster.local", protocol="TCP")
    assert "tc" not in tcp.flags and len(tcp.answer) == 40
    res = lookup(dns.network, pod_source(dns, "client"), "big.default.svc.cluster.local.", qtypes=("A",))
    assert len(res.addresses) == 40 and [a.protocol for a in res.attempts] == ["UDP", "TCP"]
