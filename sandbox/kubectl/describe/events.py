"""searchEvents and DescribeEvents: the Events table every describer ends with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.kubectl.printers.gosort import go_sort
from sandbox.kubectl.printers.timefmt import parse_time, since

from .writer import PrefixWriter


def _events_for(cluster: Any, obj: dict) -> list[dict]:
    """searchEvents: events whose involvedObject is this object (name, namespace, kind, uid)."""
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace")
    try:
        events = cluster.list("events", namespace)
    except Exception:  # noqa: BLE001 - a cluster without events simply has none
        return []
    kind, name, uid = obj.get("kind", ""), meta.get("name", ""), meta.get("uid", "")
    found = []
    for ev in events:
        ref = ev.get("involvedObject") or {}
        if ref.get("name") != name or (kind and ref.get("kind") != kind):
            continue
        if uid and ref.get("uid") and ref.get("uid") != uid:
            continue
        if (ref.get("namespace") or None) != (namespace or None):
            continue
        found.append(ev)
    return found


def describe_events(w: PrefixWriter, events: list[dict], now: datetime) -> None:
    """DescribeEvents: flushed table sorted by last timestamp, ``<age> (xN over <first>)``."""
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    zero = datetime.min.replace(tzinfo=now.tzinfo)
    ordered = [(parse_time(e.get("lastTimestamp")) or zero, e) for e in events]
    go_sort(ordered, lambda a, b: a[0] < b[0])  # sort.Sort(SortableEvents): unstable, as kubectl's
    ordered = [e for _, e in ordered]
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in ordered:
        first = since(e.get("eventTime"), now) if parse_time(e.get("eventTime")) else since(e.get("firstTimestamp"),
                                                                                              now)
        series = e.get("series")
        count = e.get("count") or 0
        if series:
            interval = f"{since(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
        elif count > 1:
            interval = f"{since(e.get('lastTimestamp'), now)} (x{count} over {first})"
        else:
            interval = first
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent") or ""
        message = (e.get("message") or "").strip()
        field_path = (e.get("involvedObject") or {}).get("fieldPath")
        if field_path:
            message = f"{field_path}: {message}"
        w.write(1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t{message}\n")


def _maybe_events(w: PrefixWriter, cluster: Any, obj: dict, show_events: bool, now: datetime) -> None:
    if show_events:
        describe_events(w, _events_for(cluster, obj), now)
