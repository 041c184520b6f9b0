"""Node lifecycle and pod GC: what happens around ``kubectl cordon`` and ``kubectl delete node``.

* A node with ``spec.unschedulable`` gets the ``node.kubernetes.io/unschedulable:NoSchedule`` taint
  (TaintNodesByCondition) and loses it when uncordoned.
* Pods bound to a node that no longer exists are deleted (the pod garbage collector's orphan sweep);
  their controllers then recreate them elsewhere.
* Each kubelet reports its node status every ``nodeStatusReportFrequency`` (5 minutes) even when
  nothing changed, so ``lastHeartbeatTime`` in ``kubectl describe node`` stays recent.
"""

from __future__ import annotations

import copy

from sandbox.controllers import Controller, register

UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
#: kubelet nodeStatusReportFrequency.
HEARTBEAT = 300.0


@register
class NodeLifecycleController(Controller):
    name = "node-lifecycle-controller"
    watches = ("nodes", "pods")

    def __init__(self, cluster):
        super().__init__(cluster)
        self._on_node: dict[str, set[tuple[str, str]]] = {}

    def on_event(self, event, resource, obj, old):
        if resource == "nodes":
            self.enqueue(("node", obj["metadata"]["name"]))
            if event == "ADDED":
                self.enqueue_after(("heartbeat", obj["metadata"]["name"]), HEARTBEAT)
            return
        key = (obj["metadata"]["namespace"], obj["metadata"]["name"])
        old_node = ((old or {}).get("spec") or {}).get("nodeName")
        new_node = (obj.get("spec") or {}).get("nodeName") if event != "DELETED" else None
        if old_node and old_node != new_node:
            self._on_node.get(old_node, set()).discard(key)
        if new_node:
            self._on_node.setdefault(new_node, set()).add(key)
            if self.cluster.store.get("nodes", None, new_node) is None:
                self.enqueue(("node", new_node))

    def heartbeat(self, node: dict) -> None:
        """The kubelet's periodic status report: refresh lastHeartbeatTime of the node conditions."""
        new = dict(node)
        new["status"] = _heartbeat_status(node, _now(self.cluster))
        if new["status"] != node.get("status"):
            self.cluster.write_status("nodes", new)

    def reconcile(self, key):
        kind, name = key
        cluster = self.cluster
        node = cluster.store.get("nodes", None, name)
        if kind == "heartbeat":
            if node is not None:
                self.heartbeat(node)
                self.enqueue_after(key, HEARTBEAT)
            return
        if node is None:
            for ns, pod_name in sorted(self._on_node.pop(name, set())):
                if cluster.store.get("pods", ns, pod_name) is not None:
                    cluster.remove_now("pods", ns, pod_name)
            return
        spec = node.get("spec") or {}
        taints = list(spec.get("taints") or [])
        has = any(t.get("key") == UNSCHEDULABLE_TAINT for t in taints)
        if spec.get("unschedulable") and not has:
            taints.append({"effect": "NoSchedule", "key": UNSCHEDULABLE_TAINT,
                           "timeAdded": _now(cluster)})
        elif not spec.get("unschedulable") and has:
            taints = [t for t in taints if t.get("key") != UNSCHEDULABLE_TAINT]
        else:
            return
        new = copy.deepcopy(node)
        if taints:
            new["spec"]["taints"] = taints
        else:
            new["spec"].pop("taints", None)
        cluster.write_object("nodes", new)


def _heartbeat_status(node: dict, now: str) -> dict:
    status = dict(node.get("status") or {})
    # NetworkUnavailable belongs to the CNI (Calico sets it once), not to the kubelet's report
    status["conditions"] = [dict(c, lastHeartbeatTime=now)
                            if "lastHeartbeatTime" in c and c.get("type") != "NetworkUnavailable" else c
                            for c in status.get("conditions") or []]
    return status


def _now(cluster) -> str:
    from sandbox.api.clock import rfc3339

    return rfc3339(cluster.clock.now)
