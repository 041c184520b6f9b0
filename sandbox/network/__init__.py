"""sandbox.network: addresses, kube-proxy (IPVS mode) per node, the data plane, CoreDNS, observations.

``attach(cluster)`` builds the :class:`Network` and sets ``cluster.network`` (CONTRACTS.md §5). The
kubelet allocates pod IPs with ``cluster.network.allocate_pod_ip(node)`` and frees them with
``cluster.network.release_pod_ip(ip)``. Client tools (``sandbox/network/clients/``) build on
``connect``, ``http``, ``dns_query`` and the resolver helpers in :mod:`sandbox.network.resolver`.
"""

from sandbox.network.models import Connection, DnsRecord, DnsResponse, HttpOutcome, NodeListener, Source
from sandbox.network.network import Network, attach

__all__ = ["Connection", "DnsRecord", "DnsResponse", "HttpOutcome", "Network", "NodeListener", "Source", "attach"]
