"""The IPVS connection table (``/proc/net/ip_vs_conn``): entries with a state and an expiry.

Entries drive the real servers' ActiveConn / InActConn / PersistConn counters exactly as the kernel
does (ip_vs_conn.c ``ip_vs_bind_dest``, ip_vs_proto_tcp.c state changes): an ESTABLISHED TCP entry is
active, every other state (SYN_RECV, FIN_WAIT, TIME_WAIT, ..., and every UDP entry) is inactive, a
persistence template counts as a persistent connection. Expiry is lazy: a heap of (expiry, key) is
drained up to the virtual clock's ``now`` before anything reads the table, so nothing costs time
while nobody looks, and purging is O(log n) per entry.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.network.ipvs import RealServer

#: ip_vs_proto_tcp.c tcp_timeouts (seconds); ``ipvsadm --set`` changes ESTABLISHED, FIN_WAIT and UDP.
TCP_TIMEOUTS = {
    "NONE": 2 * 60,
    "ESTABLISHED": 15 * 60,
    "SYN_SENT": 2 * 60,
    "SYN_RECV": 1 * 60,
    "FIN_WAIT": 2 * 60,
    "TIME_WAIT": 2 * 60,
    "CLOSE": 10,
    "CLOSE_WAIT": 60,
    "LAST_ACK": 30,
    "LISTEN": 2 * 60,
    "SYNACK": 2 * 60,
}
UDP_TIMEOUT = 5 * 60

ConnKey = tuple[str, str, int, str, int]  # (proto, caddr, cport, vaddr, vport)


@dataclass(eq=False, slots=True)
class IpvsConn:
    """One entry of the connection table; ``template`` entries carry persistence (client port 0)."""

    proto: str
    caddr: str
    cport: int
    vaddr: str
    vport: int
    daddr: str
    dport: int
    state: str
    expires: float
    dest: RealServer | None = None
    template: bool = False
    created: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> ConnKey:
        return (self.proto, self.caddr, self.cport, self.vaddr, self.vport)

    @property
    def active(self) -> bool:
        return not self.template and self.proto == "TCP" and self.state == "ESTABLISHED"


class ConnTable:
    """Connection entries of one node's IPVS, keyed like the kernel's ``ip_vs_conn_tab`` lookup."""

    def __init__(self) -> None:
        self.entries: dict[ConnKey, IpvsConn] = {}
        self._heap: list[tuple[float, int, ConnKey, IpvsConn]] = []
        self._seq = itertools.count()
        self.tcp_timeouts = dict(TCP_TIMEOUTS)
        self.udp_timeout = UDP_TIMEOUT

    # ---- counters -------------------------------------------------------------------------------
    @staticmethod
    def _count(conn: IpvsConn, delta: int) -> None:
        d = conn.dest
        if d is None:
            return
        if conn.template:
            d.persist += delta
        elif conn.active:
            d.active += delta
        else:
            d.inactive += delta

    # ---- lifecycle ------------------------------------------------------------------------------
    def timeout_for(self, proto: str, state: str) -> float:
        if proto == "UDP":
            return self.udp_timeout
        return self.tcp_timeouts.get(state, 60)

    def purge(self, now: float) -> None:
        heap = self._heap
        while heap and heap[0][0] <= now:
            expires, _, key, conn = heapq.heappop(heap)
            if self.entries.get(key) is conn and conn.expires == expires:
                self._drop(conn)

    def _drop(self, conn: IpvsConn) -> None:
        self._count(conn, -1)
        del self.entries[conn.key]

    def add(self, conn: IpvsConn) -> IpvsConn:
        old = self.entries.get(conn.key)
        if old is not None:
            self._drop(old)
        self.entries[conn.key] = conn
        self._count(conn, +1)
        heapq.heappush(self._heap, (conn.expires, next(self._seq), conn.key, conn))
        return conn

    def get(self, key: ConnKey, now: float) -> IpvsConn | None:
        self.purge(now)
        return self.entries.get(key)

    def set_state(self, conn: IpvsConn, state: str, now: float, timeout: float | None = None) -> None:
        """Move an entry to ``state`` and re-arm its timer with that state's timeout."""
        if self.entries.get(conn.key) is not conn:
            return
        self._count(conn, -1)
        conn.state = state
        self._count(conn, +1)
        self.refresh(conn, now + (timeout if timeout is not None else self.timeout_for(conn.proto, state)))

    def refresh(self, conn: IpvsConn, expires: float) -> None:
        conn.expires = expires
        heapq.heappush(self._heap, (expires, next(self._seq), conn.key, conn))

    def remove(self, conn: IpvsConn) -> None:
        if self.entries.get(conn.key) is conn:
            self._drop(conn)

    def listing(self, now: float) -> list[IpvsConn]:
        """Entries in /proc order (the kernel walks its hash table; we use creation order)."""
        self.purge(now)
        return sorted(self.entries.values(), key=lambda c: (c.created, c.template is False))

    def __len__(self) -> int:
        return len(self.entries)
