"""Endpoints controller (pkg/controller/endpoint): the legacy v1 Endpoints object of each Service.

Same pod selection as the EndpointSlice controller, but the legacy shape: ``subsets`` grouped by
identical port sets (endpoints.RepackSubsets), ``addresses`` for ready pods (or all with
publishNotReadyAddresses) and ``notReadyAddresses`` for the others, both sorted by IP string;
terminating pods are dropped unless publishNotReadyAddresses. Labels = Service labels +
``endpoints.kubernetes.io/managed-by: endpoint-controller``; the annotation
``endpoints.kubernetes.io/last-change-trigger-time`` marks each change. Services without a selector
are left alone (their Endpoints are the user's), and the Endpoints of a deleted Service are deleted.
"""

from __future__ import annotations

import copy
import hashlib

from sandbox.api.clock import rfc3339
from sandbox.controllers import register
from sandbox.controllers.endpointslice import (
    HEADLESS,
    TRIGGER_TIME,
    _PodDrivenController,
    find_port,
    has_ip,
    is_headless,
    is_terminal,
    service_selector,
    should_set_hostname,
)
from sandbox.controllers.podutil import is_pod_ready

MANAGED_BY = "endpoints.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpoint-controller"
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
MAX_ADDRESSES = 1000


def _still_running(pod: dict) -> bool:
    """shouldPodBeInEndpoints of addEndpointSubset: a finished pod never comes back as not-ready."""
    policy = (pod.get("spec") or {}).get("restartPolicy") or "Always"
    phase = (pod.get("status") or {}).get("phase")
    if policy == "Never":
        return phase not in ("Failed", "Succeeded")
    if policy == "OnFailure":
        return phase != "Succeeded"
    return True


def _port_hash(port: dict) -> str:
    """endpoints.RepackSubsets orders ports by the md5 of their spew dump (hashutil.DeepHashObject):
    that is why kube-dns lists dns-tcp before dns."""
    app = port.get("appProtocol")
    dump = (f"(v1.EndpointPort){{Name:(string){port.get('name', '')} Port:(int32){port['port']} "
            f"Protocol:(v1.Protocol){port.get('protocol', 'TCP')} "
            f"AppProtocol:(*string){'<nil>' if app is None else app}}}")
    return hashlib.md5(dump.encode()).hexdigest()


def _address(pod: dict, svc: dict) -> dict:
    status = pod.get("status") or {}
    addr: dict = {"ip": status.get("podIP") or ((status.get("podIPs") or [{}])[0].get("ip", ""))}
    if should_set_hostname(pod, svc):
        addr["hostname"] = pod["spec"]["hostname"]
    if pod["spec"].get("nodeName"):
        addr["nodeName"] = pod["spec"]["nodeName"]
    meta = pod["metadata"]
    addr["targetRef"] = {"kind": "Pod", "namespace": meta.get("namespace", ""), "name": meta["name"],
                         "uid": meta.get("uid", "")}
    return addr


def compute_subsets(svc: dict, pods: list[dict]) -> list[dict]:
    """The repacked subsets for ``svc`` given its selected pods."""
    tolerate = bool(svc["spec"].get("publishNotReadyAddresses"))
    ports = svc["spec"].get("ports") or []
    # per pod: its resolved (name, port, protocol) set, then group pods with equal sets
    groups: dict[tuple, tuple[list[dict], list[dict]]] = {}
    for pod in pods:
        if is_terminal(pod) or not has_ip(pod):
            continue
        if not tolerate and pod["metadata"].get("deletionTimestamp"):
            continue
        if ports:
            resolved = []
            for sp in ports:
                num = find_port(pod, sp)
                if num is None:
                    continue
                p: dict = {}
                if sp.get("name"):
                    p["name"] = sp["name"]
                p["port"] = num
                p["protocol"] = sp.get("protocol") or "TCP"
                if sp.get("appProtocol"):
                    p["appProtocol"] = sp["appProtocol"]
                resolved.append(tuple(p.items()))
            if not resolved:
                continue
            key = tuple(sorted(resolved))
        elif is_headless(svc):
            key = ()
        else:
            continue
        ready, not_ready = groups.setdefault(key, ([], []))
        addr = _address(pod, svc)
        if tolerate or is_pod_ready(pod):
            ready.append(addr)
        elif _still_running(pod):
            not_ready.append(addr)
    subsets = []
    for key in sorted(groups):
        ready, not_ready = groups[key]
        if not ready and not not_ready:
            continue
        subset: dict = {}
        if ready:
            subset["addresses"] = sorted(ready, key=lambda a: (a["ip"], a["targetRef"]["uid"]))
        if not_ready:
            subset["notReadyAddresses"] = sorted(not_ready, key=lambda a: (a["ip"], a["targetRef"]["uid"]))
        if key:
            subset["ports"] = sorted((dict(p) for p in key), key=_port_hash)
        subsets.append(subset)
    return subsets


def _truncate(subsets: list[dict]) -> tuple[list[dict], bool]:
    total = sum(len(s.get("addresses") or []) + len(s.get("notReadyAddresses") or []) for s in subsets)
    if total <= MAX_ADDRESSES:
        return subsets, False
    budget = MAX_ADDRESSES
    out = []
    for s in subsets:
        s = dict(s)
        for field in ("addresses", "notReadyAddresses"):
            if field in s:
                s[field] = s[field][:budget]
                budget -= len(s[field])
                if not s[field]:
                    del s[field]
        if "addresses" in s or "notReadyAddresses" in s:
            out.append(s)
    return out, True


@register
class EndpointsController(_PodDrivenController):
    name = "endpoint-controller"
    watches = ("services", "pods", "endpoints")

    def on_other(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        labels = obj["metadata"].get("labels") or {}
        if labels.get(MANAGED_BY) == CONTROLLER_NAME or event == "DELETED":
            self.enqueue((obj["metadata"].get("namespace", ""), obj["metadata"]["name"]))

    def reconcile(self, key) -> None:
        ns, name = key
        cluster = self.cluster
        svc = cluster.store.get("services", ns, name)
        current = cluster.store.get("endpoints", ns, name)
        if svc is None:
            if current is not None and (current["metadata"].get("labels") or {}).get(MANAGED_BY) == CONTROLLER_NAME:
                cluster.remove_now("endpoints", ns, name)
            return
        if service_selector(svc) is None:
            return
        subsets, truncated = _truncate(compute_subsets(svc, self.selected_pods(svc)))
        labels = dict(svc["metadata"].get("labels") or {})
        labels[MANAGED_BY] = CONTROLLER_NAME
        if is_headless(svc):
            labels[HEADLESS] = ""
        else:
            labels.pop(HEADLESS, None)
        now = rfc3339(cluster.clock.now)
        if current is None:
            annotations = {TRIGGER_TIME: now}
            if truncated:
                annotations[OVER_CAPACITY] = "truncated"
            obj = {"apiVersion": "v1", "kind": "Endpoints",
                   "metadata": {"name": name, "namespace": ns, "labels": labels, "annotations": annotations}}
            if subsets:
                obj["subsets"] = subsets
            cluster.create_internal(obj)
            return
        same = (current.get("subsets") or []) == subsets and (current["metadata"].get("labels") or {}) == labels
        over = (current["metadata"].get("annotations") or {}).get(OVER_CAPACITY) == "truncated"
        if same and over == truncated:
            return
        new = copy.deepcopy(current)
        new["metadata"]["labels"] = labels
        ann = new["metadata"].setdefault("annotations", {})
        if (current.get("subsets") or []) != subsets:
            ann[TRIGGER_TIME] = now
        if truncated:
            ann[OVER_CAPACITY] = "truncated"
        else:
            ann.pop(OVER_CAPACITY, None)
        if subsets:
            new["subsets"] = subsets
        else:
            new.pop("subsets", None)
        cluster.write_object("endpoints", new)
