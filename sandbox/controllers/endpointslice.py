"""EndpointSlice controller (pkg/controller/endpointslice + staging endpointslice reconciler).

For every Service with a selector (not ExternalName), the pods it selects become endpoints: address =
pod IP, conditions ``serving`` = pod Ready, ``terminating`` = deletionTimestamp set, ``ready`` =
publishNotReadyAddresses or (serving and not terminating); named targetPorts are resolved per pod, so
pods whose ports differ land in different slices, and a pod lacking the named port is left out of
that port's slice. Slices hold at most 100 endpoints, are named ``<svc>-<5 random>`` (generateName),
carry the Service's labels plus the managed-by and service-name labels and a controller
ownerReference. With nothing to publish, one placeholder slice (``ports``/``endpoints`` null) stays.

Incremental: label indexes map a pod to the Services whose selectors could match it and a Service
to its candidate pods, so a pod change reconciles only those Services; the cost does not grow with
the number of Services in the cluster.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from sandbox.api.clock import rfc3339
from sandbox.controllers import Controller, register
from sandbox.controllers.podutil import is_pod_ready

MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
SERVICE_NAME = "kubernetes.io/service-name"
HEADLESS = "service.kubernetes.io/headless"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
MAX_ENDPOINTS = 100


# ---------------------------------------------------------------------------- shared helpers

class SelectorIndex:
    """Inverted label indexes for one namespace-scoped matching problem: Services <-> pods.

    A Service is filed under one (key, value) pair of its selector (an empty selector under ``*``); a
    pod under every label it has. ``services_for(pod)`` and ``pods_for(svc)`` then look only at the
    buckets the other side's labels name.
    """

    def __init__(self) -> None:
        self.svc_bucket: dict[tuple[str, str, str], set[str]] = {}
        self.svc_key: dict[tuple[str, str], tuple[str, str, str]] = {}
        self.svc_selector: dict[tuple[str, str], dict[str, str]] = {}
        self.pod_bucket: dict[tuple[str, str, str], set[str]] = {}
        self.pod_labels: dict[tuple[str, str], dict[str, str]] = {}
        self.pods_in_ns: dict[str, set[str]] = {}

    # services
    def set_service(self, ns: str, name: str, selector: dict[str, str] | None) -> None:
        self.drop_service(ns, name)
        if selector is None:
            return
        if selector:
            k = min(selector)
            bucket = (ns, k, selector[k])
        else:
            bucket = (ns, "*", "")
        self.svc_bucket.setdefault(bucket, set()).add(name)
        self.svc_key[(ns, name)] = bucket
        self.svc_selector[(ns, name)] = dict(selector)

    def drop_service(self, ns: str, name: str) -> None:
        bucket = self.svc_key.pop((ns, name), None)
        self.svc_selector.pop((ns, name), None)
        if bucket is not None:
            names = self.svc_bucket.get(bucket)
            if names is not None:
                names.discard(name)
                if not names:
                    del self.svc_bucket[bucket]

    def services_for(self, ns: str, labels: dict[str, str] | None) -> set[str]:
        labels = labels or {}
        out: set[str] = set(self.svc_bucket.get((ns, "*", ""), ()))
        for k, v in labels.items():
            for name in self.svc_bucket.get((ns, k, v), ()):
                sel = self.svc_selector[(ns, name)]
                if all(labels.get(sk) == sv for sk, sv in sel.items()):
                    out.add(name)
        return out

    # pods
    def set_pod(self, ns: str, name: str, labels: dict[str, str] | None) -> None:
        old = self.pod_labels.get((ns, name))
        labels = dict(labels or {})
        if old == labels:
            return
        self.drop_pod(ns, name)
        self.pod_labels[(ns, name)] = labels
        self.pods_in_ns.setdefault(ns, set()).add(name)
        for k, v in labels.items():
            self.pod_bucket.setdefault((ns, k, v), set()).add(name)

    def drop_pod(self, ns: str, name: str) -> None:
        labels = self.pod_labels.pop((ns, name), None)
        if labels is None:
            return
        self.pods_in_ns.get(ns, set()).discard(name)
        for k, v in labels.items():
            names = self.pod_bucket.get((ns, k, v))
            if names is not None:
                names.discard(name)
                if not names:
                    del self.pod_bucket[(ns, k, v)]

    def pods_for(self, ns: str, selector: dict[str, str]) -> list[str]:
        if not selector:
            candidates: Iterable[str] = self.pods_in_ns.get(ns, ())
        else:
            buckets = [self.pod_bucket.get((ns, k, v), set()) for k, v in selector.items()]
            candidates = min(buckets, key=len)
        out = []
        for name in candidates:
            labels = self.pod_labels.get((ns, name), {})
            if all(labels.get(k) == v for k, v in selector.items()):
                out.append(name)
        return sorted(out)


def endpoint_fingerprint(pod: dict) -> tuple:
    """The pod fields endpoints depend on: a change elsewhere (restart counts, probe times) is ignored."""
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    return (tuple(sorted((meta.get("labels") or {}).items())), status.get("podIP"), is_pod_ready(pod),
            bool(meta.get("deletionTimestamp")), status.get("phase"), spec.get("nodeName"), spec.get("hostname"),
            spec.get("subdomain"), spec.get("restartPolicy"),
            tuple((p.get("name"), p.get("containerPort"), p.get("protocol")) for c in spec.get("containers") or ()
                  for p in c.get("ports") or () if p.get("name")))


def find_port(pod: dict, service_port: dict) -> int | None:
    """podutil.FindPort: a named targetPort is looked up in the pod's container ports (name + protocol)."""
    target = service_port.get("targetPort", service_port.get("port"))
    proto = service_port.get("protocol") or "TCP"
    if isinstance(target, str) and not target.isdigit():
        for c in (pod.get("spec") or {}).get("containers") or []:
            for p in c.get("ports") or []:
                if p.get("name") == target and (p.get("protocol") or "TCP") == proto:
                    return int(p["containerPort"])
        return None
    return int(target) if target is not None else None


def is_terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def has_ip(pod: dict) -> bool:
    status = pod.get("status") or {}
    return bool(status.get("podIP") or status.get("podIPs"))


def should_set_hostname(pod: dict, svc: dict) -> bool:
    spec = pod.get("spec") or {}
    return (bool(spec.get("hostname")) and spec.get("subdomain") == svc["metadata"]["name"]
            and pod["metadata"].get("namespace") == svc["metadata"].get("namespace"))


def service_selector(svc: dict) -> dict[str, str] | None:
    """The selector the endpoint controllers use; None = they leave this Service alone."""
    spec = svc.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return None
    sel = spec.get("selector")
    if sel is None:
        return None
    return dict(sel)


def is_headless(svc: dict) -> bool:
    ip = (svc.get("spec") or {}).get("clusterIP")
    return not ip or ip == "None"


# ---------------------------------------------------------------------------- the controller

class _PodDrivenController(Controller):
    """Shared watch plumbing of the EndpointSlice and Endpoints controllers."""

    watches = ("services", "pods")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.index = SelectorIndex()

    def on_event(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        meta = obj["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        if resource == "services":
            if event == "DELETED":
                self.index.drop_service(ns, name)
            else:
                self.index.set_service(ns, name, service_selector(obj))
            self.enqueue((ns, name))
            return
        if resource == "pods":
            if event == "MODIFIED" and old is not None and endpoint_fingerprint(obj) == endpoint_fingerprint(old):
                return
            affected = set()
            if old is not None:
                affected |= self.index.services_for(ns, old["metadata"].get("labels"))
            if event == "DELETED":
                self.index.drop_pod(ns, name)
            else:
                self.index.set_pod(ns, name, meta.get("labels"))
                affected |= self.index.services_for(ns, meta.get("labels"))
            for svc in affected:
                self.enqueue((ns, svc))
            return
        self.on_other(event, resource, obj, old)

    def on_other(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        pass

    def selected_pods(self, svc: dict) -> list[dict]:
        ns = svc["metadata"].get("namespace", "")
        sel = service_selector(svc)
        if sel is None:
            return []
        store = self.cluster.store
        out = []
        for name in self.index.pods_for(ns, sel):
            pod = store.get("pods", ns, name)
            if pod is not None:
                out.append(pod)
        return out


def _endpoint(pod: dict, svc: dict) -> dict:
    """podToEndpoint: one EndpointSlice endpoint, fields in the API's order."""
    serving = is_pod_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    ready = bool(svc["spec"].get("publishNotReadyAddresses")) or (serving and not terminating)
    status = pod.get("status") or {}
    ips = [i["ip"] for i in status.get("podIPs") or [] if ":" not in i.get("ip", "")] or [status.get("podIP")]
    ep: dict = {"addresses": ips[:1], "conditions": {"ready": ready, "serving": serving, "terminating": terminating}}
    if should_set_hostname(pod, svc):
        ep["hostname"] = pod["spec"]["hostname"]
    meta = pod["metadata"]
    ep["targetRef"] = {"kind": "Pod", "namespace": meta.get("namespace", ""), "name": meta["name"],
                       "uid": meta.get("uid", "")}
    if pod["spec"].get("nodeName"):
        ep["nodeName"] = pod["spec"]["nodeName"]
    return ep


def _ports_for(pod: dict, svc: dict) -> tuple:
    out = []
    for sp in svc["spec"].get("ports") or []:
        num = find_port(pod, sp)
        if num is None:
            continue
        port: dict = {"name": sp.get("name", ""), "protocol": sp.get("protocol") or "TCP", "port": num}
        if sp.get("appProtocol"):
            port["appProtocol"] = sp["appProtocol"]
        out.append(tuple(port.items()))
    return tuple(out)


@register
class EndpointSliceController(_PodDrivenController):
    name = "endpointslice-controller"
    watches = ("services", "pods", "endpointslices")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.slice_names: dict[tuple[str, str], set[str]] = {}     # (ns, service) -> managed slice names

    def on_other(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        meta = obj["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        for version, gone in ((old, True), (obj, event == "DELETED")):
            if version is None:
                continue
            labels = version["metadata"].get("labels") or {}
            if labels.get(MANAGED_BY) != CONTROLLER_NAME or not labels.get(SERVICE_NAME):
                continue
            key = (ns, labels[SERVICE_NAME])
            names = self.slice_names.setdefault(key, set())
            if gone:
                names.discard(name)
                if not names:
                    del self.slice_names[key]
            else:
                names.add(name)
            # converge back whatever someone else did to our slices (our own writes settle at once)
            self.enqueue(key)

    def slices_of(self, ns: str, svc_name: str) -> list[dict]:
        store = self.cluster.store
        out = []
        for name in sorted(self.slice_names.get((ns, svc_name), ())):
            s = store.get("endpointslices", ns, name)
            if s is not None:
                out.append(s)
        return out

    def reconcile(self, key) -> None:
        ns, name = key
        cluster = self.cluster
        svc = cluster.store.get("services", ns, name)
        existing = self._slices_by_service(ns, name)
        if svc is None:
            # (the garbage collector would remove them through their ownerReference)
            for s in existing:
                cluster.remove_now("endpointslices", ns, s["metadata"]["name"])
            return
        if service_selector(svc) is None:
            return      # selector removed: the controller stops managing; what it wrote stays (syncService)
        # desired endpoints grouped by resolved ports
        groups: dict[tuple, list[dict]] = {}
        for pod in self.selected_pods(svc):
            if is_terminal(pod) or not has_ip(pod):
                continue
            ports = _ports_for(pod, svc)
            if svc["spec"].get("ports") and not ports:
                continue
            groups.setdefault(ports, []).append(_endpoint(pod, svc))
        labels = self._labels(svc)
        owner = {"apiVersion": "v1", "kind": "Service", "name": name, "uid": svc["metadata"]["uid"],
                 "controller": True, "blockOwnerDeletion": True}
        existing_by_ports: dict[tuple, list[dict]] = {}
        placeholders: list[dict] = []
        for s in existing:
            if s.get("endpoints") is None and s.get("ports") is None:
                placeholders.append(s)
                continue
            key_ports = tuple(tuple(self._port_items(p)) for p in s.get("ports") or [])
            existing_by_ports.setdefault(key_ports, []).append(s)
        desired: list[tuple[dict | None, dict]] = []   # (existing slice or None, desired body)
        for ports, eps in sorted(groups.items()):
            by_uid = {e["targetRef"]["uid"]: e for e in eps}
            slices = existing_by_ports.pop(ports, [])
            remaining = dict(by_uid)
            bodies: list[tuple[dict | None, list[dict]]] = []
            for s in slices:
                kept = []
                for e in s.get("endpoints") or []:
                    uid = (e.get("targetRef") or {}).get("uid")
                    if uid in remaining:
                        kept.append(remaining.pop(uid))
                bodies.append((s, kept))
            new_eps = [e for e in eps if e["targetRef"]["uid"] in remaining]
            for i, (s, kept) in enumerate(bodies):
                room = MAX_ENDPOINTS - len(kept)
                if room > 0 and new_eps:
                    kept.extend(new_eps[:room])
                    new_eps = new_eps[room:]
                bodies[i] = (s, kept)
            while new_eps:
                bodies.append((None, new_eps[:MAX_ENDPOINTS]))
                new_eps = new_eps[MAX_ENDPOINTS:]
            for s, kept in bodies:
                if kept:
                    desired.append((s, self._body(svc, labels, owner, [dict(p) for p in ports], kept)))
                elif s is not None:
                    existing_by_ports.setdefault((), []).append(s)   # emptied: delete below
        stale = [s for group in existing_by_ports.values() for s in group]
        if not desired:
            keep = placeholders[:1] or stale[:1]
            body = self._body(svc, labels, owner, None, None)
            desired = [(keep[0] if keep else None, body)]
            stale = [s for s in stale + placeholders if not keep or s is not keep[0]]
        else:
            # the placeholder is recycled as the first new slice (as the reconciler does)
            for i, (s, body) in enumerate(desired):
                if s is None and placeholders:
                    desired[i] = (placeholders.pop(0), body)
            stale += placeholders
        now = rfc3339(cluster.clock.now)
        for s in stale:
            cluster.remove_now("endpointslices", ns, s["metadata"]["name"])
        for s, body in desired:
            if s is None:
                body["metadata"]["annotations"] = {TRIGGER_TIME: now}
                cluster.create_internal(body)
                continue
            if self._same(s, body):
                continue
            new = copy.deepcopy(s)
            new["metadata"]["labels"] = body["metadata"]["labels"]
            new["metadata"]["ownerReferences"] = body["metadata"]["ownerReferences"]
            new["metadata"].setdefault("annotations", {})[TRIGGER_TIME] = now
            new["endpoints"] = body["endpoints"]
            new["ports"] = body["ports"]
            cluster.write_object("endpointslices", new)

    def _slices_by_service(self, ns: str, name: str) -> list[dict]:
        return self.slices_of(ns, name)

    @staticmethod
    def _port_items(p: dict) -> list[tuple[str, object]]:
        out = [("name", p.get("name", "")), ("protocol", p.get("protocol") or "TCP"), ("port", p.get("port"))]
        if p.get("appProtocol"):
            out.append(("appProtocol", p["appProtocol"]))
        return out

    @staticmethod
    def _labels(svc: dict) -> dict[str, str]:
        labels = dict(svc["metadata"].get("labels") or {})
        labels[SERVICE_NAME] = svc["metadata"]["name"]
        labels[MANAGED_BY] = CONTROLLER_NAME
        if is_headless(svc):
            labels[HEADLESS] = ""
        else:
            labels.pop(HEADLESS, None)
        return labels

    @staticmethod
    def _body(svc: dict, labels: dict, owner: dict, ports: list[dict] | None, eps: list[dict] | None) -> dict:
        meta = svc["metadata"]
        return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"generateName": f"{meta['name']}-", "namespace": meta.get("namespace", ""),
                             "labels": dict(labels), "ownerReferences": [dict(owner)]},
                "addressType": "IPv4", "endpoints": eps or None, "ports": ports or None}

    @staticmethod
    def _same(current: dict, body: dict) -> bool:
        return (current.get("endpoints") == body["endpoints"] and current.get("ports") == body["ports"]
                and (current["metadata"].get("labels") or {}) == body["metadata"]["labels"]
                and current["metadata"].get("ownerReferences") == body["metadata"]["ownerReferences"])


# ---------------------------------------------------------------------------- EndpointSlice mirroring

MIRROR_CONTROLLER = "endpointslicemirroring-controller.k8s.io"
SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror"
#: Endpoints annotations the mirroring controller does not copy onto its slices.
_NOT_MIRRORED = frozenset({TRIGGER_TIME, "kubectl.kubernetes.io/last-applied-configuration",
                           "control-plane.alpha.kubernetes.io/leader"})


@register
class EndpointSliceMirroringController(Controller):
    """pkg/controller/endpointslicemirroring: user-managed Endpoints of a selector-less Service are
    mirrored into EndpointSlices, so kube-proxy (which reads only slices) routes to them."""

    name = "endpointslicemirroring-controller"
    watches = ("endpoints", "services", "endpointslices")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.slice_names: dict[tuple[str, str], set[str]] = {}

    def on_event(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        meta = obj["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        if resource != "endpointslices":
            self.enqueue((ns, name))
            return
        for version, gone in ((old, True), (obj, event == "DELETED")):
            if version is None:
                continue
            labels = version["metadata"].get("labels") or {}
            if labels.get(MANAGED_BY) != MIRROR_CONTROLLER or not labels.get(SERVICE_NAME):
                continue
            skey = (ns, labels[SERVICE_NAME])
            names = self.slice_names.setdefault(skey, set())
            if gone:
                names.discard(name)
                if not names:
                    del self.slice_names[skey]
            else:
                names.add(name)
            self.enqueue((ns, labels[SERVICE_NAME]))

    def _wanted(self, ep: dict | None, svc: dict | None) -> bool:
        if ep is None or svc is None:
            return False
        labels = ep["metadata"].get("labels") or {}
        if labels.get(SKIP_MIRROR) == "true" or labels.get("endpoints.kubernetes.io/managed-by") == "endpoint-controller":
            return False
        return (svc.get("spec") or {}).get("selector") is None

    def reconcile(self, key) -> None:
        ns, name = key
        store = self.cluster.store
        ep = store.get("endpoints", ns, name)
        svc = store.get("services", ns, name)
        existing = [s for n in sorted(self.slice_names.get(key, ())) if (s := store.get("endpointslices", ns, n))]
        if not self._wanted(ep, svc):
            for s in existing:
                self.cluster.remove_now("endpointslices", ns, s["metadata"]["name"])
            return
        labels = {k: v for k, v in (ep["metadata"].get("labels") or {}).items()}
        labels[SERVICE_NAME] = name
        labels[MANAGED_BY] = MIRROR_CONTROLLER
        annotations = {k: v for k, v in (ep["metadata"].get("annotations") or {}).items() if k not in _NOT_MIRRORED}
        owner = {"apiVersion": "v1", "kind": "Endpoints", "name": name, "uid": ep["metadata"]["uid"],
                 "controller": True, "blockOwnerDeletion": True}
        bodies = []
        for subset in ep.get("subsets") or []:
            ports = [{k: p[k] for k in ("name", "protocol", "port", "appProtocol") if k in p}
                     for p in subset.get("ports") or []]
            for p in ports:
                p.setdefault("name", "")
                p.setdefault("protocol", "TCP")
            eps = []
            for field, ready in (("addresses", True), ("notReadyAddresses", False)):
                for a in subset.get(field) or []:
                    e: dict = {"addresses": [a.get("ip", "")], "conditions": {"ready": ready}}
                    if a.get("hostname"):
                        e["hostname"] = a["hostname"]
                    if a.get("targetRef"):
                        e["targetRef"] = dict(a["targetRef"])
                    if a.get("nodeName"):
                        e["nodeName"] = a["nodeName"]
                    eps.append(e)
            if eps:
                bodies.append((ports or None, eps[:1000]))
        reuse = list(existing)
        for ports, eps in bodies:
            body = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                    "metadata": {"generateName": f"{name}-", "namespace": ns, "labels": labels,
                                 "ownerReferences": [owner]},
                    "addressType": "IPv4", "endpoints": eps, "ports": ports}
            if annotations:
                body["metadata"]["annotations"] = dict(annotations)
            current = next((s for s in reuse if s.get("ports") == ports), None) or (reuse[0] if reuse else None)
            if current is None:
                self.cluster.create_internal(body)
                continue
            reuse.remove(current)
            if (current.get("endpoints") == eps and current.get("ports") == ports
                    and current["metadata"].get("labels") == labels):
                continue
            new = copy.deepcopy(current)
            new["metadata"]["labels"] = labels
            if annotations:
                new["metadata"]["annotations"] = dict(annotations)
            else:
                new["metadata"].pop("annotations", None)
            new["metadata"]["ownerReferences"] = [owner]
            new["endpoints"], new["ports"] = eps, ports
            self.cluster.write_object("endpointslices", new)
        for s in reuse:
            self.cluster.remove_now("endpointslices", ns, s["metadata"]["name"])
