"""Validation messages, field paths and order (kubectl.md §8; kubernetes validation sources)."""

import copy

import pytest

from sandbox.api.decode import decode
from sandbox.api.defaults import apply_defaults
from sandbox.api.errors import invalid_object
from sandbox.api.validation import cluster_ip_error, node_port_error, validate

DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
           "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
           "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
DNS1123_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                 "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1123_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                     "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                     "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def prepared(obj: dict, old: dict | None = None) -> dict:
    out = decode(copy.deepcopy(obj))
    meta = out.setdefault("metadata", {})
    if out["kind"] not in ("Namespace", "Node"):
        meta.setdefault("namespace", "default")
    apply_defaults(out, old)
    return out


def errors_of(obj: dict, old: dict | None = None) -> list[str]:
    new = prepared(obj, old)
    return [str(e) for e in validate(new, old)]


def kubectl_text(obj: dict, old: dict | None = None) -> str:
    new = prepared(obj, old)
    group = new["apiVersion"].rpartition("/")[0]
    return invalid_object(new["kind"], group, new["metadata"].get("name", ""), validate(new, old)).kubectl_text()


def svc(spec: dict, name: str = "web") -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def dep(spec: dict, name: str = "web") -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec}


def template(labels: dict | None = None, **spec) -> dict:
    return {"metadata": {"labels": labels} if labels is not None else {},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}], **spec}}


POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx"},
       "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}


def pod(**spec) -> dict:
    out = copy.deepcopy(POD)
    out["spec"].update(spec)
    return out


# ----------------------------------------------------------------------------------- Service
def test_valid_objects_pass():
    assert errors_of(svc({"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]})) == []
    assert errors_of(POD) == []
    assert errors_of(dep({"selector": {"matchLabels": {"app": "web"}}, "template": template({"app": "web"})})) == []


def test_service_ports_required_single_error_text():
    assert kubectl_text(svc({"selector": {"app": "x"}}, name="bad")) == (
        'The Service "bad" is invalid: spec.ports: Required value')


def test_service_name_dns1035_exact_text():
    assert kubectl_text(svc({"ports": [{"port": 80}]}, name="My_Svc")) == (
        f'The Service "My_Svc" is invalid: metadata.name: Invalid value: "My_Svc": {DNS1035}')
    assert errors_of(svc({"ports": [{"port": 80}]}, name="1web")) == [f'metadata.name: Invalid value: "1web": {DNS1035}']


def test_service_name_too_long():
    name = "a" * 64
    assert errors_of(svc({"ports": [{"port": 80}]}, name=name)) == [
        f'metadata.name: Invalid value: "{name}": must be no more than 63 characters']


def test_port_range_and_target_port_rules():
    assert errors_of(svc({"ports": [{"port": 70000}]})) == [
        "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]
    assert errors_of(svc({"ports": [{"targetPort": 80}]})) == [
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"]
    assert errors_of(svc({"ports": [{"port": 80, "targetPort": "Web_Port-"}]})) == [
        'spec.ports[0].targetPort: Invalid value: "Web_Port-": must contain only alpha-numeric characters (a-z, 0-9), '
        'and hyphens (-)',
        'spec.ports[0].targetPort: Invalid value: "Web_Port-": must not begin or end with a hyphen']
    assert errors_of(svc({"ports": [{"port": 80, "targetPort": "8080"}]})) == [
        'spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)']
    assert errors_of(svc({"ports": [{"port": 80, "targetPort": "a-very-long-port-name"}]})) == [
        'spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters']


def test_port_names_required_unique_and_dns_labels():
    assert errors_of(svc({"ports": [{"port": 80}, {"port": 443}]})) == [
        "spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]
    assert errors_of(svc({"ports": [{"name": "http", "port": 80}, {"name": "http", "port": 8080}]})) == [
        'spec.ports[1].name: Duplicate value: "http"']
    assert errors_of(svc({"ports": [{"name": "Http", "port": 80}]})) == [
        f'spec.ports[0].name: Invalid value: "Http": {DNS1123_LABEL}']


def test_duplicate_port_protocol_and_several_causes_layout():
    text = kubectl_text(svc({"ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80}]}, name="dup"))
    # modern apimachinery marshals the internal core.ServicePort key (no json tags) as JSON
    assert text == ('The Service "dup" is invalid: spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP",'
                    '"AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}')
    assert errors_of(svc({"ports": [{"name": "a", "port": 53, "protocol": "UDP"},
                                    {"name": "b", "port": 53}]})) == []
    text = kubectl_text(svc({"ports": [{"port": 0}, {"port": 80, "protocol": "ICMP"}]}, name="multi"))
    assert text == ('The Service "multi" is invalid: \n'
                    "* spec.ports[0].name: Required value\n"
                    "* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n"
                    "* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive\n"
                    "* spec.ports[1].name: Required value\n"
                    '* spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"')


def test_node_port_on_cluster_ip_forbidden_and_duplicates():
    assert errors_of(svc({"ports": [{"port": 80, "nodePort": 30080}]})) == [
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
    assert errors_of(svc({"type": "NodePort", "ports": [{"name": "a", "port": 80, "nodePort": 30080},
                                                        {"name": "b", "port": 81, "nodePort": 30080}]})) == [
        "spec.ports[1].nodePort: Duplicate value: 30080"]


def test_headless_rules():
    assert errors_of(svc({"clusterIP": "None", "selector": {"app": "db"}})) == []
    assert errors_of(svc({"clusterIP": "None"})) == []
    assert errors_of(svc({"clusterIP": "None", "type": "NodePort", "ports": [{"port": 80}]})) == [
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]
    assert errors_of(svc({"clusterIP": "None", "type": "LoadBalancer", "ports": [{"port": 80}]})) == [
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"]


def test_cluster_ip_format():
    assert errors_of(svc({"clusterIP": "10.96.0.300", "ports": [{"port": 80}]})) == [
        'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or '
        '2001:db8::ffff)']


def test_ip_family_checks_preempt_other_errors():
    assert errors_of(svc({"ports": [{"port": 80}], "ipFamilyPolicy": "RequireDualStack"}, name="Bad_Name")) == [
        'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack '
        'services']
    assert errors_of(svc({"ports": [{"port": 80}], "ipFamilies": ["IPv6"]})) == [
        'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']
    assert errors_of(svc({"ports": [{"port": 80}], "clusterIP": "fd00::10"})) == [
        'spec.clusterIPs[0]: Invalid value: ["fd00::10"]: IPv6 is not configured on this cluster']
    assert errors_of(svc({"ports": [{"port": 80}], "clusterIP": "None", "ipFamilyPolicy": "SingleStack",
                          "ipFamilies": ["IPv4"]})) == []


def test_session_affinity_rules():
    assert errors_of(svc({"ports": [{"port": 80}], "sessionAffinity": "ClientIP",
                          "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}}})) == [
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less "
        "than 86400"]
    assert errors_of(svc({"ports": [{"port": 80}], "sessionAffinity": "ClientIP",
                          "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86401}}})) == [
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less "
        "than 86400"]
    assert errors_of(svc({"ports": [{"port": 80}], "sessionAffinity": "Sticky"})) == [
        'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']


def test_external_name_rules():
    assert errors_of(svc({"type": "ExternalName"})) == ["spec.externalName: Required value"]
    assert errors_of(svc({"type": "ExternalName", "externalName": "db.example.com."})) == []
    assert errors_of(svc({"type": "ExternalName", "externalName": "Not_A_Host"})) == [
        f'spec.externalName: Invalid value: "Not_A_Host": {DNS1123_SUBDOMAIN}']
    assert errors_of(svc({"type": "ExternalName", "externalName": "db.example.com",
                          "clusterIP": "10.96.0.9"})) == [
        "spec.clusterIPs: Forbidden: may not be set for ExternalName services"]


def test_type_and_external_traffic_policy():
    assert errors_of(svc({"type": "Internal", "ports": [{"port": 80}]})) == [
        'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", '
        '"NodePort"']
    assert errors_of(svc({"ports": [{"port": 80}], "externalTrafficPolicy": "Local"})) == [
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']
    assert errors_of(svc({"type": "NodePort", "ports": [{"port": 80}], "externalTrafficPolicy": "Global"})) == [
        'spec.externalTrafficPolicy: Unsupported value: "Global": supported values: "Cluster", "Local"']
    assert errors_of(svc({"ports": [{"port": 80}], "internalTrafficPolicy": "Node"})) == [
        'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"']


def test_selector_labels_validated():
    assert errors_of(svc({"ports": [{"port": 80}], "selector": {"app": "web server"}})) == [
        'spec.selector: Invalid value: "web server": a valid label must be an empty string or consist of '
        "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
        "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]


STORED = {"apiVersion": "v1", "kind": "Service",
          "metadata": {"name": "web", "namespace": "default", "uid": "u-1", "resourceVersion": "7"},
          "spec": {"ports": [{"protocol": "TCP", "port": 80, "targetPort": 80}], "selector": {"app": "web"},
                   "clusterIP": "10.96.100.10", "clusterIPs": ["10.96.100.10"], "type": "ClusterIP",
                   "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                   "internalTrafficPolicy": "Cluster"},
          "status": {"loadBalancer": {}}}


def test_cluster_ip_may_not_change_once_set():
    new = copy.deepcopy(STORED)
    new["spec"]["clusterIP"] = "10.96.100.11"
    assert kubectl_text(new, copy.deepcopy(STORED)) == (
        'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.100.11"]: may not change once set')


def test_cluster_ip_kept_on_replace_and_type_change_allowed():
    new = copy.deepcopy(STORED)
    del new["spec"]["clusterIP"], new["spec"]["clusterIPs"]
    new["spec"]["type"] = "NodePort"
    assert errors_of(new, copy.deepcopy(STORED)) == []
    ext = copy.deepcopy(STORED)
    ext["spec"].update(type="ExternalName", externalName="example.com")
    assert errors_of(ext, copy.deepcopy(STORED)) == []


def test_allocator_error_texts():
    err = cluster_ip_error("10.0.0.5", ["10.0.0.5"], "mismatched")
    assert str(err) == ('spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: the provided '
                        'network does not match the current range')
    assert str(cluster_ip_error("10.96.0.10", ["10.96.0.10"], "allocated")) == (
        'spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already '
        'allocated')
    assert str(cluster_ip_error("10.96.0.0", ["10.96.0.0"], "not_in_range")) == (
        'spec.clusterIPs: Invalid value: ["10.96.0.0"]: failed to allocate IP 10.96.0.0: provided IP 10.96.0.0 is '
        'not in the valid range')
    assert str(node_port_error(0, 80, "not_in_range")) == (
        "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid "
        "ports is 30000-32767")
    assert str(node_port_error(1, 30080, "allocated")) == (
        "spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated")
    assert invalid_object("Service", "", "web", [node_port_error(0, 80, "not_in_range")]).kubectl_text() == (
        'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid '
        'range. The range of valid ports is 30000-32767')


# ---------------------------------------------------------------------------------------- Pod
def test_pod_containers_and_image_required():
    assert errors_of(pod(containers=[])) == ["spec.containers: Required value"]
    assert errors_of(pod(containers=[{"name": "web"}])) == ["spec.containers[0].image: Required value"]
    assert errors_of(pod(containers=[{"image": "nginx"}])) == ["spec.containers[0].name: Required value"]


def test_pod_container_name_and_duplicates():
    assert errors_of(pod(containers=[{"name": "Web", "image": "nginx"}])) == [
        f'spec.containers[0].name: Invalid value: "Web": {DNS1123_LABEL}']
    assert errors_of(pod(containers=[{"name": "a", "image": "x"}, {"name": "a", "image": "y"}])) == [
        'spec.containers[1].name: Duplicate value: "a"']
    assert errors_of(pod(containers=[{"name": "a.b", "image": "x"}])) == [
        'spec.containers[0].name: Invalid value: "a.b": must not contain dots']


def test_pod_container_ports():
    c = {"name": "web", "image": "nginx", "ports": [{"containerPort": 80, "name": "http"},
                                                    {"containerPort": 70000, "name": "http"},
                                                    {"containerPort": 8080, "name": "metrics_port"}]}
    assert errors_of(pod(containers=[c])) == [
        'spec.containers[0].ports[1].name: Duplicate value: "http"',
        "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        'spec.containers[0].ports[2].name: Invalid value: "metrics_port": must contain only alpha-numeric characters '
        '(a-z, 0-9), and hyphens (-)']
    assert errors_of(pod(containers=[{"name": "web", "image": "nginx", "ports": [{"name": "x"}]}])) == [
        "spec.containers[0].ports[0].containerPort: Required value"]


def test_pod_restart_and_dns_policy_values():
    assert errors_of(pod(restartPolicy="Sometimes")) == [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']
    assert errors_of(pod(dnsPolicy="Cluster")) == [
        'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", '
        '"Default", "None"']
    assert errors_of(pod(dnsPolicy="None")) == [
        "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"]


def test_probe_rules():
    c = {"name": "web", "image": "nginx", "readinessProbe": {"periodSeconds": 5},
         "livenessProbe": {"httpGet": {"port": "http-web-port-x1"}, "successThreshold": 2}}
    assert errors_of(pod(containers=[c])) == [
        'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "http-web-port-x1": must be no more than 15 '
        'characters',
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "spec.containers[0].readinessProbe: Required value: must specify a handler type"]
    both = {"name": "web", "image": "nginx", "readinessProbe": {"httpGet": {"port": 80}, "tcpSocket": {"port": 80}}}
    assert errors_of(pod(containers=[both])) == [
        "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]


def test_pod_hostname_node_selector_tolerations():
    assert errors_of(pod(hostname="Web_1", nodeSelector={"disk": "ssd fast"})) == [
        'spec.nodeSelector: Invalid value: "ssd fast": a valid label must be an empty string or consist of '
        "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
        "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        f'spec.hostname: Invalid value: "Web_1": {DNS1123_LABEL}']
    assert errors_of(pod(tolerations=[{"operator": "Equal", "value": "x"}])) == [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which '
        'means "match all values and all keys"']
    assert errors_of(pod(tolerations=[{"key": "k", "operator": "Exists", "value": "v"}])) == [
        "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"]
    assert errors_of(pod(tolerations=[{"key": "k", "effect": "NoSchedule", "tolerationSeconds": 5}])) == [
        "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when "
        "`tolerationSeconds` is set"]


def test_host_port_conflicts_and_lifecycle_handlers():
    cs = [{"name": "a", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}]},
          {"name": "b", "image": "y", "ports": [{"containerPort": 81, "hostPort": 8080}],
           "lifecycle": {"preStop": {}}}]
    assert errors_of(pod(containers=cs)) == [
        "spec.containers[1].lifecycle.preStop: Required value: must specify a handler type",
        'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']


def test_env_value_from():
    env = [{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIp"}}},
           {"name": "PHASE", "valueFrom": {"fieldRef": {"fieldPath": "status.phase"}}},
           {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
           {"name": "CFG", "valueFrom": {"configMapKeyRef": {"key": "a b"}}},
           {"name": "BOTH", "value": "x", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}]
    assert errors_of(pod(containers=[{"name": "c", "image": "i", "env": env}])) == [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "status.podIp": error converting '
        'fieldPath: field label not supported: status.podIp',
        'spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported '
        'values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", '
        '"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
        "spec.containers[0].env[3].valueFrom.configMapKeyRef.name: Required value",
        "spec.containers[0].env[3].valueFrom.configMapKeyRef.key: Invalid value: \"a b\": a valid config key must "
        "consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex "
        "used for validation is '[-._a-zA-Z0-9]+')",
        'spec.containers[0].env[4].valueFrom: Invalid value: "": may not be specified when `value` is not empty']


def test_ip_fields():
    assert errors_of(pod(dnsConfig={"nameservers": ["1.1.1.1", "dns"]}, hostAliases=[{"ip": "10.0.0.01"}])) == [
        'spec.dnsConfig.nameservers[1]: Invalid value: "dns": must be a valid IP address, (e.g. 10.9.8.7 or '
        '2001:db8::ffff)',
        'spec.hostAliases[0].ip: Invalid value: "10.0.0.01": must not have leading 0s']
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "e"},
          "subsets": [{"addresses": [{"ip": "10.244.1.300"}], "ports": [{"port": 80}]}]}
    assert errors_of(ep) == ['subsets[0].addresses[0].ip: Invalid value: "10.244.1.300": must be a valid IP '
                             'address, (e.g. 10.9.8.7 or 2001:db8::ffff)']


def test_volume_mount_must_name_a_volume():
    c = {"name": "web", "image": "nginx", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}
    assert errors_of(pod(containers=[c])) == ['spec.containers[0].volumeMounts[0].name: Not found: "data"']


def stored_pod() -> dict:
    obj = prepared(pod(containers=[{"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}]))
    obj["metadata"].update(uid="p-1", resourceVersion="3")
    return obj


def test_pod_image_update_allowed_but_port_change_forbidden():
    old = stored_pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:1.26"
    assert validate(new, old) == []
    new["spec"]["containers"][0]["ports"][0]["containerPort"] = 8080
    errs = validate(new, old)
    assert len(errs) == 1
    text = str(errs[0])
    assert text.startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)\n  core.PodSpec{\n")
    assert text.endswith(
        "  core.PodSpec{\n"
        "  \tVolumes:        nil,\n"
        "  \tInitContainers: nil,\n"
        "  \tContainers: []core.Container{\n"
        "  \t\t{\n"
        "  \t\t\t... // 3 identical fields\n"
        "  \t\t\tArgs:       nil,\n"
        "  \t\t\tWorkingDir: \"\",\n"
        "  \t\t\tPorts: []core.ContainerPort{\n"
        "  \t\t\t\t{\n"
        "  \t\t\t\t\tName:          \"\",\n"
        "  \t\t\t\t\tHostPort:      0,\n"
        "- \t\t\t\t\tContainerPort: 80,\n"
        "+ \t\t\t\t\tContainerPort: 8080,\n"
        "  \t\t\t\t\tProtocol:      \"TCP\",\n"
        "  \t\t\t\t\tHostIP:        \"\",\n"
        "  \t\t\t\t},\n"
        "  \t\t\t},\n"
        "  \t\t\tEnvFrom: nil,\n"
        "  \t\t\tEnv:     nil,\n"
        "  \t\t\t... // 17 identical fields\n"
        "  \t\t},\n"
        "  \t},\n"
        "  \tEphemeralContainers: nil,\n"
        "  \tRestartPolicy:       \"Always\",\n"
        "  \t... // 30 identical fields\n"
        "  }\n")


def test_pod_update_host_network_shows_in_internal_security_context():
    old = stored_pod()
    new = copy.deepcopy(old)
    new["spec"]["hostNetwork"] = True
    errs = [str(e) for e in validate(new, old)]
    assert errs[0] == ("spec.containers[0].ports[0].hostPort: Invalid value: 0: must match `containerPort` when "
                       "`hostNetwork` is true")
    text = errs[-1]
    assert "  \tSecurityContext: &core.PodSecurityContext{\n" in text
    assert "- \t\tHostNetwork: false,\n+ \t\tHostNetwork: true,\n" in text


def test_pod_update_container_count_and_tolerations():
    old = stored_pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"].append({"name": "side", "image": "busybox"})
    apply_defaults(new)
    assert [str(e) for e in validate(new, old)] == [
        "spec.containers: Forbidden: pod updates may not add or remove containers"]
    new = copy.deepcopy(old)
    new["spec"]["tolerations"] = new["spec"]["tolerations"][:1]
    assert [str(e) for e in validate(new, old)] == [
        "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]


# ----------------------------------------------------------------------------------------- apps
def test_selector_does_not_match_template_exact_text():
    text = kubectl_text(dep({"selector": {"matchLabels": {"app": "web"}}, "template": template({"app": "api"})},
                            name="broken"))
    assert text == ('The Deployment "broken" is invalid: spec.template.metadata.labels: Invalid value: {"app":"api"}: '
                    '`selector` does not match template `labels`')


def test_missing_and_empty_selector():
    assert errors_of(dep({"template": template({"app": "web"})})) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']
    assert errors_of(dep({"selector": {}, "template": template({"app": "web"})})) == [
        "spec.selector: Invalid value: {}: empty selector is invalid for deployment"]


def test_raw_message_of_several_errors_uses_qualified_kind():
    new = prepared(dep({"replicas": -1, "template": template({"app": "web"})}, name="d"))
    err = invalid_object("Deployment", "apps", "d", validate(new))
    assert err.message == (
        'Deployment.apps "d" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, '
        'spec.selector: Required value, spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` '
        'does not match template `labels`]')


def test_template_restart_policy_and_strategy():
    assert errors_of(dep({"selector": {"matchLabels": {"app": "w"}},
                          "template": template({"app": "w"}, restartPolicy="Never")})) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']
    assert errors_of(dep({"selector": {"matchLabels": {"app": "w"}}, "template": template({"app": "w"}),
                          "strategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}})) == [
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"]
    assert errors_of(dep({"selector": {"matchLabels": {"app": "w"}}, "template": template({"app": "w"}),
                          "strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}})) == [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]
    assert errors_of(dep({"selector": {"matchLabels": {"app": "w"}}, "template": template({"app": "w"}),
                          "strategy": {"rollingUpdate": {"maxUnavailable": "150%"}}})) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']


def test_unknown_strategy_type_renders_internal_struct():
    assert errors_of(dep({"selector": {"matchLabels": {"app": "w"}}, "template": template({"app": "w"}),
                          "strategy": {"type": "BlueGreen"}})) == [
        'spec.strategy: Unsupported value: {"Type":"BlueGreen","RollingUpdate":null}: supported values: '
        '"Recreate", "RollingUpdate"']


def test_match_expressions():
    sel = {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]}
    assert errors_of(dep({"selector": sel, "template": template({"app": "api"})})) == []
    bad = {"matchExpressions": [{"key": "app", "operator": "Has"}]}
    assert errors_of(dep({"selector": bad, "template": template({"app": "api"})})) == [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Has": not a valid selector operator',
        'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"Has"}]}: invalid label selector']


STORED_DEP = {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"name": "web", "namespace": "default", "uid": "d-1", "resourceVersion": "9",
                           "generation": 1},
              "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template({"app": "web"})}}


def test_deployment_selector_immutable():
    old = prepared(STORED_DEP)
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"matchLabels": {"app": "web2"}}
    new["spec"]["template"]["metadata"]["labels"] = {"app": "web2"}
    assert kubectl_text(new, old) == (
        'The Deployment "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web2"}}: field is '
        'immutable')
    scaled = copy.deepcopy(old)
    scaled["spec"]["replicas"] = 5
    assert validate(scaled, old) == []


def test_statefulset_and_daemonset_rules():
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db.main"},
           "spec": {"selector": {"matchLabels": {"app": "db"}}, "serviceName": "db", "template": template({"app": "x"})}}
    assert errors_of(sts) == [
        'metadata.name: Invalid value: "db.main": must not contain dots',
        'spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`']
    old = prepared({**sts, "metadata": {"name": "db"}, "spec": {**sts["spec"], "template": template({"app": "db"})}})
    new = copy.deepcopy(old)
    new["spec"]["serviceName"] = "other"
    assert [str(e) for e in validate(new, old)] == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
        "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
          "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": template({"app": "agent"}),
                   "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}}}
    assert errors_of(ds) == [
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]


# ------------------------------------------------------------------------------ other kinds
def test_namespace_names_are_dns_labels():
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "Dev_Team"}}
    assert kubectl_text(ns) == f'The Namespace "Dev_Team" is invalid: metadata.name: Invalid value: "Dev_Team": ' \
                               f'{DNS1123_LABEL}'


def test_configmap_keys():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"app conf": "x", "ok.yaml": ""}}
    assert errors_of(cm) == [
        "data[app conf]: Invalid value: \"app conf\": a valid config key must consist of alphanumeric characters, "
        "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')"]


def test_labels_and_annotations_keys():
    obj = svc({"ports": [{"port": 80}]})
    obj["metadata"]["labels"] = {"-bad": "x", "example.com/ok": "y", "a/b/c": "z"}
    obj["metadata"]["annotations"] = {"Example.com/Note": "fine"}
    assert errors_of(obj) == [
        "metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or "
        "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
        "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', "
        "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
        "subdomain prefix and '/' (e.g. 'example.com/MyName')"]


@pytest.mark.parametrize("name", ["web", "web-1", "a", "x" * 63])
def test_good_service_names(name):
    assert errors_of(svc({"ports": [{"port": 80}]}, name=name)) == []
