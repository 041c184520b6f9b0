"""kubectl get tables: tabwriter rules, column sets, cell rules of printers.go, ages, decorations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sandbox.kubectl.printers import (
    TabWriter,
    WatchTable,
    custom_columns,
    custom_columns_file,
    human_duration,
    print_table,
    print_tables,
    tabwrite,
)
from sandbox.kubectl.printers.columns import format_endpoints, pod_row, selector_string

NOW = datetime(2026, 11, 22, 6, 10, 0, tzinfo=UTC)


def meta(name: str, ns: str | None = "default", age: str = "2026-11-22T06:00:00Z", **extra) -> dict:
    out = {"name": name, "creationTimestamp": age, **extra}
    if ns:
        out["namespace"] = ns
    return out


@pytest.mark.parametrize(("seconds", "text"), [
    (-5, "<invalid>"), (-1, "0s"), (0, "0s"), (119, "119s"), (120, "2m"), (125, "2m5s"), (599, "9m59s"),
    (600, "10m"), (179 * 60 + 59, "179m"), (3 * 3600, "3h"), (5 * 3600 + 30 * 60, "5h30m"), (8 * 3600, "8h"),
    (47 * 3600, "47h"), (48 * 3600, "2d"), (3 * 86400 + 4 * 3600, "3d4h"), (8 * 86400, "8d"), (400 * 86400, "400d"),
    (730 * 86400, "2y"), (760 * 86400, "2y30d"), (8 * 365 * 86400, "8y"), (1.9, "1s"),
])
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def test_tabwriter_blocks_and_trailing_cells() -> None:
    # column widths per block of lines that have the cell; the last cell is never padded
    text = "a\tbb\tc\nlonger\tx\ty\n\nq\tr\n"
    assert tabwrite(text) == "a        bb    c\nlonger   x     y\n\nq     r\n"
    assert tabwrite("Name:\tweb\nIPs:\n  IP:\t10.0.0.1\n", minwidth=0, tabwidth=8, padding=2) == \
        "Name:  web\nIPs:\n  IP:  10.0.0.1\n"
    # widths count runes, not bytes
    assert tabwrite("日本語x\tx\nab\ty\n") == "日本語x   x\nab     y\n"


def test_tabwriter_remembered_widths() -> None:
    w = TabWriter(6, 4, 3, " ", remember_widths=True)
    w.write("NAME\tSTATUS\nlong-pod-name\tRunning\n")
    assert w.flush() == "NAME            STATUS\nlong-pod-name   Running\n"
    w.write("p\tPending\n")
    assert w.flush() == "p               Pending\n"


SERVICES = [
    {"metadata": meta("kubernetes", labels={"component": "apiserver", "provider": "kubernetes"}),
     "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
              "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}},
    {"metadata": meta("kube-dns", "kube-system", labels={"k8s-app": "kube-dns"}),
     "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.10"], "selector": {"k8s-app": "kube-dns"},
              "ports": [{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "dns-tcp", "port": 53, "protocol": "TCP"},
                        {"name": "metrics", "port": 9153, "protocol": "TCP"}]}},
    {"metadata": meta("web", age="2026-11-22T06:09:58Z", labels={"app": "web"}),
     "spec": {"type": "NodePort", "clusterIPs": ["10.104.12.7"], "selector": {"app": "web"},
              "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]}},
    {"metadata": meta("headless", age="2026-11-22T06:08:00Z"),
     "spec": {"type": "ClusterIP", "clusterIPs": ["None"], "selector": {"app": "web"}}},
    {"metadata": meta("ext", age="2026-11-22T06:08:00Z"),
     "spec": {"type": "ExternalName", "externalName": "bar.com"}},
    {"metadata": meta("lb", age="2026-11-22T06:08:00Z"),
     "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.3.3"], "ports": [{"port": 80, "nodePort": 31000,
                                                                               "protocol": "TCP"}]},
     "status": {"loadBalancer": {}}},
]


def test_services_table() -> None:
    assert print_table(SERVICES, "services", now=NOW) == (
        "NAME         TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)                  AGE\n"
        "kubernetes   ClusterIP      10.96.0.1     <none>        443/TCP                  10m\n"
        "kube-dns     ClusterIP      10.96.0.10    <none>        53/UDP,53/TCP,9153/TCP   10m\n"
        "web          NodePort       10.104.12.7   <none>        80:30080/TCP             2s\n"
        "headless     ClusterIP      None          <none>        <none>                   2m\n"
        "ext          ExternalName   <none>        bar.com       <none>                   2m\n"
        "lb           LoadBalancer   10.96.3.3     <pending>     80:31000/TCP             2m\n")


def test_services_wide_namespace_labels_and_label_columns() -> None:
    out = print_table(SERVICES[:3], "services", now=NOW, wide=True, with_namespace=True, show_labels=True,
                      label_columns=["app", "k8s-app"])
    assert out == (
        "NAMESPACE     NAME         TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)                  AGE   "
        "SELECTOR           APP   K8S-APP    LABELS\n"
        "default       kubernetes   ClusterIP   10.96.0.1     <none>        443/TCP                  10m   "
        "<none>                              component=apiserver,provider=kubernetes\n"
        "kube-system   kube-dns     ClusterIP   10.96.0.10    <none>        53/UDP,53/TCP,9153/TCP   10m   "
        "k8s-app=kube-dns         kube-dns   k8s-app=kube-dns\n"
        "default       web          NodePort    10.104.12.7   <none>        80:30080/TCP             2s    "
        "app=web            web              app=web\n")


def test_no_headers_shrinks_columns() -> None:
    assert print_table(SERVICES[2:3], "services", now=NOW, no_headers=True) == \
        "web   NodePort   10.104.12.7   <none>   80:30080/TCP   2s\n"


def test_several_types_prefix_and_blank_line() -> None:
    deploy = {"metadata": meta("web"), "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                                                "template": {"spec": {"containers": [{"name": "nginx",
                                                                                      "image": "nginx"}]}}},
              "status": {"readyReplicas": 3, "updatedReplicas": 3, "availableReplicas": 3}}
    out = print_tables([("services", SERVICES[:1]), ("deployments", [deploy]), ("pods", [])], now=NOW,
                       with_kind_prefix=True)
    assert out == (
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10m\n"
        "\n"
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/web   3/3     3            3           10m\n")
    assert print_table([deploy], "deployments", now=NOW, wide=True).splitlines()[1].split() == \
        ["web", "3/3", "3", "3", "10m", "nginx", "nginx", "app=web"]


def pod(status: dict, spec: dict | None = None, **meta_extra) -> dict:
    return {"metadata": meta("p", **meta_extra),
            "spec": spec or {"containers": [{"name": "c"}]}, "status": status}


@pytest.mark.parametrize(("status", "ready", "reason", "restarts"), [
    ({"phase": "Pending"}, "0/1", "Pending", "0"),
    ({"phase": "Pending", "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "ContainerCreating"}}}]},
     "0/1", "ContainerCreating", "0"),
    ({"phase": "Running", "containerStatuses": [{"name": "c", "ready": True, "state": {"running": {}}}]},
     "1/1", "Running", "0"),
    ({"phase": "Running", "containerStatuses": [{"name": "c", "restartCount": 4, "state": {
        "waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {"terminated": {
            "exitCode": 1, "finishedAt": "2026-11-22T06:05:00Z"}}}]}, "0/1", "CrashLoopBackOff", "4 (5m ago)"),
    ({"phase": "Pending", "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "ErrImagePull"}}}]},
     "0/1", "ErrImagePull", "0"),
    ({"phase": "Pending", "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "ImagePullBackOff"}}}]},
     "0/1", "ImagePullBackOff", "0"),
    ({"phase": "Succeeded", "containerStatuses": [{"name": "c", "state": {"terminated": {"reason": "Completed",
                                                                                          "exitCode": 0}}}]},
     "0/1", "Completed", "0"),
    ({"phase": "Failed", "containerStatuses": [{"name": "c", "state": {"terminated": {"exitCode": 2}}}]},
     "0/1", "ExitCode:2", "0"),
    ({"phase": "Running", "containerStatuses": [{"name": "c", "ready": False, "state": {"running": {}}}]},
     "0/1", "Running", "0"),
])
def test_pod_status_rules(status: dict, ready: str, reason: str, restarts: str) -> None:
    cells = pod_row(pod(status), NOW)
    assert cells[1:4] == [ready, reason, restarts]


def test_pod_terminating_and_init_containers() -> None:
    running = {"phase": "Running", "containerStatuses": [{"name": "c", "ready": True, "state": {"running": {}}}]}
    assert pod_row(pod(running, deletionTimestamp="2026-11-22T06:09:00Z"), NOW)[2] == "Terminating"
    spec = {"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "c"}]}
    init = {"phase": "Pending", "initContainerStatuses": [
        {"name": "i1", "state": {"terminated": {"exitCode": 0}}},
        {"name": "i2", "state": {"running": {}}}],
        "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "PodInitializing"}}}]}
    assert pod_row(pod(init, spec), NOW)[1:3] == ["0/1", "Init:1/2"]
    failing = {"phase": "Pending", "initContainerStatuses": [
        {"name": "i1", "restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
    assert pod_row(pod(failing, spec), NOW)[1:4] == ["0/1", "Init:CrashLoopBackOff", "2"]


def test_pods_wide() -> None:
    p = pod({"phase": "Pending"})
    assert print_table([p], "pods", now=NOW, wide=True) == (
        "NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\n"
        "p      0/1     Pending   0          10m   <none>   <none>   <none>           <none>\n")


def test_endpoints_cells() -> None:
    addrs = [{"ip": f"10.244.0.{i}"} for i in (5, 7)] + [{"ip": f"10.244.1.{i}"} for i in (4, 5, 6)]
    ep = {"subsets": [{"addresses": addrs, "ports": [{"port": 80, "protocol": "TCP"}]}]}
    assert format_endpoints(ep) == "10.244.0.5:80,10.244.0.7:80,10.244.1.4:80 + 2 more..."
    assert format_endpoints({"subsets": []}) == "<none>"
    assert format_endpoints({"subsets": [{"notReadyAddresses": addrs, "ports": [{"port": 80}]}]}) == ""


def test_endpointslices_table() -> None:
    placeholder = {"metadata": meta("web-abcde"), "addressType": "IPv4", "ports": None, "endpoints": None}
    full = {"metadata": meta("api-xyz12"), "addressType": "IPv4", "ports": [{"name": "", "port": 80}],
            "endpoints": [{"addresses": ["10.244.1.4"]}, {"addresses": ["10.244.2.5"]}]}
    assert print_table([placeholder, full], "endpointslices", now=NOW) == (
        "NAME        ADDRESSTYPE   PORTS     ENDPOINTS               AGE\n"
        "web-abcde   IPv4          <unset>   <unset>                 10m\n"
        "api-xyz12   IPv4          80        10.244.1.4,10.244.2.5   10m\n")


def test_nodes_namespaces_daemonsets_statefulsets_configmaps_events() -> None:
    node = {"metadata": meta("controlplane", None, labels={"node-role.kubernetes.io/control-plane": ""}),
            "spec": {"unschedulable": True},
            "status": {"conditions": [{"type": "Ready", "status": "True"}], "nodeInfo": {"kubeletVersion": "v1.37.1"},
                       "addresses": [{"type": "InternalIP", "address": "172.30.1.2"}]}}
    assert print_table([node], "nodes", now=NOW, wide=True) == (
        "NAME           STATUS                     ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   "
        "OS-IMAGE    KERNEL-VERSION   CONTAINER-RUNTIME\n"
        "controlplane   Ready,SchedulingDisabled   control-plane   10m   v1.37.1   172.30.1.2    <none>        "
        "<unknown>   <unknown>        <unknown>\n")
    ns = {"metadata": meta("dev", None), "status": {"phase": "Active"}}
    assert print_table([ns], "namespaces", now=NOW) == "NAME   STATUS   AGE\ndev    Active   10m\n"
    ds = {"metadata": meta("kube-proxy", "kube-system"),
          "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
                   "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"}, "containers": []}}},
          "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 3,
                     "updatedNumberScheduled": 3, "numberAvailable": 3}}
    assert print_table([ds], "daemonsets", now=NOW) == (
        "NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n"
        "kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   10m\n")
    sts = {"metadata": meta("db"), "spec": {"replicas": 3}, "status": {"readyReplicas": 1}}
    assert print_table([sts], "statefulsets", now=NOW) == "NAME   READY   AGE\ndb     1/3     10m\n"
    cm = {"metadata": meta("kube-root-ca.crt"), "data": {"ca.crt": "x"}}
    assert print_table([cm], "configmaps", now=NOW) == "NAME               DATA   AGE\nkube-root-ca.crt   1      10m\n"
    ev = {"metadata": meta("web.1"), "type": "Normal", "reason": "Scheduled", "count": 1,
          "firstTimestamp": "2026-11-22T06:09:00Z", "lastTimestamp": "2026-11-22T06:09:00Z",
          "involvedObject": {"kind": "Pod", "name": "web"}, "source": {"component": "default-scheduler"},
          "message": "Successfully assigned default/web to node01\n"}
    assert print_table([ev], "events", now=NOW) == (
        "LAST SEEN   TYPE     REASON      OBJECT    MESSAGE\n"
        "60s         Normal   Scheduled   pod/web   Successfully assigned default/web to node01\n")
    assert print_table([ev], "events", now=NOW, wide=True) == (
        "LAST SEEN   TYPE     REASON      OBJECT    SUBOBJECT   SOURCE              MESSAGE"
        "                                       FIRST SEEN   COUNT   NAME\n"
        "60s         Normal   Scheduled   pod/web               default-scheduler   Successfully assigned default/web"
        " to node01   60s          1       web.1\n")


def test_selector_strings() -> None:
    assert selector_string({"matchLabels": {"b": "2", "a": "1"},
                            "matchExpressions": [{"key": "c", "operator": "In", "values": ["y", "x"]},
                                                 {"key": "d", "operator": "DoesNotExist"}]}) == \
        "a=1,b=2,c in (x,y),!d"


def test_custom_columns() -> None:
    objs = [{"metadata": {"name": "web", "labels": {"a": "b"}}, "spec": {"ports": [{"port": 80}, {"port": 443}]}},
            {"metadata": {"name": "db"}, "spec": {}}]
    assert custom_columns("NAME:.metadata.name,PORTS:.spec.ports[*].port,L:{.metadata.labels}", objs) == (
        "NAME   PORTS    L\nweb    80,443   map[a:b]\ndb     <none>   <none>\n")
    assert custom_columns_file("NAME PORT\n.metadata.name .spec.ports[0].port\n", objs[:1], no_headers=True) == \
        "web   80\n"


def test_watch_rows_keep_alignment() -> None:
    table = WatchTable("namespaces", now=NOW)
    first = table.rows([{"metadata": meta("kube-system", None), "status": {"phase": "Active"}}])
    assert first == "NAME          STATUS   AGE\nkube-system   Active   10m\n"
    assert table.rows([{"metadata": meta("dev", None), "status": {"phase": "Terminating"}}]) == \
        "dev           Terminating   10m\n"


def test_loadbalancer_external_ip_is_never_clipped() -> None:
    """The apiserver renders cells with Wide=true, so even plain tables show every ingress address."""
    svc = {"metadata": meta("lb"), "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.3.3"],
                                            "externalIPs": ["198.51.100.7"],
                                            "ports": [{"port": 80, "nodePort": 31000, "protocol": "TCP"}]},
           "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.50"}, {"hostname": "a-long-name.example.com"}]}}}
    row = print_table([svc], "services", now=NOW).splitlines()[1].split()
    assert row[3] == "203.0.113.50,a-long-name.example.com,198.51.100.7"
