"""Server-side defaulting of each kind (kubectl.md §5; k8s core/v1 and apps/v1 defaults.go)."""

import copy

import pytest

from sandbox.api.decode import decode
from sandbox.api.defaults import apply_defaults, image_pull_policy


def defaulted(obj: dict, old: dict | None = None) -> dict:
    out = decode(obj)
    apply_defaults(out, old)
    return out


def service(spec: dict) -> dict:
    return defaulted({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
                      "spec": spec})


def test_clusterip_service():
    out = service({"selector": {"app": "web"}, "ports": [{"port": 80}]})
    assert out["spec"] == {
        "ports": [{"protocol": "TCP", "port": 80, "targetPort": 80}],
        "selector": {"app": "web"}, "sessionAffinity": "None", "type": "ClusterIP",
        "internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"],
    }
    assert out["status"] == {"loadBalancer": {}}


def test_named_target_port_and_udp_kept():
    out = service({"ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": "dns"}]})
    assert out["spec"]["ports"] == [{"name": "dns", "protocol": "UDP", "port": 53, "targetPort": "dns"}]


def test_nodeport_and_loadbalancer_services():
    np = service({"type": "NodePort", "ports": [{"port": 80}]})["spec"]
    assert np["externalTrafficPolicy"] == "Cluster" and np["internalTrafficPolicy"] == "Cluster"
    assert "allocateLoadBalancerNodePorts" not in np
    lb = service({"type": "LoadBalancer", "ports": [{"port": 80}]})["spec"]
    assert lb["allocateLoadBalancerNodePorts"] is True and lb["externalTrafficPolicy"] == "Cluster"


def test_clusterip_with_external_ips_gets_external_traffic_policy():
    spec = service({"ports": [{"port": 80}], "externalIPs": ["192.0.2.10"]})["spec"]
    assert spec["externalTrafficPolicy"] == "Cluster"


def test_client_ip_affinity_timeout_default_and_none_drops_config():
    spec = service({"ports": [{"port": 80}], "sessionAffinity": "ClientIP"})["spec"]
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    spec = service({"ports": [{"port": 80}], "sessionAffinity": "ClientIP",
                    "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}})["spec"]
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 60}}
    spec = service({"ports": [{"port": 80}], "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}})["spec"]
    assert "sessionAffinityConfig" not in spec


def test_external_name_has_no_families_nor_internal_policy():
    spec = service({"type": "ExternalName", "externalName": "example.com"})["spec"]
    assert spec == {"sessionAffinity": "None", "type": "ExternalName", "externalName": "example.com"}


def test_headless_services_families():
    with_selector = service({"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]})["spec"]
    assert with_selector["clusterIPs"] == ["None"]
    assert with_selector["ipFamilyPolicy"] == "SingleStack" and with_selector["ipFamilies"] == ["IPv4"]
    selectorless = service({"clusterIP": "None"})["spec"]
    assert selectorless["ipFamilyPolicy"] == "RequireDualStack"
    assert selectorless["ipFamilies"] == ["IPv4", "IPv6"]     # the exception single-stack clusters allow


def test_explicit_cluster_ip_fills_cluster_ips():
    assert service({"clusterIP": "10.96.0.50", "ports": [{"port": 80}]})["spec"]["clusterIPs"] == ["10.96.0.50"]


STORED_SVC = {"apiVersion": "v1", "kind": "Service",
              "metadata": {"name": "web", "namespace": "default", "uid": "u1", "resourceVersion": "5"},
              "spec": {"ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 80, "nodePort": 31000}],
                       "selector": {"app": "web"}, "clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
                       "type": "NodePort", "sessionAffinity": "None", "externalTrafficPolicy": "Cluster",
                       "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"},
              "status": {"loadBalancer": {}}}


def test_replace_without_allocated_values_keeps_them():
    new = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
           "spec": {"type": "NodePort", "selector": {"app": "web"},
                    "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}
    spec = defaulted(new, copy.deepcopy(STORED_SVC))["spec"]
    assert spec["clusterIP"] == "10.96.12.7" and spec["clusterIPs"] == ["10.96.12.7"]
    assert spec["ports"][0]["nodePort"] == 31000 and spec["ports"][0]["targetPort"] == 8080


def test_switching_to_clusterip_drops_node_ports_and_external_policy():
    new = copy.deepcopy(STORED_SVC)
    new["spec"]["type"] = "ClusterIP"
    spec = defaulted(new, copy.deepcopy(STORED_SVC))["spec"]
    assert "nodePort" not in spec["ports"][0] and "externalTrafficPolicy" not in spec
    assert spec["clusterIP"] == "10.96.12.7"


def test_switching_to_external_name_drops_ips_and_families():
    new = copy.deepcopy(STORED_SVC)
    new["spec"].update(type="ExternalName", externalName="example.com")
    spec = defaulted(new, copy.deepcopy(STORED_SVC))["spec"]
    for gone in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "externalTrafficPolicy"):
        assert gone not in spec


POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx", "namespace": "default"},
       "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}]}}


def test_pod_defaults_match_reference():
    spec = defaulted(copy.deepcopy(POD))["spec"]
    assert spec == {
        "containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                        "resources": {}, "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File", "imagePullPolicy": "Always"}],
        "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default", "serviceAccount": "default", "securityContext": {},
        "schedulerName": "default-scheduler",
        "tolerations": [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300},
        ],
        "priority": 0, "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
    }


@pytest.mark.parametrize("image, policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
    ("registry.local:5000/app", "Always"), ("registry.local:5000/app:v2", "IfNotPresent"),
    ("busybox@sha256:" + "a" * 64, "IfNotPresent"), ("busybox:latest@sha256:" + "a" * 64, "Always"),
])
def test_image_pull_policy(image, policy):
    assert image_pull_policy(image) == policy


def test_probe_and_env_defaults():
    pod = copy.deepcopy(POD)
    pod["spec"]["containers"][0].update(
        readinessProbe={"httpGet": {"port": 80}},
        livenessProbe={"tcpSocket": {"port": "http"}, "periodSeconds": 5},
        startupProbe={"grpc": {"port": 9000}},
        env=[{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}])
    c = defaulted(pod)["spec"]["containers"][0]
    assert c["readinessProbe"] == {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "timeoutSeconds": 1,
                                   "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert c["livenessProbe"]["periodSeconds"] == 5 and c["livenessProbe"]["failureThreshold"] == 3
    assert c["startupProbe"]["grpc"] == {"port": 9000}
    assert c["env"][0]["valueFrom"]["fieldRef"] == {"apiVersion": "v1", "fieldPath": "status.podIP"}


def test_limits_copied_to_requests_for_pods_only():
    pod = copy.deepcopy(POD)
    pod["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "500m", "memory": "128Mi"},
                                                 "requests": {"cpu": "100m"}}
    container = defaulted(pod)["spec"]["containers"][0]
    assert container["resources"]["requests"] == {"cpu": "100m", "memory": "128Mi"}
    assert container["resizePolicy"] == [{"resourceName": "cpu", "restartPolicy": "NotRequired"},
                                         {"resourceName": "memory", "restartPolicy": "NotRequired"}]
    dep = deployment()
    dep["spec"]["template"]["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "1"}}
    assert defaulted(dep)["spec"]["template"]["spec"]["containers"][0]["resources"] == {"limits": {"cpu": "1"}}


def test_resource_quantities_round_up_to_milli():
    pod = copy.deepcopy(POD)
    pod["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "0.0001", "memory": "100Mi"}}
    assert defaulted(pod)["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "1m", "memory": "100Mi"}


def test_existing_tolerations_are_respected():
    pod = copy.deepcopy(POD)
    pod["spec"]["tolerations"] = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                                   "effect": "NoExecute", "tolerationSeconds": 10}]
    tolerations = defaulted(pod)["spec"]["tolerations"]
    assert [t["key"] for t in tolerations] == ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
    assert tolerations[0]["tolerationSeconds"] == 10
    pod["spec"]["tolerations"] = [{"operator": "Exists"}]
    assert defaulted(pod)["spec"]["tolerations"] == [{"operator": "Exists"}]


def test_service_account_mirror_and_host_network_ports():
    pod = copy.deepcopy(POD)
    pod["spec"].update(serviceAccount="builder", hostNetwork=True)
    spec = defaulted(pod)["spec"]
    assert spec["serviceAccountName"] == "builder" and spec["serviceAccount"] == "builder"
    assert spec["containers"][0]["ports"][0] == {"hostPort": 80, "containerPort": 80, "protocol": "TCP"}


def test_volume_defaults():
    pod = copy.deepcopy(POD)
    pod["spec"]["volumes"] = [{"name": "scratch"}, {"name": "cfg", "configMap": {"name": "app"}},
                              {"name": "logs", "hostPath": {"path": "/var/log"}}]
    volumes = defaulted(pod)["spec"]["volumes"]
    assert volumes == [{"name": "scratch", "emptyDir": {}},
                       {"name": "cfg", "configMap": {"name": "app", "defaultMode": 420}},
                       {"name": "logs", "hostPath": {"path": "/var/log", "type": ""}}]


def deployment() -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}}}


def test_deployment_defaults():
    spec = defaulted(deployment())["spec"]
    assert spec["replicas"] == 1 and spec["revisionHistoryLimit"] == 10 and spec["progressDeadlineSeconds"] == 600
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%",
                                                                           "maxSurge": "25%"}}
    assert spec["template"]["spec"] == {
        "containers": [{"name": "nginx", "image": "nginx:1.25", "resources": {},
                        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                        "imagePullPolicy": "IfNotPresent"}],
        "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
        "securityContext": {}, "schedulerName": "default-scheduler"}


def test_deployment_recreate_and_explicit_values_kept():
    dep = deployment()
    dep["spec"].update(replicas=0, strategy={"type": "Recreate"}, revisionHistoryLimit=0)
    spec = defaulted(dep)["spec"]
    assert spec["replicas"] == 0 and spec["strategy"] == {"type": "Recreate"} and spec["revisionHistoryLimit"] == 0


def test_replicaset_statefulset_daemonset_defaults():
    rs = deployment() | {"kind": "ReplicaSet"}
    assert defaulted(rs)["spec"]["replicas"] == 1
    sts = deployment() | {"kind": "StatefulSet"}
    spec = defaulted(sts)["spec"]
    assert spec["podManagementPolicy"] == "OrderedReady" and spec["revisionHistoryLimit"] == 10
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 1}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    ds = deployment() | {"kind": "DaemonSet"}
    spec = defaulted(ds)["spec"]
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert spec["revisionHistoryLimit"] == 10 and "replicas" not in spec


def test_namespace_defaults():
    ns = defaulted({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert ns == {"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
                  "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def test_endpointslice_port_defaults():
    es = defaulted({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "web-abc"},
                    "addressType": "IPv4", "endpoints": [], "ports": [{"port": 80}]})
    assert es["ports"] == [{"name": "", "protocol": "TCP", "port": 80}]


@pytest.mark.parametrize("obj", [
    POD,
    deployment(),
    deployment() | {"kind": "StatefulSet"},
    deployment() | {"kind": "DaemonSet"},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
     "spec": {"type": "LoadBalancer", "ports": [{"port": 80}], "sessionAffinity": "ClientIP"}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "h"}, "spec": {"clusterIP": "None"}},
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}},
])
def test_defaulting_is_idempotent(obj):
    once = defaulted(copy.deepcopy(obj))
    twice = copy.deepcopy(once)
    apply_defaults(twice)
    assert twice == once
