import json

from sandbox.api.clock import Clock
from tests.workloads.kit import get, make_pod, start


def test_nginx_welcome_page_headers_and_access_log():
    rt = start(make_pod("web-abc", "nginx"))
    resp = get(rt, "/")
    assert resp.status == 200 and resp.reason == "OK"
    assert resp.headers == [
        ("Server", "nginx/1.27.4"), ("Date", "Sun, 22 Nov 2026 06:00:00 GMT"), ("Content-Type", "text/html"),
        ("Content-Length", "615"), ("Last-Modified", "Wed, 05 Feb 2025 11:06:32 GMT"),
        ("Connection", "keep-alive"), ("ETag", '"67a34638-267"'), ("Accept-Ranges", "bytes")]
    assert "<h1>Welcome to nginx!</h1>" in resp.body
    assert rt.logs()[-1] == ('10.244.2.7 - - [22/Nov/2026:06:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" '
                             '"curl/7.88.1" "-"')
    assert rt.logs()[0] == ("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform "
                            "configuration")
    assert "2026/11/22 06:00:00 [notice] 1#1: nginx/1.27.4" in rt.logs()


def test_nginx_404_is_crlf_and_logged():
    rt = start(make_pod("web-abc", "nginx"))
    resp = get(rt, "/nope")
    assert resp.status == 404
    assert resp.body == ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found"
                         "</h1></center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n")
    assert ("Content-Length", "153") in resp.headers
    assert rt.logs()[-1].endswith('"GET /nope HTTP/1.1" 404 153 "-" "curl/7.88.1" "-"')
    assert 'open() "/usr/share/nginx/html/nope" failed (2: No such file or directory)' in rt.logs()[-2]


def test_nginx_serves_the_containers_own_files_and_methods():
    rt = start(make_pod("web-abc", "nginx"))
    rt.write_file("/usr/share/nginx/html/index.html", "hello from web\n")
    resp = get(rt, "/")
    assert resp.body == "hello from web\n" and ("Content-Length", "15") in resp.headers
    assert get(rt, "/50x.html").status == 200
    assert get(rt, "/", method="POST").status == 405
    head = get(rt, "/", method="HEAD")
    assert head.body == "" and ("Content-Length", "15") in head.headers
    close = get(rt, "/", extra=[("Connection", "close")])
    assert ("Connection", "close") in close.headers


def test_httpenv_answers_sorted_compact_env_json():
    svc = {"metadata": {"name": "kubernetes", "namespace": "default"},
           "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP"}]}}
    rt = start(make_pod("httpenv-5d9f7c6b8d-x2x7q", "bretfisher/httpenv"), services=[svc])
    resp = get(rt, "/anything")
    assert resp.body.startswith('{"HOME":"/root","HOSTNAME":"httpenv-5d9f7c6b8d-x2x7q","KUBERNETES_PORT":')
    assert not resp.body.endswith("\n")
    data = json.loads(resp.body)
    assert data["PATH"] == "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    assert data["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"
    assert [k for k, _ in resp.headers] == ["Date", "Content-Length", "Content-Type"]
    assert ("Content-Type", "text/plain; charset=utf-8") in resp.headers


def test_http_echo_text_flags_and_health():
    rt = start(make_pod("echo", "hashicorp/http-echo", args=["-text=hi there", "-listen=:8080"]))
    resp = get(rt, "/", port=8080)
    assert resp.body == "hi there\n"
    assert [k for k, _ in resp.headers] == ["X-App-Name", "X-App-Version", "Date", "Content-Length",
                                            "Content-Type"]
    assert get(rt, "/health", port=8080).body == '{"status":"ok"}'
    default = start(make_pod("echo", "hashicorp/http-echo"))
    assert get(default, "/", port=5678).body == "hello-world\n"
    teapot = start(make_pod("echo", "hashicorp/http-echo", args=["-text", "x", "-status-code=418"]))
    assert get(teapot, "/", port=5678).status == 418
    bad = start(make_pod("echo", "hashicorp/http-echo", args=["hello"]))
    assert bad.exits == [127] and bad.logs() == ["Too many arguments!"]


def test_whoami_body():
    rt = start(make_pod("whoami-1", "traefik/whoami"))
    resp = get(rt, "/", host="whoami")
    lines = resp.body.split("\n")
    assert lines[0] == "Hostname: whoami-1"
    assert lines[1:4] == ["IP: 127.0.0.1", "IP: ::1", "IP: 10.244.1.5"]
    assert lines[4].startswith("IP: fe80::")
    assert lines[5] == "RemoteAddr: 10.244.2.7:51234"
    assert "\n".join(lines[6:]) == "GET / HTTP/1.1\r\nHost: whoami\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"
    assert rt.logs() == ["2026/11/22 06:00:00 Starting up on port 80"]
    other = start(make_pod("whoami-2", "traefik/whoami", args=["--port", "8081"]))
    assert ("TCP", 8081) in other.listeners()


def test_agnhost_serve_hostname_and_netexec():
    img = "registry.k8s.io/e2e-test-images/agnhost:2.42"
    rt = start(make_pod("hostnames-abc", img, args=["serve-hostname"]))
    assert get(rt, "/", port=9376).body == "hostnames-abc"
    idle = start(make_pod("agn", img))
    assert idle.listeners() == {} and idle.running
    clock = Clock()
    ne = start(make_pod("netexec-1", img, args=["netexec", "--http-port=8080"]), clock=clock)
    clock.advance(12.5)
    assert get(ne, "/hostname", port=8080).body == "netexec-1"
    assert get(ne, "/echo?msg=hello", port=8080).body == "hello"
    assert get(ne, "/clientip", port=8080).body == "10.244.2.7:51234"
    assert get(ne, "/", port=8080).body == "NOW: 2026-11-22 06:00:12.5 +0000 UTC m=+12.500000000"
    assert ("UDP", 8081) in ne.listeners()


def test_hello_app_and_coredns():
    rt = start(make_pod("hello-1", "gcr.io/google-samples/hello-app:2.0"))
    assert get(rt, "/", port=8080).body == "Hello, world!\nVersion: 2.0.0\nHostname: hello-1\n"
    assert rt.logs() == ["2026/11/22 06:00:00 Server listening on port 8080", "2026/11/22 06:00:00 Serving request: /"]
    dns = start(make_pod("coredns-1", "registry.k8s.io/coredns/coredns:v1.12.1", args=["-conf", "/etc/coredns/Corefile"]))
    kinds = {k: h.kind for k, h in dns.listeners().items()}
    assert kinds == {("UDP", 53): "dns", ("TCP", 53): "dns", ("TCP", 8080): "http", ("TCP", 8181): "http",
                     ("TCP", 9153): "http"}
    assert get(dns, "/ready", port=8181).body == "OK"
    assert dns.logs()[:1] == [".:53"] and "CoreDNS-1.12.1" in dns.logs()


def test_httpd_it_works():
    rt = start(make_pod("apache", "httpd"))
    resp = get(rt, "/")
    assert resp.body == "<html><body><h1>It works!</h1></body></html>\n"
    assert [k for k, _ in resp.headers] == ["Date", "Server", "Last-Modified", "ETag", "Accept-Ranges",
                                            "Content-Length", "Keep-Alive", "Connection", "Content-Type"]
    assert ("ETag", '"2d-432a5e4a73a80"') in resp.headers
    assert ("Last-Modified", "Mon, 11 Jun 2007 18:53:14 GMT") in resp.headers
    assert ("Server", "Apache/2.4.62 (Unix)") in resp.headers
    assert rt.logs()[-1] == '10.244.2.7 - - [22/Nov/2026:06:00:00 +0000] "GET / HTTP/1.1" 200 45'
    assert get(rt, "/missing").status == 404


def test_python_http_server_lists_its_directory():
    rt = start(make_pod("py", "python:3.12-slim", command=["python", "-m", "http.server", "8080"]))
    assert rt.logs() == []                              # stdout is block-buffered without a TTY
    rt.write_file("/hello.txt", "hi\n")
    resp = get(rt, "/", port=8080)
    assert resp.version == "HTTP/1.0" and resp.status == 200
    assert resp.body.startswith('<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                                "<title>Directory listing for /</title>")
    assert '<li><a href="etc/">etc/</a></li>' in resp.body and '<li><a href="hello.txt">hello.txt</a></li>' in resp.body
    assert get(rt, "/hello.txt", port=8080).body == "hi\n"
    assert get(rt, "/nope", port=8080).status == 404
    assert rt.logs()[-1] == '10.244.2.7 - - [22/Nov/2026 06:00:00] "GET /nope HTTP/1.1" 404 -'


def test_kube_proxy_logs_follow_its_config():
    from sandbox.api.clock import Clock
    from sandbox.workloads import podfiles
    from sandbox.workloads.images import image_info
    from sandbox.workloads.programs import program_for
    from sandbox.workloads.runtime import ContainerRuntime

    def logs(conf):
        pod = make_pod("kube-proxy-abcde", "registry.k8s.io/kube-proxy:v1.37.1",
                       command=["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf"])
        pod["spec"]["hostNetwork"] = True
        c = pod["spec"]["containers"][0]
        rt = ContainerRuntime(clock=Clock(), pod=pod, container_name=c["name"], image=image_info(c["image"]),
                              program=program_for(pod, c), container_id="0" * 64, env=[],
                              hostname=podfiles.pod_hostname(pod), pod_ip="172.30.2.2", node="node01",
                              files={"/var/lib/kube-proxy/config.conf": conf}, file_mtime=0.0)
        rt.start(lambda r, code: None)
        return rt.logs()

    ipvs = logs('ipvs:\n  scheduler: ""\nmode: ipvs\n')
    assert ipvs[0] == 'I1122 06:00:00.000000       1 server_linux.go:66] "Using ipvs Proxier"'
    assert any('"IPVS scheduler not specified, use rr by default"' in line for line in ipvs)
    wrr = logs('ipvs:\n  scheduler: "wrr"\nmode: ipvs\n')
    assert not any("IPVS scheduler not specified" in line for line in wrr)
    assert logs("mode: iptables\n")[0].endswith('"Using iptables Proxier"')
