"""Golden transcripts of server-side kubectl sessions (kubectl.md §1, §4-§11 and the seeds' sequences).

Each step runs through ``sandbox.lab.Lab.run`` exactly as a learner types it; stdout, stderr and the
exit code are compared in full. Values the engine allocates (cluster IPs, pod names) are read back
from the cluster and substituted, so the expectations stay exact.
"""

from __future__ import annotations

import pytest

Lab = pytest.importorskip("sandbox.lab").Lab


def run(lab, text: str):
    r = lab.run(text)
    return r.stdout, r.stderr, r.exit_code


@pytest.fixture()
def lab():
    return Lab(seed=7)


def svc_ip(lab, name: str, ns: str = "default") -> str:
    return lab.cluster.get("services", ns, name)["spec"]["clusterIP"]


def test_seed_clusterip_service_by_dry_run_file(lab) -> None:
    assert run(lab, "kubectl create service clusterip my-ser --tcp=8000:80 -o yaml --dry-run=client > ser.yaml") \
        == ("", "", 0)
    assert run(lab, "cat ser.yaml")[0] == (
        "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: my-ser\n  name: my-ser\nspec:\n  ports:\n"
        "  - name: 8000-80\n    port: 8000\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: my-ser\n"
        "  type: ClusterIP\nstatus:\n  loadBalancer: {}\n")
    assert run(lab, "kubectl apply -f ser.yaml") == ("service/my-ser created\n", "", 0)
    assert run(lab, "kubectl apply -f ser.yaml") == ("service/my-ser unchanged\n", "", 0)
    ip = svc_ip(lab, "my-ser")
    out, err, code = run(lab, "kubectl get service my-ser -o wide")
    assert code == 0 and err == ""
    header, row = out.splitlines()
    assert header.split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]
    assert row.split() == ["my-ser", "ClusterIP", ip, "<none>", "8000/TCP", "0s", "app=my-ser"]
    out, err, code = run(lab, "kubectl describe service my-ser")
    assert (err, code) == ("", 0)
    assert out == (
        "Name:                     my-ser\nNamespace:                default\nLabels:                   app=my-ser\n"
        "Annotations:              <none>\nSelector:                 app=my-ser\nType:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\nIP Families:              IPv4\n"
        f"IP:                       {ip}\nIPs:                      {ip}\n"
        "Port:                     8000-80  8000/TCP\nTargetPort:               80/TCP\n"
        "Endpoints:                \nSession Affinity:         None\nInternal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n")
    out, err, code = run(lab, "kubectl get endpoints my-ser")
    assert err == "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    assert code == 0 and out.splitlines()[0].split() == ["NAME", "ENDPOINTS", "AGE"]


def test_seed_httpenv_deployment_scale_expose(lab) -> None:
    assert run(lab, "kubectl create deployment httpenv --image=bretfisher/httpenv") == \
        ("deployment.apps/httpenv created\n", "", 0)
    assert run(lab, "kubectl scale deployment/httpenv --replicas=5") == ("deployment.apps/httpenv scaled\n", "", 0)
    assert run(lab, "kubectl expose deployment/httpenv --port 8888") == ("service/httpenv exposed\n", "", 0)
    ip = svc_ip(lab, "httpenv")
    assert run(lab, "IP=$(kubectl get svc httpenv -o go-template --template '{{ .spec.clusterIP }}'); echo $IP") \
        == (ip + "\n", "", 0)
    svc = lab.cluster.get("services", "default", "httpenv")
    assert svc["spec"]["ports"] == [{"port": 8888, "protocol": "TCP", "targetPort": 8888}]
    assert svc["spec"]["selector"] == {"app": "httpenv"} and svc["metadata"]["labels"] == {"app": "httpenv"}
    lab.run("sleep 30")
    assert run(lab, "kubectl rollout status deployment/httpenv") == \
        ('deployment "httpenv" successfully rolled out\n', "", 0)
    out, _, _ = run(lab, "kubectl get pods -l app=httpenv --no-headers | wc -l")
    assert out.strip() == "5"


def test_create_errors_are_wrapped_per_command(lab) -> None:
    lab.run("kubectl create deployment web --image=nginx; kubectl create service clusterip web --tcp=80; "
            "kubectl create ns dev")
    assert run(lab, "kubectl create deployment web --image=nginx") == \
        ("", 'error: failed to create deployment: deployments.apps "web" already exists\n', 1)
    assert run(lab, "kubectl create service clusterip web --tcp=80") == \
        ("", 'error: failed to create ClusterIP service: services "web" already exists\n', 1)
    assert run(lab, "kubectl create service nodeport web --tcp=80") == \
        ("", 'error: failed to create NodePort service: services "web" already exists\n', 1)
    assert run(lab, "kubectl create ns dev") == \
        ("", 'Error from server (AlreadyExists): namespaces "dev" already exists\n', 1)
    assert run(lab, "kubectl create deployment x --image=nginx -n nonexist") == \
        ("", 'error: failed to create deployment: namespaces "nonexist" not found\n', 1)


def test_file_errors_carry_the_source(lab) -> None:
    lab.run("printf 'apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: bad\\nspec:\\n  port: 80\\n' > bad.yaml")
    assert run(lab, "kubectl apply -f bad.yaml") == (
        "", 'Error from server (BadRequest): error when creating "bad.yaml": Service in version "v1" cannot be '
            'handled as a Service: strict decoding error: unknown field "spec.port"\n', 1)
    lab.run("printf 'apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: other\\nspec:\\n  ports:\\n  - port: 80\\n'"
            " > other.yaml")
    assert run(lab, "kubectl create -f other.yaml") == ("service/other created\n", "", 0)
    assert run(lab, "kubectl create -f other.yaml") == (
        "", 'Error from server (AlreadyExists): error when creating "other.yaml": services "other" already exists\n', 1)
    assert run(lab, "kubectl apply -f other.yaml") == (
        "service/other configured\n",
        "Warning: resource services/other is missing the kubectl.kubernetes.io/last-applied-configuration "
        "annotation which is required by kubectl apply. kubectl apply should only be used on resources created "
        "declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be "
        "patched automatically.\n", 0)
    assert run(lab, "kubectl apply -f other.yaml") == ("service/other unchanged\n", "", 0)
    assert run(lab, "kubectl delete -f other.yaml") == ('service "other" deleted from default namespace\n', "", 0)
    assert run(lab, "kubectl delete -f other.yaml") == (
        "", 'Error from server (NotFound): error when deleting "other.yaml": services "other" not found\n', 1)


def test_apply_multi_document_and_last_applied(lab) -> None:
    lab.run("cat > app.yaml <<'EOF'\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
            "  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n"
            "        app: api\n    spec:\n      containers:\n      - name: api\n        image: nginx\n---\n"
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n"
            "  - port: 80\nEOF")
    assert run(lab, "kubectl apply -f app.yaml") == ("deployment.apps/api created\nservice/api created\n", "", 0)
    svc = lab.cluster.get("services", "default", "api")
    assert svc["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == (
        '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"api","namespace":"default"},'
        '"spec":{"ports":[{"port":80}],"selector":{"app":"api"}}}\n')
    lab.run("sed -i 's/port: 80/port: 8080/' app.yaml")
    assert run(lab, "kubectl apply -f app.yaml") == ("deployment.apps/api unchanged\nservice/api configured\n", "", 0)
    assert lab.cluster.get("services", "default", "api")["spec"]["ports"][0]["port"] == 8080


def test_get_messages_and_streams(lab) -> None:
    assert run(lab, "kubectl get pods") == ("", "No resources found in default namespace.\n", 0)
    assert run(lab, "kubectl get pods -A -l app=none") == ("", "No resources found\n", 0)
    assert run(lab, "kubectl get svc nope") == ("", 'Error from server (NotFound): services "nope" not found\n', 1)
    assert run(lab, "kubectl get foo") == ("", 'error: the server doesn\'t have a resource type "foo"\n', 1)
    assert run(lab, "kubectl delete pods -l app=none") == ("No resources found\n", "", 0)
    out, err, code = run(lab, "kubectl get svc,ep")
    assert err == "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    blocks = out.split("\n\n")
    assert len(blocks) == 2 and blocks[0].splitlines()[1].startswith("service/kubernetes ")
    assert blocks[1].splitlines()[1].startswith("endpoints/kubernetes ")
    assert run(lab, "kubectl get ns -o name") == (
        "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n", "", 0)


def test_config_namespace_default_comes_from_kubeconfig(lab) -> None:
    lab.run("kubectl create ns dev")
    assert run(lab, "kubectl config set-context --current --namespace=dev") == \
        ('Context "kubernetes-admin@kubernetes" modified.\n', "", 0)
    assert run(lab, "kubectl config get-contexts") == (
        "CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n"
        "*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   dev\n", "", 0)
    assert run(lab, "kubectl get pods") == ("", "No resources found in dev namespace.\n", 0)
    assert run(lab, "kubectl create configmap c --from-literal=a=1") == ("configmap/c created\n", "", 0)
    assert lab.cluster.get("configmaps", "dev", "c")["data"] == {"a": "1"}
    assert "namespace: dev" in run(lab, "cat ~/.kube/config")[0]


def test_label_annotate_scale_patch(lab) -> None:
    lab.run("kubectl create deployment web --image=nginx")
    assert run(lab, "kubectl label deploy web tier=frontend") == ("deployment.apps/web labeled\n", "", 0)
    assert run(lab, "kubectl label deploy web tier=backend") == \
        ("", "error: 'tier' already has a value (frontend), and --overwrite is false\n", 1)
    assert run(lab, "kubectl label deploy web tier=backend --overwrite") == ("deployment.apps/web labeled\n", "", 0)
    assert run(lab, "kubectl label deploy web tier-") == ("deployment.apps/web unlabeled\n", "", 0)
    assert run(lab, "kubectl label deploy web app=web") == ("deployment.apps/web not labeled\n", "", 0)
    assert run(lab, "kubectl annotate deploy web note=hi") == ("deployment.apps/web annotated\n", "", 0)
    assert run(lab, "kubectl scale deploy web --replicas=3") == ("deployment.apps/web scaled\n", "", 0)
    assert run(lab, "kubectl scale deploy web --replicas=2 --current-replicas=1") == \
        ("", "error: Expected replicas to be 1, was 3\n", 1)
    assert run(lab, "kubectl patch deploy web -p '{\"spec\":{\"replicas\":4}}'") == \
        ("deployment.apps/web patched\n", "", 0)
    assert run(lab, "kubectl patch deploy web -p '{\"spec\":{\"replicas\":4}}'") == \
        ("deployment.apps/web patched (no change)\n", "", 0)
    assert run(lab, "kubectl patch deploy web --type=merge -p '{\"spec\":{\"replicas\":2}}' -o name") == \
        ("deployment.apps/web\n", "", 0)


def test_delete_messages_and_force(lab) -> None:
    lab.run("kubectl run a --image=nginx; kubectl run b --image=nginx; sleep 5")
    assert run(lab, "kubectl delete pod a --grace-period=0 --force") == (
        'pod "a" force deleted from default namespace\n',
        "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated."
        " The resource may continue to run on the cluster indefinitely.\n", 0)
    assert run(lab, "kubectl delete pod/b -o name") == ("pod/b\n", "", 0)
    assert run(lab, "kubectl get pods") == ("", "No resources found in default namespace.\n", 0)
    lab.run("kubectl create ns gone")
    assert run(lab, "kubectl delete ns gone") == ('namespace "gone" deleted\n', "", 0)


def test_run_messages_and_exit_codes(lab) -> None:
    assert run(lab, "kubectl run echo --image=nginx --port=80 --expose") == \
        ("pod/echo created\nservice/echo created\n", "", 0)
    assert run(lab, "kubectl run x --image=nginx --rm") == \
        ("", "error: --rm should only be used for attached containers\n", 1)
    assert run(lab, "kubectl run x --image=nginx -t") == \
        ("", "error: -i/--stdin is required for containers with -t/--tty=true\n", 1)
    assert run(lab, "kubectl run x --image=nginx -it --dry-run=client") == (
        "", "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, "
            "or --tty)\n", 1)
    out, err, code = run(lab, "kubectl run t --image=busybox --restart=Never --rm -i -- sh -c 'echo hi; exit 4'")
    assert (out, err, code) == ('hi\npod "t" deleted from default namespace\n',
                                "pod default/t terminated (Error)\n", 4)
    assert run(lab, "kubectl run p --image=nginx --dry-run=client -o yaml") == (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: p\n  name: p\nspec:\n  containers:\n"
        "  - image: nginx\n    name: p\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\n"
        "status: {}\n", "", 0)


def test_wait_and_rollout(lab) -> None:
    lab.run("kubectl run w --image=nginx")
    assert run(lab, "kubectl wait --for=condition=Ready pod/w --timeout=60s") == ("pod/w condition met\n", "", 0)
    lab.run("kubectl run s --image=busybox -- sleep 3600")
    assert run(lab, "kubectl wait --for=delete pod/s --timeout=2s") == \
        ("", "error: timed out waiting for the condition on pods/s\n", 1)
    assert run(lab, "kubectl wait --for=jsonpath='{.status.phase}'=Running pod/w") == \
        ("pod/w condition met\n", "", 0)
    lab.run("kubectl create deployment web --image=nginx; sleep 20")
    assert run(lab, "kubectl rollout history deploy/web") == \
        ("deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n", "", 0)
    assert run(lab, "kubectl rollout undo deploy/web") == \
        ("", 'error: no rollout history found for deployment "web"\n', 1)
    assert run(lab, "kubectl set image deploy/web nginx=nginx:1.27") == ("deployment.apps/web image updated\n", "", 0)
    out, err, code = run(lab, "kubectl rollout status deploy/web")
    assert (err, code) == ("", 0) and out.endswith('deployment "web" successfully rolled out\n')
    assert run(lab, "kubectl rollout undo deploy/web") == ("deployment.apps/web rolled back\n", "", 0)
    assert run(lab, "kubectl rollout restart deploy/web") == ("deployment.apps/web restarted\n", "", 0)


def test_interactive_run_session(lab) -> None:
    out, err, code = run(lab, "kubectl run tmp -it --rm --image=busybox -- sh")
    assert code == 0 and out == ""
    assert err.endswith("If you don't see a command prompt, try pressing enter.\n")
    assert lab.prompt() == "/ # "
    out, err, code = run(lab, "exit")
    assert out == ("Session ended, resume using 'kubectl attach tmp -c tmp -n default -i -t' command\n"
                   'pod "tmp" deleted from default namespace\n')
    assert lab.prompt() == "controlplane:~$ "
    assert run(lab, "kubectl get pod tmp") == ("", 'Error from server (NotFound): pods "tmp" not found\n', 1)


def test_misc_commands(lab) -> None:
    assert run(lab, "kubectl top pod") == ("", "error: Metrics API not available\n", 1)
    assert run(lab, "kubectl version") == \
        ("Client Version: v1.37.1\nKustomize Version: v5.8.1\nServer Version: v1.37.1\n", "", 0)
    out, _, _ = run(lab, "kubectl api-resources")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert any(line.split() == ["services", "svc", "v1", "true", "Service"] for line in lines)
    assert any(line.split() == ["deployments", "deploy", "apps/v1", "true", "Deployment"] for line in lines)
    out, _, _ = run(lab, "kubectl cluster-info")
    assert out.endswith("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
    assert run(lab, "kubectl explain svc.spec.ports.port") == (
        "KIND:       Service\nVERSION:    v1\n\nFIELD: port <integer>\n\n\nDESCRIPTION:\n"
        "    The port that will be exposed by this service.\n    \n\n", "", 0)
