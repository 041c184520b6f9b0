"""Namespace lifecycle: a deleted namespace is Terminating until its content is gone, then removed."""

from __future__ import annotations

from sandbox.api.resources import RESOURCES
from sandbox.controllers import Controller, register

#: Resources the namespace controller empties, in the order it deletes them (workloads first, so their
#: pods are not recreated while they terminate).
_ORDER = ("deployments", "statefulsets", "daemonsets", "replicasets", "services", "pods", "endpointslices",
          "endpoints", "configmaps", "serviceaccounts", "events")
NAMESPACED = tuple(r.plural for r in RESOURCES if r.namespaced and "delete" in r.verbs and r.plural != "bindings")


@register
class NamespaceController(Controller):
    name = "namespace-controller"
    watches = ("namespaces",) + NAMESPACED

    def on_event(self, event, resource, obj, old):
        if resource == "namespaces":
            if obj.get("status", {}).get("phase") == "Terminating" and event != "DELETED":
                self.enqueue(obj["metadata"]["name"])
            return
        if event == "DELETED":
            ns = obj["metadata"].get("namespace")
            ns_obj = self.cluster.store.get("namespaces", None, ns) if ns else None
            if ns_obj is not None and ns_obj.get("status", {}).get("phase") == "Terminating":
                self.enqueue(ns)

    def reconcile(self, key):
        store = self.cluster.store
        ns_obj = store.get("namespaces", None, key)
        if ns_obj is None or ns_obj.get("status", {}).get("phase") != "Terminating":
            return
        remaining = 0
        ordered = [r for r in _ORDER if r in NAMESPACED] + [r for r in NAMESPACED if r not in _ORDER]
        for resource in ordered:
            for obj in list(store.iter(resource, key)):
                remaining += 1
                if obj["metadata"].get("deletionTimestamp"):
                    continue
                try:
                    self.cluster.delete(resource, key, obj["metadata"]["name"])
                except Exception:  # noqa: BLE001 - already gone through a cascade
                    pass
        left = {r: store.count(r, key) for r in NAMESPACED if r != "events"}
        left = {r: n for r, n in left.items() if n}
        if remaining == 0 or not left:
            for ev in list(store.iter("events", key)):
                store.remove("events", key, ev["metadata"]["name"])
            store.remove("namespaces", None, key)
            return
        self._set_conditions(ns_obj, left)

    def _set_conditions(self, ns_obj: dict, left: dict[str, int]) -> None:
        """The deletion status conditions the namespace controller reports while content remains."""
        from sandbox.api.clock import rfc3339
        from sandbox.api.resources import by_plural

        now = rfc3339(self.cluster.clock.now)
        remaining = sorted(f"{r}.{by_plural(r).group} has {n} resource instances" for r, n in left.items())
        wanted = [
            ("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"),
            ("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
             "All legacy kube types successfully parsed"),
            ("NamespaceDeletionContentFailure", "False", "ContentDeleted",
             "All content successfully deleted, may be waiting on finalization"),
            ("NamespaceContentRemaining", "True", "SomeResourcesRemain",
             "Some resources are remaining: " + ", ".join(remaining)),
            ("NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers",
             "All content-preserving finalizers finished"),
        ]
        old = {c["type"]: c for c in (ns_obj.get("status") or {}).get("conditions") or []}
        conds = []
        for type_, status, reason, message in wanted:
            prev = old.get(type_)
            since = prev["lastTransitionTime"] if prev and prev.get("status") == status else now
            conds.append({"lastTransitionTime": since, "message": message, "reason": reason, "status": status,
                          "type": type_})
        status_obj = dict(ns_obj.get("status") or {})
        if status_obj.get("conditions") == conds:
            return
        status_obj["conditions"] = conds
        new = dict(ns_obj)
        new["status"] = status_obj
        self.cluster.write_status("namespaces", new)
