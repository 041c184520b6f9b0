"""Cluster verbs: admission order, errors, graceful deletion, namespaces, cascading deletion, patches."""

import copy

import pytest
from engine_kit import deployment, make_cluster, pod_names, service

from sandbox.api.errors import ApiError


def _pod(name, ns="default", **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec}}


def test_bootstrap_objects():
    c = make_cluster()
    assert [n["metadata"]["name"] for n in c.list("namespaces")] == ["default", "kube-node-lease", "kube-public",
                                                                     "kube-system"]
    assert [n["metadata"]["name"] for n in c.list("nodes")] == ["controlplane", "node01", "node02"]
    cp = c.get("nodes", None, "controlplane")
    assert cp["spec"]["taints"] == [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
    assert cp["status"]["addresses"][0] == {"address": "172.30.1.2", "type": "InternalIP"}
    assert cp["metadata"]["creationTimestamp"] == "2026-11-18T02:42:37Z"
    kube = c.get("services", "default", "kubernetes")["spec"]
    assert (kube["clusterIP"], kube["ports"][0]["port"], kube["ports"][0]["targetPort"]) == ("10.96.0.1", 443, 6443)
    assert c.get("services", "kube-system", "kube-dns")["spec"]["clusterIP"] == "10.96.0.10"
    assert c.get("endpointslices", "default", "kubernetes")["endpoints"][0]["addresses"] == ["172.30.1.2"]
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        assert c.get("serviceaccounts", ns, "default")
    assert "mode: ipvs" in c.get("configmaps", "kube-system", "kube-proxy")["data"]["config.conf"]
    assert 'scheduler: ""' in c.get("configmaps", "kube-system", "kube-proxy")["data"]["config.conf"]
    assert c.clock.seconds == 0 and c.list("events") == []
    coredns = [p for p in c.list("pods", "kube-system") if p["metadata"]["name"].startswith("coredns-")]
    assert len(coredns) == 2 and all(p["status"]["phase"] == "Running" for p in coredns)
    proxies = sorted(p["spec"]["nodeName"] for p in c.list("pods", "kube-system", label_selector="k8s-app=kube-proxy"))
    assert proxies == ["controlplane", "node01", "node02"]
    assert c.get("pods", "kube-system", "kube-apiserver-controlplane")["spec"]["hostNetwork"] is True


def test_custom_node_names():
    c = make_cluster(nodes=["cp", "w1"])
    assert [n["metadata"]["name"] for n in c.list("nodes")] == ["cp", "w1"]
    assert c.nodes_info["w1"].ip == "172.30.2.2"


def test_create_errors():
    c = make_cluster()
    with pytest.raises(ApiError) as err:
        c.create(_pod("x", "nonexist"))
    assert err.value.kubectl_text() == 'Error from server (NotFound): namespaces "nonexist" not found'
    c.create(_pod("x"))
    with pytest.raises(ApiError) as err:
        c.create(_pod("x"))
    assert err.value.kubectl_text() == 'Error from server (AlreadyExists): pods "x" already exists'
    with pytest.raises(ApiError) as err:
        c.get("deployments", "default", "nope")
    assert err.value.kubectl_text() == 'Error from server (NotFound): deployments.apps "nope" not found'


def test_generate_name_and_dry_run():
    c = make_cluster()
    body = _pod("")
    del body["metadata"]["name"]
    body["metadata"]["generateName"] = "tmp-"
    made = c.create(body)
    assert made["metadata"]["name"].startswith("tmp-") and len(made["metadata"]["name"]) == 9
    rv = c.store.resource_version
    c.create(_pod("dry"), dry_run=True)
    assert c.store.get("pods", "default", "dry") is None and c.store.resource_version == rv


def test_new_pod_status_is_pending_with_qos():
    c = make_cluster()
    p = _pod("q", nodeName="nowhere")
    p["status"] = {"phase": "Running"}
    got = c.create(p)
    assert got["status"] == {"phase": "Pending", "qosClass": "BestEffort"}


def test_graceful_pod_deletion_and_force():
    c = make_cluster()
    c.create(_pod("p"))
    c.tick(3)
    gone = c.delete("pods", "default", "p")
    assert gone["metadata"]["deletionTimestamp"] == "2026-11-22T06:00:33Z"
    assert gone["metadata"]["deletionGracePeriodSeconds"] == 30
    c.tick(29)
    assert c.store.get("pods", "default", "p") is not None
    c.tick(2)
    assert c.store.get("pods", "default", "p") is None
    c.create(_pod("q"))
    c.tick(3)
    c.delete("pods", "default", "q", grace_period=0)
    assert c.store.get("pods", "default", "q") is None


def test_unscheduled_pod_is_deleted_at_once():
    c = make_cluster()
    c.create(_pod("u", nodeSelector={"disk": "ssd"}))
    c.delete("pods", "default", "u")
    assert c.store.get("pods", "default", "u") is None


def test_namespace_deletion_terminates_contents_then_disappears():
    c = make_cluster()
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert c.get("serviceaccounts", "dev", "default")
    assert c.get("configmaps", "dev", "kube-root-ca.crt")
    d = deployment("api")
    d["metadata"]["namespace"] = "dev"
    c.create(d)
    c.tick(5)
    assert len(pod_names(c, "dev")) == 3
    ns = c.delete("namespaces", None, "dev")
    assert ns["status"]["phase"] == "Terminating"
    with pytest.raises(ApiError) as err:
        c.create(_pod("late", "dev"))
    assert err.value.kubectl_text() == ('Error from server (Forbidden): pods "late" is forbidden: unable to create '
                                        'new content in namespace dev because it is being terminated')
    assert c.get("namespaces", None, "dev")["status"]["phase"] == "Terminating"
    c.tick(31)
    assert c.store.get("namespaces", None, "dev") is None
    assert c.list("pods", "dev") == [] and c.list("deployments", "dev") == []


def test_cascading_deletion_background_orphan_foreground():
    c = make_cluster()
    c.create(deployment("bg"))
    c.create(deployment("orph"))
    c.create(deployment("fg"))
    c.tick(5)
    c.delete("deployments", "default", "bg")
    assert [r for r in c.list("replicasets", "default") if r["metadata"]["name"].startswith("bg-")] == []
    assert all(p["metadata"].get("deletionTimestamp") for p in c.list("pods", "default")
               if p["metadata"]["name"].startswith("bg-"))
    c.delete("deployments", "default", "orph", propagation_policy="Orphan")
    assert c.store.get("deployments", "default", "orph") is None
    rs = [r for r in c.list("replicasets", "default") if r["metadata"]["name"].startswith("orph-")]
    assert len(rs) == 1 and "ownerReferences" not in rs[0]["metadata"]
    assert len(pod_names(c, prefix="orph-")) == 3
    c.delete("deployments", "default", "fg", propagation_policy="Foreground")
    d = c.get("deployments", "default", "fg")
    assert d["metadata"]["finalizers"] == ["foregroundDeletion"] and d["metadata"]["deletionTimestamp"]
    c.tick(31)
    assert c.store.get("deployments", "default", "fg") is None
    assert pod_names(c, prefix="fg-") == [] and pod_names(c, prefix="bg-") == []


def test_update_conflict_and_status_is_kept():
    c = make_cluster()
    svc = c.create(service("web", {"app": "web"}))
    stale = copy.deepcopy(svc)
    c.patch("services", "default", "web", {"metadata": {"labels": {"a": "b"}}})
    with pytest.raises(ApiError) as err:
        c.update(stale)
    assert err.value.kubectl_text() == ('Error from server (Conflict): Operation cannot be fulfilled on services '
                                        '"web": the object has been modified; please apply your changes to the '
                                        'latest version and try again')


def test_patch_types():
    c = make_cluster()
    c.create(deployment("web"))
    c.patch("deployments", "default", "web",
            {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                                                            "env": [{"name": "A", "value": "1"}]}]}}}})
    ctr = c.get("deployments", "default", "web")["spec"]["template"]["spec"]["containers"]
    assert len(ctr) == 1 and ctr[0]["image"] == "nginx:1.27" and ctr[0]["env"] == [{"name": "A", "value": "1"}]
    c.patch("deployments", "default", "web", {"spec": {"replicas": 5}}, "merge")
    assert c.get("deployments", "default", "web")["spec"]["replicas"] == 5
    c.patch("deployments", "default", "web", [{"op": "replace", "path": "/spec/replicas", "value": 2}], "json")
    assert c.get("deployments", "default", "web")["spec"]["replicas"] == 2
    with pytest.raises(ApiError) as err:
        c.patch("deployments", "default", "web", [{"op": "replace", "path": "/spec/nope", "value": 2}], "json")
    assert err.value.kubectl_text() == ("The request is invalid: the server rejected our request due to an error "
                                        "in our request")


def test_list_with_selectors():
    c = make_cluster()
    c.create(deployment("web"))
    c.tick(5)
    assert len(c.list("pods", "default", label_selector="app=web")) == 3
    assert len(c.list("pods", "default", label_selector="app!=web")) == 0
    running = c.list("pods", "kube-system", field_selector="spec.nodeName=node01")
    assert [p["metadata"]["labels"].get("k8s-app") for p in running] == ["kube-proxy"]
    with pytest.raises(ApiError):
        c.list("pods", "default", label_selector="app in")


def test_endpoints_warning():
    c = make_cluster()
    assert c.warnings("endpoints") == ["v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"]
    assert c.warnings("endpointslices") == []


def test_system_namespaces_may_not_be_deleted():
    c = make_cluster()
    with pytest.raises(ApiError) as err:
        c.delete("namespaces", None, "kube-system")
    assert err.value.kubectl_text() == ('Error from server (Forbidden): namespaces "kube-system" is forbidden: this '
                                        'namespace may not be deleted')


def test_terminating_namespace_reports_remaining_content():
    c = make_cluster()
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    d = deployment("api")
    d["metadata"]["namespace"] = "dev"
    c.create(d)
    c.tick(5)
    c.delete("namespaces", None, "dev")
    conds = {x["type"]: x for x in c.get("namespaces", None, "dev")["status"]["conditions"]}
    assert conds["NamespaceContentRemaining"]["message"] == "Some resources are remaining: pods. has 3 resource instances"
    assert conds["NamespaceDeletionContentFailure"]["reason"] == "ContentDeleted"
    c.tick(31)
    assert c.store.get("namespaces", None, "dev") is None and c.list("events", "dev") == []


def test_finalizers_hold_deletion_until_removed():
    c = make_cluster()
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "held", "finalizers": ["example.com/keep"]}}
    c.create(cm)
    c.delete("configmaps", "default", "held")
    held = c.get("configmaps", "default", "held")
    assert held["metadata"]["deletionTimestamp"] == "2026-11-22T06:00:00Z"
    c.patch("configmaps", "default", "held", {"metadata": {"finalizers": None}})
    assert c.store.get("configmaps", "default", "held") is None
    pod = _pod("p")
    pod["metadata"]["finalizers"] = ["example.com/keep"]
    c.create(pod)
    c.tick(3)
    c.delete("pods", "default", "p")
    c.tick(31)
    p = c.get("pods", "default", "p")                      # the kubelet is done, the finalizer holds it
    assert p["metadata"]["deletionGracePeriodSeconds"] == 0
    c.patch("pods", "default", "p", [{"op": "remove", "path": "/metadata/finalizers"}], "json")
    assert c.store.get("pods", "default", "p") is None


def test_deleted_mirror_pod_comes_back():
    c = make_cluster()
    old = c.get("pods", "kube-system", "kube-apiserver-controlplane")
    c.tick(10)
    c.delete("pods", "kube-system", "kube-apiserver-controlplane")
    new = c.get("pods", "kube-system", "kube-apiserver-controlplane")
    assert "deletionTimestamp" not in new["metadata"]
    assert new["metadata"]["uid"] != old["metadata"]["uid"]
    assert new["metadata"]["creationTimestamp"] > old["metadata"]["creationTimestamp"]
    assert new["spec"]["nodeName"] == "controlplane"
    assert new["metadata"]["annotations"]["kubernetes.io/config.mirror"] == \
        old["metadata"]["annotations"]["kubernetes.io/config.mirror"]


def test_node_heartbeats_stay_recent():
    c = make_cluster()
    ready = [x for x in c.get("nodes", None, "node01")["status"]["conditions"] if x["type"] == "Ready"][0]
    assert "2026-11-22T05:56:00Z" <= ready["lastHeartbeatTime"] < "2026-11-22T06:00:00Z"
    assert ready["lastTransitionTime"].startswith("2026-11-18")
    c.tick(601)
    ready = [x for x in c.get("nodes", None, "node01")["status"]["conditions"] if x["type"] == "Ready"][0]
    assert ready["lastHeartbeatTime"] >= "2026-11-22T06:05:00Z"
