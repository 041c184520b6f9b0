from sandbox.workloads.images import image_info, normalized, pull_error


def test_official_images_normalise_to_docker_library():
    info = image_info("nginx")
    assert info.image_name == "docker.io/library/nginx:latest"
    assert info.image_id.startswith("docker.io/library/nginx@sha256:") and len(info.digest) == 71
    assert normalized("busybox:1.28") == "docker.io/library/busybox:1.28"
    assert image_info("docker.io/library/nginx:1.27.4").digest == image_info("nginx:1.27.4").digest


def test_unknown_repositories_and_tags_are_not_found():
    for ref in ("ngnix", "nginx:doesnotexist", "nginx:1.14.9", "busybox:9.9", "bretfisher/httpenv:v2",
                "NGINX", "nginx latest", "", "registry.k8s.io/e2e-test-images/agnhost:1.0"):
        assert image_info(ref) is None, ref


def test_pull_error_wording():
    assert pull_error("ngnix") == (
        'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed '
        'to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or '
        "may require authorization: server message: insufficient_scope: authorization failed")
    assert pull_error("nginx:doesnotexist") == (
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": '
        'failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: '
        "not found")


def test_binaries_follow_pod_tools():
    nginx = image_info("nginx")
    assert {"curl", "bash", "sh", "apt-get"} <= nginx.binaries
    assert not {"ping", "nslookup", "wget", "nc", "ps"} & nginx.binaries
    assert nginx.shell == "dash" and nginx.login_shell == "/bin/bash"
    assert nginx.tools["curl"] == "curl 7.88.1"
    assert "curl" not in image_info("nginx:alpine-slim").binaries
    assert "curl" in image_info("nginx:alpine").binaries
    assert "curl" not in image_info("nginx:1.14.2").binaries          # curl arrived in 1.17.10
    httpenv = image_info("bretfisher/httpenv")
    assert {"sh", "wget", "nc", "nslookup", "ping", "httpenv"} <= httpenv.binaries
    assert not {"curl", "jq", "bash"} & httpenv.binaries
    busybox = image_info("busybox")
    assert busybox.version == "1.36.1" and busybox.tools["nslookup"] == "busybox 1.36.1 glibc"
    assert not {"curl", "bash", "jq"} & busybox.binaries
    assert image_info("busybox:1.28").tools["nslookup"].startswith("busybox 1.28.4")
    assert image_info("busybox:musl").tools["wget"] == "busybox 1.36.1 musl"
    ubuntu = image_info("ubuntu")
    assert "bash" in ubuntu.binaries and not {"curl", "wget", "ping", "nslookup", "ip", "nc"} & ubuntu.binaries
    for ref in ("nicolaka/netshoot", "bretfisher/netshoot"):
        shoot = image_info(ref)
        assert {"curl", "dig", "nslookup", "jq", "ipvsadm", "tcpdump", "bash", "zsh"} <= shoot.binaries
        assert shoot.tools["nslookup"].startswith("bind ")
    curl = image_info("curlimages/curl")
    assert curl.user == "curl_user" and curl.home == "/home/curl_user" and "curl" in curl.binaries
    assert image_info("hashicorp/http-echo").shell is None
    assert image_info("traefik/whoami").binaries == frozenset({"whoami"})
    agn = image_info("registry.k8s.io/e2e-test-images/agnhost:2.42")
    assert {"curl", "dig", "nc", "bash"} <= agn.binaries and agn.entrypoint == ("/agnhost",)
    assert image_info("registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3").tools["dig"].startswith("bind")


def test_nginx_files_and_env():
    nginx = image_info("nginx")
    page = nginx.files["/usr/share/nginx/html/index.html"]
    assert len(page.encode()) == 615
    assert "<title>Welcome to nginx!</title>" in page and page.endswith("</html>\n")
    assert len(image_info("nginx:1.19.0").files["/usr/share/nginx/html/index.html"].encode()) == 612
    assert dict(nginx.env)["NGINX_VERSION"] == "1.27.4"
    assert nginx.entrypoint == ("/docker-entrypoint.sh",) and nginx.cmd == ("nginx", "-g", "daemon off;")
    assert nginx.os_release.startswith('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"')
    assert dict(image_info("nicolaka/netshoot").env)["HOSTNAME"] == "netshoot"
