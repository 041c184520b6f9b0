"""``kubectl proxy`` serving the API on the node's loopback (service/pod proxy, reads) and ``kubectl attach -ti``,
driven through the lab as a learner types them."""

from __future__ import annotations

import json

import pytest

from sandbox.lab import Lab

BASE = "localhost:8001/api/v1/namespaces/default"


def run(lab: Lab, text: str) -> tuple[str, str, int]:
    r = lab.run(text)
    return r.stdout, r.stderr, r.exit_code


@pytest.fixture(scope="module")
def lab() -> Lab:
    lab = Lab(seed=3)
    for cmd in ("kubectl create deployment web --image=nginx --replicas=2",
                "kubectl expose deployment web --name=my-ser --port=8000 --target-port=80",
                "kubectl create service clusterip empty --tcp=80:80",
                "sleep 30"):
        assert lab.run(cmd).exit_code == 0, cmd
    out, err, code = run(lab, "kubectl proxy --port=8001 &")
    assert (out, code) == ("Starting to serve on 127.0.0.1:8001\n", 0)
    assert err.startswith("[1] ")
    return lab


def test_service_proxy_follows_the_redirect_and_reaches_a_backend(lab: Lab) -> None:
    ip = lab.run("kubectl get svc my-ser -o jsonpath='{.spec.clusterIP}'").stdout
    direct = lab.run(f"curl -s {ip}:8000").stdout
    assert direct.startswith("<!DOCTYPE html>")
    out, err, code = run(lab, f"curl -L {BASE}/services/my-ser:8000/proxy")
    assert (out, code) == (direct, 0)
    out, _, code = run(lab, f"curl -s -i {BASE}/services/my-ser:8000/proxy")
    assert out.startswith("HTTP/1.1 301 Moved Permanently\r\nLocation: /api/v1/namespaces/default/services/"
                          "my-ser:8000/proxy/\r\nContent-Length: 0\r\n\r\n")
    # by port name (none here: the unnamed port) and with no port at all
    assert run(lab, f"curl -s {BASE}/services/my-ser/proxy/")[0] == direct


def test_service_without_endpoints_is_503(lab: Lab) -> None:
    out, err, code = run(lab, f"curl -s -w '%{{http_code}}' {BASE}/services/empty/proxy/")
    assert code == 0
    assert out == ('{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n'
                   '  "message": "no endpoints available for service \\"empty\\"",\n'
                   '  "reason": "ServiceUnavailable",\n  "code": 503\n}\n503')


def test_unknown_service_is_404(lab: Lab) -> None:
    out, _, code = run(lab, f"curl -s {BASE}/services/nope/proxy/")
    assert code == 0
    assert out == ('{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n'
                   '  "message": "services \\"nope\\" not found",\n  "reason": "NotFound",\n'
                   '  "details": {\n    "name": "nope",\n    "kind": "services"\n  },\n  "code": 404\n}\n')


def test_pod_proxy(lab: Lab) -> None:
    pod = lab.run("kubectl get pods -o jsonpath='{.items[0].metadata.name}'").stdout
    ip = lab.run(f"kubectl get pod {pod} -o jsonpath='{{.status.podIP}}'").stdout
    direct = lab.run(f"curl -s {ip}").stdout
    assert run(lab, f"curl -s {BASE}/pods/{pod}/proxy/")[0] == direct
    assert run(lab, f"curl -s {BASE}/pods/{pod}:80/proxy/")[0] == direct
    out, _, _ = run(lab, f"curl -s -w ' %{{http_code}}' {BASE}/pods/{pod}:81/proxy/")
    assert out == f"Error trying to reach service: dial tcp {ip}:81: connect: connection refused 503"
    out, _, _ = run(lab, f"curl -s {BASE}/pods/nope/proxy/")
    assert json.loads(out)["message"] == 'pods "nope" not found'
    # exec/attach are rejected by kubectl proxy's default --reject-paths
    assert run(lab, f"curl -s -w ' %{{http_code}}' {BASE}/pods/{pod}/exec")[0] == "<h3>Unauthorized</h3> 403"


def test_api_reads(lab: Lab) -> None:
    out, _, code = run(lab, f"curl -s {BASE}/services")
    assert code == 0 and out.startswith('{\n  "kind": "ServiceList",\n  "apiVersion": "v1",\n  "metadata": {\n'
                                        '    "resourceVersion": "')
    doc = json.loads(out)
    assert [i["metadata"]["name"] for i in doc["items"]] == ["empty", "kubernetes", "my-ser"]
    assert "kind" not in doc["items"][0]
    assert doc["metadata"]["resourceVersion"] == str(lab.cluster.store.resource_version)
    pod = lab.run("kubectl get pods -o jsonpath='{.items[0].metadata.name}'").stdout
    got = json.loads(run(lab, f"curl -s {BASE}/pods/{pod}")[0])
    assert got == json.loads(lab.run(f"kubectl get pod {pod} -o json").stdout)
    # a client that is not curl/wget/a browser gets compact JSON
    out = run(lab, f"curl -s -A kubelab-test {BASE}/services/my-ser")[0]
    assert out.startswith('{"kind":"Service","apiVersion":"v1","metadata":{"name":"my-ser",') and out.endswith("}\n")
    assert run(lab, "curl -s localhost:8001/version?pretty=false")[0].startswith('{"major":"1","minor":"37",')
    assert run(lab, "curl -s localhost:8001/api")[0] == (
        '{\n  "kind": "APIVersions",\n  "versions": [\n    "v1"\n  ],\n  "serverAddressByClientCIDRs": [\n'
        '    {\n      "clientCIDR": "0.0.0.0/0",\n      "serverAddress": "172.30.1.2:6443"\n    }\n  ]\n}\n')
    assert run(lab, "curl -s localhost:8001/nothing") == ("404 page not found\n", "", 0)


def test_loopback_only_and_port_in_use(lab: Lab) -> None:
    out, err, code = run(lab, "curl 172.30.1.2:8001/")
    assert code == 7 and "Failed to connect to 172.30.1.2 port 8001" in err
    assert run(lab, "kubectl proxy") == (
        "", "error: listen tcp 127.0.0.1:8001: bind: address already in use\n", 1)
    # the proxy runs on the control plane only: node01's loopback has nothing there
    assert run(lab, "ssh node01 curl -s localhost:8001/")[2] == 7


def test_jobs_and_kill_stop_the_proxy() -> None:
    lab = Lab(seed=1)
    assert run(lab, "kubectl proxy &")[0] == "Starting to serve on 127.0.0.1:8001\n"
    assert run(lab, "jobs") == ("[1]+  Running                 kubectl proxy &\n", "", 0)
    assert run(lab, "curl -s localhost:8001/api/v1/namespaces/default/services/kubernetes")[2] == 0
    assert run(lab, "kill %1")[2] == 0
    # the lab reports finished jobs after the next command line, as it does for "Done"
    out, err, code = run(lab, "curl localhost:8001/")
    assert err == ("curl: (7) Failed to connect to localhost port 8001 after 1 ms: Couldn't connect to server\n"
                   "[1]+  Terminated              kubectl proxy\n")
    assert code == 7
    assert run(lab, "kill %1") == ("", "-bash: kill: %1: no such job\n", 1)
    # the port is free again
    assert run(lab, "kubectl proxy --port=8001 &")[2] == 0


def test_foreground_proxy_serves_until_stopped() -> None:
    lab = Lab(seed=1)
    assert run(lab, "timeout 5 kubectl proxy") == ("Starting to serve on 127.0.0.1:8001\n", "", 124)
    assert run(lab, "curl -s localhost:8001/")[2] == 7


SHPOD = """kubectl create namespace shpod
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: shpod
  namespace: shpod
spec:
  containers:
  - name: shpod
    image: busybox
    stdin: true
    tty: true
EOF"""

ATTACH_NOTICE = ("All commands and output from this session will be recorded in container logs, including "
                 "credentials and sensitive information passed through the command prompt.\n"
                 "If you don't see a command prompt, try pressing enter.\n")


def test_attach_ti_opens_the_container_shell() -> None:
    lab = Lab(seed=2)
    assert lab.run(SHPOD).exit_code == 0
    lab.run("kubectl wait --for=condition=Ready pod/shpod -n shpod --timeout=60s")
    assert run(lab, "kubectl attach --namespace=shpod -ti shpod") == ("", ATTACH_NOTICE, 0)
    assert lab.prompt() == "/ # "
    assert run(lab, "hostname") == ("shpod\n", "", 0)
    assert run(lab, "exit") == (
        "Session ended, resume using 'kubectl attach shpod -c shpod -n shpod -i -t' command\n", "", 0)
    assert lab.prompt() == "controlplane:~$ "


def test_attach_ti_without_tty_in_the_container() -> None:
    lab = Lab(seed=2)
    lab.run("kubectl run b --image=busybox -- sleep 3600")
    lab.run("kubectl wait --for=condition=Ready pod/b --timeout=60s")
    out, err, code = run(lab, "kubectl attach -ti b")   # follows the container's output, no shell
    assert (out, code) == ("", 0)
    assert err == "error: Unable to use a TTY - container b did not allocate one\n" + ATTACH_NOTICE
    assert lab.prompt() == "controlplane:~$ "


def test_group_reads_and_root(lab: Lab) -> None:
    doc = json.loads(run(lab, "curl -s localhost:8001/apis/apps/v1/namespaces/default/deployments")[0])
    assert (doc["kind"], doc["apiVersion"], [i["metadata"]["name"] for i in doc["items"]]) == (
        "DeploymentList", "apps/v1", ["web"])
    assert json.loads(run(lab, "curl -s localhost:8001/api/v1/namespaces/default")[0])["kind"] == "Namespace"
    assert run(lab, "curl -s localhost:8001/apis/apps/v1/namespaces/default/services")[0] == "404 page not found\n"
    paths = json.loads(run(lab, "curl -s localhost:8001/")[0])["paths"]
    assert {"/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/version"} <= set(paths)
    assert paths == sorted(paths)


def test_fg_serves_in_the_foreground_and_bg_finds_it_running() -> None:
    lab = Lab(seed=1)
    run(lab, "kubectl proxy &")
    assert run(lab, "bg %1") == ("", "-bash: bg: job 1 already in background\n", 0)
    out, err, code = run(lab, "fg")      # until ctrl+c; here the lab's virtual-time budget stops it
    assert (out, code) == ("kubectl proxy\n", 124)
    assert run(lab, "jobs") == ("", "", 0)
    assert run(lab, "curl -s localhost:8001/")[2] == 7


def test_address_accept_hosts_and_job_numbers() -> None:
    lab = Lab(seed=1)
    assert run(lab, "kubectl proxy --address=0.0.0.0 --port=8080 &")[0] == "Starting to serve on [::]:8080\n"
    # reachable on the node's address, but kubectl proxy's default --accept-hosts only takes localhost
    # (ssh joins the words for the remote shell, so the quoted space is lost, as with real ssh)
    assert run(lab, "ssh node01 curl -s -w ' %{http_code}' 172.30.1.2:8080/api")[0] == "<h3>Unauthorized</h3>403"
    assert run(lab, "curl -s localhost:8080/version")[0].startswith('{\n  "major": "1",')
    assert run(lab, "kubectl proxy --port=8080 &")[1] == (
        "[2] 2854\nerror: listen tcp 127.0.0.1:8080: bind: address already in use\n")
    out, err, _ = run(lab, "kubectl proxy --address=0.0.0.0 --port=8081 --accept-hosts='.*' &")
    assert out == "Starting to serve on [::]:8081\n"
    assert err == "[3] 2861\n[2]+  Exit 1                  kubectl proxy --port=8080\n"
    assert run(lab, "ssh node01 curl -s 172.30.1.2:8081/version")[0].startswith('{\n  "major": "1",')
    port = run(lab, "kubectl proxy --port=0 &")[0].rsplit(":", 1)[1].strip()
    assert 32768 <= int(port) <= 60999
    assert run(lab, "jobs")[0] == ("[1]   Running                 kubectl proxy --address=0.0.0.0 --port=8080 &\n"
                                   "[3]-  Running                 kubectl proxy --address=0.0.0.0 --port=8081 "
                                   "--accept-hosts='.*' &\n"
                                   "[4]+  Running                 kubectl proxy --port=0 &\n")
