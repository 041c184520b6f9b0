"""The network layer's public data: who connects (Source), what happened (Connection, HttpOutcome),
and DNS messages (DnsRecord, DnsResponse) rich enough for nslookup, dig, host and getent to print
exactly what the real tools print."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Source(BaseModel):
    """The network identity of a client: a node, or a pod scheduled on a node."""

    kind: Literal["node", "pod"]
    node: str
    ip: str
    pod: str | None = None
    namespace: str | None = None


class Connection(BaseModel):
    """The outcome of one connection attempt (``Network.connect``).

    ``result``: "ok" (a listener accepted), "refused" (RST or ICMP port unreachable: curl exit 7),
    "timeout" (nothing answers: SYN retries until the client gives up), "unreachable" (ICMP host
    unreachable / no route: "No route to host"). ``elapsed`` is how long the kernel would take to report
    it (timeouts: the caller's own limit decides; ``None`` = until the client's timeout).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    result: Literal["ok", "refused", "timeout", "unreachable"]
    proto: str = "TCP"
    src_ip: str
    src_port: int
    dst_ip: str
    dst_port: int
    #: the virtual server used, as "TCP 10.96.0.10:53" (None when no VIP was involved)
    virtual: str | None = None
    service: str | None = None          # "namespace/name" of the Service behind the VIP
    backend_ip: str | None = None       # after DNAT
    backend_port: int | None = None
    backend_pod: str | None = None      # "namespace/name"
    backend_node: str | None = None
    listener: Any = None                # the workloads Handler (or a NodeListener)
    reason: str = ""                    # why it failed: "no endpoints", "ipvs filter", "nothing listening", ...
    elapsed: float | None = 0.0
    #: client address as the server sees it (masqueraded for node-originated VIP traffic)
    client_ip: str = ""
    client_port: int = 0
    conn_key: Any = Field(default=None, exclude=True)
    node: str = ""                      # the node whose IPVS table handled it

    @property
    def ok(self) -> bool:
        return self.result == "ok"

    @property
    def backend(self) -> str | None:
        """CONTRACTS.md §5: the pod that answered ("namespace/name"), else the address reached."""
        if self.backend_pod:
            return self.backend_pod
        if self.backend_ip:
            return f"{self.backend_ip}:{self.backend_port}"
        return None


class NodeListener(BaseModel):
    """A host process listening on a node address (sshd, kubelet, the API server)."""

    name: str
    protocol: str
    port: int
    kind: str = "tcp"   # "tls" for the kubelet/apiserver, "ssh" for sshd


class HttpOutcome(BaseModel):
    """A request/response exchange (``Network.http``): the connection plus what the server said."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    connection: Connection
    status: int | None = None
    reason: str = ""
    version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = Field(default_factory=list)
    body: str = ""
    response: Any = None                # the workloads HttpResponse, when there is one
    empty_reply: bool = False           # the peer closed without an HTTP answer (curl 52)

    @property
    def result(self) -> str:
        return self.connection.result


class DnsRecord(BaseModel):
    """One resource record in presentation form: ``name`` is absolute (trailing dot)."""

    name: str
    ttl: int = 30
    rclass: str = "IN"
    rtype: str
    data: str

    def text(self) -> str:
        """dig's line: ``name.\t\t30\tIN\tA\t10.96.0.1`` (dig aligns with tabs)."""
        return f"{self.name}\t\t{self.ttl}\t{self.rclass}\t{self.rtype}\t{self.data}"

    def host_data(self) -> str:
        return self.data


class DnsResponse(BaseModel):
    """A DNS reply (or the lack of one) as the client saw it.

    ``status``: "ok" (a reply arrived; see ``rcode``), "timeout" (no server answered: dig prints
    ``;; connection timed out; no servers could be reached``), "refused" (ICMP port unreachable from
    the server address). ``flags`` in dig's order (``qr aa rd ra``).
    """

    status: Literal["ok", "timeout", "refused"] = "ok"
    id: int = 0
    qname: str                          # absolute, with trailing dot
    qtype: str = "A"
    rcode: str = "NOERROR"              # NOERROR | NXDOMAIN | SERVFAIL | REFUSED
    flags: list[str] = Field(default_factory=lambda: ["qr", "aa", "rd"])
    answer: list[DnsRecord] = Field(default_factory=list)
    authority: list[DnsRecord] = Field(default_factory=list)
    additional: list[DnsRecord] = Field(default_factory=list)
    server: str = ""                    # the address queried (10.96.0.10)
    port: int = 53
    protocol: str = "UDP"
    backend_pod: str | None = None      # which CoreDNS pod answered ("kube-system/coredns-...")
    query_time_ms: int = 0
    size: int = 0                       # wire size of the reply (dig's MSG SIZE rcvd)
    edns: bool = False                  # the reply carries an OPT record (dig counts it in ADDITIONAL)
    elapsed: float = 0.0                # virtual seconds the exchange took (timeouts: the client's wait)

    @property
    def answered(self) -> bool:
        return self.status == "ok"

    @property
    def authoritative(self) -> bool:
        return "aa" in self.flags

    def addresses(self) -> list[str]:
        return [r.data for r in self.answer if r.rtype in ("A", "AAAA")]
