"""One node's IPVS: virtual services, real servers, schedulers, connection table, stats and rates.

This is the kernel side; kube-proxy (kubeproxy.py) programs it through the same verbs ipvsadm and
netlink offer (add/edit/delete service, add/edit/delete destination). Lookups are dict lookups keyed
by (protocol, address, port), like the kernel's service hash table, so a new connection costs the
same with 10 or 10,000 Services. Ordering for display (ipvsadm sorts) is computed only when listing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.network.addresses import ip_to_int
from sandbox.network.conntrack import ConnTable, IpvsConn
from sandbox.network.schedulers import Scheduler, make_scheduler

VSKey = tuple[str, str, int]  # (protocol, address, port)
PROTO_NUMBER = {"TCP": 6, "UDP": 17, "SCTP": 132}
#: ipvsadm's "IP Virtual Server version 1.2.1 (size=4096)": the connection hash table size.
IPVS_VERSION = "1.2.1"
CONN_TAB_SIZE = 4096
#: ip_vs_est.c runs the rate estimator every 2 seconds.
EST_INTERVAL = 2.0


@dataclass(eq=False, slots=True)
class Stats:
    """ip_vs_stats counters plus the kernel's rate estimator (EWMA, 2 s ticks, ip_vs_est.c)."""

    conns: int = 0
    inpkts: int = 0
    outpkts: int = 0
    inbytes: int = 0
    outbytes: int = 0
    est_at: float = 0.0
    last: tuple = (0, 0, 0, 0, 0)
    ewma: list = field(default_factory=lambda: [0, 0, 0, 0, 0])

    def _estimate(self, now: float) -> None:
        ticks = int((now - self.est_at) // EST_INTERVAL)
        if ticks <= 0:
            return
        current = (self.conns, self.inpkts, self.outpkts, self.inbytes, self.outbytes)
        shifts = (9, 9, 9, 4, 4)  # conns and packets scaled by 2^10 per 2 s, bytes by 2^5
        for t in range(min(ticks, 200)):
            for i in range(5):
                delta = current[i] - self.last[i] if t == 0 else 0
                rate = delta << shifts[i]
                self.ewma[i] += (rate - self.ewma[i]) >> 2
        if ticks > 200:
            self.ewma = [0, 0, 0, 0, 0]
        self.last = current
        self.est_at += ticks * EST_INTERVAL

    def add(self, now: float, conns: int, inpkts: int, outpkts: int, inbytes: int, outbytes: int) -> None:
        self._estimate(now)
        self.conns += conns
        self.inpkts += inpkts
        self.outpkts += outpkts
        self.inbytes += inbytes
        self.outbytes += outbytes

    def rates(self, now: float) -> tuple[int, int, int, int, int]:
        """(cps, inpps, outpps, inbps, outbps) as ip_vs_read_estimator rounds them."""
        self._estimate(now)
        e = self.ewma
        return ((e[0] + 0x1FF) >> 10, (e[1] + 0x1FF) >> 10, (e[2] + 0x1FF) >> 10,
                (e[3] + 0xF) >> 5, (e[4] + 0xF) >> 5)


@dataclass(eq=False, slots=True)
class RealServer:
    addr: str
    port: int
    weight: int = 1
    fwd: str = "Masq"
    active: int = 0
    inactive: int = 0
    persist: int = 0
    stats: Stats = field(default_factory=Stats)

    @property
    def key(self) -> tuple[str, int]:
        return (self.addr, self.port)

    def sort_key(self) -> tuple[int, int]:
        return (ip_to_int(self.addr), self.port)


class VirtualService:
    """A virtual server: (protocol, VIP, port), scheduler, persistence, destinations in list order."""

    __slots__ = ("proto", "addr", "port", "sched_name", "persistent", "timeout", "dests", "by_key",
                 "scheduler", "stats", "_trash", "service")

    def __init__(self, proto: str, addr: str, port: int, sched_name: str = "rr", *, persistent: bool = False,
                 timeout: int = 0, now: float = 0.0) -> None:
        self.proto = proto
        self.addr = addr
        self.port = port
        self.sched_name = sched_name or "rr"
        self.persistent = persistent
        self.timeout = timeout
        self.dests: list[RealServer] = []
        self.by_key: dict[tuple[str, int], RealServer] = {}
        self.scheduler: Scheduler = make_scheduler(self.sched_name)
        self.stats = Stats(est_at=now)
        # ip_vs_trash: a deleted destination is kept (with its counters) and reused when re-added
        self._trash: dict[tuple[str, int], RealServer] = {}
        #: "namespace/name" of the Service kube-proxy programmed this for (None: added by hand)
        self.service: str | None = None

    @property
    def key(self) -> VSKey:
        return (self.proto, self.addr, self.port)

    def sort_key(self) -> tuple[int, int, int]:
        return (PROTO_NUMBER.get(self.proto, 255), ip_to_int(self.addr), self.port)

    def flags_text(self) -> str:
        return f" persistent {self.timeout}" if self.persistent else ""

    def set_scheduler(self, name: str) -> None:
        name = name or "rr"
        if name != self.sched_name:
            self.sched_name = name
            self.scheduler = make_scheduler(name)
            self.scheduler.changed(self)

    def add_dest(self, addr: str, port: int, weight: int = 1, now: float = 0.0) -> RealServer:
        existing = self.by_key.get((addr, port))
        if existing is not None:
            raise KeyError("Destination already exists")
        dest = self._trash.pop((addr, port), None)
        if dest is None:
            dest = RealServer(addr, port, weight, stats=Stats(est_at=now))
        else:
            dest.weight = weight
        self.dests.insert(0, dest)  # list_add_rcu: new destinations go to the head
        self.by_key[dest.key] = dest
        self.scheduler.changed(self)
        return dest

    def edit_dest(self, addr: str, port: int, weight: int) -> RealServer:
        dest = self.by_key[(addr, port)]
        dest.weight = weight
        self.scheduler.changed(self)
        return dest

    def del_dest(self, addr: str, port: int) -> RealServer:
        dest = self.by_key.pop((addr, port))
        self.scheduler.removing(self, dest)
        self.dests.remove(dest)
        self.scheduler.changed(self)
        if dest.active or dest.inactive or dest.persist:
            self._trash[dest.key] = dest
        return dest


@dataclass
class Opened:
    """What IPVS did with the first packet of a connection to a virtual service."""

    vs: VirtualService
    dest: RealServer | None
    conn: IpvsConn | None
    reused: bool = False


class IpvsTable:
    """One node's IPVS state (``ip_vs`` module): services, connection table, timeouts."""

    def __init__(self, node: str) -> None:
        self.node = node
        self.services: dict[VSKey, VirtualService] = {}
        self.conns = ConnTable()
        #: how many services use each address (the VIP set, for lookups by address alone)
        self._addr_refs: dict[str, int] = {}

    # ---- service verbs ---------------------------------------------------------------------------
    def add_service(self, proto: str, addr: str, port: int, scheduler: str = "rr", *, persistent: bool = False,
                    timeout: int = 0, now: float = 0.0) -> VirtualService:
        key = (proto, addr, port)
        if key in self.services:
            raise KeyError("Service already exists")
        vs = VirtualService(proto, addr, port, scheduler, persistent=persistent, timeout=timeout, now=now)
        self.services[key] = vs
        self._addr_refs[addr] = self._addr_refs.get(addr, 0) + 1
        return vs

    def edit_service(self, key: VSKey, *, scheduler: str, persistent: bool, timeout: int) -> VirtualService:
        vs = self.services[key]
        vs.set_scheduler(scheduler)
        vs.persistent = persistent
        vs.timeout = timeout if persistent else 0
        return vs

    def del_service(self, key: VSKey) -> None:
        vs = self.services.pop(key, None)
        if vs is None:
            return
        n = self._addr_refs.get(vs.addr, 0) - 1
        if n <= 0:
            self._addr_refs.pop(vs.addr, None)
        else:
            self._addr_refs[vs.addr] = n

    def lookup(self, proto: str, addr: str, port: int) -> VirtualService | None:
        return self.services.get((proto, addr, port))

    def has_address(self, addr: str) -> bool:
        return addr in self._addr_refs

    def sorted_services(self) -> list[VirtualService]:
        return sorted(self.services.values(), key=VirtualService.sort_key)

    # ---- the packet path -------------------------------------------------------------------------
    def _schedule(self, vs: VirtualService, caddr: str, now: float) -> RealServer | None:
        """ip_vs_schedule / ip_vs_sched_persist: templates pin a client IP to one server."""
        if not vs.persistent:
            return vs.scheduler.pick(vs, caddr)
        conns = self.conns
        tkey = (vs.proto, caddr, 0, vs.addr, vs.port)
        tmpl = conns.get(tkey, now)
        if tmpl is not None:
            d = tmpl.dest
            # ip_vs_check_template: the server must still be there and (expire_quiescent_template=1)
            # have a non-zero weight, otherwise the template is dropped and the client rescheduled
            if d is not None and vs.by_key.get(d.key) is d and d.weight > 0:
                conns.refresh(tmpl, now + vs.timeout)
                return d
            conns.remove(tmpl)
        d = vs.scheduler.pick(vs, caddr)
        if d is not None:
            conns.add(IpvsConn(vs.proto, caddr, 0, vs.addr, vs.port, d.addr, d.port, "NONE",
                               now + vs.timeout, dest=d, template=True, created=now))
        return d

    def open(self, proto: str, caddr: str, cport: int, vaddr: str, vport: int, now: float) -> Opened | None:
        """The first packet of a flow to (vaddr, vport): None if no virtual service matches.

        An existing entry for the same 5-tuple (a retransmission, a keep-alive reuse, a UDP client
        reusing its socket) keeps its real server, as ``ip_vs_in`` looks up the connection table
        before it ever schedules.
        """
        vs = self.services.get((proto, vaddr, vport))
        if vs is None:
            return None
        existing = self.conns.get((proto, caddr, cport, vaddr, vport), now)
        live = existing is not None and existing.dest is not None and \
            vs.by_key.get(existing.dest.key) is existing.dest
        if live and (proto == "UDP" or existing.state in ("ESTABLISHED", "SYN_RECV")):
            if proto == "UDP":
                self.conns.refresh(existing, now + self.conns.udp_timeout)
            elif existing.state != "ESTABLISHED":
                self.conns.set_state(existing, "ESTABLISHED", now)
            return Opened(vs, existing.dest, existing, reused=True)
        if existing is not None:
            # expire_nodest_conn=1 (the server is gone) or conn_reuse_mode: a new SYN on a closing
            # entry (TIME_WAIT, CLOSE, FIN_WAIT) expires it and is scheduled afresh
            self.conns.remove(existing)
        dest = self._schedule(vs, caddr, now)
        if dest is None:
            return Opened(vs, None, None)
        state = "UDP" if proto == "UDP" else "ESTABLISHED"
        conn = IpvsConn(proto, caddr, cport, vaddr, vport, dest.addr, dest.port, state,
                        now + self.conns.timeout_for(proto, state), dest=dest, created=now)
        self.conns.add(conn)
        vs.stats.add(now, 1, 0, 0, 0, 0)
        dest.stats.add(now, 1, 0, 0, 0, 0)
        return Opened(vs, dest, conn)

    def account(self, opened: Opened, now: float, inpkts: int, outpkts: int, inbytes: int, outbytes: int) -> None:
        """Packet/byte counters of a flow that went through a virtual service."""
        opened.vs.stats.add(now, 0, inpkts, outpkts, inbytes, outbytes)
        if opened.dest is not None:
            opened.dest.stats.add(now, 0, inpkts, outpkts, inbytes, outbytes)

    def close(self, conn: IpvsConn, now: float) -> None:
        """Both sides sent FIN: the entry sits in TIME_WAIT for 2 minutes (InActConn)."""
        if conn.proto == "TCP":
            self.conns.set_state(conn, "TIME_WAIT", now)

    def purge(self, now: float) -> None:
        self.conns.purge(now)
