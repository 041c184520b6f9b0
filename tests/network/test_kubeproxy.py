"""kube-proxy in IPVS mode: what it programs per Service, incremental sync, graceful removal, restarts."""

from __future__ import annotations

from netlab import MiniCluster, pod_source

PORTS = [{"name": "", "port": 80}]


def vs_map(c: MiniCluster, node: str = "node01") -> dict:
    t = c.network.ipvs(node)
    return {f"{vs.proto} {vs.addr}:{vs.port}{vs.flags_text()}": sorted(f"{d.addr}:{d.port}/{d.weight}"
                                                                       for d in vs.dests)
            for vs in t.sorted_services()}


def web(c: MiniCluster, n: int = 2, **spec) -> list[str]:
    ips = []
    for i in range(n):
        node = "node01" if i % 2 == 0 else "node02"
        ip = c.network.allocate_pod_ip(node)
        c.pod(f"web-{i}", node, ip, labels={"app": "web"})
        ips.append(ip)
    c.service("web", "10.96.100.10", [{"port": 8080, "targetPort": 80}], **spec)
    c.slice("web", [{"ip": ip, "node": "node01" if i % 2 == 0 else "node02"} for i, ip in enumerate(ips)], PORTS)
    return ips


def test_clusterip_vs_per_port_with_target_port_real_servers(mini: MiniCluster) -> None:
    ips = web(mini)
    assert vs_map(mini) == {"TCP 10.96.100.10:8080": sorted(f"{ip}:80/1" for ip in ips)}
    assert mini.network.proxy("node01").bound_addresses() == ["10.96.100.10"]
    # the same on every node
    assert vs_map(mini, "controlplane") == vs_map(mini, "node02")


def test_headless_and_external_name_get_nothing(mini: MiniCluster) -> None:
    mini.service("db", "None", [{"port": 5432}])
    mini.slice("db", [{"ip": "10.244.1.50"}], [{"name": "", "port": 5432}])
    mini.service("ext", None, [], type="ExternalName", externalName="example.com")
    assert vs_map(mini) == {}
    assert mini.network.proxy("node01").bound_addresses() == []


def test_multi_protocol_ports_are_separate_virtual_servers(mini: MiniCluster) -> None:
    mini.with_dns()
    keys = list(vs_map(mini, "controlplane"))
    assert keys == ["TCP 10.96.0.1:443", "TCP 10.96.0.10:53", "TCP 10.96.0.10:9153", "UDP 10.96.0.10:53"]


def test_nodeport_on_each_nodes_own_address(mini: MiniCluster) -> None:
    ips = web(mini, type="NodePort")
    svc = mini.store.get("services", "default", "web")
    svc = {**svc, "spec": {**svc["spec"], "ports": [{**svc["spec"]["ports"][0], "nodePort": 30080}]}}
    mini._put("services", svc)
    assert vs_map(mini, "node01") == {"TCP 10.96.100.10:8080": sorted(f"{ip}:80/1" for ip in ips),
                                      "TCP 172.30.2.2:30080": sorted(f"{ip}:80/1" for ip in ips)}
    assert "TCP 172.30.3.2:30080" in vs_map(mini, "node02")
    assert mini.network.proxy("node01").ipsets.entries("KUBE-NODE-PORT-TCP") == ["30080"]
    assert "172.30.2.2" not in mini.network.proxy("node01").bound_addresses()


def test_session_affinity_is_persistent_with_timeout(mini: MiniCluster) -> None:
    web(mini, sessionAffinity="ClientIP")
    assert list(vs_map(mini)) == ["TCP 10.96.100.10:8080 persistent 10800"]
    web(mini, sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 60}})
    assert list(vs_map(mini)) == ["TCP 10.96.100.10:8080 persistent 60"]


def test_ready_endpoints_only_then_serving_terminating_fallback(mini: MiniCluster) -> None:
    mini.service("web", "10.96.100.10", [{"port": 80}])
    mini.slice("web", [{"ip": "10.244.1.2"}, {"ip": "10.244.1.3", "ready": False}], PORTS)
    assert vs_map(mini)["TCP 10.96.100.10:80"] == ["10.244.1.2:80/1"]
    mini.slice("web", [{"ip": "10.244.1.2", "ready": False, "serving": True, "terminating": True},
                       {"ip": "10.244.1.3", "ready": False, "serving": False}], PORTS)
    assert vs_map(mini)["TCP 10.96.100.10:80"] == ["10.244.1.2:80/1"]


def test_internal_traffic_policy_local(mini: MiniCluster) -> None:
    mini.service("web", "10.96.100.10", [{"port": 80}], internalTrafficPolicy="Local")
    mini.slice("web", [{"ip": "10.244.1.2", "node": "node01"}, {"ip": "10.244.2.2", "node": "node02"}], PORTS)
    assert vs_map(mini, "node01")["TCP 10.96.100.10:80"] == ["10.244.1.2:80/1"]
    assert vs_map(mini, "node02")["TCP 10.96.100.10:80"] == ["10.244.2.2:80/1"]
    assert vs_map(mini, "controlplane")["TCP 10.96.100.10:80"] == []  # no local endpoint -> empty VS


def test_external_traffic_policy_local_falls_back_to_cluster_endpoints_in_ipvs(mini: MiniCluster) -> None:
    mini.service("web", "10.96.100.10", [{"port": 80, "nodePort": 30081}], type="NodePort",
                 externalTrafficPolicy="Local")
    mini.slice("web", [{"ip": "10.244.1.2", "node": "node01"}, {"ip": "10.244.2.2", "node": "node02"}], PORTS)
    assert vs_map(mini, "node01")["TCP 172.30.2.2:30081"] == ["10.244.1.2:80/1"]
    # PR #97081 quirk: no local endpoint on the control plane -> all cluster endpoints
    assert vs_map(mini, "controlplane")["TCP 172.30.1.2:30081"] == ["10.244.1.2:80/1", "10.244.2.2:80/1"]
    assert vs_map(mini, "controlplane")["TCP 10.96.100.10:80"] == ["10.244.1.2:80/1", "10.244.2.2:80/1"]


def test_named_target_port_resolved_per_pod(mini: MiniCluster) -> None:
    mini.service("web", "10.96.100.10", [{"name": "http", "port": 80, "targetPort": "web"}])
    mini.slice("web", [{"ip": "10.244.1.2"}], [{"name": "http", "port": 8080}], name="web-aaaaa")
    mini.slice("web", [{"ip": "10.244.2.2", "node": "node02"}], [{"name": "http", "port": 9090}], name="web-bbbbb")
    assert vs_map(mini)["TCP 10.96.100.10:80"] == ["10.244.1.2:8080/1", "10.244.2.2:9090/1"]


def test_graceful_removal_parks_at_weight_zero_until_connections_expire(mini: MiniCluster) -> None:
    ips = web(mini, n=2)
    client = mini.network.allocate_pod_ip("node01")
    mini.pod("client", "node01", client, labels={"run": "client"})
    src = pod_source(mini, "client")
    outcomes = [mini.network.http(src, "GET", "10.96.100.10", 8080, "/") for _ in range(2)]
    assert {o.connection.backend_ip for o in outcomes} == set(ips)
    mini.tick(10)
    mini.slice("web", [{"ip": ips[1], "node": "node02"}], PORTS)  # web-0 goes away
    assert vs_map(mini)["TCP 10.96.100.10:8080"] == sorted([f"{ips[0]}:80/0", f"{ips[1]}:80/1"])
    # new connections never go to the parked server
    assert all(mini.network.http(src, "GET", "10.96.100.10", 8080, "/").connection.backend_ip == ips[1]
               for _ in range(3))
    mini.tick(109)   # t=119: the 60 s check at t=60 found InActConn 1 (TIME_WAIT lasts 120 s)
    assert f"{ips[0]}:80/0" in vs_map(mini)["TCP 10.96.100.10:8080"]
    mini.tick(1)     # t=120: the TIME_WAIT entry expired, and the check at t=120 deletes the server
    assert vs_map(mini)["TCP 10.96.100.10:8080"] == [f"{ips[1]}:80/1"]


def test_endpoint_coming_back_while_parked_is_readded_with_weight_one(mini: MiniCluster) -> None:
    ips = web(mini, n=1)
    mini.pod("client", "node01", mini.network.allocate_pod_ip("node01"))
    mini.network.http(pod_source(mini, "client"), "GET", "10.96.100.10", 8080, "/")
    mini.slice("web", [], PORTS)
    assert vs_map(mini)["TCP 10.96.100.10:8080"] == [f"{ips[0]}:80/0"]
    mini.slice("web", [{"ip": ips[0]}], PORTS)
    assert vs_map(mini)["TCP 10.96.100.10:8080"] == [f"{ips[0]}:80/1"]
    assert mini.network.proxy("node01").graceful == {}


def test_udp_real_servers_are_deleted_at_once(mini: MiniCluster) -> None:
    ips = mini.with_dns(2)
    src = mini.network.source_for_node("controlplane")
    for _ in range(3):
        mini.network.dns_query(src, "kubernetes.default.svc.cluster.local", server="10.96.0.10")
    mini.dns_endpoints(ips[:1])
    assert vs_map(mini, "controlplane")["UDP 10.96.0.10:53"] == [f"{ips[0]}:53/1"]


def test_kube_proxy_programs_only_while_its_pod_runs_and_picks_the_configmap_scheduler() -> None:
    c = MiniCluster()
    # a kube-proxy DaemonSet pod per node, as kubeadm runs it
    for node in c.node_names:
        c._put("pods", {"apiVersion": "v1", "kind": "Pod",
                        "metadata": {"name": f"kube-proxy-{node}", "namespace": "kube-system",
                                     "labels": {"k8s-app": "kube-proxy"}},
                        "spec": {"nodeName": node, "hostNetwork": True, "containers": [{"name": "kube-proxy"}]},
                        "status": {"phase": "Running", "podIP": c.network.node_ip(node)}})
    proxy = c.network.proxy("node01")
    assert proxy.running
    c.delete("pods", "kube-proxy-node01", "kube-system")
    assert not proxy.running
    web(c)
    assert vs_map(c, "node01") == {} and "TCP 10.96.100.10:8080" in vs_map(c, "node02")
    c._put("configmaps", {"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": "kube-proxy", "namespace": "kube-system"},
                          "data": {"config.conf": "kind: KubeProxyConfiguration\nmode: ipvs\nipvs:\n  scheduler: lc\n"}})
    c._put("pods", {"apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": "kube-proxy-new", "namespace": "kube-system",
                                 "labels": {"k8s-app": "kube-proxy"}},
                    "spec": {"nodeName": "node01", "hostNetwork": True, "containers": [{"name": "kube-proxy"}]},
                    "status": {"phase": "Running", "podIP": "172.30.2.2"}})
    assert proxy.running and proxy.scheduler == "lc"
    assert [vs.sched_name for vs in c.network.ipvs("node01").sorted_services()] == ["lc"]
    assert [vs.sched_name for vs in c.network.ipvs("node02").sorted_services()] == ["rr"]  # not restarted


def test_ipsets_follow_services(mini: MiniCluster) -> None:
    ips = web(mini)
    sets = mini.network.proxy("node01").ipsets
    assert sets.entries("KUBE-CLUSTER-IP") == ["10.96.100.10,tcp:8080"]
    assert sets.entries("KUBE-IPVS-IPS") == ["10.96.100.10"]
    assert sets.entries("KUBE-LOOP-BACK") == [f"{ips[0]},tcp:80,{ips[0]}"]  # only node01's endpoint
    mini.delete("services", "web")
    assert sets.entries("KUBE-CLUSTER-IP") == [] and mini.network.proxy("node01").bound_addresses() == []
    assert vs_map(mini) == {}


def test_sync_work_is_per_service(mini: MiniCluster) -> None:
    for i in range(30):
        mini.service(f"s{i}", f"10.96.1.{i + 1}", [{"port": 80}])
    proxy = mini.network.proxy("node01")
    before = proxy.syncs
    mini.slice("s7", [{"ip": "10.244.1.77"}], PORTS)
    assert proxy.syncs - before == 1
