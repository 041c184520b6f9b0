"""``kubectl events`` (pkg/cmd/events): the event list sorted by time, with the interval column."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.kubectl.errors import KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.tabular import tabwrite


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    from sandbox.api.clock import parse_rfc3339

    try:
        return parse_rfc3339(text[:19] + "Z")
    except ValueError:
        return None


def _since(now: datetime, text: str | None) -> str:
    from sandbox.kubectl.printers import human_duration

    moment = _time(text)
    if moment is None:
        return "<unknown>"
    return human_duration((now - moment).total_seconds())


def interval(ev: dict[str, Any], now: datetime) -> str:
    """getInterval: ``5m``, or ``5m (x3 over 10m)`` for repeated events."""
    first = _since(now, ev.get("eventTime")) if ev.get("eventTime") else _since(now, ev.get("firstTimestamp"))
    series = ev.get("series")
    if series:
        return f"{_since(now, series.get('lastObservedTime'))} (x{series.get('count', 0)} over {first})"
    count = int(ev.get("count") or 0)
    if count > 1:
        return f"{_since(now, ev.get('lastTimestamp'))} (x{count} over {first})"
    return first


def _sort_time(ev: dict[str, Any]) -> datetime:
    series = ev.get("series") or {}
    moment = _time(series.get("lastObservedTime")) or _time(ev.get("lastTimestamp")) or _time(ev.get("eventTime"))
    return moment or datetime.min.replace(tzinfo=None).astimezone()


def events(inv: Invocation) -> int:
    types = [t for item in inv.flags.list("types") for t in item.split(",") if t]
    for t in types:
        if t.lower() not in ("normal", "warning"):
            raise KubectlError("valid --types are Normal or Warning")
    target = inv.flags.str("for")
    kind_filter = name_filter = ""
    if target:
        if "/" not in target:
            raise KubectlError("--for must be in resource/name form")
        from sandbox.kubectl.resolve import lookup_type

        kind, _, name_filter = target.partition("/")
        kind_filter = lookup_type(kind).kind
    all_ns = inv.flags.bool("all-namespaces")
    cluster = inv.cluster
    items = cluster.list("events", None if all_ns else inv.namespace)
    picked = []
    for ev in items:
        if types and str(ev.get("type", "")).lower() not in [t.lower() for t in types]:
            continue
        involved = ev.get("involvedObject") or {}
        if kind_filter and (involved.get("kind") != kind_filter or involved.get("name") != name_filter):
            continue
        picked.append(ev)
    if not picked:
        inv.err("No events found.\n" if all_ns else f"No events found in {inv.namespace} namespace.\n")
        return 0
    picked.sort(key=_sort_time)
    now = cluster.clock.now
    rows: list[list[str]] = []
    if not inv.flags.bool("no-headers"):
        rows.append((["NAMESPACE"] if all_ns else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
    for ev in picked:
        involved = ev.get("involvedObject") or {}
        row = [ev["metadata"].get("namespace", "")] if all_ns else []
        row += [interval(ev, now), str(ev.get("type", "")), str(ev.get("reason", "")),
                f"{involved.get('kind', '')}/{involved.get('name', '')}", str(ev.get("message", "")).strip()]
        rows.append(row)
    inv.out(tabwrite(rows))
    return 0
