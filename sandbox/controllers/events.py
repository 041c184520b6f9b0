"""core/v1 Events as client-go's legacy recorder writes them, with its aggregation.

A repeated (source, involvedObject, type, reason, message) bumps ``count`` and ``lastTimestamp`` of the
existing Event instead of creating a new one (EventCorrelator's dedup); events expire after the
apiserver's default ``--event-ttl`` of one hour.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from sandbox.api.clock import rfc3339
from sandbox.api.resources import by_plural

if TYPE_CHECKING:
    from sandbox.cluster import Cluster

EVENT_TTL = 3600.0


def _index(cluster: Cluster) -> dict[tuple, tuple[str, str]]:
    idx = getattr(cluster, "_event_index", None)
    if idx is None:
        idx = {}
        cluster._event_index = idx  # type: ignore[attr-defined]
        cluster._event_seq = 0  # type: ignore[attr-defined]
    return idx


def involved_object(obj: dict, field_path: str = "") -> dict:
    """ObjectReference of ``obj`` (ref.GetReference), in the field order kubectl prints."""
    meta = obj.get("metadata") or {}
    ref: dict = {"apiVersion": obj.get("apiVersion", "v1"), "kind": obj.get("kind", "")}
    if field_path:
        ref["fieldPath"] = field_path
    ref["name"] = meta.get("name", "")
    if meta.get("namespace"):
        ref["namespace"] = meta["namespace"]
    if meta.get("resourceVersion"):
        ref["resourceVersion"] = meta["resourceVersion"]
    if meta.get("uid"):
        ref["uid"] = meta["uid"]
    return ref


def record_event(cluster: Cluster, obj: dict, type_: str, reason: str, message: str, component: str, *,
                 field_path: str = "", host: str = "") -> dict | None:
    """Create or aggregate an Event about ``obj``; returns the stored Event."""
    idx = _index(cluster)
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace") or "default"
    if cluster.store.get("namespaces", None, namespace) is None:
        return None
    key = (component, host, obj.get("kind", ""), namespace, meta.get("name", ""), meta.get("uid", ""), field_path,
           type_, reason, message)
    now = rfc3339(cluster.clock.now)
    existing_key = idx.get(key)
    if existing_key is not None:
        existing = cluster.store.get("events", *existing_key)
        if existing is not None:
            ev = copy.deepcopy(existing)
            ev["count"] = int(ev.get("count", 1)) + 1
            ev["lastTimestamp"] = now
            stored = cluster.store.replace("events", ev)
            _schedule_expiry(cluster, stored)
            return stored
    cluster._event_seq += 1  # type: ignore[attr-defined]
    nanos = int((cluster.clock.now.timestamp()) * 1_000_000_000) + cluster._event_seq  # type: ignore[attr-defined]
    name = f"{meta.get('name', '')}.{nanos:x}"
    source: dict = {"component": component}
    if host:
        source["host"] = host
    event = {
        "apiVersion": "v1",
        "kind": "Event",
        "count": 1,
        "eventTime": None,
        "firstTimestamp": now,
        "involvedObject": involved_object(obj, field_path),
        "lastTimestamp": now,
        "message": message,
        "metadata": {"name": name, "namespace": namespace},
        "reason": reason,
        "reportingComponent": component,
        "reportingInstance": host,
        "source": source,
        "type": type_,
    }
    if by_plural("events") is None:  # pragma: no cover - registry always has events
        return None
    stored = cluster.store.add("events", event)
    idx[key] = (namespace, name)
    _schedule_expiry(cluster, stored)
    return stored


def _schedule_expiry(cluster: Cluster, event: dict) -> None:
    ns, name = event["metadata"]["namespace"], event["metadata"]["name"]
    rv = event["metadata"]["resourceVersion"]

    def expire() -> None:
        current = cluster.store.get("events", ns, name)
        if current is not None and current["metadata"]["resourceVersion"] == rv:
            cluster.store.remove("events", ns, name)

    cluster.clock.call_later(EVENT_TTL, expire)


def events_for(cluster: Cluster, obj: dict) -> list[dict]:
    """Events whose involvedObject is ``obj`` (by uid), oldest first: what describe shows."""
    meta = obj.get("metadata") or {}
    uid = meta.get("uid")
    ns = meta.get("namespace") or "default"
    out = [e for e in cluster.store.iter("events", ns) if e["involvedObject"].get("uid") == uid]
    out.sort(key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
    return out


#: events.k8s.io broadcaster: isomorphic events within this window join one series.
SERIES_WINDOW = 360.0
#: ... and the series count is written back at most this often after the first repeat.
SERIES_REFRESH = 1800.0


def micro_time(cluster: Cluster) -> str:
    """metav1.MicroTime: RFC 3339 with microseconds (events.k8s.io eventTime)."""
    now = cluster.clock.now
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond:06d}Z"


def record_series_event(cluster: Cluster, obj: dict, type_: str, reason: str, message: str, *, controller: str,
                        instance: str, action: str) -> dict | None:
    """An event written through the events.k8s.io/v1 API (the scheduler's recorder), seen as core/v1.

    Such events carry eventTime/reportingComponent/action and no firstTimestamp, lastTimestamp or
    count; a repeat within six minutes becomes ``series: {count: 2, lastObservedTime}``, and later
    repeats only refresh the series every 30 minutes (as client-go's event broadcaster does).
    """
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace") or "default"
    if cluster.store.get("namespaces", None, namespace) is None:
        return None
    cache = cluster.__dict__.setdefault("_series_cache", {})
    key = (controller, instance, action, meta.get("uid", ""), type_, reason, message)
    seconds = cluster.clock.seconds
    entry = cache.get(key)
    if entry is not None and seconds - entry["last"] <= SERIES_WINDOW:
        entry["count"] += 1
        entry["last"] = seconds
        current = cluster.store.get("events", namespace, entry["name"])
        if current is None:
            del cache[key]
        else:
            if entry["count"] == 2 or seconds - entry["written"] >= SERIES_REFRESH:
                ev = dict(current)
                ev["series"] = {"count": entry["count"], "lastObservedTime": micro_time(cluster)}
                entry["written"] = seconds
                return cluster.store.replace("events", ev)
            return current
    cluster._event_seq = getattr(cluster, "_event_seq", 0) + 1  # type: ignore[attr-defined]
    nanos = int(cluster.clock.now.timestamp() * 1_000_000_000) + cluster._event_seq  # type: ignore[attr-defined]
    name = f"{meta.get('name', '')}.{nanos:x}"
    event = {
        "action": action,
        "apiVersion": "v1",
        "eventTime": micro_time(cluster),
        "firstTimestamp": None,
        "involvedObject": involved_object(obj),
        "kind": "Event",
        "lastTimestamp": None,
        "message": message,
        "metadata": {"name": name, "namespace": namespace},
        "reason": reason,
        "reportingComponent": controller,
        "reportingInstance": instance,
        "source": {},
        "type": type_,
    }
    stored = cluster.store.add("events", event)
    cache[key] = {"name": name, "count": 1, "last": seconds, "written": seconds}
    _schedule_expiry(cluster, stored)
    return stored
