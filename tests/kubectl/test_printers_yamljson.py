"""-o yaml / -o json / -o name against literal expectations and, byte for byte, the real kubectl.

The oracle feeds an object through ``kubectl annotate -f FILE --local <absent>- -o yaml|json``:
client-side, no server, and the object comes back unchanged through kubectl's own printers.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sandbox.kubectl.printers import as_list, names, to_json, to_kyaml, to_name, to_yaml
from sandbox.kubectl.printers.gofmt import format_float, json_float
from sandbox.kubectl.printers.goyaml import resolves_to_string, sorted_keys

KUBECTL = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kubectl"
needs_kubectl = pytest.mark.skipif(not KUBECTL.exists() and not shutil.which("kubectl"), reason="no kubectl oracle")


def oracle(obj: dict, fmt: str, tmp_path: Path) -> str:
    """kubectl's printer output for ``obj`` (astral characters written raw: its reader cannot pair surrogates)."""
    text = json.dumps(obj, indent=0)
    text = re.sub(r"\\ud([89ab][0-9a-f]{2})\\ud([c-f][0-9a-f]{2})",
                  lambda m: chr(0x10000 + ((int("d" + m.group(1), 16) - 0xD800) << 10) + int("d" + m.group(2), 16)
                                - 0xDC00), text)
    path = tmp_path / "obj.json"
    path.write_text(text)
    run = subprocess.run([str(KUBECTL), "annotate", "-f", str(path), "--local", "absent-", "-o", fmt],
                         capture_output=True, text=True, env={"KUBECONFIG": "/nonexistent", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    return run.stdout


SERVICE = {
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration":
                                 '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"web"}}\n'},
                 "creationTimestamp": "2026-11-22T06:00:00Z", "labels": {"app": "web"}, "name": "web",
                 "namespace": "default", "resourceVersion": "1041", "uid": "8f0c2a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f"},
    "spec": {"clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"], "internalTrafficPolicy": "Cluster",
             "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
             "ports": [{"name": "80", "port": 80, "protocol": "TCP", "targetPort": 80}],
             "selector": {"app": "web"}, "sessionAffinity": "None", "type": "ClusterIP"},
    "status": {"loadBalancer": {}},
}

SERVICE_YAML = """\
apiVersion: v1
kind: Service
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"web"}}
  creationTimestamp: "2026-11-22T06:00:00Z"
  labels:
    app: web
  name: web
  namespace: default
  resourceVersion: "1041"
  uid: 8f0c2a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f
spec:
  clusterIP: 10.96.12.7
  clusterIPs:
  - 10.96.12.7
  internalTrafficPolicy: Cluster
  ipFamilies:
  - IPv4
  ipFamilyPolicy: SingleStack
  ports:
  - name: "80"
    port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
  sessionAffinity: None
  type: ClusterIP
status:
  loadBalancer: {}
"""


def test_service_yaml_literal() -> None:
    assert to_yaml(SERVICE) == SERVICE_YAML


def test_json_indent_escaping_and_order() -> None:
    obj = {"kind": "X", "apiVersion": "v1", "metadata": {"name": "a<b>&c", "labels": {}}, "items": [], "n": 2.5,
           "t": True, "z": None, "s": "line\u2028x\ttab"}
    assert to_json(obj) == (
        '{\n    "kind": "X",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "a\\u003cb\\u003e\\u0026c",\n'
        '        "labels": {}\n    },\n    "items": [],\n    "n": 2.5,\n    "t": true,\n    "z": null,\n'
        '    "s": "line\\u2028x\\ttab"\n}\n')
    assert to_json(obj, sort_keys=True).startswith('{\n    "apiVersion": "v1",\n    "items": [],')


def test_list_wrapper_and_managed_fields() -> None:
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "managedFields": [{"manager": "kubectl"}]}}
    assert to_yaml(as_list([obj])) == ("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n"
                                       "    name: p\nkind: List\nmetadata:\n  resourceVersion: \"\"\n")
    assert "managedFields" in to_yaml(obj, show_managed_fields=True)


def test_names() -> None:
    assert to_name({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}) == \
        "deployment.apps/web"
    assert names([SERVICE, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}]) == \
        "service/web\nnamespace/dev\n"
    assert to_name({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}) == \
        "widget.example.com/w"


@pytest.mark.parametrize(("text", "plain"), [
    ("web", True), ("80", False), ("yes", False), ("y", False), ("on", False), ("", False), ("~", False),
    ("1e3", False), ("0x1F", False), ("0o7", False), ("08", False), ("1_000", False), ("+1", False),
    (".5", False), (".inf", False), ("NaN", True), ("2026-11-22", False), ("2026-11-22T06:00:00Z", False),
    ("2026-13-01", True), ("-x", True), ("10.96.0.1", True), ("1.2.3", True), ("0b101", False),
])
def test_resolution(text: str, plain: bool) -> None:
    assert resolves_to_string(text) is plain


def test_natural_key_order() -> None:
    assert sorted_keys(["b", "a10", "a2", "A", "_x", "1", ""]) == ["", "_x", "1", "A", "a2", "a10", "b"]


@pytest.mark.parametrize(("value", "g", "j"), [
    (2.5, "2.5", "2.5"), (1234567.5, "1.2345675e+06", "1234567.5"), (1e20, "1e+20", "100000000000000000000"),
    (1e-7, "1e-07", "1e-7"), (0.0001, "0.0001", "0.0001"), (1e21, "1e+21", "1e+21"), (3.0, "3", "3"),
])
def test_go_float_formats(value: float, g: str, j: str) -> None:
    assert format_float(value) == g
    assert json_float(value) == j


# --- byte-for-byte against the real kubectl --------------------------------------------------------

TRICKY = ["yes", "", "0x1F", "1e3", "2026-11-22T06:00:00Z", "a: b", "-x", "~", "on", "y", "1_000", "+1", ".5",
          "NaN", ".inf", "08", "0o7", " lead", "trail ", "multi\nline", "multi\nline\n", "x\n\n", "\n", "  lead\nx",
          "tab\there", "<&>", "é", "#c", "a #b", "@x", "`x", "%x", "!x", "*x", "&x", "[x", "{x", "|x", ">x", "'x",
          '"x', "x'y", ",x", "?x", "? x", "-", "--- x", "...", "x:", "x: ", ":x", "1:20", "8080:80", "null",
          "trailing space \n", "\u00a0x", "x\r\ny", "a\u0007b", "日本語", "emoji \U0001F600", "\ufeffbom", "é\u2028x",
          " ".join(f"word{i}" for i in range(40)), "a: " + " ".join(f"w{i}" for i in range(40)),
          "x" * 100, " ".join(f"word{i}" for i in range(40)) + "\nsecond", "q'" + " ".join("ab" for _ in range(50)),
          '"' + " ".join(f"w{i}" for i in range(30)) + "\t"]


def _digits(key: str) -> bool:
    """Keys mixing digit runs can make go-yaml's key order intransitive; Go's pdqsort then decides."""
    return any(c.isdigit() for c in key)


@needs_kubectl
def test_tricky_strings_like_kubectl(tmp_path: Path) -> None:
    obj = {"apiVersion": "v1", "kind": "Foo", "metadata": {"annotations": {"a": "b"}, "name": "x"},
           "list": TRICKY, "map": {s: i for i, s in enumerate(TRICKY) if "\n" not in s and len(s) < 60 and not _digits(s)},
           "nested": [[s, {"k": [s, {}], "e": []}] for s in TRICKY[:20]],
           "nums": [0, -1, 2.5, 1e20, 1234567.5, 1e-7, 3.0, True, False, None]}
    assert to_yaml(obj) == oracle(obj, "yaml", tmp_path)
    assert to_json(obj, sort_keys=True) == oracle(obj, "json", tmp_path)


@needs_kubectl
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_strings_like_kubectl(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    alphabet = list("ab yYnN01289.-+:#'\"\\\t\n\r,[]{}&*!|>%@`?~_eExX/=") + ["é", "\u2028", "\ufeff", "😀", "\xa0",
                                                                            "日"]
    words = ["true", "null", "0x1F", "1e3", "2026-11-22", "1:20", "---", "...", "<<", ".5", "0o7", "0b101", "y"]
    strings = []
    for _ in range(1500):
        roll = rng.random()
        if roll < 0.2:
            s = rng.choice(words) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 2)))
        elif roll < 0.4:
            s = " ".join("".join(rng.choice("abcdefgh") for _ in range(rng.randint(1, 12)))
                         for _ in range(rng.randint(5, 30)))
            if rng.random() < 0.5:
                s = s.replace(" ", rng.choice(["  ", "\n", " \n", "\n\n", ": ", " #"]), rng.randint(1, 3))
        else:
            s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        strings.append(s)
    keys = {s: i for i, s in enumerate(strings[:600])
            if len(s) < 40 and not set(s) & set("\u2028\n\r0123456789")}
    obj = {"apiVersion": "v1", "kind": "Foo", "metadata": {"annotations": {"a": "b"}, "name": "x"},
           "list": strings, "map": keys, "deep": [[s, {"k": [s]}] for s in strings[:200]]}
    assert to_yaml(obj) == oracle(obj, "yaml", tmp_path)
    assert to_json(obj, sort_keys=True) == oracle(obj, "json", tmp_path)
    assert to_kyaml(obj) == oracle(obj, "kyaml", tmp_path)


@needs_kubectl
def test_full_objects_like_kubectl(tmp_path: Path) -> None:
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"annotations": {"note": "x"}, "labels": {"run": "web"}, "name": "web", "namespace": "default"},
           "spec": {"containers": [{"args": ["sh", "-c", "echo hello; sleep 3600"], "image": "busybox:1.36",
                                    "name": "web", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                                    "resources": {}, "env": [{"name": "A", "value": "1"}]}],
                    "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
                    "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                                     "operator": "Exists", "tolerationSeconds": 300}]},
           "status": {"conditions": [{"lastProbeTime": None, "status": "True", "type": "Ready"}], "phase": "Running",
                      "podIPs": [{"ip": "10.244.1.4"}]}}
    for obj in (SERVICE, pod, as_list([SERVICE, pod])):
        if obj.get("kind") == "List":
            continue  # kubectl annotate splits Lists; List wrapping is covered by the literal test
        assert to_yaml(obj) == oracle(obj, "yaml", tmp_path)
        assert to_json(obj, sort_keys=True) == oracle(obj, "json", tmp_path)
        assert to_kyaml(obj) == oracle(obj, "kyaml", tmp_path)
