"""What happened on the wire, for lesson checks and the TUI's cluster view (CONTRACTS.md §5).

Every connection attempt and every DNS query is appended as a small record; the query helpers answer
the questions checks ask ("did a pod the Service does not select reach a backend?", "how many distinct
backends answered?", "was this name ever resolved?") from indexes kept per Service and per name.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from pydantic import BaseModel, Field


class ConnectionRecord(BaseModel):
    time: float                         # virtual seconds since the lab started
    src_kind: str                       # "pod" | "node"
    src_node: str
    src_ip: str
    src_pod: str | None = None          # pod name
    src_namespace: str | None = None
    src_labels: dict[str, str] = Field(default_factory=dict)
    proto: str = "TCP"
    dst_ip: str
    dst_port: int
    virtual: str | None = None          # "TCP 10.96.0.10:53"
    service: str | None = None          # "namespace/name"
    backend_pod: str | None = None      # "namespace/name"
    backend_ip: str | None = None
    backend_port: int | None = None
    result: str                         # ok | refused | timeout | unreachable
    reason: str = ""
    http_status: int | None = None
    http_method: str | None = None
    http_path: str | None = None


class DnsRecordObs(BaseModel):
    time: float
    src_kind: str
    src_node: str
    src_ip: str
    src_pod: str | None = None
    src_namespace: str | None = None
    name: str                           # absolute query name without the trailing dot
    qtype: str
    status: str                         # ok | timeout | refused
    rcode: str | None = None
    answers: list[str] = Field(default_factory=list)
    server: str = ""
    backend_pod: str | None = None


#: How many records are kept (a ``while true; do curl ...; done`` loop must not grow memory without end);
#: the oldest records go first. Per-Service and per-name indexes keep their own most recent records.
MAX_RECORDS = 50_000
MAX_PER_KEY = 10_000


class Observations:
    def __init__(self, selector_of: Callable[[str], dict | None] | None = None) -> None:
        #: "namespace/name" -> the Service's selector (from the network's informer cache)
        self._selector_of = selector_of
        self.connections_log: deque[ConnectionRecord] = deque(maxlen=MAX_RECORDS)
        self.dns_log: deque[DnsRecordObs] = deque(maxlen=MAX_RECORDS)
        self._by_service: dict[str, deque[ConnectionRecord]] = {}
        self._by_name: dict[str, deque[DnsRecordObs]] = {}
        self._listeners: list[Callable[[BaseModel], None]] = []

    def subscribe(self, fn: Callable[[BaseModel], None]) -> None:
        """fn(record) for every new record (the TUI's cluster view animates traffic with it)."""
        self._listeners.append(fn)

    def add_connection(self, rec: ConnectionRecord) -> None:
        self.connections_log.append(rec)
        if rec.service:
            self._by_service.setdefault(rec.service, deque(maxlen=MAX_PER_KEY)).append(rec)
        for fn in self._listeners:
            fn(rec)

    def add_dns(self, rec: DnsRecordObs) -> None:
        self.dns_log.append(rec)
        self._by_name.setdefault(rec.name.lower(), deque(maxlen=MAX_PER_KEY)).append(rec)
        for fn in self._listeners:
            fn(rec)

    # ---- queries -----------------------------------------------------------------------------------
    def connections(self, *, service: str | None = None, from_pod_not_selected_by: dict | None = None,
                    src_pod: str | None = None, src_namespace: str | None = None, result: str | None = None,
                    dst_ip: str | None = None, dst_port: int | None = None, since: float | None = None,
                    backend_pod: str | None = None, from_unselected_pods: bool = False) -> list[ConnectionRecord]:
        """Filter the log. ``service`` is "namespace/name" (or "name" for the default namespace);
        ``from_pod_not_selected_by`` is a Service selector map: keeps connections from pods whose labels
        it does not match (and from nodes); ``from_unselected_pods=True`` uses the ``service``'s own
        current selector for that, and keeps only pod clients."""
        if service is not None:
            key = service if "/" in service else f"default/{service}"
            recs = self._by_service.get(key, ())
            if from_unselected_pods and self._selector_of is not None:
                from_pod_not_selected_by = self._selector_of(key) or {}
                recs = [r for r in recs if r.src_kind == "pod"]
        else:
            recs = self.connections_log
        out = []
        for r in recs:
            if since is not None and r.time < since:
                continue
            if result is not None and r.result != result:
                continue
            if src_pod is not None and r.src_pod != src_pod:
                continue
            if src_namespace is not None and r.src_namespace != src_namespace:
                continue
            if dst_ip is not None and r.dst_ip != dst_ip:
                continue
            if dst_port is not None and r.dst_port != dst_port:
                continue
            if backend_pod is not None and r.backend_pod != backend_pod:
                continue
            if from_pod_not_selected_by is not None:
                sel = from_pod_not_selected_by
                if r.src_kind == "pod" and sel and all(r.src_labels.get(k) == v for k, v in sel.items()):
                    continue
            out.append(r)
        return out

    def distinct_backends(self, service: str, *, since: float | None = None) -> list[str]:
        """Backend pods that answered connections to the Service, in first-seen order."""
        seen: dict[str, None] = {}
        for r in self.connections(service=service, since=since, result="ok"):
            if r.backend_pod:
                seen.setdefault(r.backend_pod, None)
        return list(seen)

    def dns_queries(self, *, name: str | None = None, qtype: str | None = None, src_pod: str | None = None,
                    rcode: str | None = None, since: float | None = None) -> list[DnsRecordObs]:
        if name is not None:
            recs = self._by_name.get(name.rstrip(".").lower(), ())
        else:
            recs = self.dns_log
        return [r for r in recs
                if (qtype is None or r.qtype == qtype) and (src_pod is None or r.src_pod == src_pod)
                and (rcode is None or r.rcode == rcode) and (since is None or r.time >= since)]
