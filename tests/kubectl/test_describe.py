"""kubectl describe layouts (describe.go) with hand-built objects, plus a smoke run on the real engine."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from sandbox.kubectl.describe import describe, format_endpoint_slices, pod_qos

NOW = datetime(2026, 11, 22, 6, 10, 0, tzinfo=UTC)


class FakeCluster:
    """Just the read side describe uses: list/get over dicts, and a clock."""

    def __init__(self, objs: dict[str, list[dict]]) -> None:
        self.objs = objs
        self.clock = SimpleNamespace(now=NOW)

    def list(self, resource: str, namespace: str | None = None, *, label_selector: str | None = None,
             field_selector: str | None = None) -> list[dict]:
        out = []
        for obj in self.objs.get(resource, []):
            meta = obj.get("metadata") or {}
            if namespace and meta.get("namespace") != namespace:
                continue
            if label_selector:
                want = dict(part.split("=", 1) for part in label_selector.split(","))
                labels = meta.get("labels") or {}
                if any(labels.get(k) != v for k, v in want.items()):
                    continue
            out.append(obj)
        return out

    def get(self, resource: str, namespace: str | None, name: str) -> dict:
        for obj in self.list(resource, namespace):
            if obj["metadata"]["name"] == name:
                return obj
        raise KeyError(name)


def service(name: str = "web", **spec) -> dict:
    base = {"clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"], "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "selector": {"app": name},
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}], "sessionAffinity": "None",
            "type": "ClusterIP"}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}",
                         "creationTimestamp": "2026-11-22T06:00:00Z", "labels": {"app": name}},
            "spec": base, "status": {"loadBalancer": {}}}


def slice_for(svc: str, endpoints: list[dict] | None, ports: list[dict] | None) -> dict:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": {"name": f"{svc}-abcde", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": svc}},
            "endpoints": endpoints, "ports": ports}


def ready(ip: str, ok: bool = True) -> dict:
    return {"addresses": [ip], "conditions": {"ready": ok, "serving": ok, "terminating": False}}


SERVICE_TEXT = """\
Name:                     web
Namespace:                default
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.12.7
IPs:                      10.96.12.7
Port:                     <unset>  80/TCP
TargetPort:               8080/TCP
Endpoints:                10.244.1.4:80,10.244.2.5:80
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
"""


def test_service_with_endpoints_from_slices() -> None:
    cluster = FakeCluster({"endpointslices": [slice_for("web", [ready("10.244.1.4"), ready("10.244.2.5"),
                                                                ready("10.244.2.9", False)],
                                                       [{"name": "", "port": 80, "protocol": "TCP"}])]})
    assert describe(cluster, "services", service()) == SERVICE_TEXT


def test_service_endpoints_placeholder_none_and_more() -> None:
    placeholder = FakeCluster({"endpointslices": [slice_for("web", None, None)]})
    text = describe(placeholder, "services", service())
    assert "Endpoints:                \n" in text  # empty value: padding kept, as kubectl prints it
    assert "Endpoints:                <none>\n" in describe(FakeCluster({}), "services", service())
    many = [ready(f"10.244.1.{i}") for i in range(5)]
    slices = [slice_for("web", many, [{"name": "", "port": 80, "protocol": "TCP"}])]
    assert format_endpoint_slices(slices, "") == "10.244.1.0:80,10.244.1.1:80,10.244.1.2:80 + 2 more..."


def test_externalname_service_is_narrower() -> None:
    svc = service("ext", type="ExternalName", externalName="bar.com", ports=[])
    for key in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"):
        svc["spec"].pop(key)
    text = describe(FakeCluster({}), "services", svc, show_events=False)
    assert text.splitlines()[0] == "Name:              ext"
    assert "IP:                \n" in text and "External Name:     bar.com\n" in text
    assert "Events" not in text


def test_named_port_nodeport_and_events_table() -> None:
    svc = service(type="NodePort", externalTrafficPolicy="Cluster",
                  ports=[{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "web", "nodePort": 30080}])
    events = [{"metadata": {"name": "e1", "namespace": "default"}, "type": "Normal", "reason": "Updated",
               "count": 3, "firstTimestamp": "2026-11-22T06:05:00Z", "lastTimestamp": "2026-11-22T06:09:30Z",
               "involvedObject": {"kind": "Service", "name": "web", "namespace": "default", "uid": "uid-web"},
               "source": {"component": "service-controller"}, "message": "changed"}]
    text = describe(FakeCluster({"events": events}), "services", svc)
    assert "Port:                     http  80/TCP\nTargetPort:               web/TCP\n" \
           "NodePort:                 http  30080/TCP\nEndpoints:                <none>\n" in text
    assert "External Traffic Policy:  Cluster\n" in text
    assert text.endswith("Events:\n  Type    Reason   Age               From                Message\n"
                         "  ----    ------   ----              ----                -------\n"
                         "  Normal  Updated  30s (x3 over 5m)  service-controller  changed\n")


def test_endpoints_describe() -> None:
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web", "namespace": "default"},
          "subsets": [{"addresses": [{"ip": "10.244.1.4"}, {"ip": "10.244.2.5"}],
                       "ports": [{"port": 80, "protocol": "TCP"}]}]}
    assert describe(FakeCluster({}), "endpoints", ep) == (
        "Name:         web\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\nSubsets:\n"
        "  Addresses:          10.244.1.4,10.244.2.5\n  NotReadyAddresses:  <none>\n  Ports:\n"
        "    Name     Port  Protocol\n    ----     ----  --------\n    <unset>  80    TCP\n\nEvents:  <none>\n")


def test_pod_describe_layout() -> None:
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "web-1", "namespace": "default", "uid": "u1", "labels": {"app": "web", "b": "2"},
                        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}",
                                        "note": "hello"},
                        "ownerReferences": [{"kind": "ReplicaSet", "name": "web-abc", "controller": True}]},
           "spec": {"nodeName": "node01", "priority": 0, "serviceAccountName": "default",
                    "containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80,
                                                                                     "protocol": "TCP"}],
                                    "env": [{"name": "MODE", "value": "prod"},
                                            {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                                                       "fieldPath": "metadata.name"}}}],
                                    "readinessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
                                                       "periodSeconds": 10, "timeoutSeconds": 1,
                                                       "successThreshold": 1, "failureThreshold": 3}}],
                    "tolerations": [{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                                     "effect": "NoExecute", "tolerationSeconds": 300},
                                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                                     "effect": "NoExecute", "tolerationSeconds": 300}]},
           "status": {"phase": "Running", "hostIP": "172.30.2.2", "podIP": "10.244.1.4",
                      "podIPs": [{"ip": "10.244.1.4"}], "startTime": "2026-11-22T06:00:00Z", "qosClass": "BestEffort",
                      "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
                      "containerStatuses": [{"name": "nginx", "containerID": "containerd://abc", "imageID": "sha",
                                             "ready": True, "restartCount": 0,
                                             "state": {"running": {"startedAt": "2026-11-22T06:00:03Z"}}}]}}
    assert describe(FakeCluster({}), "pods", pod, show_events=False) == """\
Name:             web-1
Namespace:        default
Priority:         0
Service Account:  default
Node:             node01/172.30.2.2
Start Time:       Sun, 22 Nov 2026 06:00:00 +0000
Labels:           app=web
                  b=2
Annotations:      note: hello
Status:           Running
IP:               10.244.1.4
IPs:
  IP:           10.244.1.4
Controlled By:  ReplicaSet/web-abc
Containers:
  nginx:
    Container ID:   containerd://abc
    Image:          nginx:1.27
    Image ID:       sha
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Sun, 22 Nov 2026 06:00:03 +0000
    Ready:          True
    Restart Count:  0
    Readiness:      http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:  prod
      POD:   web-1 (v1:metadata.name)
    Mounts:  <none>
Conditions:
  Type           Status
  Ready          True\x20
  PodScheduled   True\x20
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
""".replace("#success=1 #failure=3", "successThreshold=1 failureThreshold=3")


@pytest.mark.parametrize(("resources", "qos"), [
    ({}, "BestEffort"),
    ({"requests": {"cpu": "100m"}}, "Burstable"),
    ({"limits": {"cpu": "1", "memory": "1Gi"}}, "Guaranteed"),
    ({"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "2Gi"}}, "Burstable"),
])
def test_qos(resources: dict, qos: str) -> None:
    assert pod_qos({"spec": {"containers": [{"name": "c", "resources": resources}]}}) == qos


def test_configmap_and_namespace() -> None:
    cm = {"kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "default"}, "data": {"a.txt": "hello"}}
    assert describe(FakeCluster({}), "configmaps", cm) == (
        "Name:         cfg\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\n"
        "a.txt:\n----\nhello\n\n\nBinaryData\n====\n\nEvents:  <none>\n")
    ns = {"kind": "Namespace", "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
          "status": {"phase": "Active"}}
    assert describe(FakeCluster({}), "namespaces", ns) == (
        "Name:         dev\nLabels:       kubernetes.io/metadata.name=dev\nAnnotations:  <none>\nStatus:       Active\n"
        "\nNo resource quota.\n\nNo LimitRange resource.\n")


def test_long_and_multiline_annotations() -> None:
    svc = service()
    svc["metadata"]["annotations"] = {"a": "x" * 150, "b": "one\ntwo\n", "c": "short"}
    text = describe(FakeCluster({}), "services", svc, show_events=False)
    assert ("Annotations:              a:\n                            " + "x" * 138 + "...\n"
            "                          b:\n                            one\n                            two\n"
            "                          c: short\n") in text


def test_deployment_on_real_engine() -> None:
    from sandbox.cluster import Cluster

    cluster = Cluster(seed=3)
    cluster.create({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
                    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                             "template": {"metadata": {"labels": {"app": "web"}},
                                          "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}})
    cluster.tick(30)
    text = describe(cluster, "deployments", cluster.get("deployments", "default", "web"))
    lines = text.splitlines()
    assert lines[0] == "Name:                   web"
    assert "Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable" in lines
    assert "RollingUpdateStrategy:  25% max unavailable, 25% max surge" in lines
    assert any(line.startswith("NewReplicaSet:   web-") and line.endswith(" (2/2 replicas created)")
               for line in lines)
    assert "  Normal  ScalingReplicaSet  30s   deployment-controller  Scaled up replica set web-" in text


def test_loadbalancer_ingress_lines() -> None:
    svc = service(type="LoadBalancer", externalTrafficPolicy="Cluster", externalIPs=["198.51.100.7"],
                  ports=[{"port": 443, "protocol": "TCP", "targetPort": 8443, "nodePort": 31443}])
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.5", "ipMode": "VIP"},
                                                  {"hostname": "lb.example.com"}]}}
    text = describe(FakeCluster({}), "services", svc, show_events=False)
    assert "External IPs:             198.51.100.7\n" in text
    assert "LoadBalancer Ingress:     203.0.113.5 (VIP), lb.example.com\n" in text
    assert "NodePort:                 <unset>  31443/TCP\n" in text
