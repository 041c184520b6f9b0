"""Ages as kubectl shows them: apimachinery's duration.HumanDuration and the timestamp helpers."""

from __future__ import annotations

from datetime import UTC, datetime


def human_duration(seconds: float) -> str:
    """duration.HumanDuration: ``45s``, ``2m5s``, ``45m``, ``5h30m``, ``3d4h``, ``400d``, ``2y30d``."""
    secs = int(seconds)  # Go truncates toward zero
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 120:
        return f"{secs}s"
    minutes = secs // 60
    if minutes < 10:
        s = secs % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = secs // 3600
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def parse_time(value: str | None) -> datetime | None:
    """A metav1.Time / MicroTime string (``2026-11-22T06:00:00Z``, fractions allowed)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def since(value: str | None, now: datetime) -> str:
    """translateTimestampSince: ``<unknown>`` for a zero/missing time."""
    moment = parse_time(value)
    if moment is None:
        return "<unknown>"
    return human_duration((now - moment).total_seconds())


def rfc1123z(value: str | None) -> str:
    """describe's time layout (``Sun, 22 Nov 2026 05:48:42 +0000``)."""
    moment = parse_time(value)
    if moment is None:
        return "<unknown>"
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
