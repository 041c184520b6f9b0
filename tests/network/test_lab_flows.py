"""The seeds' flows on the full lab (engine, controllers, kubelet, kubectl, shell + the network)."""

from __future__ import annotations

import pytest

from sandbox.network.resolver import lookup

lab_mod = pytest.importorskip("sandbox.lab")


@pytest.fixture(scope="module")
def lab():
    lb = lab_mod.Lab(seed=11)
    for cmd in ("kubectl create deployment httpenv --image=bretfisher/httpenv",
                "kubectl scale deployment/httpenv --replicas=5",
                "kubectl expose deployment/httpenv --port 8888",
                "kubectl run shpod --image=busybox:1.36 -- sleep 36000",
                "sleep 30"):
        res = lb.run(cmd)
        assert res.exit_code == 0, (cmd, res.stderr)
    return lb


def _pod(lab, name: str, ns: str = "default") -> dict:
    return lab.cluster.store.get("pods", ns, name)


def _httpenv_pods(lab) -> list[dict]:
    return lab.cluster.list("pods", "default", label_selector="app=httpenv")


def test_round_robin_from_a_pod_cycles_through_the_five_httpenv_pods(lab) -> None:
    net = lab.cluster.network
    ip = lab.cluster.get("services", "default", "httpenv")["spec"]["clusterIP"]
    src = net.source_for_pod(_pod(lab, "shpod"))
    names = []
    for _ in range(10):
        out = net.http(src, "GET", ip, 8888, "/")
        assert out.status == 200, out.connection.reason
        import json

        names.append(json.loads(out.body)["HOSTNAME"])
    assert sorted(names[:5]) == sorted(p["metadata"]["name"] for p in _httpenv_pods(lab))
    assert names[5:] == names[:5]


def test_ipvsadm_shows_the_service_with_five_real_servers(lab) -> None:
    ip = lab.cluster.get("services", "default", "httpenv")["spec"]["clusterIP"]
    res = lab.run(f"ipvsadm -Ln -t {ip}:8888")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[2] == f"TCP  {ip}:8888 rr"
    pod_ips = sorted((p["status"]["podIP"] for p in _httpenv_pods(lab)),
                     key=lambda s: tuple(int(x) for x in s.split(".")))
    assert [line.split()[1] for line in lines[3:]] == [f"{p}:8888" for p in pod_ips]


def test_selector_typo_gives_refused_and_no_endpoints(lab) -> None:
    res = lab.run("kubectl apply -f - <<EOF\n"
                  "apiVersion: v1\nkind: Service\nmetadata:\n  name: typo\nspec:\n  selector:\n    app: htpenv\n"
                  "  ports:\n  - port: 80\n    targetPort: 8888\nEOF")
    assert res.exit_code == 0, res.stderr
    lab.run("sleep 2")
    net = lab.cluster.network
    ip = lab.cluster.get("services", "default", "typo")["spec"]["clusterIP"]
    c = net.connect(net.source_for_pod(_pod(lab, "shpod")), ip, 80)
    assert (c.result, c.reason) == ("refused", "no endpoints")


def test_cluster_dns_and_headless_answers(lab) -> None:
    res = lab.run("kubectl expose deployment httpenv --name=httpenv-headless --cluster-ip=None --port 8888")
    assert res.exit_code == 0, res.stderr
    lab.run("sleep 2")
    net = lab.cluster.network
    src = net.source_for_pod(_pod(lab, "shpod"))
    ip = lab.cluster.get("services", "default", "httpenv")["spec"]["clusterIP"]
    found = lookup(net, src, "httpenv", qtypes=("A",))
    assert (found.status, found.addresses, found.canonical) == ("ok", [ip], "httpenv.default.svc.cluster.local")
    headless = lookup(net, src, "httpenv-headless", qtypes=("A",))
    assert sorted(headless.addresses) == sorted(p["status"]["podIP"] for p in _httpenv_pods(lab))


def test_scaling_coredns_to_zero_breaks_dns() -> None:
    lb = lab_mod.Lab(seed=3)
    assert lb.run("kubectl run c --image=busybox:1.36 -- sleep 3600").exit_code == 0
    assert lb.run("kubectl -n kube-system scale deployment coredns --replicas=0").exit_code == 0
    lb.run("sleep 40")
    net = lb.cluster.network
    resp = net.dns_query(net.source_for_pod(lb.cluster.store.get("pods", "default", "c")),
                         "kubernetes.default.svc.cluster.local")
    assert resp.status in ("refused", "timeout") and resp.answer == []


def test_scheduler_from_the_configmap_applies_when_kube_proxy_restarts() -> None:
    lb = lab_mod.Lab(seed=5)
    res = lb.run("kubectl -n kube-system get cm kube-proxy -o yaml | sed 's/scheduler: \"\"/scheduler: \"lc\"/' "
                 "| kubectl apply -f -")
    assert res.exit_code == 0, res.stderr
    assert lb.run("ipvsadm -Ln").stdout.splitlines()[3] == "TCP  10.96.0.1:443 rr"  # not restarted yet
    assert lb.run("kubectl -n kube-system rollout restart ds kube-proxy").exit_code == 0
    lb.run("sleep 90")
    for node in lb.cluster.network.proxies.values():
        assert node.running and node.scheduler == "lc"
    assert lb.run("ipvsadm -Ln").stdout.splitlines()[3] == "TCP  10.96.0.1:443 lc"


def test_statefulset_pods_resolve_by_hostname() -> None:
    lb = lab_mod.Lab(seed=9)
    res = lb.run("""kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
    name: web
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
          name: web
EOF""")
    assert res.exit_code == 0, res.stderr
    lb.run("kubectl run c --image=busybox:1.36 -- sleep 3600")
    lb.run("sleep 60")
    net = lb.cluster.network
    src = net.source_for_pod(lb.cluster.store.get("pods", "default", "c"))
    web0 = lb.cluster.store.get("pods", "default", "web-0")["status"]["podIP"]
    resp = net.dns_query(src, "web-0.nginx.default.svc.cluster.local")
    assert [(r.name, r.data) for r in resp.answer] == [("web-0.nginx.default.svc.cluster.local.", web0)]
    # libc: the dotted partial name completes through the search list; busybox nslookup sends it literally
    assert lookup(net, src, "web-0.nginx", qtypes=("A",)).addresses == [web0]
    assert lookup(net, src, "web-0.nginx", mode="busybox", qtypes=("A",)).status == "nxdomain"
