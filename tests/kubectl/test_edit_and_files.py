"""kubectl edit through the editor hook, and -f sources (folders, stdin, Lists)."""

from __future__ import annotations

import pytest
from harness import Kubectl

from sandbox.kubectl.cmd_edit import HEADER


@pytest.fixture()
def k() -> Kubectl:
    from sandbox.cluster import Cluster

    kc = Kubectl(Cluster(seed=5))
    kc("create service clusterip web --tcp=80:8080")
    return kc


def test_edit_without_an_editor_fails_like_kubectl(k: Kubectl) -> None:
    assert tuple(k("edit svc web")) == ("", 'error: there was a problem with the editor "vi"\n', 1)


def test_edit_applies_the_saved_change(k: Kubectl) -> None:
    seen: list[str] = []

    def editor(filename: str, text: str) -> str:
        seen.append(text)
        return text.replace("port: 80\n", "port: 81\n")

    k.lab.editor = editor
    assert tuple(k("edit svc web")) == ("service/web edited\n", "", 0)
    assert seen[0].startswith(HEADER + "apiVersion: v1\nkind: Service\n")
    assert k.lab.cluster.get("services", "default", "web")["spec"]["ports"][0]["port"] == 81


def test_edit_unchanged_and_empty(k: Kubectl) -> None:
    k.lab.editor = lambda filename, text: text
    assert tuple(k("edit svc web")) == ("", "Edit cancelled, no changes made.\n", 0)
    k.lab.editor = lambda filename, text: "# nothing\n"
    assert tuple(k("edit svc web")) == ("", "Edit cancelled, saved file was empty.\n", 0)


def test_edit_reopens_with_the_error_header(k: Kubectl) -> None:
    rounds: list[str] = []

    def editor(filename: str, text: str) -> str:
        rounds.append(text)
        if len(rounds) == 1:
            return text.replace("port: 80\n", "port: 0\n")
        return text.replace("port: 0\n", "port: 82\n")

    k.lab.editor = editor
    assert tuple(k("edit svc web")) == ("service/web edited\n", "", 0)
    assert len(rounds) == 2
    assert rounds[1].startswith(HEADER + '# services "web" was not valid:\n# * spec.ports[0].port: ')
    assert k.lab.cluster.get("services", "default", "web")["spec"]["ports"][0]["port"] == 82


def test_edit_syntax_error_header(k: Kubectl) -> None:
    rounds: list[str] = []

    def editor(filename: str, text: str) -> str | None:
        rounds.append(text)
        return "a: b\n  c: d\n" if len(rounds) == 1 else None

    k.lab.editor = editor
    assert tuple(k("edit svc web")) == ("", "Edit cancelled, no changes made.\n", 0)
    assert rounds[1] == (HEADER + "# The edited file had a syntax error: error converting YAML to JSON: yaml: line 2: "
                         "mapping values are not allowed in this context\n#\na: b\n  c: d\n")


def test_apply_folder_stdin_and_list(k: Kubectl) -> None:
    k.fs.mkdir("/root/manifests")
    k.fs.write("/root/manifests/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: '1'\n")
    k.fs.write("/root/manifests/b.json", '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}')
    k.fs.write("/root/manifests/notes.txt", "ignored")
    assert tuple(k("apply -f manifests")) == ("configmap/a created\nconfigmap/b created\n", "", 0)
    listing = ("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n"
               "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    x: '1'\n")
    assert tuple(k("apply -f -", stdin=listing)) == ("configmap/c created\nconfigmap/a unchanged\n", "", 0)
    assert tuple(k("delete -f manifests -o name")) == ("configmap/a\nconfigmap/b\n", "", 0)


def test_exec_defaulted_container_and_bad_container(k: Kubectl) -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "two", "namespace": "default"},
           "spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "busybox",
                                                                      "command": ["sleep", "3600"]}]}}
    k.lab.cluster.create(pod)
    k.lab.cluster.tick(30)
    r = k("exec two -c zz -- ls")
    assert tuple(r) == ("", "error: container zz is not valid for pod two out of: a, b\n", 1)
    r = k("logs two --tail=0")
    assert r.stderr == 'Defaulted container "a" out of: a, b\n' and r.exit_code == 0
    assert tuple(k("exec two ls")) == ("", "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- "
                                           "[COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", 1)
