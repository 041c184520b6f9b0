"""Check evaluation speed (issue 5): 50 checks on a lab with 1,000 objects, against the same 50 checks
with 100 unrelated objects. Prints the time per full evaluation and the ratio (cost must follow the
number of checks, not the number of unrelated objects; a frame is 16 ms).

    python benchmarks/checks.py
"""

from __future__ import annotations

import time

from sandbox.lab import Lab
from tutor.checks import Check, evaluate_all
from tutor.session import CheckView

CHECKS = [
    {"name": "svc exists", "exists": {"kind": "service", "name": "web"}},
    {"name": "type", "field": {"kind": "service", "name": "web", "path": "{.spec.type}", "equals": "ClusterIP"}},
    {"name": "port", "field": {"kind": "service", "name": "web", "path": "{.spec.ports[0].port}", "equals": 80}},
    {"name": "endpoints", "endpoints": {"service": "web", "ready": 3}},
    {"name": "selects", "selects": {"selector": "app=web", "count": 3, "ready": True}},
    {"name": "absent", "absent": {"kind": "service", "name": "nope"}},
    {"name": "observed", "observed": {"service": "web", "from_not_selected": True}},
    {"name": "dns", "dns": {"name": "web", "type": "A", "records": 1}},
    {"name": "probe", "probe": {"from": {"pod": "client"}, "url": "http://web", "status": 200}},
    {"name": "ran", "ran": {"pattern": "wget"}},
]


def build(unrelated: int) -> tuple[Lab, CheckView]:
    lab = Lab(seed=1)
    for command in ("kubectl create deployment web --image=nginx --replicas=3", "kubectl expose deployment web --port=80",
                    "kubectl run client --image=busybox:1.36 -- sleep 3600", "sleep 20",
                    "kubectl exec client -- wget -qO- http://web", "kubectl exec client -- nslookup web"):
        lab.run(command)
    lab.run("kubectl create namespace bulk")
    for i in range(unrelated):
        lab.cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": {"name": f"cm-{i}", "namespace": "default" if i % 2 else "bulk"},
                            "data": {"k": str(i)}})
    return lab, CheckView(lab, [("controlplane", "kubectl exec client -- wget -qO- http://web")])


def _setup(unrelated: int) -> tuple[list[Check], CheckView]:
    _lab, view = build(unrelated)
    checks = [Check.model_validate(CHECKS[i % len(CHECKS)] | {"name": f"c{i}"}) for i in range(50)]
    results = evaluate_all(checks, view)
    assert all(r.passed for r in results), [r for r in results if not r.passed]
    return checks, view


def main(rounds: int = 60) -> None:
    """Both labs are measured in alternation and the best round kept, so machine load hits both alike."""
    small, large = _setup(100), _setup(1000)
    best = {100: float("inf"), 1000: float("inf")}
    for _ in range(rounds):
        for size, (checks, view) in ((100, small), (1000, large)):
            start = time.perf_counter()
            evaluate_all(checks, view)
            best[size] = min(best[size], time.perf_counter() - start)
    print(f"50 checks, 100 unrelated objects:   {best[100] * 1000:7.2f} ms per evaluation")
    print(f"50 checks, 1,000 unrelated objects: {best[1000] * 1000:7.2f} ms per evaluation (frame budget 16 ms)")
    print(f"ratio 1,000 / 100: {best[1000] / best[100]:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
