"""Deployment, ReplicaSet, StatefulSet, DaemonSet and scheduler behaviour on the engine."""

import json
import re

from engine_kit import deployment, make_cluster, pod_names, set_ready

from sandbox.controllers.deployment import rollout_history, template_for_revision

HASH = "[bcdfghjklmnpqrstvwxz2456789]{1,10}"


def _scaling_messages(c, name):
    return [e["message"] for e in sorted(c.list("events", "default"), key=lambda e: e["metadata"]["name"])
            if e["reason"] == "ScalingReplicaSet" and e["involvedObject"]["name"] == name]


def test_deployment_names_labels_and_status():
    c = make_cluster()
    c.create(deployment("web"))
    rs = c.list("replicasets", "default")
    assert len(rs) == 1
    rs_name = rs[0]["metadata"]["name"]
    h = rs[0]["metadata"]["labels"]["pod-template-hash"]
    assert re.fullmatch(HASH, h) and rs_name == f"web-{h}"
    assert rs[0]["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": h}
    assert rs[0]["metadata"]["annotations"] == {"deployment.kubernetes.io/desired-replicas": "3",
                                                "deployment.kubernetes.io/max-replicas": "4",
                                                "deployment.kubernetes.io/revision": "1"}
    names = pod_names(c)
    assert len(names) == 3 and all(re.fullmatch(rf"{rs_name}-[bcdfghjklmnpqrstvwxz2456789]{{5}}", n) for n in names)
    c.tick(5)
    d = c.get("deployments", "default", "web")
    assert d["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    st = d["status"]
    assert (st["replicas"], st["readyReplicas"], st["availableReplicas"], st["updatedReplicas"]) == (3, 3, 3, 3)
    assert "unavailableReplicas" not in st
    assert [(x["type"], x["status"], x["reason"], x["message"]) for x in st["conditions"]] == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "True", "NewReplicaSetAvailable", f'ReplicaSet "{rs_name}" has successfully progressed.')]
    assert _scaling_messages(c, "web") == [f"Scaled up replica set {rs_name} from 0 to 3"]
    rs = c.get("replicasets", "default", rs_name)["status"]
    assert rs == {"availableReplicas": 3, "fullyLabeledReplicas": 3, "observedGeneration": 1, "readyReplicas": 3,
                  "replicas": 3, "terminatingReplicas": 0}
    assert st["terminatingReplicas"] == 0


def test_scale_up_and_down():
    c = make_cluster()
    c.create(deployment("web"))
    c.tick(5)
    rs_name = c.list("replicasets", "default")[0]["metadata"]["name"]
    c.patch("deployments", "default", "web", {"spec": {"replicas": 5}})
    assert len(pod_names(c)) == 5
    c.patch("deployments", "default", "web", {"spec": {"replicas": 1}})
    c.tick(31)
    assert len(pod_names(c)) == 1
    assert _scaling_messages(c, "web")[1:] == [f"Scaled up replica set {rs_name} from 3 to 5",
                                               f"Scaled down replica set {rs_name} from 5 to 1"]


def test_replicaset_replaces_a_deleted_pod():
    c = make_cluster()
    c.create(deployment("web"))
    c.tick(5)
    victim = pod_names(c)[0]
    c.delete("pods", "default", victim, grace_period=0)
    names = pod_names(c)
    assert len(names) == 3 and victim not in names


def test_rolling_update_respects_surge_and_unavailability():
    c = make_cluster()
    c.create(deployment("web", replicas=4))
    c.tick(5)
    c.patch("deployments", "default", "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "web", "image": "nginx:1.27"}]}}}})
    seen_max = 0
    for _ in range(40):
        rss = c.list("replicasets", "default")
        total = sum(r["spec"]["replicas"] for r in rss)
        available = sum(r.get("status", {}).get("availableReplicas", 0) for r in rss)
        seen_max = max(seen_max, total)
        assert total <= 5                     # replicas + maxSurge (25% of 4 = 1)
        assert available >= 3                 # replicas - maxUnavailable (25% of 4 = 1)
        c.tick(1)
    assert seen_max == 5
    d = c.get("deployments", "default", "web")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    history = rollout_history(c, d)
    assert [rev for rev, _ in history] == [1, 2]
    new_rs = history[1][1]
    assert new_rs["spec"]["replicas"] == 4 and history[0][1]["spec"]["replicas"] == 0
    assert template_for_revision(c, d)["spec"]["containers"][0]["image"] == "nginx"
    assert template_for_revision(c, d, 7) is None


def test_rollback_reuses_the_old_replicaset_with_a_new_revision():
    c = make_cluster()
    c.create(deployment("web"))
    c.tick(5)
    first = c.list("replicasets", "default")[0]["metadata"]["name"]
    c.patch("deployments", "default", "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "web", "image": "nginx:1.27"}]}}}})
    c.tick(40)
    d = c.get("deployments", "default", "web")
    c.patch("deployments", "default", "web", {"spec": {"template": template_for_revision(c, d)}})
    c.tick(40)
    rs = c.get("replicasets", "default", first)
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    assert rs["spec"]["replicas"] == 3
    assert c.get("deployments", "default", "web")["metadata"]["annotations"][
        "deployment.kubernetes.io/revision"] == "3"


def test_unready_pods_block_the_rollout():
    c = make_cluster()
    c.create(deployment("web", replicas=2))
    c.tick(5)
    bad = deployment("web", replicas=2, labels={"app": "web"})["spec"]["template"]
    bad["metadata"]["labels"]["test/ready"] = "false"
    c.patch("deployments", "default", "web", {"spec": {"template": bad}})
    c.tick(30)
    rss = sorted(c.list("replicasets", "default"), key=lambda r: r["metadata"]["annotations"][
        "deployment.kubernetes.io/revision"])
    assert [r["spec"]["replicas"] for r in rss] == [2, 1]    # surge 1 created, never available
    st = c.get("deployments", "default", "web")["status"]
    assert st["conditions"][0]["status"] == "True"        # old pods still serve
    c.tick(600)
    prog = c.get("deployments", "default", "web")["status"]["conditions"][1]
    assert (prog["status"], prog["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert prog["message"] == f'ReplicaSet "{rss[1]["metadata"]["name"]}" has timed out progressing.'


def test_readiness_flip_updates_counts():
    c = make_cluster()
    c.create(deployment("web"))
    c.tick(5)
    set_ready(c, "default", pod_names(c)[0], False)
    st = c.get("deployments", "default", "web")["status"]
    assert (st["readyReplicas"], st["availableReplicas"], st["unavailableReplicas"]) == (2, 2, 1)


def test_replicaset_adopts_a_matching_bare_pod():
    c = make_cluster()
    c.create(deployment("web"))
    c.tick(5)
    rs = c.list("replicasets", "default")[0]
    labels = dict(rs["spec"]["selector"]["matchLabels"])
    c.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "stray", "labels": labels},
              "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    c.tick(31)
    pods = c.list("pods", "default")
    assert len(pods) == 3
    owned = [p for p in pods if p["metadata"].get("ownerReferences")]
    assert len(owned) == 3


def test_statefulset_ordered_names_and_dns_identity():
    c = make_cluster()
    c.create({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
              "spec": {"replicas": 3, "serviceName": "nginx", "selector": {"matchLabels": {"app": "nginx"}},
                       "template": {"metadata": {"labels": {"app": "nginx"}},
                                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    assert pod_names(c) == ["web-0"]
    c.tick(1)
    assert pod_names(c) == ["web-0"]                 # web-0 not Running and Ready yet
    c.tick(2)
    assert pod_names(c) == ["web-0", "web-1"]
    c.tick(10)
    assert pod_names(c) == ["web-0", "web-1", "web-2"]
    p = c.get("pods", "default", "web-1")
    assert (p["spec"]["hostname"], p["spec"]["subdomain"]) == ("web-1", "nginx")
    labels = p["metadata"]["labels"]
    assert labels["statefulset.kubernetes.io/pod-name"] == "web-1" and labels["apps.kubernetes.io/pod-index"] == "1"
    rev = c.get("statefulsets", "default", "web")["status"]["updateRevision"]
    assert labels["controller-revision-hash"] == rev and re.fullmatch(rf"web-{HASH}", rev)
    st = c.get("statefulsets", "default", "web")["status"]
    assert (st["replicas"], st["readyReplicas"], st["currentReplicas"]) == (3, 3, 3)
    c.patch("statefulsets", "default", "web", {"spec": {"replicas": 1}})
    assert [p["metadata"]["name"] for p in c.list("pods", "default") if p["metadata"].get("deletionTimestamp")] == \
        ["web-2"]
    c.tick(31)
    assert [p["metadata"]["name"] for p in c.list("pods", "default") if p["metadata"].get("deletionTimestamp")] == \
        ["web-1"]
    c.tick(31)
    assert pod_names(c) == ["web-0"]
    msgs = [e["message"] for e in c.list("events", "default") if e["involvedObject"]["kind"] == "StatefulSet"]
    assert "create Pod web-0 in StatefulSet web successful" in msgs
    assert "delete Pod web-2 in StatefulSet web successful" in msgs


def test_daemonset_runs_one_pod_per_eligible_node():
    c = make_cluster()
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
          "spec": {"selector": {"matchLabels": {"app": "agent"}},
                   "template": {"metadata": {"labels": {"app": "agent"}},
                                "spec": {"containers": [{"name": "a", "image": "busybox"}]}}}}
    c.create(ds)
    nodes = sorted(p["spec"]["nodeName"] for p in c.list("pods", "default"))
    assert nodes == ["node01", "node02"]            # the control plane taint is not tolerated
    c.tick(3)
    st = c.get("daemonsets", "default", "agent")["status"]
    assert (st["desiredNumberScheduled"], st["currentNumberScheduled"], st["numberReady"]) == (2, 2, 2)
    c.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node03", "labels": {
        "kubernetes.io/hostname": "node03", "kubernetes.io/os": "linux"}}, "spec": {},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}})
    assert sorted(p["spec"]["nodeName"] for p in c.list("pods", "default")) == ["node01", "node02", "node03"]


def test_scheduler_spreads_and_reports_failures():
    c = make_cluster()
    c.create(deployment("web", replicas=4))
    per_node = {}
    for p in c.list("pods", "default"):
        per_node[p["spec"]["nodeName"]] = per_node.get(p["spec"]["nodeName"], 0) + 1
    assert per_node == {"node01": 2, "node02": 2}
    d = deployment("ssd", replicas=1)
    d["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "ssd"}
    c.create(d)
    pod = [p for p in c.list("pods", "default") if p["metadata"]["name"].startswith("ssd-")][0]
    assert "nodeName" not in pod["spec"]
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node "
           "affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: "
           "3 Preemption is not helpful for scheduling.")
    cond = [x for x in pod["status"]["conditions"] if x["type"] == "PodScheduled"][0]
    assert (cond["status"], cond["reason"], cond["message"]) == ("False", "Unschedulable", msg)
    ev = [e for e in c.list("events", "default") if e["reason"] == "FailedScheduling"][0]
    assert ev["message"] == msg and ev["type"] == "Warning" and ev["source"] == {}
    assert (ev["reportingComponent"], ev["reportingInstance"], ev["action"]) == (
        "default-scheduler", "default-scheduler-controlplane", "Scheduling")
    assert ev["eventTime"] == "2026-11-22T06:00:00.000000Z" and ev["lastTimestamp"] is None
    c.tick(300)                               # retried every five minutes: a series
    ev = [e for e in c.list("events", "default") if e["reason"] == "FailedScheduling"][0]
    assert ev["series"] == {"count": 2, "lastObservedTime": "2026-11-22T06:05:00.000000Z"}
    # labelling a node makes the pod schedulable
    c.patch("nodes", None, "node02", {"metadata": {"labels": {"disk": "ssd"}}})
    pod = c.get("pods", "default", pod["metadata"]["name"])
    assert pod["spec"]["nodeName"] == "node02"


def test_scheduler_honours_tolerations_and_node_name():
    c = make_cluster()
    d = deployment("cp", replicas=1)
    d["spec"]["template"]["spec"]["tolerations"] = [{"key": "node-role.kubernetes.io/control-plane",
                                                     "effect": "NoSchedule", "operator": "Exists"}]
    d["spec"]["template"]["spec"]["nodeSelector"] = {"node-role.kubernetes.io/control-plane": ""}
    c.create(d)
    assert [p["spec"]["nodeName"] for p in c.list("pods", "default")] == ["controlplane"]


def test_events_aggregate_repeats():
    c = make_cluster()
    pod = c.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                    "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    c.record_event(pod, "Warning", "BackOff", "Back-off restarting failed container c", "kubelet",
                   field_path="spec.containers{c}", host="node01")
    c.tick(10)
    ev = c.record_event(pod, "Warning", "BackOff", "Back-off restarting failed container c", "kubelet",
                        field_path="spec.containers{c}", host="node01")
    assert ev["count"] == 2
    assert (ev["firstTimestamp"], ev["lastTimestamp"]) == ("2026-11-22T06:00:00Z", "2026-11-22T06:00:10Z")
    assert ev["involvedObject"]["fieldPath"] == "spec.containers{c}"
    assert ev["source"] == {"component": "kubelet", "host": "node01"}
    assert re.fullmatch(r"p\.[0-9a-f]+", ev["metadata"]["name"])


def test_same_seed_same_log_gives_identical_state():
    def run(seed):
        c = make_cluster(seed=seed)
        c.create(deployment("web"))
        c.tick(3)
        c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                  "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}], "type": "NodePort"}})
        c.patch("deployments", "default", "web", {"spec": {"replicas": 5}})
        c.tick(7)
        return json.dumps(c.dump(), sort_keys=True)

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_relabelled_pod_is_released_and_replaced():
    c = make_cluster()
    c.create(deployment("web"))
    c.tick(5)
    victim = pod_names(c)[0]
    c.patch("pods", "default", victim, {"metadata": {"labels": {"app": "debug"}}})
    pods = {p["metadata"]["name"]: p for p in c.list("pods", "default")}
    assert len(pods) == 4
    assert "ownerReferences" not in pods[victim]["metadata"]
    assert len(c.list("pods", "default", label_selector="app=web")) == 3


def test_statefulset_rolling_update_goes_from_the_highest_ordinal():
    c = make_cluster()
    c.create({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
              "spec": {"replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                       "template": {"metadata": {"labels": {"app": "db"}},
                                    "spec": {"containers": [{"name": "db", "image": "nginx"}]}}}})
    c.tick(20)
    old_rev = c.get("statefulsets", "default", "db")["status"]["currentRevision"]
    c.patch("statefulsets", "default", "db", {"spec": {"template": {"spec": {"containers": [
        {"name": "db", "image": "nginx:1.27"}]}}}})
    terminating = [p["metadata"]["name"] for p in c.list("pods", "default") if p["metadata"].get("deletionTimestamp")]
    assert terminating == ["db-2"]
    c.tick(120)
    st = c.get("statefulsets", "default", "db")["status"]
    assert st["currentRevision"] == st["updateRevision"] != old_rev
    assert st["updatedReplicas"] == 3
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.27" for p in c.list("pods", "default"))


def test_daemonset_rolls_out_a_new_template():
    c = make_cluster()
    c.patch("daemonsets", "kube-system", "kube-proxy", {"spec": {"template": {"metadata": {
        "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-11-22T06:00:00Z"}}}}})
    c.tick(120)
    st = c.get("daemonsets", "kube-system", "kube-proxy")["status"]
    assert (st["desiredNumberScheduled"], st["updatedNumberScheduled"], st["numberReady"]) == (3, 3, 3)
    pods = c.list("pods", "kube-system", label_selector="k8s-app=kube-proxy")
    assert len(pods) == 3
    assert all(p["metadata"]["annotations"] == {"kubectl.kubernetes.io/restartedAt": "2026-11-22T06:00:00Z"}
               for p in pods)


def test_cordon_taints_the_node_and_blocks_scheduling():
    c = make_cluster()
    c.patch("nodes", None, "node01", {"spec": {"unschedulable": True}})
    taints = c.get("nodes", None, "node01")["spec"]["taints"]
    assert [(t["key"], t["effect"]) for t in taints] == [("node.kubernetes.io/unschedulable", "NoSchedule")]
    c.create(deployment("web", replicas=2))
    assert {p["spec"]["nodeName"] for p in c.list("pods", "default")} == {"node02"}
    c.patch("nodes", None, "node01", {"spec": {"unschedulable": None}})
    assert "taints" not in c.get("nodes", None, "node01")["spec"]


def test_deleting_a_node_moves_its_pods():
    c = make_cluster()
    c.create(deployment("web", replicas=4))
    c.tick(5)
    c.delete("nodes", None, "node01")
    pods = c.list("pods", "default")
    assert len(pods) == 4 and {p["spec"]["nodeName"] for p in pods} == {"node02"}
    assert not [p for p in c.list("pods", "kube-system") if p["spec"].get("nodeName") == "node01"]


def test_pause_resume_and_proportional_scaling():
    c = make_cluster()
    c.create(deployment("web", replicas=6))
    c.tick(5)
    c.patch("deployments", "default", "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "web", "image": "nginx:1.27"}]}}}})
    c.patch("deployments", "default", "web", {"spec": {"paused": True}})
    prog = c.get("deployments", "default", "web")["status"]["conditions"][-1]
    assert (prog["type"], prog["status"], prog["reason"], prog["message"]) == (
        "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")
    before = {r["metadata"]["name"]: r["spec"]["replicas"] for r in c.list("replicasets", "default")}
    c.tick(10)
    assert {r["metadata"]["name"]: r["spec"]["replicas"] for r in c.list("replicasets", "default")} == before
    # scaling while paused spreads the change over both ReplicaSets in proportion (maxSurge 25% of 10 = 3)
    c.patch("deployments", "default", "web", {"spec": {"replicas": 10}})
    sizes = sorted(r["spec"]["replicas"] for r in c.list("replicasets", "default"))
    assert sum(sizes) == 13 and sizes[0] > sum(before.values()) - max(before.values()) - 1
    c.patch("deployments", "default", "web", {"spec": {"paused": False}})
    prog = c.get("deployments", "default", "web")["status"]["conditions"][-1]
    assert (prog["reason"], prog["message"]) in {("DeploymentResumed", "Deployment is resumed"),
                                                 ("ReplicaSetUpdated", prog["message"])}
    c.tick(120)
    st = c.get("deployments", "default", "web")["status"]
    assert (st["updatedReplicas"], st["availableReplicas"]) == (10, 10)
    assert st["conditions"][-1]["reason"] == "NewReplicaSetAvailable"


def test_scale_down_prefers_low_deletion_cost_and_unready_pods():
    c = make_cluster()
    c.create(deployment("web", replicas=4))
    c.tick(5)
    names = pod_names(c)
    c.patch("pods", "default", names[0], {"metadata": {"annotations": {
        "controller.kubernetes.io/pod-deletion-cost": "-100"}}})
    set_ready(c, "default", names[1], False)
    c.patch("deployments", "default", "web", {"spec": {"replicas": 2}})
    doomed = sorted(p["metadata"]["name"] for p in c.list("pods", "default") if p["metadata"].get("deletionTimestamp"))
    assert doomed == sorted(names[:2])
