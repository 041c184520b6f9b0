"""IPVS schedulers with the Linux kernel's semantics (net/netfilter/ipvs/ip_vs_*.c; ipvs.md §5).

Each scheduler keeps its own per-virtual-service state, as ``svc->sched_data`` does, and is told when
the destination list changes. ``pick`` runs once per *new* connection; ``None`` means "no usable real
server" (the kernel then answers ICMP port unreachable). Destinations live in ``vs.dests`` in kernel
list order: a new one is inserted at the head, which is why a fresh Service's first connection goes
to the most recently added endpoint.
"""

from __future__ import annotations

from math import gcd
from typing import TYPE_CHECKING

from sandbox.network.addresses import ip_to_int

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.network.ipvs import RealServer, VirtualService

#: What kube-proxy's config validation accepts (validateIPVSSchedulerMethod); "" means rr.
SCHEDULERS = ("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "dh", "sed", "nq")

_GOLDEN_RATIO_32 = 0x61C88647
_TAB_BITS = 8
_TAB_SIZE = 1 << _TAB_BITS


def _usable(d: RealServer) -> bool:
    """Kernel: weight > 0 and not IP_VS_DEST_F_OVERLOAD (kube-proxy never sets thresholds)."""
    return d.weight > 0


def _overhead(d: RealServer) -> int:
    """ip_vs_dest_conn_overhead: active connections weigh 256 inactive ones."""
    return d.active * 256 + d.inactive


class Scheduler:
    name = ""

    def changed(self, vs: VirtualService) -> None:
        """A destination was added, removed or re-weighted."""

    def removing(self, vs: VirtualService, dest: RealServer) -> None:
        """Called just before ``dest`` leaves ``vs.dests``."""

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:  # pragma: no cover
        raise NotImplementedError


class RoundRobin(Scheduler):
    """ip_vs_rr.c: one cursor; walk forward from it to the next usable dest, wrapping once."""

    name = "rr"

    def __init__(self) -> None:
        self.cursor: RealServer | None = None  # None = the list head

    def removing(self, vs: VirtualService, dest: RealServer) -> None:
        # ip_vs_rr_del_dest: a cursor on the removed dest moves to its predecessor (or the head)
        if self.cursor is dest:
            i = vs.dests.index(dest)
            self.cursor = vs.dests[i - 1] if i > 0 else None

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:
        dests = vs.dests
        start = dests.index(self.cursor) + 1 if self.cursor is not None else 0
        n = len(dests)
        for k in range(n):
            d = dests[(start + k) % n]
            if _usable(d):
                self.cursor = d
                return d
        return None


class WeightedRoundRobin(Scheduler):
    """ip_vs_wrr.c: current weight ``cw`` steps down by the gcd ``di`` on every pass over the list."""

    name = "wrr"

    def __init__(self) -> None:
        self.pos = -1  # -1 = the list head
        self.cw = 0
        self.mw = 0
        self.di = 1

    def changed(self, vs: VirtualService) -> None:
        # ip_vs_wrr_dest_changed
        weights = [d.weight for d in vs.dests if d.weight > 0]
        self.pos = -1
        self.di = 1
        if weights:
            g = 0
            for w in weights:
                g = gcd(g, w)
            self.di = g
        self.mw = (max(weights) if weights else 0) - (self.di - 1)
        if self.cw > self.mw or not self.cw:
            self.cw = self.mw
        elif self.di > 1:
            self.cw = (self.cw // self.di) * self.di + 1

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:
        dests = vs.dests
        n = len(dests)
        if self.mw <= 0 or n == 0:
            return None
        pos, cw = self.pos, self.cw
        # at most one full sweep per weight level, plus one
        for _ in range(n * (self.mw // max(self.di, 1) + 2)):
            pos += 1
            if pos >= n:
                pos = -1
                cw -= self.di
                if cw <= 0:
                    cw = self.mw
                continue
            d = dests[pos]
            if _usable(d) and d.weight >= cw:
                self.pos, self.cw = pos, cw
                return d
        return None


class LeastConnection(Scheduler):
    """ip_vs_lc.c: the smallest overhead wins; the first in list order wins ties."""

    name = "lc"

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:
        least, loh = None, 0
        for d in vs.dests:
            if not _usable(d):
                continue
            doh = _overhead(d)
            if least is None or doh < loh:
                least, loh = d, doh
        return least


class WeightedLeastConnection(Scheduler):
    """ip_vs_wlc.c: minimise overhead/weight, compared by cross-multiplication."""

    name = "wlc"

    @staticmethod
    def overhead(d: RealServer) -> int:
        return _overhead(d)

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:
        least, loh = None, 0
        for d in vs.dests:
            if not _usable(d):
                continue
            doh = self.overhead(d)
            if least is None or loh * d.weight > doh * least.weight:
                least, loh = d, doh
        return least


class ShortestExpectedDelay(WeightedLeastConnection):
    """ip_vs_sed.c: overhead = active + 1 (inactive connections are ignored)."""

    name = "sed"

    @staticmethod
    def overhead(d: RealServer) -> int:
        return d.active + 1


class NeverQueue(ShortestExpectedDelay):
    """ip_vs_nq.c: an idle server (no active connection) is taken at once, else like sed."""

    name = "nq"

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:
        least, loh = None, 0
        for d in vs.dests:
            if not _usable(d):
                continue
            doh = d.active + 1
            if d.active == 0:
                return d
            if least is None or loh * d.weight > doh * least.weight:
                least, loh = d, doh
        return least


def _hash32(value: int) -> int:
    """The kernel's hash_32(val, 8): multiply by the golden ratio, keep the top bits."""
    return ((value * _GOLDEN_RATIO_32) & 0xFFFFFFFF) >> (32 - _TAB_BITS)


class SourceHashing(Scheduler):
    """ip_vs_sh.c: 256 buckets filled round-robin by weight; a client IP always hashes to one bucket."""

    name = "sh"

    def __init__(self) -> None:
        self.buckets: list[RealServer | None] = [None] * _TAB_SIZE

    def changed(self, vs: VirtualService) -> None:
        # ip_vs_sh_reassign: walk the dest list, each dest taking `weight` consecutive buckets
        dests = vs.dests
        if not dests:
            self.buckets = [None] * _TAB_SIZE
            return
        out: list[RealServer | None] = []
        i, count = 0, 0
        for _ in range(_TAB_SIZE):
            d = dests[i % len(dests)]
            out.append(d)
            count += 1
            if count >= max(d.weight, 1):
                i += 1
                count = 0
        self.buckets = out

    def key(self, vs: VirtualService, client_ip: str) -> int:
        return _hash32(ip_to_int(client_ip))

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:
        d = self.buckets[self.key(vs, client_ip) & (_TAB_SIZE - 1)]
        # no sh-fallback flag: an unavailable bucket owner means no server
        if d is None or not _usable(d) or d not in vs.dests:
            return None
        return d


class DestinationHashing(Scheduler):
    """ip_vs_dh.c: buckets filled one dest each; the *destination* (the VIP) picks the bucket."""

    name = "dh"

    def __init__(self) -> None:
        self.buckets: list[RealServer | None] = [None] * _TAB_SIZE

    def changed(self, vs: VirtualService) -> None:
        dests = vs.dests
        self.buckets = [dests[i % len(dests)] for i in range(_TAB_SIZE)] if dests else [None] * _TAB_SIZE

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:
        h = (ip_to_int(vs.addr) * 2654435761) & (_TAB_SIZE - 1)
        d = self.buckets[h]
        if d is None or not _usable(d) or d not in vs.dests:
            return None
        return d


class LocalityBasedLeastConnection(Scheduler):
    """ip_vs_lblc.c, reduced to one destination address per VS (a ClusterIP): keep the assigned server
    until it is overloaded (more active connections than its weight while another is idler), then
    re-assign by wlc. lblcr behaves the same here because a VS has a single destination address."""

    name = "lblc"

    def __init__(self) -> None:
        self.assigned: RealServer | None = None
        self._wlc = WeightedLeastConnection()

    def removing(self, vs: VirtualService, dest: RealServer) -> None:
        if self.assigned is dest:
            self.assigned = None

    def pick(self, vs: VirtualService, client_ip: str) -> RealServer | None:
        d = self.assigned
        if d is not None and _usable(d) and d in vs.dests:
            overloaded = d.active > d.weight and any(
                _usable(o) and o.active * 2 < o.weight for o in vs.dests)
            if not overloaded:
                return d
        d = self._wlc.pick(vs, client_ip)
        self.assigned = d
        return d


class LocalityBasedLeastConnectionReplication(LocalityBasedLeastConnection):
    name = "lblcr"


_CLASSES: dict[str, type[Scheduler]] = {
    cls.name: cls
    for cls in (RoundRobin, WeightedRoundRobin, LeastConnection, WeightedLeastConnection, ShortestExpectedDelay,
                NeverQueue, SourceHashing, DestinationHashing, LocalityBasedLeastConnection,
                LocalityBasedLeastConnectionReplication)
}


def make_scheduler(name: str) -> Scheduler:
    """A fresh scheduler state; unknown or empty names give rr (kube-proxy's defaultScheduler)."""
    return _CLASSES.get(name or "rr", RoundRobin)()
