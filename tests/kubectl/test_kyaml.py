"""-o kyaml compared byte for byte with the real kubectl, which prints objects served by a fake apiserver."""

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sandbox.kubectl.printers import PrintError, to_kyaml
from sandbox.lab import Lab

KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent))

TRICKY = {
    "apiVersion": "v1", "kind": "ConfigMap",
    "metadata": {"name": "c", "namespace": "default", "finalizers": [], "labels": {},
                 "annotations": {"q": 'he said "hi" \\ back', "empty": "", "yes": "no", "num": "0x1F", "tab": "a\tb",
                                 "uni": "é", "nl": "line1\nline2\n", "lead": "  indented\n\tx\nend",
                                 "ts": "2024-01-02", "sx": "1:30", "inf": "Infinity", "ctrl": "a\x01b",
                                 "nbsp": "a\xa0b", "emoji": "😀"}},
    "data": {"key.with.dots": "v", "3": "three", "Y": "y", "null": "n", "ON": "x", "-dash": "d", "with space": "s",
             "a:b": "c", "t": "1", "f": "2", "1e5": "x", "x-": "y", "a/b": "c", "_u": "u", "0b101": "b",
             "1_000": "k"},
    "list": [["a", "b"], [], [1, 2.5, True, None]],
    "nums": {"i": 1, "f": 1.5, "neg": -3, "big": 12345678901234, "e": 1e21, "small": 1e-7, "b": False, "n": None},
}


@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
def test_matches_real_kubectl(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from fake_apiserver import FakeApiServer

    server = FakeApiServer({"/api/v1/namespaces/default/configmaps/c": TRICKY})
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    try:
        config = tmp_path / "config"
        config.write_text(f"apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: {server.url}}}\n"
                          "contexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n"
                          "users:\n- name: u\n  user: {}\n")
        real = subprocess.run([KUBECTL, "--kubeconfig", str(config), "get", "configmap", "c", "-o", "kyaml"],
                              capture_output=True, text=True, timeout=60)
    finally:
        server.server.shutdown()
    assert real.returncode == 0, real.stderr
    assert to_kyaml(TRICKY) == real.stdout


def test_yaml_forbidden_characters_fail_like_kubectl():
    with pytest.raises(PrintError, match="error decoding: yaml: control characters are not allowed"):
        to_kyaml({"a": "x\x7fy"})


def test_kubectl_prints_kyaml_in_struct_order_client_side():
    out = Lab().run("kubectl create service clusterip a --tcp=80 --dry-run=client -o kyaml").stdout
    assert out.startswith('---\n{\n  kind: "Service",\n  apiVersion: "v1",\n')


def test_custom_columns_file():
    lab = Lab()
    lab.run('printf "NAME   TYPE\\n.metadata.name .spec.type\\n" > cols.txt')
    out = lab.run("kubectl get svc -o custom-columns-file=cols.txt")
    assert (out.stdout, out.exit_code) == ("NAME         TYPE\nkubernetes   ClusterIP\n", 0)
