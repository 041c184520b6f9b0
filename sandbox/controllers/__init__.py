"""Controllers: level-triggered reconcilers driven by work queues, run to a fixed point.

Plug-in interface (how to write a controller)
--------------------------------------------
Subclass :class:`Controller`, decorate it with :func:`register`, and put the module in
``CONTROLLER_MODULES`` below (the Cluster imports them in that order; a module that does not exist yet
is skipped)::

    @register
    class FooController(Controller):
        name = "foo-controller"              # events' source.component
        watches = ("pods", "services")        # resources whose store events reach on_event

        def on_event(self, event, resource, obj, old):   # "ADDED"|"MODIFIED"|"DELETED"; old None on ADDED
            self.enqueue(key_of(obj))         # cheap: map the change to the keys it affects

        def reconcile(self, key):             # level-triggered: read current state, converge, write
            ns, name = key
            svc = self.cluster.store.get("services", ns, name)
            ...

* Keys are any hashable (by convention ``(namespace, name)`` of the primary object). The queue
  de-duplicates and is FIFO. ``enqueue_after(key, delay)`` re-queues on the virtual clock (probes,
  grace periods, back-off); like client-go's AddAfter, a key already waiting keeps the earlier time
  (reconcile is level-triggered: re-arm what is still needed when it runs).
  ``self.cluster.clock.call_later(delay, fn)`` for arbitrary timers.
* After every API write and after every timer the Cluster drains all queues until none has work
  (``ControllerManager.settle``), controllers in registration order. Writes made while settling
  enqueue more work; they never recurse.
* Reads: ``self.cluster.store.get/list/iter/dependents(owner_uid)`` return the stored dicts: read-only,
  ``copy.deepcopy`` before changing.
* Writes that skip user validation (controllers own these fields):
  ``cluster.create_internal(obj, take=False)`` (defaults + allocation + store, honours generateName;
  ``take=True`` skips the defensive copy of a dict the caller just built),
  ``cluster.write_status(resource, obj)`` (replace only ``status`` of the stored object),
  ``cluster.write_object(resource, obj)`` (replace the whole object: labels, annotations, spec),
  ``cluster.delete(...)`` (the public verb: graceful pod deletion, finalizers, cascading),
  ``cluster.remove_now(resource, ns, name)`` (finish a deletion: the kubelet after the grace period),
  ``cluster.record_event(obj, type_, reason, message, component, field_path=..., host=...)`` (core/v1
  recorder: count/firstTimestamp/lastTimestamp aggregation, as the kubelet and controller-manager do),
  ``events.record_series_event(...)`` (events.k8s.io recorder: eventTime/action/series, the scheduler).
* ``Cluster.remove_now`` respects finalizers: the object stays (grace 0) until the last one is gone.
* Randomness only from ``self.cluster.rng``; time only from ``self.cluster.clock``.
"""

from __future__ import annotations

import importlib
from collections.abc import Hashable
from typing import TYPE_CHECKING

from sandbox.api.clock import Timer

if TYPE_CHECKING:
    from sandbox.cluster import Cluster

#: Import order = run order inside one settle round.
CONTROLLER_MODULES = (
    "sandbox.controllers.namespace",
    "sandbox.controllers.serviceaccount",
    "sandbox.controllers.gc",
    "sandbox.controllers.nodelifecycle",
    "sandbox.controllers.staticpods",
    "sandbox.controllers.deployment",
    "sandbox.controllers.replicaset",
    "sandbox.controllers.statefulset",
    "sandbox.controllers.daemonset",
    "sandbox.controllers.scheduler",
    "sandbox.controllers.kubelet",
    "sandbox.controllers.endpointslice",
    "sandbox.controllers.endpoints",
)

_REGISTRY: list[type[Controller]] = []


def register(cls: type[Controller]) -> type[Controller]:
    """Class decorator: make the controller part of every new Cluster."""
    if cls not in _REGISTRY:
        _REGISTRY.append(cls)
    return cls


def registered() -> list[type[Controller]]:
    """Import every controller module that exists (in CONTROLLER_MODULES order) and return the classes."""
    order: list[type[Controller]] = []
    for mod in CONTROLLER_MODULES:
        try:
            module = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name == mod:
                continue
            raise
        order.extend(c for c in _REGISTRY if c.__module__ == module.__name__ and c not in order)
    order.extend(c for c in _REGISTRY if c not in order)
    return order


class WorkQueue:
    """A de-duplicating FIFO of keys (client-go's workqueue without rate limiting)."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: dict[Hashable, None] = {}

    def add(self, key: Hashable) -> None:
        self._items[key] = None

    def pop(self) -> Hashable:
        key = next(iter(self._items))
        del self._items[key]
        return key

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)


def key_of(obj: dict) -> tuple[str, str]:
    meta = obj["metadata"]
    return (meta.get("namespace") or "", meta["name"])


class Controller:
    """Base class: see the module docstring for the contract."""

    name: str = ""
    watches: tuple[str, ...] = ()

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.queue = WorkQueue()
        self._waiting: dict[Hashable, Timer] = {}

    def on_event(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        """Default: enqueue the object's own key when it is of the first watched resource."""
        if self.watches and resource == self.watches[0]:
            self.enqueue(key_of(obj))

    def enqueue(self, key: Hashable) -> None:
        self.queue.add(key)

    def enqueue_after(self, key: Hashable, delay: float) -> Timer:
        """client-go's AddAfter: if the key is already waiting, the earlier ready time wins."""
        clock = self.cluster.clock
        due = clock.seconds + max(0.0, delay)
        waiting = self._waiting.get(key)
        if waiting is not None and not waiting.cancelled and clock.seconds <= waiting.due <= due:
            return waiting

        def fire() -> None:
            if self._waiting.get(key) is timer:
                del self._waiting[key]
            self.queue.add(key)

        timer = clock.call_at(due, fire)
        self._waiting[key] = timer
        return timer

    def reconcile(self, key: Hashable) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ControllerManager:
    """Owns the controllers, routes store deltas to them and drains their queues to a fixed point."""

    #: A reconcile storm beyond this many keys in one settle is a controller bug (two controllers
    #: fighting); stopping keeps the lab responsive instead of hanging.
    MAX_STEPS = 5_000_000

    def __init__(self, cluster: Cluster, classes: list[type[Controller]] | None = None) -> None:
        self.cluster = cluster
        self.controllers: list[Controller] = [cls(cluster) for cls in (classes if classes is not None
                                                                       else registered())]
        self._routes: dict[str, list[Controller]] = {}
        for c in self.controllers:
            for res in c.watches:
                self._routes.setdefault(res, []).append(c)
        self._settling = False
        cluster.store.watch_deltas(self._dispatch)

    def get(self, name: str) -> Controller | None:
        for c in self.controllers:
            if c.name == name or type(c).__name__ == name:
                return c
        return None

    def _dispatch(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        for c in self._routes.get(resource, ()):
            c.on_event(event, resource, obj, old)

    def pending(self) -> bool:
        return any(c.queue for c in self.controllers)

    def settle(self) -> None:
        """Run every queued key until all queues are empty (no recursion from nested writes)."""
        if self._settling:
            return
        self._settling = True
        try:
            steps = 0
            while True:
                progressed = False
                for c in self.controllers:
                    while c.queue:
                        c.reconcile(c.queue.pop())
                        progressed = True
                        steps += 1
                        if steps > self.MAX_STEPS:
                            raise RuntimeError(f"controllers did not converge ({c.name} still busy)")
                if not progressed:
                    return
        finally:
            self._settling = False
