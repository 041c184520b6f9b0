"""kubectl benchmarks: in-process latency vs spawning the real binary, and scaling with cluster size.

Run: .venv/bin/python benchmarks/kubectl.py [--quick]
Prints one line per measurement and exits non-zero when a target is missed:
  * ours >= 20x faster than spawning the real kubectl for the same client-side command;
  * `kubectl get pod NAME` stays flat (10,000 pods / 100 pods median ratio <= 1.5).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "kubectl"))

from harness import Kubectl  # noqa: E402

from sandbox.kubectl import kubeconfig  # noqa: E402

BINARY = ROOT / ".venv" / "bin" / "kubectl"
CLIENT_SIDE = "create service clusterip my-ser --tcp=8000:80 --dry-run=client -o yaml"


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up (imports, caches)
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def real_kubectl_ms(line: str, repeat: int) -> float | None:
    if not BINARY.exists():
        return None
    with tempfile.TemporaryDirectory() as d:
        cfg = Path(d) / "config"
        cfg.write_text(kubeconfig.default_text())
        env = {"PATH": "/usr/bin:/bin", "HOME": d, "KUBECONFIG": str(cfg)}
        args = [str(BINARY), *line.split()]
        return median_ms(lambda: subprocess.run(args, capture_output=True, env=env, check=False), repeat)


def add_pods(cluster, count: int, namespace: str = "bench") -> None:
    """Bare running pods written straight to the store (kubectl's cost is what is measured)."""
    from sandbox.api.clock import rfc3339

    if cluster.store.get("namespaces", None, namespace) is None:
        cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    now = rfc3339(cluster.clock.now)
    have = cluster.store.count("pods", namespace)
    for i in range(have, count):
        cluster.store.add("pods", {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"pod-{i:05d}", "namespace": namespace, "labels": {"app": f"a{i % 50}"},
                         "creationTimestamp": now},
            "spec": {"containers": [{"name": "c", "image": "nginx"}], "nodeName": "node01"},
            "status": {"phase": "Running", "podIP": f"10.244.{(i // 250) % 256}.{i % 250 + 2}",
                       "conditions": [{"type": "Ready", "status": "True"}],
                       "containerStatuses": [{"name": "c", "ready": True, "restartCount": 0,
                                              "state": {"running": {"startedAt": now}}}]},
        })


def main(quick: bool = False) -> int:
    from sandbox.cluster import Cluster

    repeat = 20 if quick else 50
    ok = True
    cluster = Cluster()
    k = Kubectl(cluster)
    k("create service clusterip web --tcp=80:8080")
    rows = []
    for label, line in (("get svc", "get svc"), ("describe svc web", "describe svc web"),
                        ("create --dry-run=client -o yaml", CLIENT_SIDE)):
        ours = median_ms(lambda line=line: k(line), repeat)
        rows.append((label, ours))
    real = real_kubectl_ms(CLIENT_SIDE, 10 if quick else 20)
    for label, ms in rows:
        print(f"{label:40s} ours {ms:8.3f} ms")
    if real is not None:
        ours = rows[-1][1]
        speedup = real / ours
        print(f"{'create --dry-run=client -o yaml':40s} real kubectl {real:8.3f} ms  -> ours {speedup:.0f}x faster")
        ok &= speedup >= 20
    # scaling
    sizes = [100, 10_000] if not quick else [100, 2_000]
    flat = {}
    for n in sizes:
        add_pods(cluster, n)
        flat[n] = median_ms(lambda: k("get pod pod-00042 -n bench"), repeat)
        print(f"get pod NAME with {n:6d} pods {'':15s} {flat[n]:8.3f} ms")
    ratio = flat[sizes[-1]] / flat[sizes[0]]
    print(f"get pod NAME ratio {sizes[-1]}/{sizes[0]} pods: {ratio:.2f} (target <= 1.5)")
    ok &= ratio <= 1.5
    t = time.perf_counter()
    r = k("get pods -A")
    all_ms = (time.perf_counter() - t) * 1000
    print(f"get pods -A with {sizes[-1] + cluster.store.count('pods', 'kube-system')} pods: {all_ms:.1f} ms "
          f"({r.stdout.count(chr(10))} lines)")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main("--quick" in sys.argv))
