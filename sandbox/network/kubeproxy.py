"""kube-proxy in IPVS mode, one per node (pkg/proxy/ipvs/proxier.go; ipvs.md §1–3).

For every Service change the proxy computes that Service's *plan* on its node — the virtual servers
with their real servers, the addresses to bind to ``kube-ipvs0`` and the ipset members — and applies
only the difference to the previous plan (new VS, changed flags edited in place, RS added or
gracefully removed). Work per change is proportional to the changed Service, never to the cluster.

The proxy programs only while its pod on the node runs; changes made meanwhile are applied by the full
sync that follows a (re)start, which is also when a new ``ipvs.scheduler`` from the ``kube-proxy``
ConfigMap takes effect (existing VSs are edited in place; weights are reset to 1 on the first sync).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.network.addresses import ip_to_int
from sandbox.network.ipsets import IpsetState
from sandbox.network.ipvs import IpvsTable, VSKey
from sandbox.network.view import ClusterView, SvcKey

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.api.clock import Clock

#: graceful_termination.go rsCheckDeleteInterval
RS_CHECK_INTERVAL = 60.0
#: KubeProxyConfiguration ipvs.syncPeriod default: a full resync repairs hand-made table edits
SYNC_PERIOD = 30.0
DEFAULT_AFFINITY_TIMEOUT = 10800

RS = tuple[str, int]


@dataclass(frozen=True)
class VSPlan:
    persistent: bool
    timeout: int
    dests: frozenset[RS]


@dataclass(frozen=True)
class Plan:
    vs: dict[VSKey, VSPlan]
    bind: frozenset[str]
    sets: frozenset[tuple[str, str]]


EMPTY_PLAN = Plan({}, frozenset(), frozenset())


def _cond(ep: dict, name: str, default: bool) -> bool:
    value = (ep.get("conditions") or {}).get(name)
    return default if value is None else bool(value)


def categorize(eps: list[tuple[str, int, str | None, bool, bool, bool]], node: str) -> tuple[list, list]:
    """topology.go CategorizeEndpoints: (cluster, local) endpoint lists of (ip, port).

    Ready endpoints are used; when none are ready, serving+terminating ones are the fallback.
    """
    ready = [e for e in eps if e[3]]
    cluster = ready or [e for e in eps if e[4] and e[5]]
    local_ready = [e for e in eps if e[3] and e[2] == node]
    local = local_ready or [e for e in eps if e[4] and e[5] and e[2] == node]
    return [(e[0], e[1]) for e in cluster], [(e[0], e[1]) for e in local]


def plan_service(view: ClusterView, key: SvcKey, node: str, node_ip: str) -> Plan:
    """What kube-proxy on ``node`` programs for one Service (pure; reads the informer cache)."""
    svc = view.services.get(key)
    if svc is None:
        return EMPTY_PLAN
    spec = svc.get("spec") or {}
    stype = spec.get("type") or "ClusterIP"
    cluster_ip = spec.get("clusterIP") or ""
    if stype == "ExternalName" or cluster_ip in ("", "None"):
        return EMPTY_PLAN  # ShouldSkipService: headless and ExternalName get nothing
    cluster_ips = [ip for ip in (spec.get("clusterIPs") or [cluster_ip]) if ip and ":" not in ip]
    external_ips = [ip for ip in spec.get("externalIPs") or [] if ":" not in ip]
    lb_ips = [ing["ip"] for ing in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
              if ing.get("ip") and ing.get("ipMode") != "Proxy" and ":" not in ing["ip"]]
    node_port_type = stype in ("NodePort", "LoadBalancer")
    externally = node_port_type or bool(external_ips) or bool(lb_ips)
    itp_local = spec.get("internalTrafficPolicy") == "Local"
    etp_local = spec.get("externalTrafficPolicy") == "Local" and externally
    uses_cluster = not itp_local or (externally and not etp_local)
    affinity = spec.get("sessionAffinity") == "ClientIP"
    timeout = 0
    if affinity:
        timeout = (((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}).get("timeoutSeconds")
                   or DEFAULT_AFFINITY_TIMEOUT)
    endpoints = view.endpoints(key)
    vs: dict[VSKey, VSPlan] = {}
    sets: set[tuple[str, str]] = set()
    bind: set[str] = set()
    for sp in spec.get("ports") or []:
        proto = (sp.get("protocol") or "TCP").upper()
        port = sp.get("port")
        if not isinstance(port, int):
            continue
        pname = sp.get("name") or ""
        lproto = proto.lower()
        eps = []
        for sl, ep in endpoints:
            ep_port = None
            for p in sl.get("ports") or []:
                if (p.get("name") or "") == pname and (p.get("protocol") or "TCP").upper() == proto:
                    ep_port = p.get("port")
                    break
            if not isinstance(ep_port, int):
                continue
            ready = _cond(ep, "ready", True)
            serving = _cond(ep, "serving", ready)
            terminating = _cond(ep, "terminating", False)
            for ip in ep.get("addresses") or []:
                if ":" in ip:
                    continue
                eps.append((ip, ep_port, ep.get("nodeName"), ready, serving, terminating))
                if ep.get("nodeName") == node:
                    sets.add(("KUBE-LOOP-BACK", f"{ip},{lproto}:{ep_port},{ip}"))
        cluster, local = categorize(eps, node)
        if not uses_cluster:
            cluster = []
        # syncEndpoint: Local policy uses the local endpoints, but IPVS falls back to the cluster list
        internal = (local or cluster) if itp_local else cluster
        external = (local or cluster) if etp_local else cluster
        internal_set, external_set = frozenset(internal), frozenset(external)
        for ip in cluster_ips:
            vs[(proto, ip, port)] = VSPlan(affinity, timeout, internal_set)
            sets.add(("KUBE-CLUSTER-IP", f"{ip},{lproto}:{port}"))
            bind.add(ip)
        for ip in external_ips:
            vs[(proto, ip, port)] = VSPlan(affinity, timeout, external_set)
            sets.add(("KUBE-EXTERNAL-IP-LOCAL" if etp_local else "KUBE-EXTERNAL-IP", f"{ip},{lproto}:{port}"))
            if ip != node_ip:
                bind.add(ip)
        for ip in lb_ips:
            vs[(proto, ip, port)] = VSPlan(affinity, timeout, external_set)
            sets.add(("KUBE-LOAD-BALANCER", f"{ip},{lproto}:{port}"))
            if etp_local:
                sets.add(("KUBE-LOAD-BALANCER-LOCAL", f"{ip},{lproto}:{port}"))
            if ip != node_ip:
                bind.add(ip)
        node_port = sp.get("nodePort")
        if node_port_type and isinstance(node_port, int) and node_port:
            vs[(proto, node_ip, node_port)] = VSPlan(affinity, timeout, external_set)
            if proto == "SCTP":
                sets.add(("KUBE-NODE-PORT-LOCAL-SCTP-HASH" if etp_local else "KUBE-NODE-PORT-SCTP-HASH",
                          f"{node_ip},sctp:{node_port}"))
            else:
                sets.add((f"KUBE-NODE-PORT-{proto}", str(node_port)))
                if etp_local:
                    sets.add((f"KUBE-NODE-PORT-LOCAL-{proto}", str(node_port)))
    if etp_local and stype == "LoadBalancer" and spec.get("healthCheckNodePort"):
        sets.add(("KUBE-HEALTH-CHECK-NODE-PORT", str(spec["healthCheckNodePort"])))
    for ip in bind:
        sets.add(("KUBE-IPVS-IPS", ip))
    return Plan(vs, frozenset(bind), frozenset(sets))


class KubeProxy:
    """The proxier of one node: owns that node's IPVS table, kube-ipvs0 addresses and ipsets."""

    def __init__(self, node: str, node_ip: str, view: ClusterView, clock: Clock, scheduler: str = "rr",
                 *, running: bool = True) -> None:
        self.node = node
        self.node_ip = node_ip
        self.view = view
        self.clock = clock
        self.table = IpvsTable(node)
        self.ipsets = IpsetState(seed=sum(node.encode()) * 7919)
        self.scheduler = scheduler or "rr"
        self.running = running
        self.pod_uid: str | None = None
        #: addresses on kube-ipvs0 -> number of plans binding them
        self.bound: dict[str, int] = {}
        self.plans: dict[SvcKey, Plan] = {}
        self.graceful: dict[tuple[VSKey, RS], None] = {}
        #: virtual instants of the next periodic resync and graceful-deletion check (None = not due);
        #: they are processed lazily by :meth:`catch_up`, so an idle proxy costs nothing
        self._next_resync: float | None = None
        self._next_gc: float | None = None
        self._started_at = clock.seconds
        self.syncs = 0

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self, scheduler: str | None = None) -> None:
        """A (new) kube-proxy process starts: full sync with the configured scheduler."""
        if scheduler is not None:
            self.scheduler = scheduler or "rr"
        self.running = True
        self._started_at = self.clock.seconds
        self._next_resync = self._started_at + SYNC_PERIOD
        self._next_gc = None
        self.full_sync(initial=True)

    def stop(self) -> None:
        """The process is gone: the kernel keeps the table, nothing updates it."""
        self.catch_up(self.clock.seconds)
        self.running = False
        self._next_resync = self._next_gc = None

    def catch_up(self, now: float) -> None:
        """Run the periodic work that fell due up to ``now``, in time order: the syncPeriod resync
        (every 30 s) and, while servers are parked, the graceful-deletion check (every 60 s). Called
        before the table is read or changed, instead of keeping timers on the clock."""
        while self.running:
            due_gc = self._next_gc if self.graceful else None
            due = min(t for t in (self._next_resync, due_gc) if t is not None) \
                if (self._next_resync is not None or due_gc is not None) else None
            if due is None or due > now:
                return
            if due_gc is not None and due_gc == due:
                self._try_delete(due)
                self._next_gc = due + RS_CHECK_INTERVAL if self.graceful else None
                continue
            self.reconcile()
            # a second resync with nothing changed in between is a no-op: jump to the next due one
            periods = int((now - due) // SYNC_PERIOD) + 1
            self._next_resync = due + periods * SYNC_PERIOD
            if self.graceful and self._next_gc is not None and self._next_gc < due:
                self._next_gc = due

    def reconcile(self) -> None:
        """The periodic syncProxyRules: make the kernel table match the plans again (a VS or real server
        removed with ``ipvsadm`` comes back; one added by hand is removed by cleanLegacyService)."""
        table = self.table
        now = self.clock.seconds
        wanted: dict[VSKey, VSPlan] = {}
        owner: dict[VSKey, str] = {}
        for key, plan in self.plans.items():
            wanted.update(plan.vs)
            owner.update(dict.fromkeys(plan.vs, f"{key[0]}/{key[1]}"))
        for vkey, vplan in wanted.items():
            vs = table.services.get(vkey)
            if vs is None:
                vs = table.add_service(*vkey, scheduler=self.scheduler, persistent=vplan.persistent,
                                       timeout=vplan.timeout, now=now)
                vs.service = owner[vkey]
                for gkey in [g for g in self.graceful if g[0] == vkey]:
                    del self.graceful[gkey]
            elif (vs.sched_name != self.scheduler or vs.persistent != vplan.persistent
                  or vs.timeout != (vplan.timeout if vplan.persistent else 0)):
                table.edit_service(vkey, scheduler=self.scheduler, persistent=vplan.persistent,
                                   timeout=vplan.timeout)
            self._sync_dests(vkey, vplan.dests, now)
        for vkey in [k for k in table.services if k not in wanted]:
            table.del_service(vkey)

    def full_sync(self, *, initial: bool = False) -> None:
        keys = set(self.view.services) | set(self.plans)
        for key in sorted(keys):
            self.sync_service(key, initial=initial)
        if initial:
            # Test_syncEndpoint_updateWeightsOnRestart: weights of live servers go back to 1
            for vs in self.table.services.values():
                for d in vs.dests:
                    if d.weight != 1 and ((vs.key, d.key) not in self.graceful):
                        vs.edit_dest(d.addr, d.port, 1)

    def service_changed(self, key: SvcKey) -> None:
        if self.running:
            self.sync_service(key)

    # ---- sync ------------------------------------------------------------------------------------
    def sync_service(self, key: SvcKey, *, initial: bool = False) -> None:
        self.catch_up(self.clock.seconds)
        old = self.plans.get(key, EMPTY_PLAN)
        new = plan_service(self.view, key, self.node, self.node_ip)
        if new == old and not initial:
            return
        self.syncs += 1
        now = self.clock.seconds
        table = self.table
        for vkey, vplan in new.vs.items():
            vs = table.services.get(vkey)
            if vs is None:
                vs = table.add_service(*vkey, scheduler=self.scheduler, persistent=vplan.persistent,
                                       timeout=vplan.timeout, now=now)
            elif (vs.sched_name != self.scheduler or vs.persistent != vplan.persistent
                  or vs.timeout != (vplan.timeout if vplan.persistent else 0)):
                table.edit_service(vkey, scheduler=self.scheduler, persistent=vplan.persistent,
                                   timeout=vplan.timeout)
            vs.service = f"{key[0]}/{key[1]}"
            self._sync_dests(vkey, vplan.dests, now)
        for vkey in sorted(old.vs.keys() - new.vs.keys()):
            table.del_service(vkey)  # cleanLegacyService
            for gkey in [g for g in self.graceful if g[0] == vkey]:
                del self.graceful[gkey]
        for ip in sorted(new.bind - old.bind, key=ip_to_int):  # never iterate a str set: hash order
            self.bound[ip] = self.bound.get(ip, 0) + 1
        for ip in sorted(old.bind - new.bind):
            n = self.bound.get(ip, 0) - 1
            if n <= 0:
                self.bound.pop(ip, None)
            else:
                self.bound[ip] = n
        for name, entry in sorted(new.sets - old.sets):
            self.ipsets.add(name, entry)
        for name, entry in sorted(old.sets - new.sets):
            self.ipsets.remove(name, entry)
        if new.vs or new.bind or new.sets:
            self.plans[key] = new
        else:
            self.plans.pop(key, None)

    def _sync_dests(self, vkey: VSKey, wanted: Iterable[RS], now: float) -> None:
        vs = self.table.services[vkey]
        wanted = set(wanted)
        # kube-proxy walks a Go map: order is unspecified; we add in sorted order for determinism
        for rs in sorted(wanted):
            cur = vs.by_key.get(rs)
            if cur is not None:
                if (vkey, rs) not in self.graceful:
                    continue
                # MoveRSOutofGracefulDeleteList: delete the parked server and add it afresh
                del self.graceful[(vkey, rs)]
                vs.del_dest(*rs)
            vs.add_dest(rs[0], rs[1], 1, now)
        for rs in [d.key for d in vs.dests if d.key not in wanted]:
            if (vkey, rs) in self.graceful:
                continue
            self._graceful_delete(vkey, rs)

    def _graceful_delete(self, vkey: VSKey, rs: RS) -> None:
        """GracefulDeleteRS: delete now if idle or UDP/SCTP, else park at weight 0 and re-check."""
        vs = self.table.services[vkey]
        self.table.purge(self.clock.seconds)
        d = vs.by_key[rs]
        if vkey[0] in ("UDP", "SCTP") or (d.active + d.inactive) == 0:
            vs.del_dest(*rs)
            return
        if d.weight != 0:
            vs.edit_dest(rs[0], rs[1], 0)
        self.graceful[(vkey, rs)] = None
        self._arm_gc()

    def _arm_gc(self) -> None:
        if self._next_gc is not None or not self.running:
            return
        elapsed = self.clock.seconds - self._started_at
        self._next_gc = self.clock.seconds + RS_CHECK_INTERVAL - (elapsed % RS_CHECK_INTERVAL)

    def _try_delete(self, at: float) -> None:
        """graceful_termination.go tryDeleteRs at instant ``at``: delete parked servers now idle."""
        self.table.purge(at)
        for vkey, rs in list(self.graceful):
            vs = self.table.services.get(vkey)
            d = vs.by_key.get(rs) if vs is not None else None
            if d is None:
                del self.graceful[(vkey, rs)]
                continue
            if d.active + d.inactive == 0:
                vs.del_dest(*rs)
                del self.graceful[(vkey, rs)]

    # ---- reads -----------------------------------------------------------------------------------
    def bound_addresses(self) -> list[str]:
        """kube-ipvs0's addresses, in the order ``ip addr`` prints them (binding order)."""
        return list(self.bound)
