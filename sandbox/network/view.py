"""The network layer's informer cache: Services, EndpointSlices, Pods and Namespaces, fed by watch events.

kube-proxy and CoreDNS both run informers over the apiserver; here one cache serves every node's
kube-proxy and CoreDNS. Every event updates hash indexes (service by key and by ClusterIP, slices by
service, pods by IP, endpoint IPs back to their services) and tells subscribers which Service changed,
so work per change is proportional to that Service, never to the cluster.
"""

from __future__ import annotations

from collections.abc import Callable

SvcKey = tuple[str, str]  # (namespace, name)


def _labels(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("labels") or {}


def slice_service(sl: dict) -> SvcKey | None:
    name = _labels(sl).get("kubernetes.io/service-name")
    if not name:
        return None
    return ((sl.get("metadata") or {}).get("namespace") or "default", name)


def pod_running(pod: dict) -> bool:
    """A pod whose sandbox exists and whose containers run (phase Running), terminating or not."""
    return (pod.get("status") or {}).get("phase") == "Running"


class ClusterView:
    def __init__(self) -> None:
        self.services: dict[SvcKey, dict] = {}
        self.by_cluster_ip: dict[str, SvcKey] = {}
        self.slices: dict[SvcKey, dict[str, dict]] = {}
        self.pods: dict[SvcKey, dict] = {}
        self.pods_by_ip: dict[str, dict] = {}
        self.namespaces: set[str] = set()
        #: endpoint IP -> {service key: None}, for PTR lookups of endpoint addresses
        self.endpoint_ips: dict[str, dict[SvcKey, None]] = {}
        self.configmaps: dict[SvcKey, dict] = {}
        #: Unix-ish seconds of the last Service/EndpointSlice change (CoreDNS's SOA serial)
        self.modified = 0
        self._service_listeners: list[Callable[[SvcKey], None]] = []
        self._pod_listeners: list[Callable[[str, dict, dict | None], None]] = []

    # ---- subscriptions ----------------------------------------------------------------------------
    def on_service_change(self, fn: Callable[[SvcKey], None]) -> None:
        self._service_listeners.append(fn)

    def on_pod_change(self, fn: Callable[[str, dict, dict | None], None]) -> None:
        """fn(event, pod, previous) for every pod event."""
        self._pod_listeners.append(fn)

    def _changed(self, key: SvcKey) -> None:
        for fn in self._service_listeners:
            fn(key)

    # ---- event intake ------------------------------------------------------------------------------
    def handle(self, event: str, resource: str, obj: dict, now_serial: int = 0) -> None:
        meta = obj.get("metadata") or {}
        ns = meta.get("namespace") or ""
        name = meta.get("name") or ""
        gone = event == "DELETED"
        if resource == "services":
            self._service(event, (ns, name), obj, now_serial)
        elif resource == "endpointslices":
            self._slice(event, obj, now_serial)
        elif resource == "pods":
            self._pod(event, (ns, name), obj)
        elif resource == "namespaces":
            if gone:
                self.namespaces.discard(name)
            else:
                self.namespaces.add(name)
        elif resource == "configmaps":
            if gone:
                self.configmaps.pop((ns, name), None)
            else:
                self.configmaps[(ns, name)] = obj

    def _service(self, event: str, key: SvcKey, obj: dict, serial: int) -> None:
        old = self.services.get(key)
        if old is not None:
            for ip in _cluster_ips(old):
                if self.by_cluster_ip.get(ip) == key:
                    del self.by_cluster_ip[ip]
        if event == "DELETED":
            self.services.pop(key, None)
        else:
            self.services[key] = obj
            for ip in _cluster_ips(obj):
                self.by_cluster_ip[ip] = key
        self.modified = max(self.modified, serial)
        self._changed(key)

    def _slice(self, event: str, sl: dict, serial: int) -> None:
        key = slice_service(sl)
        if key is None:
            return
        name = (sl.get("metadata") or {}).get("name") or ""
        bucket = self.slices.setdefault(key, {})
        old = bucket.get(name)
        if old is not None:
            self._index_endpoints(key, old, -1)
        if event == "DELETED":
            bucket.pop(name, None)
            if not bucket:
                self.slices.pop(key, None)
        else:
            bucket[name] = sl
            self._index_endpoints(key, sl, +1)
        self.modified = max(self.modified, serial)
        self._changed(key)

    def _index_endpoints(self, key: SvcKey, sl: dict, sign: int) -> None:
        for ep in sl.get("endpoints") or []:
            for ip in ep.get("addresses") or []:
                if sign > 0:
                    self.endpoint_ips.setdefault(ip, {})[key] = None
                else:
                    owners = self.endpoint_ips.get(ip)
                    if owners is not None:
                        owners.pop(key, None)
                        if not owners:
                            del self.endpoint_ips[ip]

    def _pod(self, event: str, key: SvcKey, pod: dict) -> None:
        old = self.pods.get(key)
        if old is not None:
            ip = _pod_ip(old)
            if ip and self.pods_by_ip.get(ip) is old:
                del self.pods_by_ip[ip]
        if event == "DELETED":
            self.pods.pop(key, None)
        else:
            self.pods[key] = pod
            ip = _pod_ip(pod)
            if ip:
                self.pods_by_ip[ip] = pod
        for fn in self._pod_listeners:
            fn(event, pod, old)

    # ---- reads -------------------------------------------------------------------------------------
    def endpoints(self, key: SvcKey) -> list[tuple[dict, dict]]:
        """(slice, endpoint) pairs of a Service, slices in name order."""
        out = []
        for _, sl in sorted((self.slices.get(key) or {}).items()):
            for ep in sl.get("endpoints") or []:
                out.append((sl, ep))
        return out

    def service_of_ip(self, ip: str) -> dict | None:
        key = self.by_cluster_ip.get(ip)
        return self.services.get(key) if key else None


def _cluster_ips(svc: dict) -> list[str]:
    spec = svc.get("spec") or {}
    ips = list(spec.get("clusterIPs") or [])
    if spec.get("clusterIP") and spec["clusterIP"] not in ips:
        ips.insert(0, spec["clusterIP"])
    return [ip for ip in ips if ip and ip != "None"]


def _pod_ip(pod: dict) -> str | None:
    """The pod's own IP; host-network pods share the node's address and are not indexed here."""
    if (pod.get("spec") or {}).get("hostNetwork"):
        return None
    return (pod.get("status") or {}).get("podIP") or None
