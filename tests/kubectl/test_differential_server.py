"""Differential tests for the generators that need discovery (``run``, ``expose``).

The real kubectl talks to a tiny local fake API server serving discovery and the very objects our
lab's cluster holds; ours runs against that cluster. Both use ``--dry-run=client`` (or fail before
writing), so outputs must match byte for byte.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
from harness import Kubectl

BINARY = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kubectl"
pytestmark = pytest.mark.skipif(not BINARY.exists(), reason="real kubectl binary not installed")

RUN = [
    "run nginx --image=nginx --dry-run=client", "run nginx --image=nginx --dry-run=client -o yaml",
    "run nginx --image=nginx --dry-run=client -o json", "run nginx --image=nginx --dry-run=client -o name",
    "run web --image=nginx --port=80 --labels=app=web,tier=fe --env=A=1 --env=B=2 --dry-run=client -o json",
    "run tst --image=busybox --restart=Never --dry-run=client -o yaml -- sh -c 'echo hi'",
    "run tst --image=busybox --command --dry-run=client -o yaml -- sleep 3600",
    "run x --image=nginx --image-pull-policy=IfNotPresent --dry-run=client -o yaml",
    "run x --image=nginx --restart=OnFailure --dry-run=client -o json",
    "run x --image=nginx --restart=Bogus --dry-run=client",
    "run x --image=nginx --image-pull-policy=Sometimes --dry-run=client",
    "run x --image=nginx --expose --port=80 --dry-run=client -o yaml",
    "run x --image=nginx --expose --port=80 --dry-run=client",
    "run x --image=nginx --annotations=a=b --dry-run=client -o yaml",
    "run x --image=nginx -n dev --dry-run=client -o yaml",
    "run x --image=nginx --labels=bad --dry-run=client", "run x --image=nginx --env=NOEQ --dry-run=client",
    "run x --image=nginx --dry-run=client -o jsonpath={.spec.containers[0].name}",
    "run x --image=busybox --dry-run=client -o yaml -- echo hello world",
]
EXPOSE = [
    "expose deploy web --port=8080 --target-port=80 --dry-run=client -o yaml",
    "expose deploy web --dry-run=client -o json", "expose deploy web --dry-run=client",
    "expose deployment/web --name=web2 --type=NodePort --dry-run=client -o yaml",
    "expose pod p --port=80 --name=p-svc --type=NodePort --dry-run=client -o yaml",
    "expose pod p --dry-run=client -o yaml", "expose svc s --port=90 --dry-run=client -o yaml",
    "expose deploy web --type=LoadBalancer --dry-run=client -o name",
    "expose deploy web --protocol=UDP --dry-run=client -o yaml",
    "expose deploy web --selector=app=other --labels=x=y --dry-run=client -o yaml",
    "expose deploy web --cluster-ip=None --dry-run=client -o yaml",
    "expose deploy web --session-affinity=ClientIP --dry-run=client -o yaml",
    "expose deploy web --session-affinity=Sticky --dry-run=client",
    "expose deploy noport --dry-run=client", "expose deploy multi --dry-run=client -o yaml",
    "expose deploy nope --dry-run=client", "expose ns default --dry-run=client",
    "expose deploy web -n default --dry-run=client -o yaml",
]
GET = [
    "get svc s -o yaml", "get deploy web -o json", "get svc -o name", "get svc,deploy -o name",
    "get pods -o jsonpath={.items[*].metadata.name}", "get svc s -o go-template={{.spec.clusterIP}}",
    "get svc -o custom-columns=NAME:.metadata.name,IP:.spec.clusterIP", "get svc s nope -o name",
    "get svc nope -o yaml", "get svc --sort-by=.metadata.name -o name", "get deploy -o yaml",
    "get svc s -o jsonpath-as-json={.spec.ports}", "get deploy/web svc/s -o name",
    "get svc s -o jsonpath={.metadata.labels}", "get svc s --ignore-not-found -o name",
    "get svc nope --ignore-not-found -o name",
    "get svc s -l app=web -o name", "get pods -A s -o name", "get foo", "get svc s --sort-by=.nope -o name",
    "delete svc s --dry-run=client", "delete svc s --dry-run=client -o name",
    "label svc s a=b --dry-run=client", "label svc s team- --dry-run=client -o name",
    "annotate svc s x=y --dry-run=client", "scale deploy web --replicas=3 --dry-run=client",
    "set image deploy/web c=nginx:1.27 --dry-run=client", "set image deploy/web zz=nginx --dry-run=client",
    "label svc s team=b --dry-run=client", "label svc s 'bad value=x' --dry-run=client",
    "rollout pause deploy/web --dry-run=client", "rollout resume deploy/web --dry-run=client",
    "rollout pause svc/s --dry-run=client", "rollout restart svc/s --dry-run=client",
    "set selector svc s app=other,tier=fe --dry-run=client -o yaml", "set selector svc s app=web --dry-run=client",
    "set selector deploy web a=b --dry-run=client", "set selector svc s --dry-run=client",
    "set env deploy/web A=1 B=two --dry-run=client -o yaml", "set env deploy/web --list",
    "set env deploy/web A=1 --dry-run=client", "set env pod/p X=y --dry-run=client -o json",
    "set env deploy/web A=1 -c nomatch --dry-run=client", "set env svc/s A=1 --dry-run=client",
    "set env A=1", "set env deploy/web A=1 deploy/x",
]
FILES = {
    "s.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: web\n  ports:\n"
              "  - port: 80\n    targetPort: 80\n",
    "new.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: fresh\n  namespace: default\nspec:\n  ports:\n"
                "  - port: 81\n",
    "two.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\ndata:\n  a: '1'\n---\napiVersion: v1\n"
                "kind: ConfigMap\nmetadata:\n  name: c2\n",
    "other-ns.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c3\n  namespace: prod\n",
}
FILE_CASES = [
    "apply -f s.yaml --dry-run=client --validate=false", "apply -f new.yaml --dry-run=client --validate=false", "apply -f new.yaml --dry-run=client -o yaml --validate=false",
    "apply -f two.yaml --dry-run=client -o name --validate=false", "create -f two.yaml --dry-run=client -o yaml --validate=false",
    "create -f new.yaml --dry-run=client -o json --validate=false", "get -f s.yaml -o name", "delete -f s.yaml --dry-run=client --validate=false",
    "apply -f other-ns.yaml --dry-run=client -n dev --validate=false", "create -f other-ns.yaml --dry-run=client -o name --validate=false",
    "apply -f new.yaml --dry-run=client --server-side=false -o jsonpath={.metadata.annotations} --validate=false",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    from fake_apiserver import FakeApiServer

    from sandbox.cluster import Cluster

    cluster = Cluster(seed=11)
    k = Kubectl(cluster)

    def deployment(name: str, ports: list[int]) -> None:
        c = {"name": "c", "image": "nginx"}
        if ports:
            c["ports"] = [{"containerPort": p} for p in ports]
        cluster.create({"apiVersion": "apps/v1", "kind": "Deployment",
                        "metadata": {"name": name, "namespace": "default", "labels": {"app": name}},
                        "spec": {"selector": {"matchLabels": {"app": name}},
                                 "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [c]}}}})

    deployment("web", [80])
    deployment("noport", [])
    deployment("multi", [80, 443])
    cluster.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default",
                                                                       "labels": {"run": "p"}},
                    "spec": {"containers": [{"name": "p", "image": "nginx", "ports": [{"containerPort": 8080}]}]}})
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "default",
                                                                           "labels": {"team": "a"}},
                    "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]}})
    objects = {}
    for plural, prefix in (("deployments", "/apis/apps/v1"), ("pods", "/api/v1"), ("services", "/api/v1")):
        for obj in cluster.list(plural, "default"):
            objects[f"{prefix}/namespaces/default/{plural}/{obj['metadata']['name']}"] = obj
    objects["/api/v1/namespaces/default"] = cluster.get("namespaces", None, "default")
    for plural, prefix, kind in (("deployments", "/apis/apps/v1", "DeploymentList"), ("pods", "/api/v1", "PodList"),
                                 ("services", "/api/v1", "ServiceList")):
        items = [{k: v for k, v in o.items() if k not in ("kind", "apiVersion")}
                 for o in cluster.list(plural, "default")]
        objects[f"{prefix}/namespaces/default/{plural}"] = {
            "kind": kind, "apiVersion": prefix.split("/", 2)[-1] if prefix != "/api/v1" else "v1",
            "metadata": {"resourceVersion": "999"}, "items": items}
    server = FakeApiServer(objects)
    d = tmp_path_factory.mktemp("kc")
    cfg = d / "config"
    cfg.write_text(f"apiVersion: v1\nclusters:\n- cluster:\n    server: {server.url}\n  name: kubernetes\n"
                   "contexts:\n- context:\n    cluster: kubernetes\n    user: kubernetes-admin\n"
                   "  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\nkind: Config\n"
                   "users:\n- name: kubernetes-admin\n  user: {}\n")
    yield k, d, cfg
    server.close()


@pytest.mark.parametrize("line", RUN + EXPOSE + GET + FILE_CASES)
def test_generators_needing_discovery(world, line: str) -> None:
    k, d, cfg = world
    args = shlex.split(line)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(d), "KUBECONFIG": str(cfg)}
    want = subprocess.run([str(BINARY), *args], capture_output=True, text=True, env=env, cwd=d, timeout=30)
    for name, text in FILES.items():
        (d / name).write_text(text)
        k.fs.write(f"/root/{name}", text)
    got = k(["kubectl", *args])
    assert (got.stdout, got.stderr, got.exit_code) == (want.stdout, want.stderr, want.returncode)
