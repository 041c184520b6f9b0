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
        if remaining == 0 or not any(store.count(r, key) for r in NAMESPACED):
            store.remove("namespaces", None, key)
