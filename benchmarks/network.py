"""Network benchmarks (issue 4, Speed): prints figures and ratios; not a test.

    .venv/bin/python benchmarks/network.py [--quick]

1. New-connection cost through the source node's IPVS table with 10 vs 10,000 Services of 5
   endpoints each (ratio <= 1.5: a hash lookup), next to an iptables-mode style linear walk of a
   KUBE-SERVICES chain over the same Services in the same run (grows with the number of Services;
   ipvs.md §7's anchor table shows the same contrast on real nodes).
2. One endpoint change (an EndpointSlice update seen by all three kube-proxies) at 100 vs 10,000
   Services (ratio <= 1.5: kube-proxy re-plans only the changed Service).

The cluster is the real Store, Clock and watch events with the network attached (no controllers:
Services and EndpointSlices are written as the controllers would), so only network work is timed.
Each figure is the best of several repetitions to keep scheduler noise out of the ratios.
"""

from __future__ import annotations

import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sandbox.api.clock import Clock  # noqa: E402
from sandbox.api.store import Store  # noqa: E402
from sandbox.network import attach  # noqa: E402

LIMIT = 1.5


class BenchCluster:
    """The contracted surface the network needs: clock, rng, store, subscribe, nodes, runtime."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.rng = random.Random(1)
        self.store = Store(self.clock, self.rng)
        self.node_names = ["controlplane", "node01", "node02"]
        self.nodes_info: dict = {}
        self.runtime = None
        self.ipvs_scheduler = "rr"
        self.network = None
        self.store.add("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
        attach(self)

    def subscribe(self, fn) -> None:
        self.store.watch(fn)


def build(n: int) -> tuple[BenchCluster, list[str], list[list[str]]]:
    c = BenchCluster()
    vips, backends = [], []
    for i in range(n):
        name = f"svc{i}"
        ip = f"10.{100 + i // 60000}.{(i // 240) % 250}.{i % 240 + 2}"
        c.store.add("services", {"apiVersion": "v1", "kind": "Service",
                                 "metadata": {"name": name, "namespace": "default"},
                                 "spec": {"type": "ClusterIP", "clusterIP": ip, "clusterIPs": [ip],
                                          "selector": {"app": name},
                                          "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}})
        eps = []
        for k in range(5):
            node = ("node01", "node02")[k % 2]
            j = i * 5 + k   # endpoint addresses only need to be unique: a node's /24 holds 253 pods
            pod_ip = f"10.{200 + j // 64516}.{(j // 254) % 254}.{j % 254 + 1}"
            eps.append({"addresses": [pod_ip], "conditions": {"ready": True, "serving": True, "terminating": False},
                        "nodeName": node})
        c.store.add("endpointslices", {
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": {"name": f"{name}-abcde", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": name}},
            "endpoints": eps, "ports": [{"name": "", "port": 8080, "protocol": "TCP"}]})
        vips.append(ip)
        backends.append([e["addresses"][0] for e in eps])
    return c, vips, backends


def time_connections(c: BenchCluster, vips: list[str], count: int) -> float:
    """Seconds per new connection from a node to a random Service VIP: the whole ``Network.connect``
    path (IPVS lookup, scheduling, connection entry, DNAT and delivery), without the observation log."""
    net = c.network
    src = net.source_for_node("node01")
    rng = random.Random(7)
    targets = [rng.choice(vips) for _ in range(count)]
    start = time.perf_counter()
    for ip in targets:
        net.connect(src, ip, 80, record=False)
    return (time.perf_counter() - start) / count


def iptables_chain(vips: list[str], backends: list[list[str]]) -> list[tuple[str, int, list[str]]]:
    """KUBE-SERVICES in iptables mode: one rule per Service port, in creation order."""
    return [(ip, 80, eps) for ip, eps in zip(vips, backends, strict=True)]


def time_iptables_walk(chain: list[tuple[str, int, list[str]]], vips: list[str], count: int) -> float:
    """Seconds per first packet when matching walks the chain rule by rule (then KUBE-SVC-* picks an
    endpoint with `-m statistic --mode random` rules)."""
    rng = random.Random(7)
    targets = [rng.choice(vips) for _ in range(count)]
    start = time.perf_counter()
    for ip in targets:
        for dst, port, eps in chain:
            if dst == ip and port == 80:
                n = len(eps)
                for k, _ep in enumerate(eps):  # KUBE-SVC: probability 1/(n-k) per rule
                    if k == n - 1 or rng.random() < 1.0 / (n - k):
                        break
                break
    return (time.perf_counter() - start) / count


def time_endpoint_change(c: BenchCluster, changes: int) -> float:
    """Seconds per EndpointSlice update (one endpoint removed or re-added) through all kube-proxies."""
    store = c.store
    sl = store.get("endpointslices", "default", "svc0-abcde")
    full = list(sl["endpoints"])
    start = time.perf_counter()
    for k in range(changes):
        eps = full[:-1] if k % 2 == 0 else full
        store.replace("endpointslices", {**sl, "metadata": dict(sl["metadata"]), "endpoints": eps})
        sl = store.get("endpointslices", "default", "svc0-abcde")
    return (time.perf_counter() - start) / changes


def best(fn, *args, repeat: int = 5) -> float:
    return min(fn(*args) for _ in range(repeat))


def best_pair(fn, a: tuple, b: tuple, repeat: int = 7) -> tuple[float, float]:
    """Best of ``repeat`` runs of ``fn(*a)`` and ``fn(*b)``, interleaved so that load changes on a shared
    machine hit both sides alike."""
    ra, rb = [], []
    for _ in range(repeat):
        ra.append(fn(*a))
        rb.append(fn(*b))
    return min(ra), min(rb)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    small, large, mid = 10, (2_000 if quick else 10_000), 100
    conns = 2_000 if quick else 20_000
    ok = True

    t0 = time.perf_counter()
    c_small, v_small, b_small = build(small)
    c_large, v_large, b_large = build(large)
    c_mid, _, _ = build(mid)
    print(f"Built clusters of {small}, {mid} and {large} Services x 5 endpoints in "
          f"{time.perf_counter() - t0:.1f} s")

    # endpoint changes first: parked (graceful) servers from the connection runs would change the path
    changes = 200 if quick else 1_000
    chg_mid, chg_large = best_pair(time_endpoint_change, (c_mid, changes), (c_large, changes))
    ratio2 = chg_large / chg_mid
    ok &= ratio2 <= LIMIT
    print("\nOne endpoint change (EndpointSlice update -> 3 kube-proxies re-plan one Service)")
    print(f"  {mid:>10} services: {chg_mid * 1e6:.1f} us per change")
    print(f"  {large:>10} services: {chg_large * 1e6:.1f} us per change")
    print(f"  ratio {large}/{mid}: {ratio2:.2f} (limit {LIMIT})  {'OK' if ratio2 <= LIMIT else 'TOO SLOW'}")
    ipvs_small, ipvs_large = best_pair(time_connections, (c_small, v_small, conns), (c_large, v_large, conns))
    ratio = ipvs_large / ipvs_small
    ok &= ratio <= LIMIT
    walk_n = max(200, conns // 20)
    ipt_small = best(time_iptables_walk, iptables_chain(v_small, b_small), v_small, walk_n)
    ipt_large = best(time_iptables_walk, iptables_chain(v_large, b_large), v_large, walk_n)
    print("\nNew connection (first packet to a Service VIP)")
    print(f"  {'services':>10} {'IPVS connect()':>18} {'iptables-style walk':>21}")
    print(f"  {small:>10} {ipvs_small * 1e6:>15.2f} us {ipt_small * 1e6:>18.2f} us")
    print(f"  {large:>10} {ipvs_large * 1e6:>15.2f} us {ipt_large * 1e6:>18.2f} us")
    print(f"  ratio {large}/{small}: IPVS {ratio:.2f} (limit {LIMIT}) | iptables walk {ipt_large / ipt_small:.1f}"
          f"  {'OK' if ratio <= LIMIT else 'TOO SLOW'}")

    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
