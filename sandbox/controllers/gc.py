"""Garbage collector: ownerReferences, cascading deletion (background / foreground / orphan).

Keys are owner uids. Work arrives when an owner disappears (its dependents may now be orphans), when
an owner is marked for deletion with the ``foregroundDeletion`` or ``orphan`` finalizer, and when a
dependent of a foreground-deleting owner is gone (the owner may now finish). The owner-uid index of
the store makes every step proportional to the number of dependents involved.
"""

from __future__ import annotations

import copy

from sandbox.controllers import Controller, register
from sandbox.controllers.namespace import NAMESPACED

CLUSTER_SCOPED = ("nodes", "namespaces")


@register
class GarbageCollector(Controller):
    name = "garbage-collector"
    watches = NAMESPACED + CLUSTER_SCOPED

    def on_event(self, event, resource, obj, old):
        meta = obj["metadata"]
        if event == "DELETED":
            self.enqueue(meta["uid"])
            for ref in meta.get("ownerReferences") or []:
                self.enqueue(ref.get("uid"))
            return
        fin = meta.get("finalizers") or ()
        if meta.get("deletionTimestamp") and ("orphan" in fin or "foregroundDeletion" in fin):
            self.enqueue(meta["uid"])
        if event == "ADDED":
            for ref in meta.get("ownerReferences") or []:
                if self.cluster.store.by_uid(ref.get("uid", "")) is None:
                    self.enqueue(ref.get("uid"))

    def reconcile(self, uid):
        store = self.cluster.store
        found = store.by_uid(uid)
        deps = store.dependents(uid)
        if found is None:
            for resource, dep in deps:
                self._owner_gone(resource, dep, uid)
            return
        resource, owner = found
        meta = owner["metadata"]
        fin = list(meta.get("finalizers") or [])
        if not meta.get("deletionTimestamp"):
            return
        if "orphan" in fin:
            for dep_res, dep in deps:
                self._strip_ref(dep_res, dep, uid)
            fin.remove("orphan")
            self._set_finalizers(resource, owner, fin)
        elif "foregroundDeletion" in fin:
            pending = False
            for dep_res, dep in deps:
                pending = True
                if not dep["metadata"].get("deletionTimestamp"):
                    self.cluster.delete(dep_res, dep["metadata"].get("namespace"), dep["metadata"]["name"],
                                        propagation_policy="Foreground")
            if not pending or not store.dependents(uid):
                fin.remove("foregroundDeletion")
                self._set_finalizers(resource, owner, fin)

    def _owner_gone(self, resource: str, dep: dict, uid: str) -> None:
        store = self.cluster.store
        refs = dep["metadata"].get("ownerReferences") or []
        alive = [r for r in refs if r.get("uid") != uid and store.by_uid(r.get("uid", "")) is not None]
        if alive:
            self._strip_ref(resource, dep, uid)
        elif not dep["metadata"].get("deletionTimestamp"):
            self.cluster.delete(resource, dep["metadata"].get("namespace"), dep["metadata"]["name"])

    def _strip_ref(self, resource: str, dep: dict, uid: str) -> None:
        new = copy.deepcopy(dep)
        refs = [r for r in new["metadata"].get("ownerReferences") or [] if r.get("uid") != uid]
        if refs:
            new["metadata"]["ownerReferences"] = refs
        else:
            new["metadata"].pop("ownerReferences", None)
        self.cluster.write_object(resource, new)

    def _set_finalizers(self, resource: str, obj: dict, fin: list[str]) -> None:
        new = copy.deepcopy(obj)
        if fin:
            new["metadata"]["finalizers"] = fin
        else:
            new["metadata"].pop("finalizers", None)
        self.cluster.write_object(resource, new)
        if resource == "pods" and not fin:
            current = self.cluster.store.get("pods", new["metadata"].get("namespace"), new["metadata"]["name"])
            if current is not None and current["metadata"].get("deletionGracePeriodSeconds") == 0:
                self.cluster.remove_now("pods", new["metadata"].get("namespace"), new["metadata"]["name"])
