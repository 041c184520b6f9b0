"""StatefulSet controller (kubernetes pkg/controller/statefulset): stable ordinal pods.

Pods are ``<sts>-0 .. <sts>-(N-1)`` with hostname = pod name and subdomain = serviceName, so each has
the DNS name ``web-0.nginx.<ns>.svc.cluster.local`` through the governing headless Service. With
OrderedReady the next ordinal is created only when every lower one is Running and Ready; scale-down
removes the highest ordinal first, one at a time, waiting for it to be gone. Parallel creates and
deletes at once. RollingUpdate replaces pods from the highest ordinal down (above ``partition``), one
at a time, each only after the previous replacement is Running and Ready.
"""

from __future__ import annotations

import copy
import json
import re

from sandbox.api.rand import fnv32a, safe_encode_string
from sandbox.controllers import Controller, key_of, register
from sandbox.controllers.podutil import controller_ref, is_active, is_pod_available, is_pod_ready
from sandbox.controllers.replicaset import owned_pods, pod_from_template

COMPONENT = "statefulset-controller"
REVISION_LABEL = "controller-revision-hash"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"


def revision_name(sts: dict) -> str:
    """ControllerRevision name: ``<sts>-<SafeEncodeString(fnv32a(template))>``."""
    template = sts["spec"].get("template") or {}
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    h = fnv32a(data)
    collision = (sts.get("status") or {}).get("collisionCount")
    if collision:
        h = fnv32a(int(collision).to_bytes(4, "little"), h)
    return f"{sts['metadata']['name']}-{safe_encode_string(str(h))}"


def ordinal_of(sts_name: str, pod_name: str) -> int | None:
    m = re.fullmatch(re.escape(sts_name) + r"-(\d+)", pod_name)
    return int(m.group(1)) if m else None


def _running_ready(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running" and is_pod_ready(pod)


@register
class StatefulSetController(Controller):
    name = COMPONENT
    watches = ("statefulsets", "pods")

    def on_event(self, event, resource, obj, old):
        if resource == "statefulsets":
            self.enqueue(key_of(obj))
            return
        for pod in (obj, old):
            if pod is None:
                continue
            ref = controller_ref(pod)
            if ref is not None and ref.get("kind") == "StatefulSet":
                self.enqueue((pod["metadata"]["namespace"], ref["name"]))

    def reconcile(self, key):
        ns, name = key
        cluster = self.cluster
        sts = cluster.store.get("statefulsets", ns, name)
        if sts is None or sts["metadata"].get("deletionTimestamp"):
            return
        spec = sts["spec"]
        replicas = int(spec.get("replicas", 1) or 0)
        start = int((spec.get("ordinals") or {}).get("start", 0) or 0)
        parallel = spec.get("podManagementPolicy") == "Parallel"
        update_rev = revision_name(sts)
        pods = {}
        for p in owned_pods(cluster, sts):
            o = ordinal_of(name, p["metadata"]["name"])
            if o is not None:
                pods[o] = p
        wanted = range(start, start + replicas)
        # a failed/succeeded pod is deleted so that it can be recreated
        for _o, p in sorted(pods.items()):
            if not is_active(p) and not p["metadata"].get("deletionTimestamp"):
                cluster.delete("pods", ns, p["metadata"]["name"])
                return
        # create missing ordinals
        for o in wanted:
            p = pods.get(o)
            if p is None:
                self._create(sts, o, update_rev)
                if not parallel:
                    break
                continue
            if p["metadata"].get("deletionTimestamp"):
                if not parallel:
                    break
                continue
            if not parallel and not _running_ready(p):
                break
        else:
            self._scale_down_and_update(sts, pods, wanted, update_rev, parallel)
        self._status(sts, update_rev)

    def _scale_down_and_update(self, sts: dict, pods: dict, wanted: range, update_rev: str, parallel: bool) -> None:
        cluster = self.cluster
        ns, name = sts["metadata"]["namespace"], sts["metadata"]["name"]
        condemned = sorted((o for o in pods if o not in wanted), reverse=True)
        if condemned:
            if not parallel and any(pods[o]["metadata"].get("deletionTimestamp") for o in condemned):
                return
            for o in condemned:
                p = pods[o]
                if p["metadata"].get("deletionTimestamp"):
                    continue
                if not parallel and not all(_running_ready(pods[x]) for x in wanted if x in pods):
                    return
                cluster.delete("pods", ns, p["metadata"]["name"])
                cluster.record_event(sts, "Normal", "SuccessfulDelete",
                                     f"delete Pod {p['metadata']['name']} in StatefulSet {name} successful", COMPONENT)
                if not parallel:
                    return
            return
        strategy = sts["spec"].get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        partition = int((strategy.get("rollingUpdate") or {}).get("partition", 0) or 0)
        for o in sorted(wanted, reverse=True):
            if o < partition:
                break
            p = pods.get(o)
            if p is None or p["metadata"].get("deletionTimestamp"):
                return
            if (p["metadata"].get("labels") or {}).get(REVISION_LABEL) != update_rev:
                if all(_running_ready(pods[x]) for x in wanted if x in pods):
                    cluster.delete("pods", ns, p["metadata"]["name"])
                    cluster.record_event(sts, "Normal", "SuccessfulDelete",
                                         f"delete Pod {p['metadata']['name']} in StatefulSet {name} successful",
                                         COMPONENT)
                return
            if not _running_ready(p):
                return

    def _create(self, sts: dict, ordinal: int, rev: str) -> None:
        name = f"{sts['metadata']['name']}-{ordinal}"
        template = copy.deepcopy(sts["spec"].get("template") or {})
        extra = {REVISION_LABEL: rev, POD_NAME_LABEL: name, POD_INDEX_LABEL: str(ordinal)}
        pod = pod_from_template(sts, template, name=name, extra_labels=extra)
        pod["spec"]["hostname"] = name
        if sts["spec"].get("serviceName"):
            pod["spec"]["subdomain"] = sts["spec"]["serviceName"]
        if self.cluster.store.get("pods", sts["metadata"]["namespace"], name) is not None:
            return
        self.cluster.create_internal(pod)
        self.cluster.record_event(sts, "Normal", "SuccessfulCreate",
                                  f"create Pod {name} in StatefulSet {sts['metadata']['name']} successful", COMPONENT)

    def _status(self, sts: dict, update_rev: str) -> None:
        cluster = self.cluster
        sts = cluster.store.get("statefulsets", sts["metadata"]["namespace"], sts["metadata"]["name"]) or sts
        pods = [p for p in owned_pods(cluster, sts) if is_active(p)]
        min_ready = int(sts["spec"].get("minReadySeconds", 0) or 0)
        now = cluster.clock.now
        old = sts.get("status") or {}
        ready = sum(1 for p in pods if is_pod_ready(p))
        available = sum(1 for p in pods if is_pod_available(p, min_ready, now))
        if min_ready and ready > available:
            self.enqueue_after(key_of(sts), float(min_ready))
        updated = sum(1 for p in pods if (p["metadata"].get("labels") or {}).get(REVISION_LABEL) == update_rev)
        current_rev = old.get("currentRevision") or update_rev
        if updated == len(pods) and len(pods) == int(sts["spec"].get("replicas", 1) or 0):
            current_rev = update_rev
        current = sum(1 for p in pods if (p["metadata"].get("labels") or {}).get(REVISION_LABEL) == current_rev)
        status: dict = {"availableReplicas": available}     # no omitempty on this one in apps/v1
        status["collisionCount"] = int(old.get("collisionCount", 0) or 0)
        if current:
            status["currentReplicas"] = current
        status["currentRevision"] = current_rev
        status["observedGeneration"] = sts["metadata"].get("generation", 1)
        if ready:
            status["readyReplicas"] = ready
        status["replicas"] = len(pods)
        status["updateRevision"] = update_rev
        if updated:
            status["updatedReplicas"] = updated
        if status != old:
            new = dict(sts)
            new["status"] = status
            cluster.write_status("statefulsets", new)
