"""The object store: what etcd + the apiserver's registry keep, with watch events for controllers.

Objects are plain wire-form dicts (CONTRACTS.md §1). The store owns the server-populated metadata
(uid, resourceVersion, generation, creationTimestamp) so every write path stamps them the same way.
Indexes keep every read proportional to its answer: get by name is one dict lookup, a namespace list
touches only that namespace, and dependents are found through the owner-uid index.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from sandbox.api.clock import Clock, rfc3339
from sandbox.api.rand import uuid4

#: (event_type, resource, obj) — the public watch callback shape.
WatchFn = Callable[[str, str, dict], None]
#: (event_type, resource, obj, old) — controllers also get the previous version.
DeltaFn = Callable[[str, str, dict, "dict | None"], None]

ADDED = "ADDED"
MODIFIED = "MODIFIED"
DELETED = "DELETED"

#: Resources whose registry strategy maintains metadata.generation (bumped when the spec changes).
GENERATION_RESOURCES = frozenset({
    "pods", "deployments", "replicasets", "statefulsets", "daemonsets", "endpointslices",
})


#: ObjectMeta's Go field order: what ``kubectl get -o json`` shows.
_META_ORDER = ("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
               "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
               "ownerReferences", "finalizers", "managedFields")
_META_RANK = {k: i for i, k in enumerate(_META_ORDER)}


def ordered_meta(meta: dict) -> dict:
    """ObjectMeta with its keys in the apiserver's serialisation order (unknown keys last)."""
    return dict(sorted(meta.items(), key=lambda kv: _META_RANK.get(kv[0], 99)))


def _spec_part(resource: str, obj: dict) -> Any:
    """What counts as 'spec' for generation: EndpointSlices have no spec, everything else but status does."""
    if resource == "endpointslices":
        return {k: v for k, v in obj.items() if k not in ("metadata", "status")}
    return obj.get("spec")


class Store:
    """Objects keyed by (resource, namespace, name); namespace is ``""`` for cluster-scoped objects."""

    def __init__(self, clock: Clock, rng: random.Random) -> None:
        self.clock = clock
        self.rng = rng
        self._rv = 0
        # resource -> namespace -> name -> obj
        self._data: dict[str, dict[str, dict[str, dict]]] = {}
        self._by_uid: dict[str, tuple[str, str, str]] = {}
        # owner uid -> {(resource, namespace, name)}
        self._by_owner: dict[str, set[tuple[str, str, str]]] = {}
        self._watchers: list[WatchFn] = []
        self._delta_watchers: list[DeltaFn] = []

    # ---- reads -------------------------------------------------------------------------------
    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        return self._data.get(resource, {}).get(namespace or "", {}).get(name)

    def list(self, resource: str, namespace: str | None = None) -> list[dict]:
        """Sorted by (namespace, name), as the apiserver lists from etcd's key order."""
        by_ns = self._data.get(resource, {})
        if namespace is not None:
            objs = by_ns.get(namespace, {})
            return [objs[n] for n in sorted(objs)]
        return [by_ns[ns][n] for ns in sorted(by_ns) for n in sorted(by_ns[ns])]

    def iter(self, resource: str, namespace: str | None = None) -> Iterator[dict]:
        """Unsorted iteration (cheaper when the order does not matter)."""
        by_ns = self._data.get(resource, {})
        if namespace is not None:
            yield from by_ns.get(namespace, {}).values()
            return
        for objs in by_ns.values():
            yield from objs.values()

    def count(self, resource: str, namespace: str | None = None) -> int:
        by_ns = self._data.get(resource, {})
        if namespace is not None:
            return len(by_ns.get(namespace, {}))
        return sum(len(v) for v in by_ns.values())

    def namespaces_with(self, resource: str) -> list[str]:
        return [ns for ns, objs in self._data.get(resource, {}).items() if objs]

    def by_uid(self, uid: str) -> tuple[str, dict] | None:
        key = self._by_uid.get(uid)
        if key is None:
            return None
        obj = self.get(*key)
        return (key[0], obj) if obj is not None else None

    def dependents(self, owner_uid: str) -> list[tuple[str, dict]]:
        """Objects whose ownerReferences name ``owner_uid`` (sorted for determinism)."""
        out = []
        for key in sorted(self._by_owner.get(owner_uid, ())):
            obj = self.get(*key)
            if obj is not None:
                out.append((key[0], obj))
        return out

    @property
    def resource_version(self) -> int:
        return self._rv

    # ---- watch -------------------------------------------------------------------------------
    def watch(self, fn: WatchFn) -> None:
        """Subscribe to every ADDED/MODIFIED/DELETED event, in commit order."""
        self._watchers.append(fn)

    def watch_deltas(self, fn: DeltaFn) -> None:
        """Like :meth:`watch` but also receives the previous object (None on ADDED)."""
        self._delta_watchers.append(fn)

    def _emit(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        for fn in self._delta_watchers:
            fn(event, resource, obj, old)
        for fn in self._watchers:
            fn(event, resource, obj)

    # ---- writes ------------------------------------------------------------------------------
    def _next_rv(self) -> str:
        self._rv += 1
        return str(self._rv)

    def new_uid(self) -> str:
        return uuid4(self.rng)

    def add(self, resource: str, obj: dict) -> dict:
        """Insert a new object (caller checked it does not exist); stamps uid/rv/generation/timestamp.

        A preset ``creationTimestamp``/``uid`` is kept (bootstrap back-dates system objects).
        """
        meta = obj.setdefault("metadata", {})
        ns = meta.get("namespace") or ""
        name = meta["name"]
        if not meta.get("uid"):
            meta["uid"] = self.new_uid()
        meta["resourceVersion"] = self._next_rv()
        if resource in GENERATION_RESOURCES:
            meta["generation"] = 1
        else:
            meta.pop("generation", None)
        if not meta.get("creationTimestamp"):
            meta["creationTimestamp"] = rfc3339(self.clock.now)
        obj["metadata"] = meta = ordered_meta(meta)
        self._data.setdefault(resource, {}).setdefault(ns, {})[name] = obj
        self._by_uid[meta["uid"]] = (resource, ns, name)
        self._index_owners(resource, ns, name, obj, None)
        self._emit(ADDED, resource, obj, None)
        return obj

    def replace(self, resource: str, obj: dict, *, bump_generation: bool = True, force_bump: bool = False) -> dict:
        """Store a new version of an existing object; server metadata carried over, rv bumped.

        generation increases when the spec part changed (registry strategies' PrepareForUpdate).
        Returns the old object unchanged when nothing differs (no rv bump, no event: a no-op write).
        """
        meta = obj["metadata"]
        ns = meta.get("namespace") or ""
        name = meta["name"]
        old = self._data[resource][ns][name]
        old_meta = old["metadata"]
        meta["uid"] = old_meta["uid"]
        meta["creationTimestamp"] = old_meta["creationTimestamp"]
        if "deletionTimestamp" in old_meta and "deletionTimestamp" not in meta:
            meta["deletionTimestamp"] = old_meta["deletionTimestamp"]
            if "deletionGracePeriodSeconds" in old_meta:
                meta["deletionGracePeriodSeconds"] = old_meta["deletionGracePeriodSeconds"]
        if resource in GENERATION_RESOURCES:
            gen = old_meta.get("generation", 1)
            if force_bump or (bump_generation and _spec_part(resource, obj) != _spec_part(resource, old)):
                gen += 1
            meta["generation"] = gen
        meta["resourceVersion"] = old_meta["resourceVersion"]
        if obj == old:
            return old
        meta["resourceVersion"] = self._next_rv()
        obj["metadata"] = ordered_meta(meta)
        self._data[resource][ns][name] = obj
        self._index_owners(resource, ns, name, obj, old)
        self._emit(MODIFIED, resource, obj, old)
        return obj

    def remove(self, resource: str, namespace: str | None, name: str) -> dict | None:
        ns = namespace or ""
        objs = self._data.get(resource, {}).get(ns)
        if not objs or name not in objs:
            return None
        old = objs.pop(name)
        if not objs:
            del self._data[resource][ns]
        self._by_uid.pop(old["metadata"].get("uid", ""), None)
        self._index_owners(resource, ns, name, None, old)
        # the DELETED event carries the final state with a fresh resourceVersion, as a watch would
        final = dict(old)
        final["metadata"] = dict(old["metadata"], resourceVersion=self._next_rv())
        self._emit(DELETED, resource, final, old)
        return final

    def _index_owners(self, resource: str, ns: str, name: str, new: dict | None, old: dict | None) -> None:
        key = (resource, ns, name)
        old_uids = {r.get("uid") for r in (old or {}).get("metadata", {}).get("ownerReferences") or []}
        new_uids = {r.get("uid") for r in (new or {}).get("metadata", {}).get("ownerReferences") or []}
        for uid in old_uids - new_uids:
            deps = self._by_owner.get(uid)
            if deps is not None:
                deps.discard(key)
                if not deps:
                    del self._by_owner[uid]
        for uid in new_uids - old_uids:
            self._by_owner.setdefault(uid, set()).add(key)

    # ---- dump --------------------------------------------------------------------------------
    def dump(self) -> dict[str, list[dict]]:
        """Every object by resource, sorted: two runs with the same seed and log dump identically."""
        return {res: self.list(res) for res in sorted(self._data)}
