"""The simulated apiserver + controller manager: API verbs with the apiserver's admission order.

create: decode -> namespace exists/not terminating -> AlreadyExists -> defaults -> validation ->
allocation -> store. An invalid write changes nothing (allocations are taken only after validation
and are released again if storing fails). Controllers run to a fixed point after every write and every
timer (sandbox.controllers.ControllerManager).
"""

from __future__ import annotations

import copy
import importlib
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from sandbox.api import errors
from sandbox.api.clock import EPOCH, Clock, rfc3339
from sandbox.api.rand import generate_name
from sandbox.api.resources import ResourceType, by_kind, by_plural
from sandbox.api.store import Store

DEFAULT_NODES = ("controlplane", "node01", "node02")
#: Resources whose registry strategy clears a client-sent status on create.
_STATUS_RESET_ON_CREATE = frozenset({"deployments", "replicasets", "statefulsets", "daemonsets", "services"})
#: NamespaceLifecycle admission refuses to delete these.
IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})

ENDPOINTS_WARNING = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"


class NodeInfo(BaseModel):
    """What the network layer needs to know about a node beyond its API object."""

    name: str
    ip: str
    pod_cidr: str
    role: str  # "control-plane" | "worker"


def _optional(module: str, attr: str) -> Callable | None:
    """The api developer's functions, used as soon as their module exists (never a local copy)."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise
    return getattr(mod, attr, None)


def _rt(resource: str) -> ResourceType:
    """The registry entry of a plural name; an unknown one is the apiserver's 404."""
    try:
        return by_plural(resource)
    except KeyError:
        raise errors.ApiError("NotFound", "the server could not find the requested resource", 404) from None


def _resource_of(obj: Any) -> ResourceType:
    if not isinstance(obj, dict):
        raise errors.bad_request("the object provided is not a JSON object")
    api_version = obj.get("apiVersion") or ""
    kind = obj.get("kind") or ""
    if not kind:
        raise errors.bad_request("Object 'Kind' is missing in the request body")
    rt = by_kind(api_version, kind)
    if rt is None:
        raise errors.ApiError("NotFound", "the server could not find the requested resource", 404)
    return rt


class Cluster:
    """One simulated kubeadm-style cluster (CONTRACTS.md §3)."""

    def __init__(self, *, seed: int = 0, nodes: list[str] | None = None, ipvs_scheduler: str = "rr",
                 start: datetime = EPOCH, bootstrap: bool = True, controllers: list[type] | None = None) -> None:
        """``controllers``: the controller classes to run (default: every registered one); tests use it to
        swap in a stand-in kubelet. ``bootstrap=False`` gives an empty cluster (no nodes, no namespaces)."""
        from sandbox.controllers import ControllerManager
        from sandbox.controllers.allocators import ClusterIPAllocator, NodePortAllocator

        self.seed = seed
        self.clock = Clock(start)
        self.rng = random.Random(seed)
        self.store = Store(self.clock, self.rng)
        self.ipvs_scheduler = ipvs_scheduler
        self.node_names = list(nodes) if nodes else list(DEFAULT_NODES)
        self.nodes_info: dict[str, NodeInfo] = {}
        self.cluster_ips = ClusterIPAllocator(self.rng)
        self.node_ports = NodePortAllocator(self.rng)
        self.store.watch_deltas(self._track_allocations)
        self._decode = _optional("sandbox.api.decode", "decode")
        self._defaults = _optional("sandbox.api.defaults", "apply_defaults")
        self._validate = _optional("sandbox.api.validation", "validate")
        self.controllers = ControllerManager(self, controllers)
        self.network: Any = None
        self.runtime: Any = None
        if bootstrap:
            from sandbox.bootstrap import bootstrap as run_bootstrap
            run_bootstrap(self)
        attach = _optional("sandbox.network", "attach")
        if attach is not None:
            attach(self)

    # ------------------------------------------------------------------ reads
    def get(self, resource: str, namespace: str | None, name: str) -> dict:
        rt = _rt(resource)
        obj = self.store.get(resource, namespace if rt.namespaced else None, name)
        if obj is None:
            raise errors.not_found(rt.qualified, name)
        return obj

    def list(self, resource: str, namespace: str | None = None, *, label_selector: str | None = None,
             field_selector: str | None = None) -> list[dict]:
        from sandbox.api.selectors import parse_field_selector, parse_selector

        rt = _rt(resource)
        lsel = parse_selector(label_selector) if label_selector else None
        fsel = parse_field_selector(field_selector, resource) if field_selector else None
        objs = self.store.list(resource, namespace if rt.namespaced else None)
        if lsel is not None and not lsel.empty():
            objs = [o for o in objs if lsel.matches(o["metadata"].get("labels") or {})]
        if fsel is not None:
            objs = [o for o in objs if fsel.matches(o)]
        return objs

    def warnings(self, resource: str) -> list[str]:
        return [ENDPOINTS_WARNING] if resource == "endpoints" else []

    # ------------------------------------------------------------------ admission helpers
    def _check_namespace(self, rt: ResourceType, obj: dict) -> None:
        meta = obj["metadata"]
        if not rt.namespaced:
            meta.pop("namespace", None)
            return
        ns = meta.get("namespace") or "default"
        meta["namespace"] = ns
        ns_obj = self.store.get("namespaces", None, ns)
        if ns_obj is None:
            raise errors.not_found("namespaces", ns)
        if ns_obj.get("status", {}).get("phase") == "Terminating":
            raise errors.ApiError(
                "Forbidden", f"{rt.plural} \"{meta.get('name', '')}\" is forbidden: unable to create new content in "
                f"namespace {ns} because it is being terminated", 403, kind=rt.plural, name=meta.get("name", ""),
                group=rt.group)

    def _default(self, obj: dict) -> None:
        if self._defaults is not None:
            self._defaults(obj)

    def _validate_obj(self, rt: ResourceType, obj: dict, old: dict | None) -> None:
        if self._validate is None:
            if not obj["metadata"].get("name"):
                raise errors.invalid_object(rt.kind, rt.group, "", [errors.required(
                    "metadata.name", "name or generateName is required")])
            return
        causes = self._validate(obj, old)
        if causes:
            raise errors.invalid_object(rt.kind, rt.group, obj["metadata"].get("name", ""), causes)

    # ------------------------------------------------------------------ create
    def create(self, obj: dict, *, dry_run: bool = False) -> dict:
        rt = _resource_of(obj)
        obj = self._decode(copy.deepcopy(obj)) if self._decode else copy.deepcopy(obj)
        obj.setdefault("metadata", {})
        if obj["metadata"] is None:
            obj["metadata"] = {}
        self._check_namespace(rt, obj)
        if rt.plural in _STATUS_RESET_ON_CREATE:
            # PrepareForCreate: status is the server's, whatever the client sent (a Service's zero status
            # still serialises its non-omitempty loadBalancer struct)
            obj["status"] = {"loadBalancer": {}} if rt.plural == "services" else {}
        return self._admit_create(rt, obj, dry_run=dry_run, validate=True)

    def create_internal(self, obj: dict, *, take: bool = False) -> dict:
        """Controllers' create: defaults and allocation, no user validation (CONTRACTS.md §3).

        ``take=True``: the caller hands over a freshly built dict it will not touch again (no copy).
        """
        rt = _resource_of(obj)
        if not take:
            obj = copy.deepcopy(obj)
        meta = obj.setdefault("metadata", {})
        if rt.namespaced:
            meta.setdefault("namespace", "default")
        else:
            meta.pop("namespace", None)
        return self._admit_create(rt, obj, dry_run=False, validate=False)

    def _admit_create(self, rt: ResourceType, obj: dict, *, dry_run: bool, validate: bool) -> dict:
        meta = obj["metadata"]
        for key in ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                    "deletionGracePeriodSeconds", "generation"):
            meta.pop(key, None)
        ns = meta.get("namespace")
        if not meta.get("name") and meta.get("generateName"):
            for _ in range(8):
                meta["name"] = generate_name(self.rng, meta["generateName"])
                if self.store.get(rt.plural, ns, meta["name"]) is None:
                    break
        name = meta.get("name")
        if name and self.store.get(rt.plural, ns, name) is not None:
            raise errors.already_exists(rt.qualified, name)
        self._default(obj)
        if rt.plural == "services":
            # the Service REST's beginCreate allocates before the strategy validates (a LoadBalancer
            # with externalTrafficPolicy Local needs its healthCheckNodePort to be valid); nothing is
            # reserved until the object is stored, so a rejected create leaks nothing
            self._allocate_service(obj, None, dry_run=dry_run)
        if validate:
            self._validate_obj(rt, obj, None)
        elif not name:
            raise errors.invalid_object(rt.kind, rt.group, "", [errors.required(
                "metadata.name", "name or generateName is required")])
        if rt.plural == "namespaces":
            obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
            obj.setdefault("status", {})["phase"] = "Active"
        elif rt.plural == "pods":
            self._prepare_pod(obj)
        if dry_run:
            meta.setdefault("creationTimestamp", rfc3339(self.clock.now))
            meta.setdefault("uid", self.store.new_uid())
            return obj
        stored = self.store.add(rt.plural, obj)
        self.settle()
        return stored

    @staticmethod
    def _prepare_pod(obj: dict) -> None:
        """Pod strategy PrepareForCreate: a new pod is Pending with its QoS class, whatever status was sent."""
        from sandbox.controllers.podutil import qos_class

        obj["status"] = {"phase": "Pending", "qosClass": qos_class(obj.get("spec") or {})}

    # ------------------------------------------------------------------ update / patch
    def update(self, obj: dict, *, dry_run: bool = False) -> dict:
        """PUT: replace spec/metadata; status is kept (status is a subresource)."""
        rt = _resource_of(obj)
        obj = self._decode(copy.deepcopy(obj)) if self._decode else copy.deepcopy(obj)
        meta = obj.setdefault("metadata", {})
        if rt.namespaced:
            meta["namespace"] = meta.get("namespace") or "default"
        else:
            meta.pop("namespace", None)
        name = meta.get("name") or ""
        old = self.store.get(rt.plural, meta.get("namespace"), name)
        if old is None:
            raise errors.not_found(rt.qualified, name)
        return self._admit_update(rt, obj, old, dry_run=dry_run)

    def _admit_update(self, rt: ResourceType, obj: dict, old: dict, *, dry_run: bool) -> dict:
        meta = obj["metadata"]
        name = meta["name"]
        rv = meta.get("resourceVersion")
        if rv and rv != old["metadata"]["resourceVersion"]:
            raise errors.conflict(rt.qualified, name, "the object has been modified; please apply your changes "
                                                      "to the latest version and try again")
        old_meta = old["metadata"]
        for key in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                    "generateName"):
            if key in old_meta:
                meta[key] = old_meta[key]
            elif key != "generateName":
                meta.pop(key, None)
        if "status" in old:
            obj["status"] = copy.deepcopy(old["status"])
        else:
            obj.pop("status", None)
        if rt.plural == "services":
            self._carry_service_allocations(obj, old)
        self._default(obj)
        self._validate_obj(rt, obj, old)
        if rt.plural == "services":
            self._allocate_service(obj, old, dry_run=dry_run)
        if dry_run:
            return obj
        stored = self.store.replace(rt.plural, obj)
        self._maybe_finish_deletion(rt.plural, stored)
        self.settle()
        return stored

    def patch(self, resource: str, namespace: str | None, name: str, patch: dict | list,
              patch_type: str = "strategic", *, dry_run: bool = False) -> dict:
        from sandbox.api.patch import apply_patch

        rt = _rt(resource)
        old = self.get(resource, namespace, name)
        merged = apply_patch(copy.deepcopy(old), patch, patch_type, kind=rt.kind)
        if not isinstance(merged, dict):
            raise errors.bad_request("the object provided is not a JSON object")
        merged["apiVersion"] = merged.get("apiVersion") or rt.api_version
        merged["kind"] = merged.get("kind") or rt.kind
        obj = self._decode(merged) if self._decode else merged
        meta = obj.setdefault("metadata", {})
        if meta.get("name") != name:
            raise errors.bad_request(f'the name of the object ({meta.get("name")}) does not match the name on the '
                                     f'URL ({name})')
        if rt.namespaced:
            meta["namespace"] = old["metadata"]["namespace"]
        status = obj.get("status")
        result = self._admit_update(rt, obj, old, dry_run=dry_run)
        _ = status
        return result

    # ------------------------------------------------------------------ controller writes
    def write_status(self, resource: str, obj: dict) -> dict:
        """Replace the stored object's status (controllers / kubelet); no validation, no generation bump."""
        meta = obj["metadata"]
        current = self.store.get(resource, meta.get("namespace"), meta["name"])
        if current is None:
            raise errors.not_found(_rt(resource).qualified, meta["name"])
        new = dict(current)
        new["metadata"] = dict(current["metadata"])
        if "status" in obj:
            new["status"] = obj["status"]
        else:
            new.pop("status", None)
        stored = self.store.replace(resource, new, bump_generation=False)
        self.settle()
        return stored

    _write_status = write_status

    def write_object(self, resource: str, obj: dict, *, bump_generation: bool = True) -> dict:
        """Replace a whole object as a controller (labels, annotations, ownerReferences, spec, status)."""
        meta = obj["metadata"]
        if self.store.get(resource, meta.get("namespace"), meta["name"]) is None:
            raise errors.not_found(_rt(resource).qualified, meta["name"])
        stored = self.store.replace(resource, obj, bump_generation=bump_generation)
        self._maybe_finish_deletion(resource, stored)
        self.settle()
        return stored

    # ------------------------------------------------------------------ delete
    def delete(self, resource: str, namespace: str | None, name: str, *, grace_period: int | None = None,
               dry_run: bool = False, propagation_policy: str | None = None) -> dict:
        """DELETE with the apiserver's graceful and finalizer semantics.

        propagation_policy: "Background" (default), "Foreground" or "Orphan" (kubectl --cascade).
        """
        rt = _rt(resource)
        ns = namespace if rt.namespaced else None
        obj = self.store.get(resource, ns, name)
        if obj is None:
            raise errors.not_found(rt.qualified, name)
        policy = propagation_policy or "Background"
        meta = obj["metadata"]
        if dry_run:
            if resource == "namespaces" and name in IMMORTAL_NAMESPACES:
                raise errors.ApiError("Forbidden", f'namespaces "{name}" is forbidden: this namespace may not be '
                                      "deleted", 403, kind="namespaces", name=name)
            return obj
        if resource == "namespaces":
            if name in IMMORTAL_NAMESPACES:
                raise errors.ApiError("Forbidden", f'namespaces "{name}" is forbidden: this namespace may not be '
                                      "deleted", 403, kind="namespaces", name=name)
            return self._delete_namespace(obj)
        finalizers = list(meta.get("finalizers") or [])
        if policy == "Foreground" and "foregroundDeletion" not in finalizers:
            finalizers.append("foregroundDeletion")
        elif policy == "Orphan" and "orphan" not in finalizers:
            finalizers.append("orphan")
        grace = self._grace_for(resource, obj, grace_period)
        if meta.get("deletionTimestamp"):
            # already terminating: a shorter grace period may still be applied (force delete)
            if grace == 0 and resource == "pods" and not finalizers:
                final = self.remove_now(resource, ns, name)
                return final or obj
            return obj
        if not finalizers and (grace == 0 or resource != "pods"):
            final = self.remove_now(resource, ns, name)
            return final or obj
        new = copy.deepcopy(obj)
        new_meta = new["metadata"]
        new_meta["deletionTimestamp"] = rfc3339(self.clock.now + timedelta(seconds=grace))
        new_meta["deletionGracePeriodSeconds"] = grace
        if finalizers:
            new_meta["finalizers"] = finalizers
        # KEP-5067: requesting a graceful deletion is a generation change of the pod
        stored = self.store.replace(resource, new, bump_generation=False, force_bump=resource == "pods")
        self.settle()
        return stored

    def _grace_for(self, resource: str, obj: dict, grace_period: int | None) -> int:
        """Pods: the requested or spec grace period; unscheduled or finished pods go at once."""
        if resource != "pods":
            return 0
        if grace_period is not None and grace_period >= 0:
            grace = grace_period
        else:
            grace = (obj.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
            if grace is None:
                grace = 30
        if not (obj.get("spec") or {}).get("nodeName"):
            return 0
        if (obj.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return 0
        return int(grace)

    def _delete_namespace(self, obj: dict) -> dict:
        if obj.get("status", {}).get("phase") == "Terminating":
            return obj
        new = copy.deepcopy(obj)
        new["metadata"]["deletionTimestamp"] = rfc3339(self.clock.now)
        new["metadata"]["deletionGracePeriodSeconds"] = 0
        new.setdefault("status", {})["phase"] = "Terminating"
        stored = self.store.replace("namespaces", new, bump_generation=False)
        self.settle()
        return stored

    def remove_now(self, resource: str, namespace: str | None, name: str) -> dict | None:
        """Remove an object from the store at once (end of a graceful deletion, force delete).

        An object that still has finalizers stays, marked with a zero grace period, until the last
        finalizer is removed (the apiserver never deletes past a finalizer). Returns None then.
        """
        current = self.store.get(resource, namespace, name)
        if current is not None and current["metadata"].get("finalizers"):
            meta = current["metadata"]
            if meta.get("deletionGracePeriodSeconds") != 0 or not meta.get("deletionTimestamp"):
                new = dict(current)
                new["metadata"] = dict(meta, deletionGracePeriodSeconds=0,
                                       deletionTimestamp=meta.get("deletionTimestamp") or rfc3339(self.clock.now))
                self.store.replace(resource, new, bump_generation=False)
                self.settle()
            return None
        final = self.store.remove(resource, namespace, name)
        self.settle()
        return final

    def _maybe_finish_deletion(self, resource: str, obj: dict) -> None:
        """A terminating object whose last finalizer was removed is gone (a pod once its kubelet is done)."""
        meta = obj["metadata"]
        if not meta.get("deletionTimestamp") or meta.get("finalizers") or resource == "namespaces":
            return
        if resource == "pods" and meta.get("deletionGracePeriodSeconds") != 0:
            return
        self.store.remove(resource, meta.get("namespace"), meta["name"])

    # ------------------------------------------------------------------ services: allocation
    def _carry_service_allocations(self, obj: dict, old: dict) -> None:
        """Service REST update: patchAllocatedValues, normalizeClusterIPs and dropTypeDependentFields.

        An omitted clusterIP / nodePort keeps the allocated one; a changed clusterIP with untouched
        clusterIPs moves clusterIPs[0] along (so validation reports the immutability, not a mismatch);
        switching to a type that does not use them drops nodePorts / clusterIPs the user did not set.
        """
        spec = obj.get("spec")
        old_spec = old.get("spec") or {}
        if not isinstance(spec, dict):
            return
        new_type = spec.get("type") or "ClusterIP"
        old_type = old_spec.get("type") or "ClusterIP"
        if new_type == "ExternalName" and old_type != "ExternalName":
            if spec.get("clusterIP") == old_spec.get("clusterIP"):
                spec.pop("clusterIP", None)
            if spec.get("clusterIPs") == old_spec.get("clusterIPs"):
                spec.pop("clusterIPs", None)
            for key in ("ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"):
                if spec.get(key) == old_spec.get(key):
                    spec.pop(key, None)
        if new_type in ("ClusterIP", "ExternalName") and old_type in ("NodePort", "LoadBalancer"):
            old_np = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort")
                      for p in old_spec.get("ports") or [] if isinstance(p, dict)}
            for p in spec.get("ports") or []:
                if isinstance(p, dict) and p.get("nodePort") and \
                        p["nodePort"] == old_np.get((p.get("port"), p.get("protocol", "TCP"))):
                    del p["nodePort"]
            if spec.get("externalTrafficPolicy") == old_spec.get("externalTrafficPolicy"):
                spec.pop("externalTrafficPolicy", None)
        if spec.get("clusterIP") and old_spec.get("clusterIP") and spec["clusterIP"] != old_spec["clusterIP"] \
                and spec.get("clusterIPs") == old_spec.get("clusterIPs") and spec.get("clusterIPs"):
            spec["clusterIPs"] = [spec["clusterIP"], *spec["clusterIPs"][1:]]
        if not spec.get("clusterIP") and old_spec.get("clusterIP") and spec.get("type", "ClusterIP") != "ExternalName":
            spec["clusterIP"] = old_spec["clusterIP"]
            if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
                spec["clusterIPs"] = list(old_spec["clusterIPs"])
        old_ports = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort")
                     for p in old_spec.get("ports") or [] if p.get("nodePort")}
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            for p in spec.get("ports") or []:
                if isinstance(p, dict) and not p.get("nodePort"):
                    np = old_ports.get((p.get("port"), p.get("protocol", "TCP")))
                    if np:
                        p["nodePort"] = np

    def _allocate_service(self, obj: dict, old: dict | None, *, dry_run: bool) -> None:
        from sandbox.controllers.allocators import allocate_service

        allocate_service(self, obj, old, dry_run=dry_run)

    def _track_allocations(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        """Release a Service's ClusterIP and nodePorts when it is gone (or when an update dropped them)."""
        if resource != "services":
            return
        from sandbox.controllers.allocators import service_allocations

        new_ips, new_ports = service_allocations(obj) if event != "DELETED" else (set(), set())
        old_ips, old_ports = service_allocations(old) if old is not None else (set(), set())
        for ip in old_ips - new_ips:
            self.cluster_ips.release(ip)
        for port in old_ports - new_ports:
            self.node_ports.release(port)
        for ip in new_ips - old_ips:
            self.cluster_ips.mark(ip)
        for port in new_ports - old_ports:
            self.node_ports.mark(port)

    # ------------------------------------------------------------------ time
    def settle(self) -> None:
        """Run controllers to a fixed point."""
        self.controllers.settle()

    def tick(self, seconds: float) -> None:
        self.settle()
        self.clock.advance(seconds, after_each=self.settle)
        self.settle()

    def advance_until(self, predicate: Callable[[], bool], timeout: float, step: float = 1.0) -> bool:
        """Tick in ``step`` increments until ``predicate()`` holds or ``timeout`` seconds passed."""
        self.settle()
        if predicate():
            return True
        waited = 0.0
        while waited < timeout:
            delta = min(step, timeout - waited)
            self.tick(delta)
            waited += delta
            if predicate():
                return True
        return False

    # ------------------------------------------------------------------ hooks
    def subscribe(self, fn: Callable[[str, str, dict], None]) -> None:
        self.store.watch(fn)

    def record_event(self, obj: dict, type_: str, reason: str, message: str, component: str,
                     field_path: str = "", host: str = "") -> dict | None:
        from sandbox.controllers.events import record_event

        return record_event(self, obj, type_, reason, message, component, field_path=field_path, host=host)

    def dump(self) -> dict[str, list[dict]]:
        return self.store.dump()
