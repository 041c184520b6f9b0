"""curl, wget, nslookup, dig, host and getent: exact output over the simulated network."""

import re

import pytest

from sandbox.lab import Lab


@pytest.fixture(scope="module")
def lab():
    lab = Lab(seed=3)
    for command in [
        "kubectl create deployment web --image=nginx --replicas=2",
        "kubectl expose deployment web --port=80",
        "kubectl create service clusterip nothing --tcp=80",
        "kubectl create service externalname docs --external-name=kubernetes.io",
        "kubectl run bb --image=busybox:1.36 -- sleep 3600",
        "kubectl run old --image=busybox:1.28 -- sleep 3600",
        "kubectl run shoot --image=nicolaka/netshoot -- sleep 3600",
        "kubectl run ng --image=nginx",
        "sleep 30",
    ]:
        assert lab.run(command).exit_code == 0, command
    return lab


def vip(lab, name):
    return lab.run(f"kubectl get svc {name} -o jsonpath='{{.spec.clusterIP}}'").stdout


def test_busybox_wget_to_stdout(lab):
    r = lab.run("kubectl exec bb -- wget -O- http://web")
    assert r.exit_code == 0
    assert "<title>Welcome to nginx!</title>" in r.stdout
    assert r.stderr == (f"Connecting to web ({vip(lab, 'web')}:80)\nwriting to stdout\n"
                        "-                    100% |********************************|   615  0:00:00 ETA\n"
                        "written to stdout\n")


def test_busybox_wget_refused_without_endpoints(lab):
    r = lab.run("kubectl exec bb -- wget -qO- http://nothing")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == (f"wget: can't connect to remote host ({vip(lab, 'nothing')}): Connection refused\n"
                        "command terminated with exit code 1\n")


def test_busybox_wget_bad_address_and_spider(lab):
    r = lab.run("kubectl exec bb -- wget http://nosuch:8080/")
    assert r.stderr.startswith("wget: bad address 'nosuch:8080'\n")
    r = lab.run("kubectl exec bb -- wget --spider web")
    assert r.exit_code == 0
    assert r.stderr == f"Connecting to web ({vip(lab, 'web')}:80)\nremote file exists\n"


def test_curl_versions_word_their_errors(lab):
    r = lab.run("kubectl exec shoot -- curl -sS http://nothing")
    assert r.exit_code == 7
    assert re.fullmatch(r"curl: \(7\) Failed to connect to nothing port 80 after \d+ ms: Could not connect to "
                        r"server\ncommand terminated with exit code 7\n", r.stderr)
    r = lab.run("kubectl exec ng -- curl -sS http://nothing")  # nginx ships curl 7.88
    assert "Couldn't connect to server" in r.stderr
    r = lab.run("kubectl exec shoot -- curl -s http://nosuch")
    assert (r.exit_code, r.stderr) == (6, "command terminated with exit code 6\n")
    r = lab.run("kubectl exec shoot -- curl http://nosuch")
    assert "curl: (6) Could not resolve host: nosuch\n" in r.stderr


def test_curl_head_and_write_out(lab):
    r = lab.run("kubectl exec shoot -- curl -sI http://web")
    assert r.stdout.startswith("HTTP/1.1 200 OK\r\nServer: nginx/")
    assert "Content-Length: 615\r\n" in r.stdout and r.stdout.endswith("\r\n\r\n")
    r = lab.run(f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://{vip(lab, 'web')}/nope")
    assert (r.exit_code, r.stdout) == (0, "404\n")
    r = lab.run(f"curl -sf http://{vip(lab, 'web')}/nope")
    assert r.exit_code == 22


def test_curl_verbose(lab):
    r = lab.run("kubectl exec shoot -- curl -sv -o /dev/null http://web")
    lines = r.stderr.splitlines()
    assert lines[:4] == ["* Host web:80 was resolved.", "* IPv6: (none)", f"* IPv4: {vip(lab, 'web')}",
                         f"*   Trying {vip(lab, 'web')}:80..."]
    assert "> GET / HTTP/1.1" in lines and "> Host: web" in lines and "< HTTP/1.1 200 OK" in lines


def test_busybox_136_nslookup_searches_every_domain(lab):
    r = lab.run("kubectl exec bb -- nslookup web")
    assert r.exit_code == 1
    assert r.stdout == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                        f"Name:\tweb.default.svc.cluster.local\nAddress: {vip(lab, 'web')}\n\n\n"
                        + "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" * 2
                        + "** server can't find web.cluster.local: NXDOMAIN\n\n" * 2)


def test_busybox_136_nslookup_sends_dotted_names_as_typed(lab):
    r = lab.run("kubectl exec bb -- nslookup web.default")
    assert r.exit_code == 1
    assert "** server can't find web.default: NXDOMAIN" in r.stdout
    assert "Address: " not in r.stdout.split("\n\n", 1)[1]


def test_busybox_128_nslookup_legacy_format(lab):
    r = lab.run("kubectl exec old -- nslookup kubernetes.default")
    assert r.exit_code == 0
    assert r.stdout == ("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
                        "Name:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n")
    r = lab.run("kubectl exec old -- nslookup nosuch")
    assert "nslookup: can't resolve 'nosuch'\n" in r.stderr and r.exit_code == 1


def test_bind_nslookup_and_host(lab):
    ip = vip(lab, "web")
    r = lab.run("kubectl exec shoot -- nslookup web")
    assert (r.exit_code, r.stdout) == (0, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
                                          f"Name:\tweb.default.svc.cluster.local\nAddress: {ip}\n\n")
    r = lab.run("kubectl exec shoot -- nslookup nosuch")
    assert r.exit_code == 1 and "** server can't find nosuch: NXDOMAIN\n" in r.stdout
    assert lab.run("kubectl exec shoot -- host web").stdout == f"web.default.svc.cluster.local has address {ip}\n"
    r = lab.run("kubectl exec shoot -- host nosuch")
    assert (r.exit_code, r.stdout) == (1, "Host nosuch not found: 3(NXDOMAIN)\n")


def test_dig_full_and_short(lab):
    ip = vip(lab, "web")
    r = lab.run("kubectl exec shoot -- dig web.default.svc.cluster.local")
    assert ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: " in r.stdout
    assert ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n" in r.stdout
    assert f"\n;; ANSWER SECTION:\nweb.default.svc.cluster.local. 30 IN\tA\t{ip}\n" in r.stdout
    assert lab.run("kubectl exec shoot -- dig +short web.default.svc.cluster.local").stdout == f"{ip}\n"
    # dig does not use the search list
    assert lab.run("kubectl exec shoot -- dig +short web").stdout == ""
    short = lab.run("kubectl exec shoot -- dig +short docs.default.svc.cluster.local").stdout
    assert short.splitlines()[0] == "kubernetes.io."


def test_getent_and_missing_tools(lab):
    r = lab.run("kubectl exec shoot -- getent hosts web")
    assert r.stdout == f"{vip(lab, 'web'):<15} web.default.svc.cluster.local\n"
    assert lab.run("kubectl exec shoot -- getent hosts nosuch").exit_code == 2


def test_dns_times_out_without_coredns(lab):
    lab.run("kubectl -n kube-system scale deployment coredns --replicas=0")
    lab.run("sleep 40")
    try:
        r = lab.run("kubectl exec bb -- nslookup web")
        assert r.stdout == ";; connection timed out; no servers could be reached\n" and r.exit_code == 1
        r = lab.run("kubectl exec bb -- wget -qO- http://web")
        assert "wget: bad address 'web'" in r.stderr
    finally:
        lab.run("kubectl -n kube-system scale deployment coredns --replicas=2")
        lab.run("sleep 40")


def test_gnu_wget_on_the_node(lab):
    ip = vip(lab, "web")
    r = lab.run(f"wget -O page.html http://{ip}/")
    assert r.exit_code == 0
    lines = r.stderr.splitlines()
    assert re.fullmatch(rf"--2026-11-22 \d\d:\d\d:\d\d--  http://{re.escape(ip)}/", lines[0])
    assert lines[1:4] == [f"Connecting to {ip}:80... connected.", "HTTP request sent, awaiting response... 200 OK",
                          "Length: 615 [text/html]"]
    assert "‘page.html’ saved [615/615]" in r.stderr
    assert "Welcome to nginx!" in lab.run("cat page.html").stdout
    r = lab.run("wget http://nosuch.example/")
    assert r.exit_code == 4
    assert r.stderr.splitlines()[1:] == ["Resolving nosuch.example (nosuch.example)... failed: Name or service not known.",
                                         "wget: unable to resolve host address ‘nosuch.example’"]
    assert lab.run(f"wget -q http://{vip(lab, 'nothing')}/").exit_code == 4


def test_apk_add_and_ipvsadm_rate(lab):
    lab.run("kubectl run al --image=alpine -- sleep 3600")
    lab.run("sleep 10")
    assert lab.run("kubectl exec al -- curl --version").exit_code != 0
    r = lab.run("kubectl exec al -- apk add curl")
    assert r.exit_code == 0 and r.stdout.splitlines()[0].startswith("(1/1) Installing curl (")
    assert lab.run("kubectl exec al -- curl -s -o /dev/null -w '%{http_code}' http://web").stdout == "200"
    rate = lab.run("ipvsadm -Ln --rate").stdout.splitlines()
    assert rate[1] == "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS"
