"""ClusterIP and NodePort allocation: bands, explicit requests, release, error texts."""

import ipaddress
import random

import pytest
from engine_kit import make_cluster, service

from sandbox.api.errors import ApiError
from sandbox.controllers.allocators import ClusterIPAllocator, NodePortAllocator


def test_static_bands_follow_kubernetes_offsets():
    ips = ClusterIPAllocator(random.Random(0))
    assert ips.static_band == ("10.96.0.1", "10.96.1.0")          # min(max(16, 2^20/16), 256) = 256
    ports = NodePortAllocator(random.Random(0))
    assert ports._bands.offset == 86                              # min(max(16, 2768/32), 128)


def test_dynamic_picks_come_from_the_upper_band_first():
    ips = ClusterIPAllocator(random.Random(3))
    for _ in range(200):
        ip = ips.next_free()
        assert ipaddress.ip_address(ip) > ipaddress.ip_address("10.96.1.0")
        assert ipaddress.ip_address(ip) in ipaddress.ip_network("10.96.0.0/12")
        ips.mark(ip)
    ports = NodePortAllocator(random.Random(3))
    for _ in range(100):
        p = ports.next_free()
        assert 30086 <= p <= 32767
        ports.mark(p)


def test_lower_band_is_used_when_the_upper_band_is_full():
    ports = NodePortAllocator(random.Random(1), 30000, 30099)     # size 100 -> offset 16
    picked = set()
    for _ in range(100):
        p = ports.next_free()
        picked.add(p)
        ports.mark(p)
    assert picked == set(range(30000, 30100))
    assert ports.next_free() is None


def test_service_gets_cluster_ip_and_node_port_and_releases_them():
    c = make_cluster()
    svc = c.create(service("web", {"app": "web"}, type="NodePort"))
    ip = svc["spec"]["clusterIP"]
    np = svc["spec"]["ports"][0]["nodePort"]
    assert svc["spec"]["clusterIPs"] == [ip]
    assert c.cluster_ips.is_allocated(ip) and c.node_ports.is_allocated(np)
    c.delete("services", "default", "web")
    assert not c.cluster_ips.is_allocated(ip) and not c.node_ports.is_allocated(np)


def test_explicit_cluster_ip_errors():
    c = make_cluster()
    with pytest.raises(ApiError) as err:
        c.create(service("dns2", {"app": "x"}, clusterIP="10.96.0.10"))
    assert err.value.kubectl_text() == ('The Service "dns2" is invalid: spec.clusterIPs: Invalid value: '
                                        '["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already '
                                        'allocated')
    with pytest.raises(ApiError) as err:
        c.create(service("far", {"app": "x"}, clusterIP="10.0.0.5"))
    assert err.value.kubectl_text() == ('The Service "far" is invalid: spec.clusterIPs: Invalid value: '
                                        '["10.0.0.5"]: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is '
                                        'not in the valid range. The range of valid IPs is 10.96.0.0/12')
    assert c.store.get("services", "default", "far") is None
    ok = c.create(service("pinned", {"app": "x"}, clusterIP="10.96.0.50"))
    assert ok["spec"]["clusterIP"] == "10.96.0.50"


def test_explicit_node_port_errors():
    c = make_cluster()
    spec = {"type": "NodePort", "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 30080}]}
    c.create(service("a", {"app": "a"}, **spec))
    with pytest.raises(ApiError) as err:
        c.create(service("b", {"app": "b"}, **spec))
    assert err.value.kubectl_text() == ('The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
                                        'provided port is already allocated')
    bad = {"type": "NodePort", "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 40000}]}
    with pytest.raises(ApiError) as err:
        c.create(service("c", {"app": "c"}, **bad))
    assert "provided port is not in the valid range. The range of valid ports is 30000-32767" in \
        err.value.kubectl_text()


def test_update_keeps_allocations_and_type_change_allocates():
    c = make_cluster()
    svc = c.create(service("web", {"app": "web"}))
    ip = svc["spec"]["clusterIP"]
    c.patch("services", "default", "web", {"spec": {"type": "NodePort"}})
    got = c.get("services", "default", "web")
    assert got["spec"]["clusterIP"] == ip
    assert 30000 <= got["spec"]["ports"][0]["nodePort"] <= 32767


def test_dry_run_allocates_nothing():
    c = make_cluster()
    before = c.cluster_ips.allocated()
    out = c.create(service("web", {"app": "web"}), dry_run=True)
    assert out["spec"]["clusterIP"]
    assert c.cluster_ips.allocated() == before
    assert c.store.get("services", "default", "web") is None


def test_type_changes_drop_and_release_allocations():
    c = make_cluster()
    svc = c.create(service("web", {"app": "web"}, type="NodePort"))
    np = svc["spec"]["ports"][0]["nodePort"]
    c.patch("services", "default", "web", {"spec": {"type": "ClusterIP"}})
    got = c.get("services", "default", "web")["spec"]
    assert "nodePort" not in got["ports"][0] and not c.node_ports.is_allocated(np)
    ip = got["clusterIP"]
    c.patch("services", "default", "web", {"spec": {"type": "ExternalName", "externalName": "example.com"}})
    got = c.get("services", "default", "web")["spec"]
    assert "clusterIP" not in got and not c.cluster_ips.is_allocated(ip)


def test_changing_cluster_ip_is_reported_as_immutable():
    c = make_cluster()
    c.create(service("web", {"app": "web"}))
    with pytest.raises(ApiError) as err:
        c.patch("services", "default", "web", {"spec": {"clusterIP": "10.96.0.99"}})
    assert "spec.clusterIPs[0]" in err.value.kubectl_text()


def test_load_balancer_local_gets_a_health_check_node_port():
    c = make_cluster()
    svc = c.create(service("lb", {"app": "lb"}, type="LoadBalancer", externalTrafficPolicy="Local"))
    hc = svc["spec"]["healthCheckNodePort"]
    assert 30000 <= hc <= 32767 and hc != svc["spec"]["ports"][0]["nodePort"]
    assert c.node_ports.is_allocated(hc)
    c.delete("services", "default", "lb")
    assert not c.node_ports.is_allocated(hc)


def test_allocation_errors_come_before_validation_like_the_service_rest():
    c = make_cluster()
    body = service("dup", {"app": "x"}, clusterIP="10.96.0.10")
    body["spec"]["ports"] = []
    with pytest.raises(ApiError) as err:
        c.create(body)
    assert "provided IP is already allocated" in err.value.kubectl_text()
