"""Random label/readiness/deletion churn: slices and Endpoints always describe exactly the selected pods."""

import random

import pytest

from sandbox.cluster import Cluster
from tests.controllers.test_kubelet import pod


def check(c: Cluster, svc: str) -> None:
    service = c.get("services", "default", svc)
    sel = service["spec"]["selector"]
    expected = {}
    for p in c.list("pods", "default"):
        st = p.get("status") or {}
        if not all((p["metadata"].get("labels") or {}).get(k) == v for k, v in sel.items()):
            continue
        if not st.get("podIP") or st.get("phase") in ("Succeeded", "Failed"):
            continue
        ready = any(x["type"] == "Ready" and x["status"] == "True" for x in st.get("conditions") or [])
        terminating = bool(p["metadata"].get("deletionTimestamp"))
        expected[p["metadata"]["name"]] = (st["podIP"], ready and not terminating, ready, terminating)
    slices = [s for s in c.list("endpointslices", "default")
              if s["metadata"]["labels"].get("kubernetes.io/service-name") == svc]
    got = {}
    for s in slices:
        assert len(s["endpoints"] or []) <= 100
        for e in s["endpoints"] or []:
            name = e["targetRef"]["name"]
            assert name not in got, "endpoint listed twice"
            cond = e["conditions"]
            got[name] = (e["addresses"][0], cond["ready"], cond["serving"], cond["terminating"])
    assert got == expected
    placeholders = [s for s in slices if s["endpoints"] is None]
    assert (len(placeholders) == 1 and len(slices) == 1) if not expected else not placeholders
    ep = c.get("endpoints", "default", svc)
    ready_ips = sorted(v[0] for v in expected.values() if v[1])
    not_ready_ips = sorted(v[0] for k, v in expected.items() if not v[1] and not v[3])
    subsets = ep.get("subsets") or []
    assert sorted(a["ip"] for s in subsets for a in s.get("addresses") or []) == ready_ips
    assert sorted(a["ip"] for s in subsets for a in s.get("notReadyAddresses") or []) == not_ready_ips


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_random_churn_keeps_endpoints_exact(seed):
    rng = random.Random(seed)
    c = Cluster(seed=40 + seed)
    probe = {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 1, "failureThreshold": 1}
    for i in range(12):
        c.create(pod(f"p{i}", image="busybox", labels={"app": rng.choice("ab")}, node=("node01", "node02")[i % 2],
                     cname="c", command=["sleep", "3600"], readinessProbe=probe))
    c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"},
              "spec": {"selector": {"app": "a"}, "ports": [{"port": 80}]}})
    c.tick(5)
    for _ in range(60):
        name = f"p{rng.randrange(12)}"
        p = c.store.get("pods", "default", name)
        action = rng.random()
        if p is None:
            c.create(pod(name, image="busybox", labels={"app": "a"}, node="node01", cname="c",
                         command=["sleep", "3600"], readinessProbe=probe))
        elif action < 0.4:
            c.patch("pods", "default", name, {"metadata": {"labels": {"app": rng.choice("ab")}}})
        elif action < 0.8:
            rt = c.runtime.container(p["metadata"]["uid"], "c")
            if rt is not None and rt.running:
                if rt.read_file("/tmp/ready") is None:
                    rt.write_file("/tmp/ready", "")
                else:
                    rt.remove_file("/tmp/ready")
        elif not p["metadata"].get("deletionTimestamp"):
            c.delete("pods", "default", name, grace_period=rng.choice([0, 3]))
        c.tick(rng.choice([0.5, 1.5, 3]))
        check(c, "a")
