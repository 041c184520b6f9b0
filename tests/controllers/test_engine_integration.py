"""The engine with the real kubelet and endpoint controllers: what a learner sees end to end."""

from sandbox.cluster import Cluster


def _ready_ips(c, svc):
    out = []
    for s in c.list("endpointslices", "default", label_selector=f"kubernetes.io/service-name={svc}"):
        for ep in s.get("endpoints") or []:
            if ep["conditions"].get("ready"):
                out.append((ep["targetRef"]["name"], ep["addresses"][0]))
    return sorted(out)


def test_label_change_moves_a_pod_out_of_and_into_service_endpoints():
    c = Cluster(seed=5)
    c.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                       "template": {"metadata": {"labels": {"app": "web"}},
                                    "spec": {"containers": [{"name": "whoami", "image": "traefik/whoami"}]}}}})
    c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
              "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
    assert c.advance_until(lambda: len(_ready_ips(c, "web")) == 2, timeout=120)
    before = _ready_ips(c, "web")
    moved = before[0][0]
    c.patch("pods", "default", moved, {"metadata": {"labels": {"app": "debug"}}})
    assert moved not in [n for n, _ in _ready_ips(c, "web")]
    assert c.advance_until(lambda: len(_ready_ips(c, "web")) == 2, timeout=120)
    assert moved not in [n for n, _ in _ready_ips(c, "web")]
    c.patch("pods", "default", moved, {"metadata": {"labels": {"app": "web"}}})
    # adopted back by the ReplicaSet, which now has one pod too many and deletes one
    c.settle()
    assert len([p for p in c.list("pods", "default", label_selector="app=web")
                if not p["metadata"].get("deletionTimestamp")]) == 2


def test_system_pods_run_at_lab_start():
    c = Cluster(seed=0)
    pods = c.list("pods", "kube-system")
    coredns = [p for p in pods if p["metadata"]["name"].startswith("coredns-")]
    assert len(coredns) == 2
    assert all(p["status"]["phase"] == "Running" for p in pods)
    assert c.list("events") == []
    assert c.get("deployments", "kube-system", "coredns")["status"]["availableReplicas"] == 2


_DUMP = """
import hashlib, json
from sandbox.cluster import Cluster
c = Cluster(seed=7)
c.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
          "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                   "template": {"metadata": {"labels": {"app": "web", "tier": "fe"}},
                                "spec": {"containers": [{"name": "c", "image": "traefik/whoami"}]}}}})
c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
          "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}], "type": "NodePort"}})
c.tick(20)
c.patch("deployments", "default", "web", {"spec": {"replicas": 5}})
c.tick(20)
print(hashlib.sha256(json.dumps(c.dump(), sort_keys=True).encode()).hexdigest())
"""


def test_state_is_identical_across_processes_and_hash_seeds():
    import os
    import subprocess
    import sys

    digests = set()
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", _DUMP], capture_output=True, text=True, check=True, env=env)
        digests.add(out.stdout.strip())
    assert len(digests) == 1
