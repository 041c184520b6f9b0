"""The data plane (ipvs.md §4): where connections end, HTTP exchanges, observations."""

from __future__ import annotations

from netlab import MiniCluster, node_source, pod_source

PORTS = [{"name": "", "port": 8888}]


def httpenv(c: MiniCluster, n: int = 5) -> list[str]:
    ips = []
    for i in range(n):
        node = "node01" if i % 2 == 0 else "node02"
        ip = c.network.allocate_pod_ip(node)
        c.pod(f"httpenv-{i}", node, ip, labels={"app": "httpenv"}, listen=(("TCP", 8888),))
        ips.append(ip)
    c.service("httpenv", "10.96.45.12", [{"port": 8888, "targetPort": 8888}])
    c.slice("httpenv", [{"ip": ip, "node": "node01" if i % 2 == 0 else "node02", "pod": f"httpenv-{i}"}
                        for i, ip in enumerate(ips)], PORTS)
    return ips


def client(c: MiniCluster, name: str = "shpod", node: str = "node01", labels: dict | None = None):
    c.pod(name, node, c.network.allocate_pod_ip(node), labels=labels or {"run": name})
    return pod_source(c, name)


def test_round_robin_cycles_through_all_five_pods(mini: MiniCluster) -> None:
    httpenv(mini)
    src = client(mini)
    names = [mini.network.http(src, "GET", "10.96.45.12", 8888, "/").body for _ in range(15)]
    assert sorted(names[:5]) == [f"httpenv-{i}" for i in range(5)]
    assert names[5:10] == names[:5] and names[10:] == names[:5]


def test_each_node_has_its_own_cursor(mini: MiniCluster) -> None:
    httpenv(mini)
    a, b = client(mini, "a", "node01"), client(mini, "b", "node02")
    first_a = [mini.network.http(a, "GET", "10.96.45.12", 8888, "/").body for _ in range(2)]
    first_b = [mini.network.http(b, "GET", "10.96.45.12", 8888, "/").body for _ in range(2)]
    assert first_a == first_b  # same table contents, independent cursors


def test_from_the_node_itself(mini: MiniCluster) -> None:
    httpenv(mini)
    out = mini.network.http(node_source(mini), "GET", "10.96.45.12", 8888, "/")
    # the VIP is the source address of node-originated traffic; MASQUERADE then uses the IPIP tunnel
    # address toward a pod on another node
    assert out.status == 200 and out.connection.src_ip == "10.96.45.12"
    assert out.connection.client_ip == "10.244.0.1"


def test_selector_typo_no_endpoints_is_refused(mini: MiniCluster) -> None:
    mini.service("nginx-clusterip", "10.96.200.1", [{"port": 80}], selector={"app": "ngnix"})
    c = mini.network.connect(client(mini), "10.96.200.1", 80)
    assert (c.result, c.reason, c.virtual) == ("refused", "no endpoints", "TCP 10.96.200.1:80")


def test_port_the_service_does_not_define_is_refused_by_the_ipvs_filter(mini: MiniCluster) -> None:
    httpenv(mini)
    c = mini.network.connect(client(mini), "10.96.45.12", 80)
    assert (c.result, c.reason) == ("refused", "KUBE-IPVS-FILTER")


def test_wrong_target_port_reaches_the_pod_and_is_refused(mini: MiniCluster) -> None:
    ip = mini.network.allocate_pod_ip("node01")
    mini.pod("nginx", "node01", ip, labels={"app": "nginx"}, listen=(("TCP", 80),))
    mini.service("nginx", "10.96.200.2", [{"port": 80, "targetPort": 8080}])
    mini.slice("nginx", [{"ip": ip}], [{"name": "", "port": 8080}])
    c = mini.network.connect(client(mini), "10.96.200.2", 80)
    assert (c.result, c.reason, c.backend_ip, c.backend_port) == ("refused", "nothing listening", ip, 8080)


def test_pod_ip_directly_and_dead_addresses(mini: MiniCluster) -> None:
    ips = httpenv(mini)
    src = client(mini)
    assert mini.network.connect(src, ips[1], 8888).result == "ok"
    assert mini.network.connect(src, ips[1], 9999).result == "refused"
    assert mini.network.connect(src, "10.244.1.250", 80).result == "unreachable"   # same node, no pod
    assert mini.network.connect(src, "10.244.2.250", 80).result == "timeout"       # other node
    assert mini.network.connect(src, "192.0.2.1", 80).result == "timeout"          # nobody


def test_not_running_pod_does_not_answer(mini: MiniCluster) -> None:
    ip = mini.network.allocate_pod_ip("node02")
    mini.pod("done", "node02", ip, phase="Succeeded")
    assert mini.network.connect(client(mini), ip, 80).result == "timeout"


def test_nodeport_from_a_pod_to_another_node(mini: MiniCluster) -> None:
    httpenv(mini)
    svc = mini.store.get("services", "default", "httpenv")
    mini._put("services", {**svc, "spec": {**svc["spec"], "type": "NodePort",
                                           "ports": [{**svc["spec"]["ports"][0], "nodePort": 30888}]}})
    out = mini.network.http(client(mini), "GET", "172.30.3.2", 30888, "/")
    assert out.status == 200 and out.connection.node == "node01"
    assert out.connection.virtual == "TCP 172.30.3.2:30888" and out.connection.service == "default/httpenv"
    assert mini.network.connect(client(mini, "x"), "172.30.3.2", 30999).result == "refused"
    assert mini.network.connect(client(mini, "y"), "172.30.3.2", 22).result == "ok"   # sshd


def test_ping_vip_gets_no_reply_but_pods_and_nodes_answer(mini: MiniCluster) -> None:
    ips = httpenv(mini)
    src = client(mini)
    assert mini.network.ping(src, "10.96.45.12") == "rejected"
    assert mini.network.ping(src, ips[0]) == "reply"
    assert mini.network.ping(src, "172.30.3.2") == "reply"


def test_connections_become_time_wait_and_drive_counters(mini: MiniCluster) -> None:
    httpenv(mini)
    src = client(mini)
    for _ in range(5):
        mini.network.http(src, "GET", "10.96.45.12", 8888, "/")
    dests = mini.network.ipvs("node01").lookup("TCP", "10.96.45.12", 8888).dests
    assert [(d.active, d.inactive) for d in dests] == [(0, 1)] * 5
    keep = mini.network.http(src, "GET", "10.96.45.12", 8888, "/", keep_alive=True)
    assert sum(d.active for d in dests) == 1
    again = mini.network.http(src, "GET", "10.96.45.12", 8888, "/", keep_alive=True, connection=keep.connection)
    assert again.body == keep.body  # same connection, same backend
    mini.network.close(keep.connection)
    assert sum(d.active for d in dests) == 0
    mini.tick(121)
    mini.network.ipvs("node01").purge(mini.clock.seconds)  # expiry is lazy: readers purge first
    assert [(d.active, d.inactive) for d in dests] == [(0, 0)] * 5
    stats = mini.network.ipvs("node01").lookup("TCP", "10.96.45.12", 8888).stats
    assert stats.conns == 6 and stats.inpkts > 0 and stats.outbytes > 0


def test_observations(mini: MiniCluster) -> None:
    httpenv(mini)
    inside = client(mini, "inside", labels={"app": "httpenv"})
    outside = client(mini, "outside", labels={"run": "outside"})
    for _ in range(3):
        mini.network.http(outside, "GET", "10.96.45.12", 8888, "/")
    mini.network.http(inside, "GET", "10.96.45.12", 8888, "/")
    obs = mini.network.observations
    recs = obs.connections(service="httpenv", from_pod_not_selected_by={"app": "httpenv"})
    assert [r.src_pod for r in recs] == ["outside"] * 3
    assert all(r.http_status == 200 and r.result == "ok" and r.backend_pod.startswith("default/httpenv-")
               for r in recs)
    assert obs.connections(service="httpenv", from_unselected_pods=True) == recs
    assert len(obs.distinct_backends("httpenv")) == 4
    assert obs.connections(service="default/httpenv", since=1.0) == []


def test_client_ip_affinity_pins_each_client(mini: MiniCluster) -> None:
    httpenv(mini)
    svc = mini.store.get("services", "default", "httpenv")
    mini._put("services", {**svc, "spec": {**svc["spec"], "sessionAffinity": "ClientIP",
                                           "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 30}}}})
    a, b = client(mini, "a"), client(mini, "b")
    first = {mini.network.http(a, "GET", "10.96.45.12", 8888, "/").body for _ in range(6)}
    assert len(first) == 1
    assert mini.network.http(b, "GET", "10.96.45.12", 8888, "/").body not in first  # rr moved on
    mini.tick(200)  # template (30 s) and the connections behind it are gone: rescheduled
    assert mini.network.http(a, "GET", "10.96.45.12", 8888, "/").body not in first


def test_external_ips_and_load_balancer_ingress(mini: MiniCluster) -> None:
    ips = httpenv(mini)
    svc = mini.store.get("services", "default", "httpenv")
    mini._put("services", {**svc, "spec": {**svc["spec"], "externalIPs": ["203.0.113.10"]},
                           "status": {"loadBalancer": {"ingress": [{"ip": "198.51.100.7"}]}}})
    src = client(mini)
    for vip in ("203.0.113.10", "198.51.100.7"):
        out = mini.network.http(src, "GET", vip, 8888, "/")
        assert out.status == 200 and out.connection.backend_ip in ips and out.connection.service == "default/httpenv"
    proxy = mini.network.proxy("node01")
    assert proxy.bound_addresses() == ["10.96.45.12", "198.51.100.7", "203.0.113.10"]
    assert proxy.ipsets.entries("KUBE-EXTERNAL-IP") == ["203.0.113.10,tcp:8888"]
    assert proxy.ipsets.entries("KUBE-LOAD-BALANCER") == ["198.51.100.7,tcp:8888"]


def test_internal_traffic_policy_local_refuses_without_a_local_endpoint(mini: MiniCluster) -> None:
    ip = mini.network.allocate_pod_ip("node02")
    mini.pod("only", "node02", ip, labels={"app": "only"})
    mini.service("only", "10.96.200.9", [{"port": 80}], internalTrafficPolicy="Local")
    mini.slice("only", [{"ip": ip, "node": "node02"}], [{"name": "", "port": 80}])
    assert mini.network.connect(client(mini, "c1", "node01"), "10.96.200.9", 80).result == "refused"
    assert mini.network.connect(client(mini, "c2", "node02"), "10.96.200.9", 80).result == "ok"
