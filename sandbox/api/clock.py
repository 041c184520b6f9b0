"""Virtual time: the only clock the cluster knows, so a run is a pure function of its command log."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

#: Where every lab's clock starts unless told otherwise (a fixed instant keeps runs reproducible).
EPOCH = datetime(2026, 11, 22, 6, 0, 0, tzinfo=UTC)


@dataclass(order=True)
class Timer:
    """A callback due at a virtual instant; ``cancelled`` timers are skipped when they fall due."""

    due: float
    seq: int
    fn: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class Clock:
    """Seconds since ``start``; timers fire in (due, creation) order when time is advanced."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self.start = start
        self.seconds = 0.0
        self._heap: list[Timer] = []
        self._seq = itertools.count()

    @property
    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    def at(self, seconds: float) -> datetime:
        """The wall instant of a virtual offset."""
        return self.start + timedelta(seconds=seconds)

    def call_at(self, due: float, fn: Callable[[], None]) -> Timer:
        timer = Timer(max(due, self.seconds), next(self._seq), fn)
        heapq.heappush(self._heap, timer)
        return timer

    def call_later(self, delay: float, fn: Callable[[], None]) -> Timer:
        return self.call_at(self.seconds + max(0.0, delay), fn)

    def next_due(self) -> float | None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due if self._heap else None

    def pop_due(self, until: float) -> Timer | None:
        """Remove and return the next live timer due at or before ``until``, moving time to it."""
        due = self.next_due()
        if due is None or due > until:
            return None
        timer = heapq.heappop(self._heap)
        self.seconds = max(self.seconds, timer.due)
        return timer

    def advance(self, seconds: float, after_each: Callable[[], None] | None = None) -> None:
        """Move time forward, firing due timers in order; ``after_each`` runs after every timer."""
        until = self.seconds + max(0.0, seconds)
        while (timer := self.pop_due(until)) is not None:
            timer.fn()
            if after_each is not None:
                after_each()
        self.seconds = until


def rfc3339(moment: datetime) -> str:
    """Kubernetes' metav1.Time form: second precision, Z suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
