"""Test helpers for the engine: a Cluster whose kubelet is a tiny stand-in, so controller tests do not
depend on container programs, image pulls or probes (those are the workloads developer's tests).

The stand-in makes a bound pod Running and Ready ``start_delay`` seconds after it is scheduled, unless
the pod carries the label ``test/ready=false`` (then it runs but stays unready), and removes a
terminating pod when its grace period is over.
"""

from __future__ import annotations

import copy

from sandbox.api.clock import parse_rfc3339, rfc3339
from sandbox.cluster import Cluster
from sandbox.controllers import Controller, registered

EXCLUDED_MODULES = ("sandbox.controllers.kubelet", "sandbox.controllers.endpointslice",
                    "sandbox.controllers.endpoints")


class StandInKubelet(Controller):
    name = "kubelet"
    watches = ("pods",)
    start_delay = 2.0

    def reconcile(self, key):
        ns, name = key
        cluster = self.cluster
        pod = cluster.store.get("pods", ns, name)
        if pod is None:
            return
        meta = pod["metadata"]
        if meta.get("deletionTimestamp"):
            due = parse_rfc3339(meta["deletionTimestamp"])
            if cluster.clock.now >= due:
                cluster.remove_now("pods", ns, name)
            else:
                self.enqueue_after(key, (due - cluster.clock.now).total_seconds())
            return
        spec = pod.get("spec") or {}
        status = pod.get("status") or {}
        if not spec.get("nodeName") or status.get("phase") != "Pending":
            return
        scheduled = next((c for c in status.get("conditions") or [] if c["type"] == "PodScheduled"), None)
        since = parse_rfc3339(scheduled["lastTransitionTime"] if scheduled else meta["creationTimestamp"])
        wait = self.start_delay - (cluster.clock.now - since).total_seconds()
        if wait > 0:
            self.enqueue_after(key, wait)
            return
        ready = (meta.get("labels") or {}).get("test/ready") != "false"
        now = rfc3339(cluster.clock.now)
        new = copy.deepcopy(pod)
        st = new["status"]
        st["phase"] = "Running"
        conds = [c for c in st.get("conditions") or [] if c["type"] not in ("Ready", "ContainersReady")]
        flag = "True" if ready else "False"
        conds += [{"lastProbeTime": None, "lastTransitionTime": now, "status": flag, "type": "Ready"},
                  {"lastProbeTime": None, "lastTransitionTime": now, "status": flag, "type": "ContainersReady"}]
        st["conditions"] = conds
        st["podIP"] = f"10.244.9.{cluster.store.resource_version % 250 + 2}"
        cluster.write_status("pods", new)


def engine_classes() -> list[type]:
    classes = [c for c in registered() if c.__module__ not in EXCLUDED_MODULES]
    return classes + [StandInKubelet]


def make_cluster(**kwargs) -> Cluster:
    """A bootstrapped cluster with the stand-in kubelet."""
    return Cluster(controllers=engine_classes(), **kwargs)


def set_ready(cluster: Cluster, ns: str, name: str, ready: bool) -> None:
    """Flip a running pod's Ready condition (what a readiness probe result does)."""
    pod = copy.deepcopy(cluster.get("pods", ns, name))
    now = rfc3339(cluster.clock.now)
    for c in pod["status"]["conditions"]:
        if c["type"] in ("Ready", "ContainersReady"):
            c["status"] = "True" if ready else "False"
            c["lastTransitionTime"] = now
    cluster.write_status("pods", pod)


def deployment(name: str, replicas: int = 3, image: str = "nginx", labels: dict | None = None, **spec) -> dict:
    labels = labels or {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "default"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                 "template": {"metadata": {"labels": dict(labels)},
                              "spec": {"containers": [{"name": "web", "image": image}]}}, **spec},
    }


def pod_names(cluster: Cluster, ns: str = "default", prefix: str = "") -> list[str]:
    return [p["metadata"]["name"] for p in cluster.list("pods", ns) if p["metadata"]["name"].startswith(prefix)]


def service(name: str, selector: dict | None = None, **spec) -> dict:
    body = {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}], **spec}
    if selector is not None:
        body["selector"] = selector
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default"}, "spec": body}
