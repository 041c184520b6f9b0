"""Property tests: random and mutated kubectl command lines and manifests always end in a message and an
exit code; kubectl never raises (internal failures are re-raised in tests, so any bug fails here)."""

from __future__ import annotations

import pytest
from harness import Kubectl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VERBS = ["get", "describe", "create", "apply", "delete", "expose", "run", "exec", "logs", "scale", "label",
         "annotate", "patch", "set", "rollout", "wait", "explain", "api-resources", "version", "cluster-info",
         "top", "config", "edit", "service", "clusterip", "deployment", "namespace", "configmap", "status",
         "history", "undo", "restart", "image", "view", "get-contexts", "set-context", "use-context", "help",
         "replace", "cordon", "uncordon", "events", "cp", "env", "selector", "pause", "resume", "attach",
         "port-forward", "proxy", "x.yaml", "pod/x:/tmp", "kube-system/coredns:/etc/hostname"]
WORDS = ["pods", "po", "svc", "services", "deploy", "deployments.apps", "rs", "ns", "ep", "endpointslices",
         "all", "nodes", "cm", "web", "nginx", "kube-dns", "kubernetes", "default", "kube-system", "x", "pod/x",
         "svc/kubernetes", "deploy/coredns", "app=web", "tier-", "nginx=nginx:1.27", "-", "--", "sh", "ls",
         "svc.spec.ports", "pods.spec.containers.name", "a=b=c", "", " ", "ünï", "{.metadata.name}"]
FLAGS = ["-n", "kube-system", "-A", "-o", "yaml", "-o", "json", "-o", "name", "-o", "wide", "-ojsonpath={.items}",
         "-o=go-template={{.kind}}", "-l", "app=web", "-l", "k8s-app in (kube-dns)", "--field-selector",
         "metadata.name=x", "--show-labels", "-L", "app", "--no-headers", "--sort-by=.metadata.name", "-w",
         "--request-timeout=2s", "--dry-run=client", "--dry-run=server", "--image=nginx", "--replicas=2",
         "--tcp=80:8080", "--port=80", "--target-port=8080", "--type=NodePort", "-it", "--rm", "--restart=Never",
         "--grace-period=0", "--force", "--now", "--wait=false", "--timeout=3s", "--for=delete",
         "--for=condition=Ready", "--for=jsonpath={.status.phase}=Running", "-p", '{"spec":{"replicas":1}}',
         "--type=json", "--overwrite", "--all", "--current", "--namespace=dev", "--bogus", "-Z", "--v=9", "-c", "c",
         "--tail=3", "--previous", "-f", "x.yaml", "--recursive", "--from-literal=a=1", "--external-name=a.b",
         "--clusterip=None", "--node-port=30080", "--selector=", "-h"]

token = st.sampled_from(VERBS + WORDS + FLAGS) | st.text(min_size=0, max_size=8)


@pytest.fixture(scope="module")
def kubectl() -> Kubectl:
    from sandbox.cluster import Cluster

    k = Kubectl(Cluster(seed=3))
    k.fs.write("/root/x.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: 80\n")
    return k


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(argv=st.lists(token, min_size=0, max_size=7))
def test_random_command_lines_end_in_a_message_and_exit_code(kubectl: Kubectl, argv: list[str]) -> None:
    r = kubectl(["kubectl", *argv])
    assert isinstance(r.exit_code, int) and 0 <= r.exit_code < 256
    if r.exit_code != 0:
        assert r.stderr or r.stdout, argv


MANIFEST_KEYS = ["apiVersion", "kind", "metadata", "spec", "status", "name", "namespace", "labels", "ports", "port",
                 "targetPort", "selector", "type", "containers", "image", "replicas", "template", "data", "items"]
scalar = st.none() | st.booleans() | st.integers(-5, 70000) | st.sampled_from(
    ["v1", "apps/v1", "Service", "Pod", "Deployment", "ConfigMap", "List", "x", "web", "ClusterIP", "None", "80"])
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(MANIFEST_KEYS), inner, max_size=4), max_leaves=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(doc=st.dictionaries(st.sampled_from(MANIFEST_KEYS), value, max_size=6),
       verb=st.sampled_from(["apply", "create", "delete", "get", "describe", "expose"]),
       extra=st.sampled_from(["", "--dry-run=client -o yaml", "--dry-run=server", "-o name"]))
def test_mutated_manifests_end_in_a_message_and_exit_code(kubectl: Kubectl, doc: dict, verb: str,
                                                          extra: str) -> None:
    import json

    kubectl.fs.write("/root/m.yaml", json.dumps(doc))
    r = kubectl(["kubectl", verb, "-f", "m.yaml", *extra.split()])
    assert isinstance(r.exit_code, int)
    if r.exit_code != 0:
        assert r.stderr


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=120))
def test_arbitrary_yaml_text_never_crashes(kubectl: Kubectl, text: str) -> None:
    kubectl.fs.write("/root/t.yaml", text)
    r = kubectl(["kubectl", "apply", "-f", "t.yaml", "--dry-run=client"])
    assert isinstance(r.exit_code, int)


SESSION_VERBS = ["run", "exec", "attach", "logs", "wait", "rollout status", "delete", "get", "describe", "scale"]
SESSION_TOKENS = ["web", "tmp", "pod/web", "deploy/web", "-it", "-i", "-t", "--rm", "--restart=Never",
                  "--image=busybox", "--image=nginx", "--", "sh", "-c", "echo hi", "exit 3", "ls", "-f",
                  "--tail=1", "-c", "web", "--for=condition=Ready", "--timeout=2s", "--replicas=0", "pods", "-w",
                  "--request-timeout=3s", "-l", "app=web", "--grace-period=0", "--force", "--previous", "bogus"]


@pytest.fixture(scope="module")
def lab():
    from sandbox.lab import Lab

    lab = Lab(seed=9)
    lab.run("kubectl create deployment web --image=nginx; kubectl run tmp --image=busybox -- sleep 3600; sleep 20")
    return lab


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(verb=st.sampled_from(SESSION_VERBS), words=st.lists(st.sampled_from(SESSION_TOKENS), max_size=6))
def test_interactive_commands_through_the_shell(lab, verb: str, words: list[str]) -> None:
    import shlex

    r = lab.run("kubectl " + verb + " " + " ".join(shlex.quote(w) for w in words))
    assert isinstance(r.exit_code, int)
    assert "internal error" not in r.stderr, r.stderr
    for _ in range(4):   # leave any session a command opened
        if lab.prompt().startswith("controlplane"):
            break
        out = lab.run("exit")
        assert "internal error" not in out.stderr, out.stderr
    assert lab.prompt().startswith("controlplane")
