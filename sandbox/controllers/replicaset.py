"""ReplicaSet controller (kubernetes pkg/controller/replicaset): keep ``replicas`` active pods.

Owned pods are found through the store's owner-uid index; orphans whose labels match a selector are
adopted (a hand-made pod with the right labels counts as a replica, a classic surprise), and a pod
whose labels stop matching is released. Surplus pods are chosen with the controller's ranking
(unscheduled, pending, not ready, crowded nodes, newest first).
"""

from __future__ import annotations

import copy

from sandbox.api.clock import parse_rfc3339
from sandbox.api.selectors import from_label_selector
from sandbox.controllers import Controller, key_of, register
from sandbox.controllers.podutil import (
    controller_ref,
    is_active,
    is_pod_available,
    is_pod_ready,
    is_terminal,
    owner_ref,
    ready_since,
    restart_count,
)

COMPONENT = "replicaset-controller"


def owned_pods(cluster, owner: dict) -> list[dict]:
    uid = owner["metadata"]["uid"]
    out = []
    for res, obj in cluster.store.dependents(uid):
        if res == "pods":
            ref = controller_ref(obj)
            if ref is not None and ref.get("uid") == uid:
                out.append(obj)
    return out


def pod_from_template(owner: dict, template: dict, *, generate_name: str | None = None, name: str | None = None,
                      extra_labels: dict | None = None) -> dict:
    """controller.GetPodFromTemplate: labels/annotations/spec of the template, owned by ``owner``."""
    tmeta = template.get("metadata") or {}
    meta: dict = {}
    if name:
        meta["name"] = name
    else:
        meta["generateName"] = generate_name or owner["metadata"]["name"] + "-"
    meta["namespace"] = owner["metadata"]["namespace"]
    labels = dict(tmeta.get("labels") or {})
    labels.update(extra_labels or {})
    if labels:
        meta["labels"] = labels
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    if tmeta.get("finalizers"):
        meta["finalizers"] = list(tmeta["finalizers"])
    meta["ownerReferences"] = [owner_ref(owner)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": copy.deepcopy(template.get("spec") or {})}


def _deletion_rank(pod: dict, per_node: dict[str, int]) -> tuple:
    """ActivePodsWithRanks ordering: the first pods in this order are deleted first."""
    spec = pod.get("spec") or {}
    node = spec.get("nodeName") or ""
    phase = (pod.get("status") or {}).get("phase")
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}.get(phase, 0)
    since = ready_since(pod)
    ready_rank = since.timestamp() if since else 0.0
    created = pod["metadata"].get("creationTimestamp", "")
    try:
        cost = int((pod["metadata"].get("annotations") or {}).get("controller.kubernetes.io/pod-deletion-cost", 0))
    except ValueError:
        cost = 0
    return (1 if node else 0, phase_rank, 1 if is_pod_ready(pod) else 0, cost, -per_node.get(node, 0),
            -ready_rank, -restart_count(pod), _neg(created), pod["metadata"]["name"])


def _neg(ts: str) -> float:
    return -parse_rfc3339(ts).timestamp() if ts else 0.0


@register
class ReplicaSetController(Controller):
    name = COMPONENT
    watches = ("replicasets", "pods")
    owner_kind = "ReplicaSet"
    owner_resource = "replicasets"

    def __init__(self, cluster):
        super().__init__(cluster)
        # namespace -> names of active pods without a controller: the only adoption candidates
        self._orphans: dict[str, set[str]] = {}

    def _track_orphan(self, event: str, pod: dict) -> None:
        ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        if event != "DELETED" and controller_ref(pod) is None and is_active(pod):
            self._orphans.setdefault(ns, set()).add(name)
        else:
            names = self._orphans.get(ns)
            if names is not None:
                names.discard(name)
                if not names:
                    del self._orphans[ns]

    def on_event(self, event, resource, obj, old):
        if resource == self.owner_resource:
            self.enqueue(key_of(obj))
            return
        if self.owner_resource == "replicasets":
            self._track_orphan(event, obj)
        # pods: wake the controlling owner (and the old one if the pod changed hands)
        for pod in (obj, old):
            if pod is None:
                continue
            ref = controller_ref(pod)
            if ref is not None and ref.get("kind") == self.owner_kind:
                self.enqueue((pod["metadata"]["namespace"], ref["name"]))
        if controller_ref(obj) is None and event != "DELETED" and is_active(obj):
            self._wake_adopters(obj)

    def _wake_adopters(self, pod: dict) -> None:
        labels = pod["metadata"].get("labels") or {}
        if not labels:
            return
        ns = pod["metadata"]["namespace"]
        for owner in self.cluster.store.iter(self.owner_resource, ns):
            if owner["metadata"].get("deletionTimestamp"):
                continue
            if from_label_selector((owner.get("spec") or {}).get("selector")).matches(labels):
                self.enqueue((ns, owner["metadata"]["name"]))

    # ---- reconcile ------------------------------------------------------------------------------
    def reconcile(self, key):
        ns, name = key
        cluster = self.cluster
        rs = cluster.store.get(self.owner_resource, ns, name)
        if rs is None:
            return
        selector = from_label_selector(rs["spec"].get("selector"))
        pods = self._claim(rs, selector)
        active = [p for p in pods if is_active(p)]
        if not rs["metadata"].get("deletionTimestamp"):
            want = int(rs["spec"].get("replicas", 1) or 0)
            diff = want - len(active)
            if diff > 0:
                for _ in range(diff):
                    self._create_pod(rs)
            elif diff < 0:
                per_node: dict[str, int] = {}
                for p in active:
                    n = (p.get("spec") or {}).get("nodeName") or ""
                    per_node[n] = per_node.get(n, 0) + 1
                victims = sorted(active, key=lambda p: _deletion_rank(p, per_node))[:-diff]
                for p in victims:
                    cluster.delete("pods", ns, p["metadata"]["name"])
                    cluster.record_event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {p['metadata']['name']}",
                                         COMPONENT)
            pods = self._claim(rs, selector)
        self._update_status(rs, pods)

    def _claim(self, rs: dict, selector) -> list[dict]:
        """Owned pods still matching (release the others) plus matching orphans (adopt them)."""
        cluster = self.cluster
        ns = rs["metadata"]["namespace"]
        uid = rs["metadata"]["uid"]
        out = []
        for pod in owned_pods(cluster, rs):
            if selector.matches(pod["metadata"].get("labels") or {}):
                out.append(pod)
            elif is_active(pod):
                new = copy.deepcopy(pod)
                new["metadata"]["ownerReferences"] = [r for r in new["metadata"]["ownerReferences"]
                                                      if r.get("uid") != uid]
                if not new["metadata"]["ownerReferences"]:
                    del new["metadata"]["ownerReferences"]
                cluster.write_object("pods", new, bump_generation=False)
        if rs["metadata"].get("deletionTimestamp"):
            return out
        exact = selector.exact()
        candidates = [cluster.store.get("pods", ns, n) for n in sorted(self._orphans.get(ns, ()))]
        for pod in candidates:
            if pod is None or controller_ref(pod) is not None or not is_active(pod):
                continue
            labels = pod["metadata"].get("labels") or {}
            if exact is not None and any(labels.get(k) != v for k, v in exact.items()):
                continue
            if not selector.empty() and selector.matches(labels):
                new = copy.deepcopy(pod)
                new["metadata"].setdefault("ownerReferences", []).append(owner_ref(rs))
                out.append(cluster.write_object("pods", new, bump_generation=False))
        return out

    def _create_pod(self, rs: dict) -> dict:
        pod = pod_from_template(rs, rs["spec"].get("template") or {})
        created = self.cluster.create_internal(pod, take=True)
        self.cluster.record_event(rs, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                                  COMPONENT)
        return created

    def _update_status(self, rs: dict, pods: list[dict]) -> None:
        cluster = self.cluster
        rs = cluster.store.get(self.owner_resource, rs["metadata"]["namespace"], rs["metadata"]["name"]) or rs
        active = [p for p in pods if is_active(p)]
        template_labels = ((rs["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
        min_ready = int(rs["spec"].get("minReadySeconds", 0) or 0)
        now = cluster.clock.now
        fully = sum(1 for p in active if all((p["metadata"].get("labels") or {}).get(k) == v
                                             for k, v in template_labels.items()))
        ready = sum(1 for p in active if is_pod_ready(p))
        available = sum(1 for p in active if is_pod_available(p, min_ready, now))
        if min_ready and ready > available:
            self.enqueue_after(key_of(rs), float(min_ready))
        old_status = rs.get("status") or {}
        status: dict = {}
        if old_status.get("conditions"):
            status["conditions"] = old_status["conditions"]
        if available:
            status["availableReplicas"] = available
        if fully:
            status["fullyLabeledReplicas"] = fully
        status["observedGeneration"] = rs["metadata"].get("generation", 1)
        if ready:
            status["readyReplicas"] = ready
        status["replicas"] = len(active)
        if self.owner_resource == "replicasets":
            # DeploymentReplicaSetTerminatingReplicas (beta, on by default since v1.35): always reported
            status["terminatingReplicas"] = sum(1 for p in pods if p["metadata"].get("deletionTimestamp")
                                                and not is_terminal(p))
        if status != old_status:
            new = dict(rs)
            new["status"] = status
            cluster.write_status(self.owner_resource, new)
