"""The network's observable state is a pure function of the lab's inputs, whatever Python's hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import sys
sys.path.insert(0, sys.argv[1])
from netlab import MiniCluster, pod_source, run_tool
from sandbox.tools.ip import ip
from sandbox.tools.ipset import ipset
from sandbox.tools.ipvsadm import ipvsadm
c = MiniCluster(seed=4)
c.with_dns(2)
for n in range(3):
    ips = [c.network.allocate_pod_ip(node) for node in ("node01", "node02")]
    for k, addr in enumerate(ips):
        c.pod(f"s{n}-{k}", ("node01", "node02")[k], addr, labels={"app": f"s{n}"})
    c.service(f"s{n}", f"10.96.9.{n + 1}", [{"port": 80}], externalIPs=[f"203.0.113.{n + 1}"])
    c.slice(f"s{n}", [{"ip": a, "node": ("node01", "node02")[k]} for k, a in enumerate(ips)], [{"name": "", "port": 80}])
c.pod("cl", "node01", c.network.allocate_pod_ip("node01"))
src = pod_source(c, "cl")
bodies = [c.network.http(src, "GET", "10.96.9.2", 80, "/").body for _ in range(4)]
dns = [r.data for r in c.network.dns_query(src, "s1.default.svc.cluster.local").answer]
print(bodies, dns)
for cmd in ("ipvsadm -Ln", "ipvsadm -Lnc", "ipset list"):
    print(run_tool(ipvsadm if cmd.startswith("ipvsadm") else ipset, c, cmd, node="node01")[1])
print(run_tool(ip, c, "ip addr", node="node01")[1])
"""


def test_same_output_under_different_hash_seeds() -> None:
    here = os.path.dirname(__file__)
    root = os.path.dirname(os.path.dirname(here))
    outs = []
    for seed in ("1", "987"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}
        res = subprocess.run([sys.executable, "-c", SCRIPT, here], capture_output=True, text=True, env=env,
                             timeout=120, check=False)
        assert res.returncode == 0, res.stderr
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    assert "203.0.113.2/32 scope global kube-ipvs0" in outs[0]
