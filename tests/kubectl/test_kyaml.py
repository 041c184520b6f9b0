"""-o kyaml compared byte for byte with the real kubectl, which prints objects served by a fake apiserver."""

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sandbox.kubectl.errors import KubectlError
from sandbox.kubectl.kyaml import dump, needs_quotes

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
    assert dump(json.loads(json.dumps(TRICKY, sort_keys=True))) == real.stdout


def test_key_quoting_rules():
    assert [k for k in ("app", "key.with.dots", "a/b", "_u", "é") if needs_quotes(k)] == []
    assert all(needs_quotes(k) for k in ("", "y", "No", "t", "F", "null", "~", "3", "0x1F", "1e5", "1:30",
                                         "2024-01-02", ".inf", "-dash", "x-", "a b", "a:b"))


def test_yaml_forbidden_characters_fail_like_kubectl():
    with pytest.raises(KubectlError, match="error decoding: yaml: control characters are not allowed"):
        dump({"a": "x\x7fy"})
