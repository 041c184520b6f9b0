"""Go's time.Duration.String() for the kubelet's messages (``1.234s``, ``567ms``, ``1m2.5s``)."""

from __future__ import annotations


def go_duration(seconds: float) -> str:
    """Duration text of a millisecond-truncated duration, as the kubelet prints pull times."""
    ms = int(seconds * 1000 + 1e-6)
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    minutes, rem_ms = divmod(ms, 60_000)
    hours, minutes = divmod(minutes, 60)
    sec = f"{rem_ms // 1000}.{rem_ms % 1000:03d}".rstrip("0").rstrip(".")
    out = ""
    if hours:
        out += f"{hours}h"
    if hours or minutes:
        out += f"{minutes}m"
    return out + sec + "s"
