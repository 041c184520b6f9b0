"""EndpointSlice and Endpoints controllers on the real engine (real kubelet, real probes)."""

import copy

from sandbox.cluster import Cluster
from tests.controllers.test_kubelet import pod


def svc(name, selector, ports=None, **spec):
    body = {"selector": selector, "ports": ports if ports is not None else [{"port": 80, "targetPort": 80}], **spec}
    if selector is None:
        del body["selector"]
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": {"team": "a"}},
            "spec": body}


def slices(c, name):
    return [s for s in c.list("endpointslices", "default")
            if s["metadata"]["labels"].get("kubernetes.io/service-name") == name]


def eps(c, name):
    return c.store.get("endpoints", "default", name)


def addrs(slice_):
    return sorted((e["addresses"][0], e["conditions"]["ready"], e["conditions"]["serving"],
                   e["conditions"]["terminating"]) for e in slice_["endpoints"] or [])


def ip(c, name):
    return c.get("pods", "default", name)["status"]["podIP"]


def running_web(c, n=3, **container):
    for i in range(n):
        c.create(pod(f"web-{i}", labels={"app": "web"}, node=("node01", "node02")[i % 2], cname="nginx", **container))
    c.tick(8)


def test_slice_shape_and_endpoints_for_ready_pods():
    c = Cluster(seed=31)
    running_web(c)
    c.create(svc("web", {"app": "web"}))
    [s] = slices(c, "web")
    service = c.get("services", "default", "web")
    assert s["metadata"]["name"].startswith("web-") and len(s["metadata"]["name"]) == 9
    assert s["metadata"]["generateName"] == "web-"
    assert s["metadata"]["labels"] == {"team": "a", "kubernetes.io/service-name": "web",
                                       "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    assert s["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "web",
                                                 "uid": service["metadata"]["uid"], "controller": True,
                                                 "blockOwnerDeletion": True}]
    assert s["metadata"]["annotations"] == {"endpoints.kubernetes.io/last-change-trigger-time": "2026-11-22T06:00:08Z"}
    assert s["addressType"] == "IPv4" and s["ports"] == [{"name": "", "protocol": "TCP", "port": 80}]
    assert addrs(s) == sorted((ip(c, f"web-{i}"), True, True, False) for i in range(3))
    first = s["endpoints"][0]
    assert list(first["targetRef"]) == ["kind", "namespace", "name", "uid"]        # ObjectReference field order
    p0 = c.get("pods", "default", "web-0")
    assert first == {"addresses": [ip(c, "web-0")], "conditions": {"ready": True, "serving": True, "terminating": False},
                     "targetRef": {"kind": "Pod", "namespace": "default", "name": "web-0", "uid": p0["metadata"]["uid"]},
                     "nodeName": "node01"}
    e = eps(c, "web")
    assert e["metadata"]["labels"] == {"team": "a", "endpoints.kubernetes.io/managed-by": "endpoint-controller"}
    assert "endpoints.kubernetes.io/last-change-trigger-time" in e["metadata"]["annotations"]
    [subset] = e["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == sorted(ip(c, f"web-{i}") for i in range(3))
    assert subset["addresses"][0]["targetRef"]["kind"] == "Pod"
    assert subset["ports"] == [{"port": 80, "protocol": "TCP"}]


def test_placeholder_slice_when_nothing_matches_then_filled_in_place():
    c = Cluster(seed=32)
    c.create(svc("web", {"app": "wbe"}))            # selector typo
    [s] = slices(c, "web")
    assert s["endpoints"] is None and s["ports"] is None
    assert "subsets" not in eps(c, "web")
    name = s["metadata"]["name"]
    running_web(c, 1)
    c.patch("services", "default", "web", {"spec": {"selector": {"app": "web"}}})
    [s] = slices(c, "web")
    assert s["metadata"]["name"] == name            # the placeholder became the real slice
    assert addrs(s) == [(ip(c, "web-0"), True, True, False)]
    assert eps(c, "web")["subsets"][0]["addresses"][0]["ip"] == ip(c, "web-0")


def test_scaling_and_label_change_move_pods_in_and_out():
    c = Cluster(seed=33)
    running_web(c, 2)
    c.create(svc("web", {"app": "web"}))
    c.patch("pods", "default", "web-1", {"metadata": {"labels": {"app": "debug"}}})
    [s] = slices(c, "web")
    assert addrs(s) == [(ip(c, "web-0"), True, True, False)]
    assert [a["ip"] for a in eps(c, "web")["subsets"][0]["addresses"]] == [ip(c, "web-0")]
    c.patch("pods", "default", "web-1", {"metadata": {"labels": {"app": "web"}}})
    assert len(slices(c, "web")[0]["endpoints"]) == 2
    c.create(pod("web-9", labels={"app": "web"}, node="node02", cname="nginx"))
    assert len(slices(c, "web")[0]["endpoints"]) == 2          # no IP yet: skipped
    c.tick(8)
    assert len(slices(c, "web")[0]["endpoints"]) == 3


def test_readiness_flip_and_publish_not_ready_addresses():
    c = Cluster(seed=34)
    probe = {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 2}
    c.create(pod("web-0", labels={"app": "web"}, node="node01", cname="nginx", readinessProbe=probe))
    c.tick(8)
    c.create(svc("web", {"app": "web"}))
    c.create(svc("web-all", {"app": "web"}, publishNotReadyAddresses=True))
    assert addrs(slices(c, "web")[0]) == [(ip(c, "web-0"), False, False, False)]
    assert addrs(slices(c, "web-all")[0]) == [(ip(c, "web-0"), True, False, False)]
    subset = eps(c, "web")["subsets"][0]
    assert "addresses" not in subset and subset["notReadyAddresses"][0]["ip"] == ip(c, "web-0")
    assert eps(c, "web-all")["subsets"][0]["addresses"][0]["ip"] == ip(c, "web-0")
    uid = c.get("pods", "default", "web-0")["metadata"]["uid"]
    c.runtime.container(uid, "nginx").write_file("/tmp/ready", "ok")
    c.tick(3)
    assert addrs(slices(c, "web")[0]) == [(ip(c, "web-0"), True, True, False)]
    assert "notReadyAddresses" not in eps(c, "web")["subsets"][0]


def test_terminating_pod_is_serving_but_not_ready():
    c = Cluster(seed=35)
    c.create(pod("web-0", image="busybox", labels={"app": "web"}, node="node01", cname="app",
                 command=["sleep", "3600"]))
    c.create(pod("web-1", image="busybox", labels={"app": "web"}, node="node02", cname="app",
                 command=["sleep", "3600"]))
    c.tick(8)
    c.create(svc("web", {"app": "web"}))
    gone = ip(c, "web-0")
    c.delete("pods", "default", "web-0")
    assert (gone, False, True, True) in addrs(slices(c, "web")[0])
    assert [a["ip"] for a in eps(c, "web")["subsets"][0]["addresses"]] == [ip(c, "web-1")]
    c.tick(31)
    assert addrs(slices(c, "web")[0]) == [(ip(c, "web-1"), True, True, False)]


def test_named_target_port_resolved_per_pod():
    c = Cluster(seed=36)
    c.create(pod("a", labels={"app": "web"}, node="node01", cname="nginx", ports=[{"name": "http", "containerPort": 80}]))
    c.create(pod("b", image="registry.k8s.io/e2e-test-images/agnhost:2.42", labels={"app": "web"}, node="node02",
                 cname="agn", args=["netexec", "--http-port=8080"], ports=[{"name": "http", "containerPort": 8080}]))
    c.create(pod("c", labels={"app": "web"}, node="node02", cname="nginx"))       # no port named http
    c.tick(10)
    c.create(svc("web", {"app": "web"}, ports=[{"name": "web", "port": 80, "targetPort": "http"}]))
    got = sorted((s["ports"][0]["port"], [e["targetRef"]["name"] for e in s["endpoints"]]) for s in slices(c, "web"))
    assert got == [(80, ["a"]), (8080, ["b"])]
    subsets = eps(c, "web")["subsets"]
    assert sorted((s["ports"][0]["port"], s["addresses"][0]["ip"]) for s in subsets) == [(80, ip(c, "a")),
                                                                                         (8080, ip(c, "b"))]
    assert all(s["ports"][0]["name"] == "web" for s in subsets)


def test_hostname_and_headless_label():
    c = Cluster(seed=37)
    p = pod("web-0", labels={"app": "web"}, node="node01", cname="nginx")
    p["spec"].update(hostname="web-0", subdomain="nginx")
    c.create(p)
    c.tick(8)
    c.create(svc("nginx", {"app": "web"}, clusterIP="None"))
    c.create(svc("other", {"app": "web"}))
    [s] = slices(c, "nginx")
    assert s["endpoints"][0]["hostname"] == "web-0"
    assert s["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    assert "hostname" not in slices(c, "other")[0]["endpoints"][0]
    assert eps(c, "nginx")["subsets"][0]["addresses"][0]["hostname"] == "web-0"


def test_services_without_selector_or_external_name_are_left_alone():
    c = Cluster(seed=38)
    c.create(svc("manual", None))
    c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext"},
              "spec": {"type": "ExternalName", "externalName": "example.com"}})
    assert slices(c, "manual") == [] and eps(c, "manual") is None
    assert slices(c, "ext") == [] and eps(c, "ext") is None
    assert [s["metadata"]["name"] for s in slices(c, "kubernetes")] == ["kubernetes"]


def test_service_deletion_and_foreign_slice_changes():
    c = Cluster(seed=39)
    running_web(c, 1)
    c.create(svc("web", {"app": "web"}))
    [s] = slices(c, "web")
    c.remove_now("endpointslices", "default", s["metadata"]["name"])
    assert len(slices(c, "web")) == 1                      # recreated
    broken = copy.deepcopy(slices(c, "web")[0])
    broken["endpoints"] = None
    c.write_object("endpointslices", broken)
    assert slices(c, "web")[0]["endpoints"] is not None    # converged back
    c.delete("services", "default", "web")
    assert slices(c, "web") == [] and eps(c, "web") is None


def test_more_than_100_endpoints_split_into_slices():
    c = Cluster(seed=40, nodes=["controlplane", "node01", "node02", "node03"])
    for i in range(130):
        c.create(pod(f"w-{i:03d}", image="registry.k8s.io/pause:3.10", labels={"app": "w"},
                     node=("node01", "node02", "node03")[i % 3], cname="pause"))
    c.tick(40)
    c.create(svc("w", {"app": "w"}))
    sizes = sorted(len(s["endpoints"]) for s in slices(c, "w"))
    assert sizes == [30, 100]
    assert sum(len(s.get("addresses", [])) for s in eps(c, "w")["subsets"]) == 130


def test_pod_changes_reach_only_matching_services():
    c = Cluster(seed=41)
    for i in range(50):
        c.create(svc(f"s{i}", {"app": f"a{i}"}))
    ctl = c.controllers.get("endpointslice-controller")
    assert ctl.index.services_for("default", {"app": "a7", "tier": "x"}) == {"s7"}
    assert ctl.index.services_for("default", {"app": "zzz"}) == set()
    c.create(svc("all", {}))          # `selector: {}` is omitempty in the API: no selector, no endpoints
    assert ctl.index.services_for("default", {"app": "a3"}) == {"s3"}
    assert slices(c, "all") == []


def test_a_pod_change_reconciles_only_its_services():
    c = Cluster(seed=42)
    for i in range(200):
        c.create(svc(f"s{i}", {"app": f"a{i}"}))
    c.create(pod("p", labels={"app": "a7"}, node="node01", cname="nginx"))
    c.tick(8)
    calls = []
    for name in ("endpointslice-controller", "endpoint-controller"):
        ctl = c.controllers.get(name)
        original = ctl.reconcile
        ctl.reconcile = lambda key, _o=original, _n=name: (calls.append((_n, key)), _o(key))[1]
    c.patch("pods", "default", "p", {"metadata": {"labels": {"app": "a9"}}})
    touched = {key for _, key in calls}
    assert touched == {("default", "s7"), ("default", "s9")}
    calls.clear()
    c.patch("pods", "default", "p", {"metadata": {"annotations": {"note": "x"}}})   # not endpoint-relevant
    assert calls == []


def test_removing_the_selector_leaves_the_last_endpoints_in_place():
    c = Cluster(seed=44)
    running_web(c, 1)
    c.create(svc("web", {"app": "web"}))
    before = (slices(c, "web"), eps(c, "web")["subsets"])
    body = copy.deepcopy(c.get("services", "default", "web"))
    del body["spec"]["selector"]
    c.update(body)
    assert (slices(c, "web"), eps(c, "web")["subsets"]) == before
    c.delete("pods", "default", "web-0", grace_period=0)
    assert (slices(c, "web"), eps(c, "web")["subsets"]) == before      # nobody manages them any more


def test_user_endpoints_of_a_selectorless_service_are_mirrored():
    c = Cluster(seed=45)
    c.create(svc("ext-db", None, ports=[{"name": "pg", "port": 5432, "targetPort": 5432}]))
    c.create({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "ext-db", "labels": {"tier": "db"}},
              "subsets": [{"addresses": [{"ip": "192.168.0.10"}], "notReadyAddresses": [{"ip": "192.168.0.11"}],
                           "ports": [{"name": "pg", "port": 5432, "protocol": "TCP"}]}]})
    [s] = slices(c, "ext-db")
    ep = eps(c, "ext-db")
    assert s["metadata"]["labels"] == {"tier": "db", "kubernetes.io/service-name": "ext-db",
                                       "endpointslice.kubernetes.io/managed-by":
                                           "endpointslicemirroring-controller.k8s.io"}
    assert s["metadata"]["ownerReferences"][0]["kind"] == "Endpoints"
    assert s["metadata"]["ownerReferences"][0]["uid"] == ep["metadata"]["uid"]
    assert s["ports"] == [{"name": "pg", "protocol": "TCP", "port": 5432}]
    assert s["endpoints"] == [{"addresses": ["192.168.0.10"], "conditions": {"ready": True}},
                              {"addresses": ["192.168.0.11"], "conditions": {"ready": False}}]
    body = copy.deepcopy(ep)
    body["subsets"][0]["addresses"].append({"ip": "192.168.0.12"})
    c.update(body)
    assert [e["addresses"][0] for e in slices(c, "ext-db")[0]["endpoints"]] == ["192.168.0.10", "192.168.0.12",
                                                                                "192.168.0.11"]
    c.delete("endpoints", "default", "ext-db")
    assert slices(c, "ext-db") == []
    # the apiserver's own kubernetes Endpoints are never mirrored (skip-mirror label)
    assert [s["metadata"]["name"] for s in slices(c, "kubernetes")] == ["kubernetes"]


def test_endpoints_ports_in_repack_hash_order():
    c = Cluster(seed=46)
    ep = c.get("endpoints", "kube-system", "kube-dns")
    assert [(p["name"], p["port"], p["protocol"]) for p in ep["subsets"][0]["ports"]] == [
        ("dns-tcp", 53, "TCP"), ("dns", 53, "UDP"), ("metrics", 9153, "TCP")]
    [s] = [s for s in c.list("endpointslices", "kube-system")]
    assert [p["name"] for p in s["ports"]] == ["dns", "dns-tcp", "metrics"]       # slices keep Service order
