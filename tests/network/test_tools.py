"""Node tools: exact layouts and exit codes (ipvs.md §6, pod-tools.md ping/nc)."""

from __future__ import annotations

import pytest
from netlab import MiniCluster, pod_source, run_tool

from sandbox.tools.ip import ip
from sandbox.tools.ipset import ipset
from sandbox.tools.iptables import iptables, iptables_save
from sandbox.tools.ipvsadm import ipvsadm
from sandbox.tools.nc import nc
from sandbox.tools.ping import ping


@pytest.fixture
def lab() -> MiniCluster:
    c = MiniCluster()
    c.with_dns()
    ips = []
    for i, node in enumerate(("node01", "node02")):
        ip_ = c.network.allocate_pod_ip(node)
        c.pod(f"web-{i}", node, ip_, labels={"app": "web"})
        ips.append(ip_)
    c.service("web", "10.96.45.12", [{"port": 8080, "targetPort": 80}], sessionAffinity="None")
    c.slice("web", [{"ip": ips[0], "node": "node01"}, {"ip": ips[1], "node": "node02"}], [{"name": "", "port": 80}])
    c.pod("tmp", "node01", c.network.allocate_pod_ip("node01"), labels={"run": "tmp"}, image="busybox:1.36")
    c.web_ips = ips  # type: ignore[attr-defined]
    return c


def test_ipvsadm_ln_exact(lab: MiniCluster) -> None:
    a, b = sorted(lab.web_ips, key=lambda s: tuple(int(x) for x in s.split(".")))
    dns_ip = lab.store.get("pods", "kube-system", "coredns-0")["status"]["podIP"]
    code, out, err = run_tool(ipvsadm, lab, "ipvsadm -Ln", node="node01")
    assert (code, err) == (0, "")
    assert out == (
        "IP Virtual Server version 1.2.1 (size=4096)\n"
        "Prot LocalAddress:Port Scheduler Flags\n"
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
        "TCP  10.96.0.1:443 rr\n"
        "  -> 172.30.1.2:6443              Masq    1      0          0         \n"
        "TCP  10.96.0.10:53 rr\n"
        f"  -> {dns_ip + ':53':<28} Masq    1      0          0         \n"
        "TCP  10.96.0.10:9153 rr\n"
        f"  -> {dns_ip + ':9153':<28} Masq    1      0          0         \n"
        "TCP  10.96.45.12:8080 rr\n"
        f"  -> {a + ':80':<28} Masq    1      0          0         \n"
        f"  -> {b + ':80':<28} Masq    1      0          0         \n"
        "UDP  10.96.0.10:53 rr\n"
        f"  -> {dns_ip + ':53':<28} Masq    1      0          0         \n")


def test_ipvsadm_counters_service_listing_and_connections(lab: MiniCluster) -> None:
    src = pod_source(lab, "tmp")
    first = lab.network.http(src, "GET", "10.96.45.12", 8080, "/")
    lab.tick(2)
    code, out, _ = run_tool(ipvsadm, lab, "ipvsadm -Ln -t 10.96.45.12:8080", node="node01")
    backend = first.connection.backend_ip
    assert code == 0 and out.splitlines()[:3] == ["Prot LocalAddress:Port Scheduler Flags",
                                                  "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                                                  "TCP  10.96.45.12:8080 rr"]
    assert f"  -> {backend + ':80':<28} Masq    1      0          1         " in out.splitlines()
    code, out, _ = run_tool(ipvsadm, lab, "ipvsadm -Lnc", node="node01")
    lines = out.splitlines()
    assert lines[:2] == ["IPVS connection entries", "pro expire state       source             virtual            destination"]
    assert lines[2] == (f"TCP 01:58  TIME_WAIT   {src.ip + ':' + str(first.connection.src_port):<18} "
                        f"10.96.45.12:8080   {backend}:80")
    code, out, err = run_tool(ipvsadm, lab, "ipvsadm -Ln -t 10.96.45.12:80", node="node01")
    assert (code, out, err) == (1, "", "No such service\n")
    code, out, _ = run_tool(ipvsadm, lab, "ipvsadm -Ln --stats -t 10.96.45.12:8080", node="node01")
    assert out.splitlines()[0] == "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes"
    # SYN+ACK, request, ACK, FIN+ACK in (6 packets, 320 bytes of headers + the 18-byte request);
    # SYN-ACK, response, FIN out (3 packets, 164 bytes + the 50-byte response)
    assert out.splitlines()[2] == f"{'TCP  10.96.45.12:8080':<33}{1:9d}{6:9d}{3:9d}{338:9d}{214:9d}"


def test_ipvsadm_errors_and_misc(lab: MiniCluster) -> None:
    assert run_tool(ipvsadm, lab, "ipvsadm -n -L") == (
        255, "", "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n")
    assert run_tool(ipvsadm, lab, "ipvsadm -L --timeout") == (0, "Timeout (tcp tcpfin udp): 900 120 300\n", "")
    assert run_tool(ipvsadm, lab, "ipvsadm -Ln -c --timeout")[2] == (
        "The option 'timeout' conflicts with the 'connection' option in the 'list' command\n")
    assert run_tool(ipvsadm, lab, "ipvsadm -L -t nonsense:80")[2] == "illegal virtual server address[:port] specified\n"
    assert run_tool(ipvsadm, lab, "ipvsadm -Ln", pod="tmp")[0] == 2
    code, out, _ = run_tool(ipvsadm, lab, "ipvsadm -L -t 10.96.0.1:https")
    assert out.splitlines()[2:] == ["TCP  10.96.0.1:https rr", "  -> controlplane:6443            Masq    1      0          0         "]


def test_ipvsadm_persistent_flags(lab: MiniCluster) -> None:
    lab.service("web", "10.96.45.12", [{"port": 8080, "targetPort": 80}], sessionAffinity="ClientIP")
    code, out, _ = run_tool(ipvsadm, lab, "ipvsadm -Ln -t 10.96.45.12:8080")
    assert out.splitlines()[2] == "TCP  10.96.45.12:8080 rr persistent 10800"
    lab.network.http(lab.network.source_for_node("controlplane"), "GET", "10.96.45.12", 8080, "/")
    code, out, _ = run_tool(ipvsadm, lab, "ipvsadm -Ln --persistent-conn -t 10.96.45.12:8080")
    assert out.splitlines()[0] == "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn "
    assert sorted(line.split()[3] for line in out.splitlines()[3:]) == ["0", "1"]
    code, out, _ = run_tool(ipvsadm, lab, "ipvsadm -Lnc")
    assert any(" NONE        10.96.45.12:0      10.96.45.12:8080 " in line and line.startswith("TCP 180:00")
               for line in out.splitlines())


def test_ipset_list(lab: MiniCluster) -> None:
    code, out, _ = run_tool(ipset, lab, "ipset list KUBE-CLUSTER-IP")
    lines = out.splitlines()
    assert lines[0:3] == ["Name: KUBE-CLUSTER-IP", "Type: hash:ip,port", "Revision: 7"]
    assert lines[3].startswith("Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x")
    assert lines[5:] == ["References: 3", "Number of entries: 5", "Members:", "10.96.0.1,tcp:443",
                         "10.96.0.10,tcp:53", "10.96.0.10,tcp:9153", "10.96.0.10,udp:53", "10.96.45.12,tcp:8080"]
    code, out, _ = run_tool(ipset, lab, "ipset list -n")
    assert out.splitlines()[:2] == ["KUBE-LOOP-BACK", "KUBE-CLUSTER-IP"] and "KUBE-IPVS-IPS" in out
    assert run_tool(ipset, lab, "ipset list NOPE") == (1, "", "ipset v7.19: The set with the given name does not exist\n")
    code, out, _ = run_tool(ipset, lab, "ipset list KUBE-NODE-PORT-TCP")
    assert "Header: range 0-65535" in out and out.endswith("Number of entries: 0\nMembers:\n")


def test_iptables_save_is_constant_size(lab: MiniCluster) -> None:
    code, out, _ = run_tool(iptables_save, lab, "iptables-save -t nat")
    assert code == 0 and "*nat\n" in out and out.rstrip().splitlines()[-2] == "COMMIT"
    assert ("-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment \"Kubernetes service cluster ip + port for "
            "masquerade purpose\" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ\n") in out
    assert "-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT\n" in out
    n_before = len(out.splitlines())
    for i in range(20):
        lab.service(f"s{i}", f"10.96.7.{i + 1}", [{"port": 80}])
    assert len(run_tool(iptables_save, lab, "iptables-save -t nat")[1].splitlines()) == n_before
    code, out, _ = run_tool(iptables_save, lab, "iptables-save")
    assert ("-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT "
            "--reject-with icmp-port-unreachable\n") in out
    code, out, _ = run_tool(iptables, lab, "iptables -t nat -S KUBE-MARK-MASQ")
    assert out == "-N KUBE-MARK-MASQ\n-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n"


def test_ip_addr_kube_ipvs0_and_pod(lab: MiniCluster) -> None:
    code, out, _ = run_tool(ip, lab, "ip -4 addr show kube-ipvs0", node="node01")
    assert out == ("4: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default \n"
                   "    inet 10.96.0.1/32 scope global kube-ipvs0\n       valid_lft forever preferred_lft forever\n"
                   "    inet 10.96.0.10/32 scope global kube-ipvs0\n       valid_lft forever preferred_lft forever\n"
                   "    inet 10.96.45.12/32 scope global kube-ipvs0\n       valid_lft forever preferred_lft forever\n")
    code, out, _ = run_tool(ip, lab, "ip a", pod="tmp")
    pod_ip = lab.store.get("pods", "default", "tmp")["status"]["podIP"]
    assert f"    inet {pod_ip}/32 scope global eth0\n" in out and "kube-ipvs0" not in out
    assert run_tool(ip, lab, "ip addr show nope") == (1, "", 'Device "nope" does not exist.\n')
    code, out, _ = run_tool(ip, lab, "ip route", pod="tmp")
    assert out == "default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n"
    code, out, _ = run_tool(ip, lab, "ip route", node="node01")
    assert "10.244.2.0/24 via 172.30.3.2 dev tunl0 proto bird onlink \n" in out


def test_ping_busybox_vip_has_no_reply(lab: MiniCluster) -> None:
    code, out, err = run_tool(ping, lab, "ping -c 2 10.96.45.12", pod="tmp")
    assert code == 1 and err == ""
    assert out == ("PING 10.96.45.12 (10.96.45.12): 56 data bytes\n\n--- 10.96.45.12 ping statistics ---\n"
                   "2 packets transmitted, 0 packets received, 100% packet loss\n")


def test_ping_pod_and_names(lab: MiniCluster) -> None:
    target = lab.web_ips[1]
    code, out, _ = run_tool(ping, lab, f"ping -c 3 {target}", pod="tmp")
    lines = out.splitlines()
    assert code == 0 and lines[1].startswith(f"64 bytes from {target}: seq=0 ttl=62 time=")
    assert lines[-2] == "3 packets transmitted, 3 packets received, 0% packet loss"
    assert run_tool(ping, lab, "ping -c 1 nosuch", pod="tmp") == (1, "", "ping: bad address 'nosuch'\n")
    code, out, _ = run_tool(ping, lab, "ping -c 1 172.30.3.2", node="node01")
    assert out.splitlines()[0] == "PING 172.30.3.2 (172.30.3.2) 56(84) bytes of data."
    assert out.splitlines()[1].startswith("64 bytes from 172.30.3.2: icmp_seq=1 ttl=64 time=")
    assert out.splitlines()[-2].startswith("1 packets transmitted, 1 received, 0% packet loss, time 0ms")
    assert run_tool(ping, lab, "ping -c 1 nosuch", node="node01") == (2, "", "ping: nosuch: Name or service not known\n")


def test_nc_busybox_and_openbsd(lab: MiniCluster) -> None:
    assert run_tool(nc, lab, "nc -zv web 8080", pod="tmp") == (0, "", "web (10.96.45.12:8080) open\n")
    assert run_tool(nc, lab, "nc -zv 10.96.45.12 81", pod="tmp") == (1, "", "")
    assert run_tool(nc, lab, "nc -zvv 10.96.45.12 81", pod="tmp") == (
        1, "", "nc: 10.96.45.12 (10.96.45.12:81): Connection refused\n")
    assert run_tool(nc, lab, "nc -zv nosuch 80", pod="tmp") == (1, "", "nc: bad address 'nosuch'\n")
    assert run_tool(nc, lab, "nc -zv 10.96.45.12 8080", node="node01") == (
        0, "", "Connection to 10.96.45.12 (10.96.45.12) 8080 port [tcp/http-alt] succeeded!\n")
    assert run_tool(nc, lab, "nc -zv 10.96.45.12 81", node="node01") == (
        1, "", "nc: connect to 10.96.45.12 (10.96.45.12) port 81 (tcp) failed: Connection refused\n")


def test_ipvsadm_edits_and_kube_proxy_periodic_resync(lab: MiniCluster) -> None:
    before = run_tool(ipvsadm, lab, "ipvsadm -Ln")[1]
    assert run_tool(ipvsadm, lab, "ipvsadm -A -t 192.0.2.10:80 -s wrr") == (0, "", "")
    assert run_tool(ipvsadm, lab, "ipvsadm -A -t 192.0.2.10:80") == (2, "", "Service already exists\n")
    assert run_tool(ipvsadm, lab, "ipvsadm -a -t 192.0.2.10:80 -r 10.244.1.99:8080 -m -w 3") == (0, "", "")
    out = run_tool(ipvsadm, lab, "ipvsadm -Ln -t 192.0.2.10:80")[1]
    assert out.splitlines()[2:] == ["TCP  192.0.2.10:80 wrr",
                                    "  -> 10.244.1.99:8080             Masq    3      0          0         "]
    assert run_tool(ipvsadm, lab, "ipvsadm -D -t 10.96.45.12:8080") == (0, "", "")
    assert run_tool(ipvsadm, lab, "ipvsadm -Ln -t 10.96.45.12:8080")[0] == 1
    lab.tick(30)   # kube-proxy's syncPeriod: the Service's VS is back, the hand-made one removed
    assert run_tool(ipvsadm, lab, "ipvsadm -Ln")[1] == before
    assert run_tool(ipvsadm, lab, "ipvsadm -C") == (0, "", "")
    assert run_tool(ipvsadm, lab, "ipvsadm -Ln")[1].count("\n") == 3
    lab.tick(30)
    assert run_tool(ipvsadm, lab, "ipvsadm -Ln")[1] == before
    save = run_tool(ipvsadm, lab, "ipvsadm -S -n")[1].splitlines()
    assert save[:2] == ["-A -t 10.96.0.1:443 -s rr", "-a -t 10.96.0.1:443 -r 172.30.1.2:6443 -m -w 1"]


def test_iptables_list(lab: MiniCluster) -> None:
    code, out, _ = run_tool(iptables, lab, "iptables -t nat -L KUBE-SERVICES -n")
    assert out == (
        "Chain KUBE-SERVICES (2 references)\n"
        "target     prot opt source               destination         \n"
        "RETURN     all  --  127.0.0.0/8          0.0.0.0/0           \n"
        "KUBE-MARK-MASQ  all  -- !10.244.0.0/16        0.0.0.0/0            /* Kubernetes service cluster ip + port "
        "for masquerade purpose */ match-set KUBE-CLUSTER-IP dst,dst\n"
        "KUBE-NODE-PORT  all  --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL\n"
        "ACCEPT     all  --  0.0.0.0/0            0.0.0.0/0            match-set KUBE-CLUSTER-IP dst,dst\n")
    code, out, _ = run_tool(iptables, lab, "iptables -L KUBE-IPVS-FILTER")
    assert out.splitlines()[-1] == ("REJECT     all  --  anywhere             anywhere             ctstate NEW "
                                    "match-set KUBE-IPVS-IPS dst reject-with icmp-port-unreachable")
    assert run_tool(iptables, lab, "iptables -L NOPE")[0] == 1
    code, out, _ = run_tool(iptables, lab, "iptables -t nat -L KUBE-MARK-MASQ -n --line-numbers")
    assert out.splitlines()[1:] == ["num  target     prot opt source               destination         ",
                                    "1    MARK       all  --  0.0.0.0/0            0.0.0.0/0            MARK or 0x4000"]


def test_ping_iputils_vip_reports_port_unreachable(lab: MiniCluster) -> None:
    code, out, err = run_tool(ping, lab, "ping -c 2 10.96.45.12", node="node01")
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[:3] == ["PING 10.96.45.12 (10.96.45.12) 56(84) bytes of data.",
                         "From 10.96.45.12 icmp_seq=1 Destination Port Unreachable",
                         "From 10.96.45.12 icmp_seq=2 Destination Port Unreachable"]
    assert lines[5].startswith("2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 10")
