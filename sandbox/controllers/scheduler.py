"""The default scheduler: filter nodes (unschedulable, taints, node affinity/selector, host ports), score
for spread, bind.

Filter plugins run in kube-scheduler's order and a node reports only its first failing plugin, so a
tainted control plane is counted under the taint even if it would also miss the selector. Scoring
prefers the node with the fewest pods of the same controller, then the fewest pods overall; remaining
ties are broken by the seeded rng like selectHost's reservoir sampling. Per-node pod counts are kept
incrementally from pod events, so one scheduling decision costs O(nodes).
"""

from __future__ import annotations

from collections import Counter

from sandbox.api.clock import rfc3339
from sandbox.controllers import Controller, register
from sandbox.controllers.events import record_series_event
from sandbox.controllers.podutil import (
    controller_ref,
    is_terminal,
    pod_matches_node_affinity,
    untolerated_taint,
)

COMPONENT = "default-scheduler"
#: podMaxInUnschedulablePodsDuration.
UNSCHEDULABLE_RETRY = 300.0

MSG_UNSCHEDULABLE = "node(s) were unschedulable"
MSG_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
MSG_PORTS = "node(s) didn't have free ports for the requested pod ports"
MSG_TOO_MANY_PODS = "Too many pods"


def _max_pods(node: dict) -> int:
    """status.allocatable.pods (the kubelet's --max-pods, 110 by default)."""
    try:
        return int(((node.get("status") or {}).get("allocatable") or {}).get("pods", 110))
    except (TypeError, ValueError):
        return 110


#: TaintToleration's reason. Since kubernetes#134740 (v1.35, backported to v1.34) the taint's key and
#: value are no longer revealed: older clusters printed ``untolerated taint {key: value}``.
MSG_TAINT = "node(s) had untolerated taint(s)"


def _taint_msg(taint: dict) -> str:
    return MSG_TAINT


def fit_error(num_nodes: int, reasons: Counter) -> str:
    """FitError.Error(): ``0/N nodes are available: <filter reasons>. <post-filter messages>.``

    The post-filter part joins DynamicResources' "no new claims to deallocate" (DRA is GA and on by
    default since v1.34) and DefaultPreemption's verdict; nothing here is ever helped by preemption
    because no resources are modelled.
    """
    msg = f"0/{num_nodes} nodes are available:"
    parts = sorted(f"{count} {reason}" for reason, count in reasons.items())
    if parts:
        msg += " " + ", ".join(parts) + "."
    msg += (f" no new claims to deallocate, preemption: 0/{num_nodes} nodes are available: {num_nodes} "
            "Preemption is not helpful for scheduling.")
    return msg


def _node_shape(node: dict) -> tuple:
    """What a node update must change to be worth retrying unschedulable pods (queueing hints):
    heartbeats alone are not."""
    status = node.get("status") or {}
    conditions = tuple((c.get("type"), c.get("status")) for c in status.get("conditions") or [])
    return (repr(node.get("spec")), repr(node["metadata"].get("labels")), repr(status.get("allocatable")),
            conditions)


def _host_ports(spec: dict) -> set[tuple[str, int]]:
    out = set()
    for c in spec.get("containers") or []:
        for p in c.get("ports") or []:
            hp = p.get("hostPort")
            if hp:
                out.add((p.get("protocol", "TCP"), int(hp)))
    return out


@register
class Scheduler(Controller):
    name = COMPONENT
    watches = ("pods", "nodes")

    def __init__(self, cluster):
        super().__init__(cluster)
        self._on_node: dict[str, set[tuple[str, str]]] = {}
        self._owner_count: Counter = Counter()          # (node, owner uid) -> pods
        self._ports: dict[str, Counter] = {}            # node -> (proto, hostPort) counts
        self._unschedulable: set[tuple[str, str]] = set()

    # ---- bookkeeping ----------------------------------------------------------------------------
    def _account(self, pod: dict | None, sign: int) -> None:
        if pod is None:
            return
        node = (pod.get("spec") or {}).get("nodeName")
        if not node or is_terminal(pod):
            return
        meta = pod["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        ref = controller_ref(pod)
        pods = self._on_node.setdefault(node, set())
        ports = self._ports.setdefault(node, Counter())
        if sign > 0:
            pods.add(key)
        else:
            pods.discard(key)
        if ref is not None:
            self._owner_count[(node, ref.get("uid"))] += sign
        for hp in _host_ports(pod.get("spec") or {}):
            ports[hp] += sign

    def on_event(self, event, resource, obj, old):
        if resource == "nodes":
            if self._unschedulable and (old is None or event == "DELETED" or _node_shape(obj) != _node_shape(old)):
                for key in sorted(self._unschedulable):
                    self.enqueue(key)
            return
        self._account(old, -1)
        if event != "DELETED":
            self._account(obj, +1)
        meta = obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if event == "DELETED":
            self._unschedulable.discard(key)
            if self._unschedulable:
                for k in sorted(self._unschedulable):
                    self.enqueue(k)
            return
        spec = obj.get("spec") or {}
        if not spec.get("nodeName") and not meta.get("deletionTimestamp") and \
                spec.get("schedulerName", COMPONENT) == COMPONENT:
            if old is None or key not in self._unschedulable or (old.get("spec") != spec):
                self.enqueue(key)

    def pods_on(self, node: str) -> int:
        return len(self._on_node.get(node, ()))

    # ---- scheduling -----------------------------------------------------------------------------
    def reconcile(self, key):
        ns, name = key
        cluster = self.cluster
        pod = cluster.store.get("pods", ns, name)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            self._unschedulable.discard(key)
            return
        spec = pod.get("spec") or {}
        if spec.get("nodeName") or spec.get("schedulerName", COMPONENT) != COMPONENT:
            self._unschedulable.discard(key)
            return
        nodes = cluster.store.list("nodes")
        tolerations = spec.get("tolerations") or []
        wanted_ports = _host_ports(spec)
        feasible: list[dict] = []
        reasons: Counter = Counter()
        for node in nodes:
            nspec = node.get("spec") or {}
            if nspec.get("unschedulable") and not any(
                    t.get("key") == "node.kubernetes.io/unschedulable" and t.get("operator") == "Exists"
                    for t in tolerations):
                reasons[MSG_UNSCHEDULABLE] += 1
                continue
            taint = untolerated_taint(tolerations, nspec.get("taints") or [])
            if taint is not None:
                reasons[_taint_msg(taint)] += 1
                continue
            if not pod_matches_node_affinity(spec, node):
                reasons[MSG_AFFINITY] += 1
                continue
            if wanted_ports:
                used = self._ports.get(node["metadata"]["name"], Counter())
                if any(used[p] > 0 for p in wanted_ports):
                    reasons[MSG_PORTS] += 1
                    continue
            if self.pods_on(node["metadata"]["name"]) >= _max_pods(node):
                reasons[MSG_TOO_MANY_PODS] += 1
                continue
            feasible.append(node)
        if not feasible:
            self._fail(pod, fit_error(len(nodes), reasons))
            return
        ref = controller_ref(pod)
        owner_uid = ref.get("uid") if ref else None

        def score(node: dict) -> tuple[int, int]:
            n = node["metadata"]["name"]
            same = self._owner_count[(n, owner_uid)] if owner_uid else 0
            return (same, self.pods_on(n))

        best = min(score(n) for n in feasible)
        ties = [n for n in feasible if score(n) == best]
        chosen = ties[0] if len(ties) == 1 else ties[cluster.rng.randrange(len(ties))]
        self._bind(pod, chosen["metadata"]["name"])

    def _bind(self, pod: dict, node: str) -> None:
        cluster = self.cluster
        key = (pod["metadata"].get("namespace", ""), pod["metadata"]["name"])
        self._unschedulable.discard(key)
        # shallow copies: only spec.nodeName and status.conditions change (stored dicts stay untouched)
        new = dict(pod)
        new["metadata"] = dict(pod["metadata"])
        new["spec"] = dict(pod.get("spec") or {}, nodeName=node)
        status = new["status"] = dict(pod.get("status") or {})
        conds = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
        conds.append({"lastProbeTime": None, "lastTransitionTime": rfc3339(cluster.clock.now), "status": "True",
                      "type": "PodScheduled"})
        status["conditions"] = conds
        stored = cluster.write_object("pods", new, bump_generation=False)
        record_series_event(cluster, stored, "Normal", "Scheduled", f"Successfully assigned {key[0]}/{key[1]} to {node}",
                            controller=COMPONENT, instance=self._instance(), action="Binding")

    def _fail(self, pod: dict, message: str) -> None:
        cluster = self.cluster
        key = (pod["metadata"].get("namespace", ""), pod["metadata"]["name"])
        self._unschedulable.add(key)
        status = dict(pod.get("status") or {})
        conds = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
        old = next((c for c in (pod.get("status") or {}).get("conditions") or [] if c.get("type") == "PodScheduled"),
                   None)
        since = old["lastTransitionTime"] if old and old.get("status") == "False" else rfc3339(cluster.clock.now)
        conds.append({"lastProbeTime": None, "lastTransitionTime": since, "message": message,
                      "reason": "Unschedulable", "status": "False", "type": "PodScheduled"})
        status["conditions"] = conds
        status.setdefault("phase", "Pending")
        new = dict(pod)
        new["status"] = status
        if new != pod:
            cluster.write_status("pods", new)
        record_series_event(cluster, pod, "Warning", "FailedScheduling", message, controller=COMPONENT,
                            instance=self._instance(), action="Scheduling")
        # flushUnschedulablePodsLeftover: an unschedulable pod is retried at least every five minutes
        self.enqueue_after(key, UNSCHEDULABLE_RETRY)

    def _instance(self) -> str:
        """reportingInstance: the scheduler's identity, default-scheduler-<control plane hostname>."""
        return f"{COMPONENT}-{self.cluster.node_names[0]}"
