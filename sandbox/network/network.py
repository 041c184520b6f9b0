"""``cluster.network``: nodes' addresses, per-node kube-proxy + IPVS, the data plane, CoreDNS, observations.

The data plane walks the path a packet takes (ipvs.md §4):

1. loopback or the client's own address -> the client's own listeners;
2. a virtual server in the *source node's* IPVS table (ClusterIP, externalIP, LB) -> the scheduler
   picks a real server (DNAT) -> delivered to that pod; no real server -> ICMP port unreachable
   ("refused"); an address on kube-ipvs0 with a port no Service defines -> KUBE-IPVS-FILTER REJECT;
3. a node address -> that node's IPVS (NodePorts), else its host listeners (sshd, kubelet, apiserver,
   host-network pods), else RST;
4. a pod IP -> the pod's listeners if it runs (RST if nothing listens), else no route / timeout;
5. anything else -> timeout (an outside web server for the few "internet" addresses DNS knows).

Every attempt is recorded in ``observations``. The kubelet asks :meth:`Network.allocate_pod_ip` for pod
IPs (see addresses.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.network.addresses import (
    KUBE_DNS_IP,
    PodIPAM,
    in_pod_network,
    node_ip_for,
    pod_cidr_for,
)
from sandbox.network.dns import PUBLIC_RESOLVERS, UPSTREAM, CoreDNS, fqdn, upstream_reply, wire_size
from sandbox.network.ipvs import IpvsTable, Opened
from sandbox.network.kubeproxy import KubeProxy
from sandbox.network.local_listeners import AddressInUse, LocalListeners
from sandbox.network.models import Connection, DnsResponse, HttpOutcome, NodeListener, Source
from sandbox.network.observations import ConnectionRecord, DnsRecordObs, Observations
from sandbox.network.schedulers import SCHEDULERS
from sandbox.network.view import ClusterView, pod_running

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.cluster import Cluster

#: Seconds a client waits before "No route to host" (ARP gives up after 3 probes, 1 s apart).
NO_ROUTE_DELAY = 3.0
#: What answers on every node's own address (and the control plane's extra daemons).
NODE_DAEMONS = {22: ("sshd", "ssh"), 10250: ("kubelet", "tls"), 10256: ("kube-proxy", "http")}
CONTROL_PLANE_DAEMONS = {6443: ("kube-apiserver", "tls"), 2379: ("etcd", "tls"), 2380: ("etcd", "tls")}
#: Outside addresses (from the upstream DNS table) that run a web server on 80 and 443.
INTERNET_HOSTS = frozenset(ip for rec in UPSTREAM.values() for ip in rec.get("A", []))


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


class Network:
    """The cluster's network (CONTRACTS.md §5), attached as ``cluster.network``."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.clock = cluster.clock
        self.rng = cluster.rng
        self.view = ClusterView()
        self.local_listeners = LocalListeners()
        self.ipam = PodIPAM(self.rng)
        self.observations = Observations(self._selector_of)
        self.node_ips: dict[str, str] = {}
        self.node_by_ip: dict[str, str] = {}
        self.proxies: dict[str, KubeProxy] = {}
        self.host_pods: dict[str, dict[str, dict]] = {}   # node -> uid -> host-network pod
        self.coredns = CoreDNS(self.view, self.rng, dns_ip=KUBE_DNS_IP)
        self._kubelet_ips: set[str] = set()
        self._has_proxy_ds = False
        self.view.on_service_change(self._service_changed)

    def _selector_of(self, key: str) -> dict | None:
        ns, _, name = key.partition("/")
        svc = self.view.services.get((ns, name))
        return ((svc or {}).get("spec") or {}).get("selector") if svc is not None else None

    # ---- setup -----------------------------------------------------------------------------------
    def _serial(self) -> int:
        return int(self.clock.now.timestamp())

    def add_node(self, name: str, ip: str | None = None, cidr: str | None = None) -> None:
        if name in self.node_ips:
            return
        index = len(self.node_ips)
        ip = ip or node_ip_for(index)
        cidr = cidr or pod_cidr_for(index)
        self.node_ips[name] = ip
        self.node_by_ip[ip] = name
        self.ipam.add_node(name, cidr)
        proxy = KubeProxy(name, ip, self.view, self.clock, self._configured_scheduler(), running=False)
        self.proxies[name] = proxy
        if not self._has_proxy_ds:
            proxy.start()

    def _load(self) -> None:
        """Initial list of every informer (the network may attach after the cluster was built)."""
        cluster = self.cluster
        store = cluster.store
        self._has_proxy_ds = store.get("daemonsets", "kube-system", "kube-proxy") is not None
        infos = getattr(cluster, "nodes_info", None) or {}
        names = list(getattr(cluster, "node_names", None) or infos.keys())
        for name in names:
            info = infos.get(name)
            self.add_node(name, getattr(info, "ip", None), getattr(info, "pod_cidr", None))
        for resource in ("namespaces", "configmaps", "services", "endpointslices", "pods"):
            for obj in store.list(resource):
                self._on_event("ADDED", resource, obj, initial=True)
        for proxy in self.proxies.values():
            if not self._has_proxy_ds and not proxy.running:
                proxy.start()
            elif self._has_proxy_ds and proxy.pod_uid is None and proxy.running:
                proxy.stop()

    def _on_event(self, event: str, resource: str, obj: dict, *, initial: bool = False) -> None:
        if resource == "nodes":
            if event != "DELETED":
                name = _meta(obj).get("name")
                info = (getattr(self.cluster, "nodes_info", None) or {}).get(name)
                self.add_node(name, getattr(info, "ip", None), getattr(info, "pod_cidr", None))
            return
        if resource == "daemonsets":
            meta = _meta(obj)
            if meta.get("namespace") == "kube-system" and meta.get("name") == "kube-proxy":
                self._has_proxy_ds = event != "DELETED" or self._has_proxy_ds
            return
        if resource not in ("services", "endpointslices", "pods", "namespaces", "configmaps"):
            return
        if resource == "pods":
            self._pod_event(event, obj)
        self.view.handle(event, resource, obj, self._serial())

    def _service_changed(self, key: tuple[str, str]) -> None:
        for proxy in self.proxies.values():
            proxy.service_changed(key)

    def _pod_event(self, event: str, pod: dict) -> None:
        meta = _meta(pod)
        spec = pod.get("spec") or {}
        status = pod.get("status") or {}
        uid = meta.get("uid") or ""
        node = spec.get("nodeName")
        gone = event == "DELETED"
        if spec.get("hostNetwork"):
            if node:
                bucket = self.host_pods.setdefault(node, {})
                if gone:
                    bucket.pop(uid, None)
                else:
                    bucket[uid] = pod
        else:
            ip = status.get("podIP")
            if ip and node and not gone and not self.ipam.allocated(ip):
                self.ipam.reserve(node, ip)
            if gone and ip and ip not in self._kubelet_ips:
                self.ipam.release(ip)
        labels = meta.get("labels") or {}
        if meta.get("namespace") == "kube-system" and labels.get("k8s-app") == "kube-proxy" and node:
            self._has_proxy_ds = True
            proxy = self.proxies.get(node)
            if proxy is None:
                return
            running = not gone and pod_running(pod) and all(
                "running" in (cs.get("state") or {"running": {}}) for cs in status.get("containerStatuses") or [])
            if running and proxy.pod_uid != uid:
                proxy.pod_uid = uid
                sched = self._configured_scheduler()
                if sched is None:
                    proxy.stop()  # an invalid ipvs.scheduler: the proxier refuses to start
                else:
                    proxy.start(sched)
            elif not running and proxy.pod_uid == uid:
                proxy.pod_uid = None
                proxy.stop()

    def _configured_scheduler(self) -> str | None:
        """``ipvs.scheduler`` of the kube-proxy ConfigMap (read when a kube-proxy starts)."""
        cm = self.view.configmaps.get(("kube-system", "kube-proxy"))
        default = getattr(self.cluster, "ipvs_scheduler", "rr") or "rr"
        if cm is None:
            return default
        text = (cm.get("data") or {}).get("config.conf") or ""
        try:
            import yaml

            cfg = yaml.safe_load(text) or {}
        except Exception:  # noqa: BLE001 - a broken config: kube-proxy would crash; keep the old default
            return None
        sched = ((cfg.get("ipvs") or {}) if isinstance(cfg, dict) else {}).get("scheduler") or ""
        if sched and sched not in SCHEDULERS:
            return None
        return sched or "rr"

    # ---- addresses (CONTRACTS.md §5 + the kubelet's IPAM) -------------------------------------------
    def node_ip(self, node: str) -> str:
        return self.node_ips[node]

    def allocate_pod_ip(self, node: str) -> str:
        """A free pod IP from ``node``'s pod CIDR (deterministic: the cluster rng)."""
        if node not in self.node_ips:
            self.add_node(node)
        ip = self.ipam.allocate(node)
        self._kubelet_ips.add(ip)
        return ip

    def release_pod_ip(self, ip: str) -> None:
        self._kubelet_ips.discard(ip)
        self.ipam.release(ip)

    def ipvs(self, node: str) -> IpvsTable:
        """The node's IPVS table, with kube-proxy's periodic work brought up to the current instant."""
        proxy = self.proxies[node]
        proxy.catch_up(self.clock.seconds)
        return proxy.table

    def proxy(self, node: str) -> KubeProxy:
        return self.proxies[node]

    def pod_by_ip(self, ip: str) -> dict | None:
        return self.view.pods_by_ip.get(ip)

    def source_for_pod(self, pod: dict) -> Source:
        meta, spec, status = _meta(pod), pod.get("spec") or {}, pod.get("status") or {}
        node = spec.get("nodeName") or ""
        ip = self.node_ips.get(node, "") if spec.get("hostNetwork") else (status.get("podIP") or "")
        return Source(kind="pod", node=node, ip=ip, pod=meta.get("name"), namespace=meta.get("namespace"))

    def source_for_node(self, node: str) -> Source:
        return Source(kind="node", node=node, ip=self.node_ips[node])

    # ---- listeners -------------------------------------------------------------------------------
    def _pod_listener(self, pod: dict, proto: str, port: int) -> Any:
        runtime = getattr(self.cluster, "runtime", None)
        uid = _meta(pod).get("uid") or ""
        if runtime is not None and hasattr(runtime, "pod_listeners"):
            return runtime.pod_listeners(uid).get((proto, port))
        # no runtime (engine-only tests): the declared container ports stand in for listeners
        for c in (pod.get("spec") or {}).get("containers") or []:
            for p in c.get("ports") or []:
                if p.get("containerPort") == port and (p.get("protocol") or "TCP") == proto:
                    return NodeListener(name=c.get("name", ""), protocol=proto, port=port, kind="http")
        return None

    def pod_listener(self, pod: dict, proto: str, port: int) -> Any:
        """What listens on (proto, port) in a pod's network namespace (None: a connection is refused)."""
        return self._pod_listener(pod, proto, port)

    def add_node_listener(self, node: str, port: int, handler: Any, *, address: str = "127.0.0.1",
                          proto: str = "TCP") -> None:
        """A host process on ``node`` starts listening (``kubectl proxy``); raises AddressInUse when the
        port is taken (by another such process, a node daemon or a host-network pod)."""
        proto = proto.upper()
        if self.local_listeners.find(node, proto, port, None) is None and \
                self._node_listener(node, proto, port) is not None:
            raise AddressInUse(f"listen tcp {address}:{port}: bind: address already in use")
        self.local_listeners.add(node, port, handler, address=address, proto=proto)

    def remove_node_listener(self, node: str, port: int, handler: Any = None, *, proto: str = "TCP") -> None:
        self.local_listeners.remove(node, port, handler, proto=proto.upper())

    def _node_listener(self, node: str, proto: str, port: int, dst_ip: str | None = None) -> Any:
        if len(self.local_listeners):
            h = self.local_listeners.find(node, proto, port, dst_ip)
            if h is not None:
                return h
        for pod in (self.host_pods.get(node) or {}).values():
            if pod_running(pod):
                h = self._pod_listener(pod, proto, port)
                if h is not None:
                    return h
        if proto == "TCP":
            daemon = NODE_DAEMONS.get(port)
            if daemon is None and node == next(iter(self.node_ips), None):
                daemon = CONTROL_PLANE_DAEMONS.get(port)
            if daemon is not None:
                return NodeListener(name=daemon[0], protocol=proto, port=port, kind=daemon[1])
        return None

    # ---- the data plane ----------------------------------------------------------------------------
    def ephemeral_port(self) -> int:
        """Linux ip_local_port_range 32768-60999, drawn from the seeded rng."""
        return self.rng.randint(32768, 60999)

    def connect(self, src: Source, ip: str, port: int, proto: str = "TCP", *, sport: int | None = None,
                close: bool = True, record: bool = True) -> Connection:
        """One connection attempt (see the module docstring for the path). ``close=False`` keeps a TCP
        connection ESTABLISHED (keep-alive; end it with :meth:`close`)."""
        proto = proto.upper()
        now = self.clock.seconds
        sport = sport or self.ephemeral_port()
        conn = Connection(result="timeout", proto=proto, src_ip=src.ip, src_port=sport, dst_ip=ip, dst_port=port,
                          client_ip=src.ip, client_port=sport, node=src.node, elapsed=None)
        opened: Opened | None = None
        table: IpvsTable | None = None
        target = (ip, port)
        if ip.startswith("127.") or ip == src.ip:
            self._deliver_local(src, proto, port, conn)
        else:
            proxy = self.proxies.get(src.node)
            dst_node = self.node_by_ip.get(ip)
            if dst_node is not None:
                proxy = self.proxies.get(dst_node)  # NodePorts live in the destination node's table
            if proxy is not None:
                proxy.catch_up(now)
                table = proxy.table
                # a node's own process reaching a VIP: kube-ipvs0 holds the VIP, so the kernel picks the
                # VIP itself as source address (proxier.go writeIptablesRules' comment); KUBE-MARK-MASQ
                # rewrites it on the way out
                node_origin = src.ip in self.node_by_ip and dst_node is None and table.has_address(ip)
                caddr = ip if node_origin else src.ip
                conn.src_ip = caddr
                opened = table.open(proto, caddr, sport, ip, port, now)
            if opened is not None:
                conn.virtual = f"{proto} {ip}:{port}"
                conn.service = opened.vs.service
                if opened.dest is None:
                    conn.result, conn.reason, conn.elapsed = "refused", "no endpoints", 0.0
                else:
                    target = (opened.dest.addr, opened.dest.port)
                    conn.backend_ip, conn.backend_port = target
                    if src.ip in self.node_by_ip or dst_node is not None:
                        conn.client_ip = self._masquerade(dst_node or src.node, target[0])  # KUBE-MARK-MASQ
                    self._deliver(src, proto, target[0], target[1], conn)
            elif proxy is not None and dst_node is None and ip in proxy.bound:
                conn.result, conn.reason, conn.elapsed = "refused", "KUBE-IPVS-FILTER", 0.0
            elif dst_node is not None:
                conn.backend_ip, conn.backend_port = ip, port
                self._deliver_node(dst_node, proto, port, conn)
            else:
                self._deliver(src, proto, ip, port, conn)
        if opened is not None and opened.conn is not None and table is not None:
            tcp = proto == "TCP"
            if conn.result == "ok":
                if tcp and not opened.reused:
                    table.account(opened, now, 2, 1, 60 + 52, 60)        # SYN, ACK / SYN-ACK
                if close:
                    self._close_entry(table, opened, now)
            elif conn.result == "refused":
                table.account(opened, now, 1, 1, 60, 40)                 # SYN / RST
                table.conns.set_state(opened.conn, "CLOSE", now)
            elif tcp:
                table.account(opened, now, 1, 0, 60, 0)                  # an unanswered SYN
                table.conns.set_state(opened.conn, "SYN_RECV", now)
        conn.conn_key = (table, opened)
        if record:
            self._record(src, conn)
        return conn

    def _masquerade(self, node: str, backend_ip: str) -> str:
        """The source MASQUERADE picks on ``node`` toward ``backend_ip``: the node address for a local
        or host-network backend, the IPIP tunnel address (the node's first pod address) across nodes."""
        owner = self.ipam.node_of(backend_ip)
        if owner is None or owner == node:
            return self.node_ips.get(node, backend_ip)
        cidr = self.ipam.cidr(node)
        return cidr.rsplit(".", 1)[0] + ".1" if cidr else self.node_ips.get(node, backend_ip)

    def close(self, conn: Connection) -> None:
        """End a keep-alive connection: its IPVS entry moves to TIME_WAIT."""
        table, opened = conn.conn_key or (None, None)
        if table is not None and opened is not None and opened.conn is not None:
            self._close_entry(table, opened, self.clock.seconds)

    @staticmethod
    def _close_entry(table: IpvsTable, opened: Opened, now: float) -> None:
        if opened.conn is not None and opened.conn.proto == "TCP":
            table.account(opened, now, 2, 1, 52 + 52, 52)                # FIN, ACK / FIN-ACK
        table.close(opened.conn, now)

    def _deliver_local(self, src: Source, proto: str, port: int, conn: Connection) -> None:
        """Loopback or the client's own address: its own network namespace answers (a node's, which
        host-network pods share, or the pod's)."""
        if src.kind == "node" or src.ip in self.node_by_ip:
            conn.backend_ip, conn.backend_port = self.node_ips.get(src.node, src.ip), port
            self._deliver_node(src.node, proto, port, conn)
            return
        pod = self.view.pods.get((src.namespace or "default", src.pod or ""))
        handler = self._pod_listener(pod, proto, port) if pod is not None else None
        conn.backend_ip, conn.backend_port = src.ip, port
        if pod is not None:
            conn.backend_pod = f"{src.namespace}/{src.pod}"
            conn.backend_node = src.node
        self._finish(conn, handler)

    def _deliver_node(self, node: str, proto: str, port: int, conn: Connection) -> None:
        conn.backend_node = node
        self._finish(conn, self._node_listener(node, proto, port, conn.dst_ip))

    def _deliver(self, src: Source, proto: str, ip: str, port: int, conn: Connection) -> None:
        if ip in self.node_by_ip:
            self._deliver_node(self.node_by_ip[ip], proto, port, conn)
            return
        pod = self.view.pods_by_ip.get(ip)
        if pod is not None and pod_running(pod):
            meta = _meta(pod)
            conn.backend_pod = f"{meta.get('namespace')}/{meta.get('name')}"
            conn.backend_node = (pod.get("spec") or {}).get("nodeName")
            self._finish(conn, self._pod_listener(pod, proto, port))
            return
        owner = self.ipam.node_of(ip) if in_pod_network(ip) else None
        if owner is not None and owner == src.node:
            conn.result, conn.reason, conn.elapsed = "unreachable", "no pod has this address", NO_ROUTE_DELAY
        elif ip in INTERNET_HOSTS and proto == "TCP" and port in (80, 443):
            conn.result, conn.elapsed = "ok", 0.02
            conn.listener = NodeListener(name="internet", protocol=proto, port=port,
                                         kind="http" if port == 80 else "tls")
        else:
            conn.result, conn.reason, conn.elapsed = "timeout", "no route answers", None

    @staticmethod
    def _finish(conn: Connection, handler: Any) -> None:
        if handler is None:
            conn.result, conn.reason, conn.elapsed = "refused", "nothing listening", 0.0
        else:
            conn.result, conn.listener, conn.elapsed = "ok", handler, 0.0

    def _record(self, src: Source, conn: Connection, *, status: int | None = None, method: str | None = None,
                path: str | None = None) -> None:
        labels: dict[str, str] = {}
        if src.kind == "pod" and src.pod:
            pod = self.view.pods.get((src.namespace or "default", src.pod))
            if pod is not None:
                labels = dict(_meta(pod).get("labels") or {})
        self.observations.add_connection(ConnectionRecord.model_construct(
            time=self.clock.seconds, src_kind=src.kind, src_node=src.node, src_ip=src.ip, src_pod=src.pod,
            src_namespace=src.namespace, src_labels=labels, proto=conn.proto, dst_ip=conn.dst_ip,
            dst_port=conn.dst_port, virtual=conn.virtual, service=conn.service, backend_pod=conn.backend_pod,
            backend_ip=conn.backend_ip, backend_port=conn.backend_port, result=conn.result, reason=conn.reason,
            http_status=status, http_method=method, http_path=path))

    # ---- HTTP ------------------------------------------------------------------------------------
    def http(self, src: Source, method: str, host_ip: str, port: int, path: str = "/",
             headers: dict | list | None = None, *, body: str = "", version: str = "HTTP/1.1",
             keep_alive: bool = False, connection: Connection | None = None) -> HttpOutcome:
        """connect + one request through the listener's HTTP handler (each call is a new connection
        unless an open keep-alive ``connection`` is passed)."""
        from sandbox.workloads.http import HttpRequest, HttpResponse

        hdrs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
        conn = connection or self.connect(src, host_ip, port, "TCP", close=not keep_alive, record=False)
        out = HttpOutcome(connection=conn)
        if conn.result == "ok":
            listener = conn.listener
            response = None
            if hasattr(listener, "handle_http"):
                req = HttpRequest(method=method, path=path or "/", version=version, headers=hdrs, body=body,
                                  client_ip=conn.client_ip, client_port=conn.client_port,
                                  server_ip=conn.backend_ip or host_ip, server_port=conn.backend_port or port,
                                  time=self.clock.now)
                response = listener.handle_http(req)
            elif isinstance(listener, NodeListener) and listener.kind == "tls":
                response = HttpResponse(status=400, version="HTTP/1.0", headers=[],
                                        body="Client sent an HTTP request to an HTTPS server.\n")
            elif isinstance(listener, NodeListener) and listener.kind == "http" and listener.name == "internet":
                response = HttpResponse(status=200, headers=[("Content-Type", "text/html")],
                                        body="<!doctype html><html><head><title>Example Domain</title></head>"
                                             "<body><h1>Example Domain</h1></body></html>\n")
            elif isinstance(listener, NodeListener) and listener.kind == "http":
                response = HttpResponse(status=200, headers=[("Content-Type", "text/plain; charset=utf-8")],
                                        body="ok")
            if response is None or not getattr(response, "status", 0):
                out.empty_reply = True
            else:
                out.response = response
                out.status = response.status
                out.reason = response.reason
                out.version = response.version
                out.headers = list(response.headers)
                out.body = response.body
            self._account_http(conn, method, path, hdrs, body, out)
        if connection is None or not keep_alive:
            self._record(src, conn, status=out.status, method=method, path=path)
        return out

    def _account_http(self, conn: Connection, method: str, path: str, hdrs: list, body: str,
                      out: HttpOutcome) -> None:
        """Deterministic packet/byte counts of the data segments of one exchange (TCP/IP headers 52 bytes,
        MSS 1448); the handshake and the close are counted by connect() and close()."""
        table, opened = conn.conn_key or (None, None)
        if table is None or opened is None or opened.dest is None:
            return
        req_len = len(f"{method} {path} HTTP/1.1\r\n") + sum(len(k) + len(v) + 4 for k, v in hdrs) + 2 + len(body)
        resp_len = len(out.body.encode()) + sum(len(k) + len(v) + 4 for k, v in out.headers) + 19
        req_segs = max(1, -(-req_len // 1448))
        resp_segs = max(1, -(-resp_len // 1448))
        inpkts = req_segs + -(-resp_segs // 2)   # the request, then delayed ACKs (one per two segments)
        outpkts = resp_segs                      # the server's ACK rides on its first response segment
        table.account(opened, self.clock.seconds, inpkts, outpkts, 52 * inpkts + req_len, 52 * outpkts + resp_len)

    # ---- DNS -------------------------------------------------------------------------------------
    def default_nameserver(self, src: Source) -> str:
        """The first nameserver of the client's resolv.conf as the kubelet writes it."""
        if src.kind == "node":
            return "8.8.8.8"
        pod = self.view.pods.get((src.namespace or "default", src.pod or ""))
        if pod is None:
            return KUBE_DNS_IP
        from sandbox.network.resolver import ResolvConf, pod_resolv_conf

        conf: ResolvConf = pod_resolv_conf(pod)
        return conf.nameservers[0] if conf.nameservers else KUBE_DNS_IP

    def dns_query(self, src: Source, name: str, qtype: str = "A", *, server: str | None = None, port: int = 53,
                  protocol: str = "UDP", recursion: bool = True, edns: bool = False,
                  record: bool = True, timeout: float = 5.0) -> DnsResponse:
        """One query/reply exchange from ``src`` to ``server`` (default: the client's nameserver)."""
        server = server or self.default_nameserver(src)
        qname = fqdn(name)
        qtype = qtype.upper()
        qid = self.rng.randint(0, 0xFFFF)
        resp = DnsResponse(qname=qname, qtype=qtype, id=qid, server=server, port=port, protocol=protocol,
                           edns=edns)
        reply = None
        conn_used: Connection | None = None
        if server in PUBLIC_RESOLVERS or server.startswith("127.0.0.53"):
            reply = upstream_reply(qname, qtype, recursion=recursion)
            resp.query_time_ms = 12
        else:
            conn = conn_used = self.connect(src, server, port, protocol, record=record)
            if conn.result == "ok" and getattr(conn.listener, "kind", "") == "dns":
                reply = self.coredns.answer(qname, qtype, recursion=recursion)
                resp.backend_pod = conn.backend_pod
                resp.query_time_ms = 12 if reply.forwarded else 0
            elif conn.result == "refused":
                resp.status = "refused"
            else:
                resp.status = "timeout"
                resp.elapsed = timeout
        if reply is not None and conn_used is not None:
            table, opened = conn_used.conn_key or (None, None)
            if table is not None and opened is not None and opened.dest is not None:
                qsize = wire_size(qname, [], edns=edns)
                rsize = wire_size(qname, [reply.answer, reply.authority, reply.additional], edns=edns)
                hdr = 28 if protocol == "UDP" else 52
                table.account(opened, self.clock.seconds, 1, 1, hdr + qsize, hdr + rsize)
        if reply is not None:
            resp.rcode = reply.rcode
            resp.flags = reply.flags
            resp.answer, resp.authority, resp.additional = reply.answer, reply.authority, reply.additional
            resp.size = wire_size(qname, [reply.answer, reply.authority, reply.additional], edns=edns)
            if protocol == "UDP":
                _truncate(resp, qname, 1232 if edns else 512)
            resp.elapsed = resp.query_time_ms / 1000
        if record:
            self.observations.add_dns(DnsRecordObs.model_construct(
                time=self.clock.seconds, src_kind=src.kind, src_node=src.node, src_ip=src.ip, src_pod=src.pod,
                src_namespace=src.namespace, name=qname.rstrip("."), qtype=qtype, status=resp.status,
                rcode=resp.rcode if resp.status == "ok" else None, answers=[r.data for r in resp.answer],
                server=server, backend_pod=resp.backend_pod))
        return resp

    # ---- ICMP ------------------------------------------------------------------------------------
    def ping(self, src: Source, ip: str) -> str:
        """One echo request: "reply"; "rejected" (a Service VIP: KUBE-IPVS-FILTER REJECTs new packets to
        kube-ipvs0 addresses with ICMP port unreachable, sent from the VIP); "unreachable" (no host on
        the local segment: ICMP host unreachable); "none" (dropped: nothing answers)."""
        if ip.startswith("127.") or ip == src.ip:
            return "reply"
        if ip in self.node_by_ip:
            return "reply"
        proxy = self.proxies.get(src.node)
        if proxy is not None and (ip in proxy.bound or proxy.table.has_address(ip)):
            return "rejected"
        pod = self.view.pods_by_ip.get(ip)
        if pod is not None and pod_running(pod):
            return "reply"
        if in_pod_network(ip) and self.ipam.node_of(ip) == src.node:
            return "unreachable"
        if ip in INTERNET_HOSTS:
            return "reply"
        return "none"


def _truncate(resp: DnsResponse, qname: str, limit: int) -> None:
    """A UDP reply larger than the client's buffer (512 bytes, or the EDNS size) is cut down and
    flagged TC, as CoreDNS's request.Scrub does (additional, then authority, then answer records go);
    the client is expected to ask again over TCP."""
    if resp.size <= limit:
        return
    sections = [resp.answer, resp.authority, resp.additional]
    for idx in (2, 1, 0):
        while sections[idx] and wire_size(qname, sections, edns=resp.edns) > limit:
            sections[idx] = sections[idx][:-1]
    resp.answer, resp.authority, resp.additional = sections
    resp.size = wire_size(qname, sections, edns=resp.edns)
    flags = [f for f in resp.flags if f != "tc"]
    resp.flags = flags[:flags.index("aa") + 1 if "aa" in flags else 1] + ["tc"] + \
        flags[flags.index("aa") + 1 if "aa" in flags else 1:]


def attach(cluster: Cluster) -> Network:
    """Create the network for ``cluster``, load the current state and follow every change."""
    net = Network(cluster)
    cluster.network = net
    net._load()
    cluster.subscribe(net._on_event)
    return net
