"""Differential tests: our kubectl against the real kubectl 1.37 binary, byte for byte.

Every case is a client-side invocation (generators under ``--dry-run=client``, usage errors, unknown
flags, bad values, help, ``config`` against a kubeconfig file, ``version --client``). Both run with the
same kubeconfig (kubeadm-like, server unreachable) and the same manifest files; stdout, stderr and the
exit code must be identical. Skipped when the binary is missing.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from harness import Kubectl  # noqa: E402

from sandbox.kubectl import kubeconfig  # noqa: E402

BINARY = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kubectl"
pytestmark = pytest.mark.skipif(not BINARY.exists(), reason="real kubectl binary not installed")

FILES = {
    "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n"
                "  ports:\n  - port: 80\n    targetPort: 8080\n",
    "bad.yaml": "apiVersion: v1\nkind: Pod\nmeta\n  name: nnappone\n  labels:\n    app: x\n",
    "bad2.yaml": "a: [1\n",
    "bad3.yaml": "a: b\n  c: d\n",
    "nokind.yaml": "apiVersion: v1\nmetadata:\n  name: x\n",
    "noapi.yaml": "kind: Pod\nmetadata:\n  name: x\n",
    "list.yaml": "- a\n- b\n",
    "tmpl.txt": "{{.metadata.name}}",
    "jp.txt": "{.metadata.name}",
    "data.txt": "hello\n",
    "app.env": "A=1\n# comment\nB=two\n",
}
DIRS = ("emptyd",)

GENERATORS = [
    "create service clusterip my-ser --tcp=8000:80",
    "create service clusterip my-ser --tcp=8000:my-port",
    "create service clusterip multi --tcp=80:8080,443:8443",
    "create service clusterip multi --tcp=80 --tcp=443:8443",
    "create service clusterip h --clusterip=None",
    "create service clusterip fixed --clusterip=10.96.0.50 --tcp=80",
    "create svc nodeport web --tcp=80:8080 --node-port=30080",
    "create service nodeport np --tcp=80",
    "create service loadbalancer lb --tcp=80:8080",
    "create service externalname ext --external-name=bar.com",
    "create service externalname ext2 --external-name=db.example.org --tcp=5432",
    "create deployment web --image=nginx:1.27",
    "create deployment web --image=nginx --replicas=3 --port=80",
    "create deploy httpenv --image=bretfisher/httpenv",
    "create deployment multi --image=nginx --image=redis:7",
    "create deployment sleeper --image=busybox -- sleep 3600",
    "create deployment dig --image=registry.k8s.io/e2e-test-images/agnhost@sha256:abc123 --port=8080",
    "create namespace dev",
    "create ns team-a",
    "create configmap cfg --from-literal=a=1 --from-literal=b=two",
    "create cm html --from-file=data.txt",
    "create cm html2 --from-file=index.html=data.txt",
    "create cm envs --from-env-file=app.env",
    "create cm empty",
]
FORMATS = ["", "-o yaml", "-o json", "-o name", "-o kyaml", "-o jsonpath={.metadata.name}",
           "-o jsonpath-as-json={.metadata}", "-o go-template={{.kind}}/{{.metadata.name}}"]
EXTRA_FORMATS = ["-o=yaml -n dev", "-ojson -n dev", "--namespace=team -o yaml", "-o jsonpath='{.spec}'",
                 "--save-config -o yaml", "-o template --template={{.apiVersion}}", "--template={{.kind}}",
                 "-o jsonpath-file=jp.txt", "-o go-template-file=tmpl.txt", "--dry-run=server -o name"]

def _case(generator: str, extra: str) -> str:
    """Flags go before a trailing ``-- command`` (after it they would be the command's words)."""
    head, dash, tail = generator.partition(" -- ")
    return f"{head} --dry-run=client {extra}".strip() + (f" -- {tail}" if dash else "")


CASES: list[str] = [_case(g, f) for g in GENERATORS for f in FORMATS]
CASES += [_case(g, f) for g in GENERATORS[::3] for f in EXTRA_FORMATS if "--dry-run=server" not in f]

ERRORS = [
    # usage and flag errors
    "get --bogus", "get -l", "get pods --selector", "get pods -Z", "get pods -xyz", "describe --nope",
    "create service clusterip x -n", "foo", "gte pods", "optoins", "hlep", "vresion", "x", "descirbe",
    "confg", "rollout stats", "get pods --v", "create", "apply", "delete", "get", "create service",
    "create service headless x", "create service clusterip", "create service clusterip a b --tcp=80",
    "create deploy x", "create deploy --image=x", "create deployment x --image=nginx --replicas=abc",
    "create deployment x --image=nginx --port=http", "create deployment x --image=a --image=b -- sleep 1",
    "create service clusterip x --tcp=abc", "create service clusterip x --tcp=70000",
    "create service clusterip x --tcp=-1", "create service clusterip x --tcp=80:0",
    "create service clusterip x --tcp=80:Http", "create service clusterip x --tcp=80:a--b",
    "create service clusterip x --tcp=80:verylongportname1", "create service clusterip x --tcp=80:-ab",
    "create service clusterip x --tcp=80:1234567",
    "create service clusterip x", "create service nodeport x", "create service nodeport x --clusterip=None",
    "create service nodeport x --tcp=80 --node-port=abc", "create service externalname x",
    "create service externalname x --external-name=Bad_Name", "create ns", "create ns a b",
    "create ns dev -o bogus", "create ns dev --dry-run=bogus", "create ns x --dry-run=bogus -o bogus",
    "create ns dev --dry-run=client -o jsonpath", "create ns dev --dry-run=client -o jsonpath=",
    "create ns dev --dry-run=client -o go-template", "create ns dev --dry-run=client -o custom-columns=A:.x",
    "create ns dev --dry-run=client -o wide", "create ns dev --dry-run=client -o json=x",
    "create ns dev --dry-run=client -o yaml=abc", "create ns dev --dry-run=client -o jsonpath-file=nope.txt",
    "create ns dev --dry-run=client --validate=bogus",
    "create ns dev --dry-run=client --save-config=maybe", "create cm x --from-literal=novalue --dry-run=client",
    "create cm x --from-literal=a=1 --from-literal=a=2 --dry-run=client",
    "exec p ls", "exec", "run x", "run", "scale deploy web", "create -f nope.yaml --dry-run=client",
    "create -f bad.yaml --dry-run=client", "create -f bad2.yaml --dry-run=client",
    "create -f bad3.yaml --dry-run=client", "create -f nokind.yaml --dry-run=client",
    "create -f noapi.yaml --dry-run=client", "create -f list.yaml --dry-run=client",
    "create -f emptyd --dry-run=client", "apply -f emptyd", "apply -f nope.yaml", "delete -f nope.yaml",
    "version --bogus", "version --client -o x", "version --client --output=json", "version --client -o yaml",
    "version --client", "logs", "label", "annotate", "top", "set", "rollout", "config", "create secret",
    "config foo", "rollout foo", "rollout status", "wait", "explain", "edit --bogus", "patch --type=foo",
    "scale --replicas=abc deploy/web", "get pods -w=maybe", "delete pod x --grace-period=abc",
    "get pods --request-timeout=abc", "-v", "--kubeconfig", "get pods --namespace", "--bogus",
    "attach", "attach a b c", "attach -h", "proxy -h", "port-forward -h", "cp -h", "auth -h", "debug -h",
    "get -l app=web", "describe", "delete pod x --now --grace-period=5", "delete pod x --cascade=bogus",
    "delete pod x --cascade=sideways -o name", "replace", "replace --grace-period=1 -f svc.yaml",
    "replace --force --dry-run=client -f svc.yaml", "port-forward", "port-forward pod/x", "events --types=Bogus",
    "events --for=x", "cp", "cp a", "cp :x y", "get --raw /healthz pods", "replace --timeout=5s -f svc.yaml", "cordon", "uncordon", "scale --replicas=-1 deploy/web",
    "scale --current-replicas=-2 --replicas=1 deploy/web", "label pod x", "label", "annotate pod x",
    "patch pod x", "patch pod x -p '{}' --type=foo", "patch pod x -p a --patch-file=f", "set image",
    "rollout history", "rollout undo", "rollout restart", "wait pod/x", "wait pod/x --for=bogus",
    "wait pod/x --for=jsonpath=", "explain a b", "explain svc --max-depth=2", "run x --image=nginx --rm",
    "run x --image=nginx -t", "run x --image=nginx -it --dry-run=client", "run x --image=nginx --expose",
    "run x --image=nginx --port=abc", "run --image=nginx", "run x --image=Bad:Image:Ref", "expose",
    "create deployment x --image=nginx --replicas=2 --dry-run=client -o jsonpath={.spec.replicas}",
    "edit", "logs -l app=x pod", "logs a b c", "exec -it", "config set-context a --current",
]
HELP = [
    "-h", "--help", "help", "help get", "get -h", "get --help", "describe -h", "create -h", "create service -h",
    "create service clusterip -h", "create service nodeport -h", "create service loadbalancer -h",
    "create service externalname -h", "create deployment -h", "create namespace -h", "create configmap -h",
    "run -h", "expose -h", "apply -h", "delete -h", "logs -h", "exec -h", "scale -h", "label -h", "annotate -h",
    "edit -h", "patch -h", "set image -h", "rollout -h", "rollout status -h", "rollout undo -h", "wait -h",
    "explain -h", "api-resources -h", "cluster-info -h", "top -h", "version -h", "config -h", "config view -h",
    "config set-context -h", "config use-context -h", "config get-contexts -h", "options", "svc -h",
    "create svc -h", "create deploy --help", "get pods -h --bogus",
]
CONFIG = [
    "config view", "config view --raw", "config view --minify", "config view -o json",
    "config view -o jsonpath={.contexts[*].name}", "config view -o jsonpath={.clusters[0].cluster.server}",
    "config view --minify --context=nope", "config current-context", "config get-contexts",
    "config get-contexts kubernetes-admin@kubernetes", "config get-contexts foo", "config get-contexts -o name",
    "config get-contexts --no-headers", "config get-contexts -o wide", "config get-clusters", "config get-users",
    "config use-context foo", "config use-context", "config use-context a b",
    "config set-context", "config set-context a b", "config set-context x --current",
    "config delete-context zz", "config rename-context a b", "config rename-context a",
    "config use-context kubernetes-admin@kubernetes", "config set-context --current --namespace=dev",
    "config set-context foo", "config set-context foo --cluster=kubernetes --user=kubernetes-admin -n prod",
    "config view -o name", "config view -o kyaml", "config view --kubeconfig=nope.yaml", "config get-contexts --kubeconfig=nope.yaml",
    "config view --kubeconfig=nope.yaml -o json", "config current-context --kubeconfig=svc.yaml",
]
CONTEXT = [
    "get pods --context=foo", "create ns x --dry-run=client --context=foo", "--context=foo version --client",
    "create ns x --dry-run=client --kubeconfig=nope.yaml", "run x --image=nginx --context=foo",
    "version --client --kubeconfig=nope.yaml", "create deployment --image=x --context=foo",
    "create -f svc.yaml --context=foo --dry-run=client",
    "create svc clusterip a --tcp=80 --dry-run=client --kubeconfig=nope.yaml",
]
ALL = CASES + ERRORS + HELP + CONFIG + CONTEXT


def _oracle(args: list[str], workdir: Path, cfg: Path) -> tuple[str, str, int]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "KUBECONFIG": str(cfg)}
    proc = subprocess.run([str(BINARY), *args], capture_output=True, text=True, env=env, cwd=workdir,
                          timeout=30)
    return proc.stdout, proc.stderr, proc.returncode


@pytest.fixture(scope="module")
def config_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A kubeadm-shaped kubeconfig with real (throwaway) PEM data, so the real binary can load it."""
    import base64
    import shutil

    if shutil.which("openssl") is None:
        pytest.skip("openssl not available")
    d = tmp_path_factory.mktemp("pki")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(d / "key.pem"),
                    "-out", str(d / "ca.pem"), "-days", "3650", "-subj", "/CN=kubernetes"],
                   check=True, capture_output=True)
    ca = base64.b64encode((d / "ca.pem").read_bytes()).decode()
    key = base64.b64encode((d / "key.pem").read_bytes()).decode()
    return kubeconfig.default_text(ca_data=ca, cert_data=ca, key_data=key)


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    for d in DIRS:
        (tmp_path / d).mkdir()
    (tmp_path / ".kube").mkdir()
    return tmp_path


@pytest.mark.parametrize("line", ALL)
def test_same_as_real_kubectl(line: str, workdir: Path, config_text: str) -> None:
    args = shlex.split(line)
    cfg = workdir / ".kube" / "config"
    cfg.write_text(config_text)
    want_out, want_err, want_code = _oracle(args, workdir, cfg)
    want_file = cfg.read_text()

    k = Kubectl()
    k.fs.write(kubeconfig.DEFAULT_PATH, config_text)
    for name, text in FILES.items():
        k.fs.write(f"/root/{name}", text)
    for d in DIRS:
        k.fs.mkdir(f"/root/{d}")
    got = k(["kubectl", *args])
    home = str(workdir)   # the oracle's HOME stands for the lab's /root
    assert got.stdout == want_out.replace(home, "/root")
    assert got.stderr == want_err.replace(home, "/root")
    assert got.exit_code == want_code
    if line.startswith("config"):
        assert k.fs.read(kubeconfig.DEFAULT_PATH) == want_file


def test_case_count() -> None:
    assert len(ALL) >= 150


KLOG = ["create ns x --dry-run -o name", "create ns x --dry-run=true -o name", "create ns x --dry-run=1 -o yaml",
        "create deployment d --image=nginx --dry-run=T -o name"]


@pytest.mark.parametrize("line", KLOG)
def test_klog_warnings_match_up_to_time_and_pid(line: str, workdir: Path, config_text: str) -> None:
    """klog W lines carry a timestamp and a pid: compare everything else byte for byte."""
    import re

    cfg = workdir / ".kube" / "config"
    cfg.write_text(config_text)
    want_out, want_err, want_code = _oracle(shlex.split(line), workdir, cfg)
    k = Kubectl()
    k.fs.write(kubeconfig.DEFAULT_PATH, config_text)
    got = k(["kubectl", *shlex.split(line)])
    norm = re.compile(r"^W\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ ", re.M)
    assert got.stdout == want_out and got.exit_code == want_code
    assert norm.sub("W ", got.stderr) == norm.sub("W ", want_err)
    assert norm.search(got.stderr)
