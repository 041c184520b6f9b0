import random

from sandbox.workloads import podfiles
from sandbox.workloads.envvars import build_env, service_env, service_links
from sandbox.workloads.images import image_info
from tests.workloads.kit import make_pod


def svc(name, ip, ports, ns="default"):
    return {"metadata": {"name": name, "namespace": ns}, "spec": {"clusterIP": ip, "ports": ports}}


KUBERNETES = svc("kubernetes", "10.96.0.1", [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}])


def test_service_link_variables_exact():
    redis = svc("redis-primary", "10.0.0.11", [{"name": "db", "port": 6379, "protocol": "TCP"},
                                               {"port": 53, "protocol": "UDP"}])
    assert service_env(redis) == [
        ("REDIS_PRIMARY_SERVICE_HOST", "10.0.0.11"), ("REDIS_PRIMARY_SERVICE_PORT", "6379"),
        ("REDIS_PRIMARY_SERVICE_PORT_DB", "6379"), ("REDIS_PRIMARY_PORT", "tcp://10.0.0.11:6379"),
        ("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.0.0.11:6379"), ("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
        ("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"), ("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.0.0.11"),
        ("REDIS_PRIMARY_PORT_53_UDP", "udp://10.0.0.11:53"), ("REDIS_PRIMARY_PORT_53_UDP_PROTO", "udp"),
        ("REDIS_PRIMARY_PORT_53_UDP_PORT", "53"), ("REDIS_PRIMARY_PORT_53_UDP_ADDR", "10.0.0.11")]
    web = svc("web", "10.96.5.5", [{"name": "80-8080", "port": 80, "protocol": "TCP"}])
    assert ("WEB_SERVICE_PORT_80_8080", "80") in service_env(web)


def test_which_services_are_linked():
    headless = svc("db", "None", [{"port": 5432, "protocol": "TCP"}])
    other_ns = svc("api", "10.96.3.3", [{"port": 80, "protocol": "TCP"}], ns="prod")
    web = svc("web", "10.96.5.5", [{"port": 80, "protocol": "TCP"}])
    links = service_links([KUBERNETES, headless, other_ns, web], "default", True)
    assert "WEB_SERVICE_HOST" in links and "DB_SERVICE_HOST" not in links and "API_SERVICE_HOST" not in links
    assert links["KUBERNETES_SERVICE_PORT_HTTPS"] == "443"
    off = service_links([KUBERNETES, web], "default", False)
    assert sorted(off) == ["KUBERNETES_PORT", "KUBERNETES_PORT_443_TCP", "KUBERNETES_PORT_443_TCP_ADDR",
                           "KUBERNETES_PORT_443_TCP_PORT", "KUBERNETES_PORT_443_TCP_PROTO",
                           "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_SERVICE_PORT_HTTPS"]
    in_prod = service_links([KUBERNETES, other_ns, web], "prod", True)
    assert "API_SERVICE_HOST" in in_prod and "KUBERNETES_SERVICE_HOST" in in_prod and "WEB_SERVICE_HOST" not in in_prod


def test_env_order_and_overrides():
    pod = make_pod("web-1", "nginx", env=[{"name": "WEB_SERVICE_HOST", "value": "override"},
                                          {"name": "GREETING", "value": "at $(WEB_SERVICE_PORT) $$(X)"},
                                          {"name": "ME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                          {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}])
    web = svc("web", "10.96.5.5", [{"port": 80, "protocol": "TCP"}])
    env = build_env(image_info("nginx"), pod, pod["spec"]["containers"][0], "web-1", [KUBERNETES, web],
                    rng=random.Random(1))
    keys = [k for k, _ in env]
    assert keys[:7] == ["PATH", "HOSTNAME", "NGINX_VERSION", "NJS_VERSION", "NJS_RELEASE", "PKG_RELEASE",
                        "DYNPKG_RELEASE"]
    assert keys[7:11] == ["WEB_SERVICE_HOST", "GREETING", "ME", "IP"]
    assert keys[-1] == "HOME"
    d = dict(env)
    assert d["WEB_SERVICE_HOST"] == "override" and d["GREETING"] == "at 80 $(X)"
    assert d["ME"] == "web-1" and d["IP"] == "10.244.1.5" and d["HOME"] == "/root"
    assert len(keys) == len(set(keys)) == 7 + 4 + 8 + 6 + 1   # WEB_SERVICE_HOST is declared
    shoot = dict(build_env(image_info("nicolaka/netshoot"), make_pod("tmp", "nicolaka/netshoot"),
                           {"name": "tmp"}, "tmp", []))
    assert shoot["HOSTNAME"] == "netshoot"


def test_resolv_conf_per_dns_policy():
    pod = make_pod("web", "nginx", ns="shop")
    assert podfiles.resolv_conf(pod) == ("search shop.svc.cluster.local svc.cluster.local cluster.local\n"
                                         "nameserver 10.96.0.10\noptions ndots:5\n")
    pod["spec"]["dnsPolicy"] = "Default"
    assert podfiles.resolv_conf(pod) == "nameserver 8.8.8.8\nnameserver 8.8.4.4\n"
    pod["spec"]["dnsPolicy"] = "None"
    pod["spec"]["dnsConfig"] = {"nameservers": ["1.2.3.4"], "searches": ["ns1.svc.cluster-domain.example"],
                                "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}
    assert podfiles.resolv_conf(pod) == ("search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\n"
                                         "options ndots:2 edns0\n")
    host = make_pod("hn", "nginx")
    host["spec"]["hostNetwork"] = True
    assert podfiles.resolv_conf(host) == "nameserver 8.8.8.8\nnameserver 8.8.4.4\n"
    host["spec"]["dnsPolicy"] = "ClusterFirstWithHostNet"
    assert podfiles.resolv_conf(host).startswith("search default.svc.cluster.local")
    cf = make_pod("w", "nginx")
    cf["spec"]["dnsConfig"] = {"options": [{"name": "ndots", "value": "1"}], "searches": ["corp.example"]}
    assert podfiles.resolv_conf(cf) == ("search default.svc.cluster.local svc.cluster.local cluster.local "
                                        "corp.example\nnameserver 10.96.0.10\noptions ndots:1\n")


def test_hosts_and_hostname_files():
    pod = make_pod("web-0", "nginx")
    header = ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
              "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")
    assert podfiles.etc_hosts(pod, ["10.244.1.5"]) == header + "10.244.1.5\tweb-0\n"
    pod["spec"].update(hostname="web-0", subdomain="nginx")
    assert podfiles.etc_hosts(pod, ["10.244.1.5"]) == header + "10.244.1.5\tweb-0.nginx.default.svc.cluster.local\tweb-0\n"
    assert podfiles.pod_fqdn(pod) == "web-0.nginx.default.svc.cluster.local"
    pod["spec"]["hostAliases"] = [{"ip": "127.0.0.1", "hostnames": ["foo.local", "bar.local"]}]
    assert podfiles.etc_hosts(pod, ["10.244.1.5"]).endswith(
        "\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n")
    assert podfiles.etc_hostname(make_pod("x" * 70, "nginx")) == "x" * 63 + "\n"
    hn = make_pod("kp", "nginx")
    hn["spec"]["hostNetwork"] = True
    assert podfiles.pod_hostname(hn) == "node01"
