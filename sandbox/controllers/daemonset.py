"""DaemonSet controller (kubernetes pkg/controller/daemon): one pod per eligible node.

A node is eligible when the pod template's nodeSelector / required node affinity match it and its
NoSchedule/NoExecute taints are tolerated (the template's tolerations plus the ones the controller
adds to every daemon pod). Pods are pinned with a required node affinity on ``metadata.name`` and
bound by the scheduler, as upstream does since v1.12. Template changes roll out with
``maxUnavailable`` (default 1): an old pod is deleted, its replacement created once it is gone.
"""

from __future__ import annotations

import copy
import json

from sandbox.api.rand import fnv32a, safe_encode_string
from sandbox.api.selectors import from_label_selector
from sandbox.controllers import Controller, key_of, register
from sandbox.controllers.podutil import (
    controller_ref,
    is_active,
    is_pod_available,
    is_pod_ready,
    pod_matches_node_affinity,
    untolerated_taint,
)
from sandbox.controllers.replicaset import owned_pods, pod_from_template

COMPONENT = "daemonset-controller"
REVISION_LABEL = "controller-revision-hash"
GENERATION_LABEL = "pod-template-generation"


def daemon_tolerations(spec: dict) -> list[dict]:
    """util.AddOrUpdateDaemonPodTolerations."""
    tols = list(spec.get("tolerations") or [])
    extra = [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists"},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node.kubernetes.io/pid-pressure", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "operator": "Exists"},
    ]
    if spec.get("hostNetwork"):
        extra.append({"effect": "NoSchedule", "key": "node.kubernetes.io/network-unavailable", "operator": "Exists"})
    for t in extra:
        if not any(x.get("key") == t["key"] and x.get("effect") == t["effect"] for x in tols):
            tols.append(t)
    return tols


def revision_hash(template: dict) -> str:
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    return safe_encode_string(str(fnv32a(data)))


def node_should_run(ds: dict, node: dict) -> bool:
    spec = (ds["spec"].get("template") or {}).get("spec") or {}
    if not pod_matches_node_affinity(spec, node):
        return False
    taints = (node.get("spec") or {}).get("taints") or []
    return untolerated_taint(daemon_tolerations(spec), taints) is None


def _pinned(pod: dict) -> str | None:
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in required.get("nodeSelectorTerms") or []:
        for f in term.get("matchFields") or []:
            if f.get("key") == "metadata.name" and f.get("operator") == "In" and f.get("values"):
                return f["values"][0]
    return None


@register
class DaemonSetController(Controller):
    name = COMPONENT
    watches = ("daemonsets", "pods", "nodes")

    def on_event(self, event, resource, obj, old):
        if resource == "daemonsets":
            self.enqueue(key_of(obj))
        elif resource == "pods":
            for pod in (obj, old):
                if pod is None:
                    continue
                ref = controller_ref(pod)
                if ref is not None and ref.get("kind") == "DaemonSet":
                    self.enqueue((pod["metadata"]["namespace"], ref["name"]))
        else:  # nodes: every DaemonSet may gain or lose a node
            if old is not None and event == "MODIFIED" and old.get("spec") == obj.get("spec") and \
                    (old["metadata"].get("labels") == obj["metadata"].get("labels")):
                return
            for ds in self.cluster.store.iter("daemonsets"):
                self.enqueue(key_of(ds))

    def reconcile(self, key):
        ns, name = key
        cluster = self.cluster
        ds = cluster.store.get("daemonsets", ns, name)
        if ds is None or ds["metadata"].get("deletionTimestamp"):
            return
        template = ds["spec"].get("template") or {}
        rev = revision_hash(template)
        selector = from_label_selector(ds["spec"].get("selector"))
        pods = [p for p in owned_pods(cluster, ds) if selector.matches(p["metadata"].get("labels") or {})]
        by_node: dict[str, list[dict]] = {}
        for p in pods:
            if is_active(p):
                by_node.setdefault(_pinned(p) or "", []).append(p)
        nodes = cluster.store.list("nodes")
        wanted = {n["metadata"]["name"] for n in nodes if node_should_run(ds, n)}
        # delete pods on nodes that should not run one, and duplicates
        for node_name, node_pods in sorted(by_node.items()):
            extra = node_pods if node_name not in wanted else sorted(
                node_pods, key=lambda p: p["metadata"].get("creationTimestamp", ""))[1:]
            for p in extra:
                cluster.delete("pods", ns, p["metadata"]["name"])
                cluster.record_event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {p['metadata']['name']}",
                                     COMPONENT)
        # rolling update: replace old-revision pods, maxUnavailable at a time
        strategy = ds["spec"].get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") == "RollingUpdate":
            max_unavail = (strategy.get("rollingUpdate") or {}).get("maxUnavailable", 1)
            from sandbox.controllers.deployment import resolve_int_or_percent

            budget = max(1, resolve_int_or_percent(max_unavail, len(wanted), True))
            unavailable = sum(1 for n in wanted if not any(is_pod_ready(p) for p in by_node.get(n, [])))
            for node_name in sorted(wanted):
                if unavailable >= budget:
                    break
                for p in by_node.get(node_name, []):
                    if (p["metadata"].get("labels") or {}).get(REVISION_LABEL) != rev and \
                            not p["metadata"].get("deletionTimestamp"):
                        cluster.delete("pods", ns, p["metadata"]["name"])
                        unavailable += 1
        terminating_on = {(_pinned(p) or "") for p in owned_pods(cluster, ds) if p["metadata"].get("deletionTimestamp")}
        for node_name in sorted(wanted):
            live = [p for p in by_node.get(node_name, []) if not p["metadata"].get("deletionTimestamp")
                    and cluster.store.get("pods", ns, p["metadata"]["name"]) is not None]
            if live or node_name in terminating_on:
                continue
            self._create(ds, node_name, rev)
        self._status(ds, rev, wanted)

    def _create(self, ds: dict, node: str, rev: str) -> None:
        template = copy.deepcopy(ds["spec"].get("template") or {})
        spec = template.setdefault("spec", {})
        spec["tolerations"] = daemon_tolerations(spec)
        affinity = spec.setdefault("affinity", {})
        affinity["nodeAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}
        extra = {REVISION_LABEL: rev, GENERATION_LABEL: str(ds["metadata"].get("generation", 1))}
        pod = pod_from_template(ds, template, extra_labels=extra)
        created = self.cluster.create_internal(pod)
        self.cluster.record_event(ds, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                                  COMPONENT)

    def _status(self, ds: dict, rev: str, wanted: set[str]) -> None:
        cluster = self.cluster
        ds = cluster.store.get("daemonsets", ds["metadata"]["namespace"], ds["metadata"]["name"]) or ds
        pods = [p for p in owned_pods(cluster, ds) if is_active(p)]
        min_ready = int(ds["spec"].get("minReadySeconds", 0) or 0)
        now = cluster.clock.now
        scheduled = {(_pinned(p) or "") for p in pods}
        current = len(scheduled & wanted)
        misscheduled = len(scheduled - wanted - {""})
        ready = sum(1 for p in pods if (_pinned(p) or "") in wanted and is_pod_ready(p))
        available = sum(1 for p in pods if (_pinned(p) or "") in wanted and is_pod_available(p, min_ready, now))
        if min_ready and ready > available:
            self.enqueue_after(key_of(ds), float(min_ready))
        updated = len({(_pinned(p) or "") for p in pods
                       if (p["metadata"].get("labels") or {}).get(REVISION_LABEL) == rev} & wanted)
        status: dict = {"currentNumberScheduled": current, "desiredNumberScheduled": len(wanted)}
        if available:
            status["numberAvailable"] = available
        status["numberMisscheduled"] = misscheduled
        status["numberReady"] = ready
        if len(wanted) - available > 0:
            status["numberUnavailable"] = len(wanted) - available
        status["observedGeneration"] = ds["metadata"].get("generation", 1)
        if updated:
            status["updatedNumberScheduled"] = updated
        if status != (ds.get("status") or {}):
            new = dict(ds)
            new["status"] = status
            cluster.write_status("daemonsets", new)
