"""Strict decoding: apiserver texts for unknown fields and Go json type errors, and the re-encoding."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sandbox.api.decode import (
    QuantityError,
    canonical_quantity,
    decode,
    decode_patched,
    go_sprint_v,
    kind_missing_decode_text,
    mapping_error_text,
    missing_type_text,
)
from sandbox.api.errors import ApiError

KUBECTL = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kubectl"


def svc(spec: dict, **meta) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", **meta}, "spec": spec}


def error_of(obj: dict) -> ApiError:
    with pytest.raises(ApiError) as info:
        decode(obj)
    return info.value


def test_unknown_field_message_as_kubectl_prints_it():
    err = error_of(svc({"port": 80, "ports": [{"port": 80}]}))
    assert err.reason == "BadRequest" and err.code == 400
    assert err.message == ('Service in version "v1" cannot be handled as a Service: strict decoding error: '
                           'unknown field "spec.port"')
    assert err.with_source("creating", "bad-svc-field.yaml").kubectl_text() == (
        'Error from server (BadRequest): error when creating "bad-svc-field.yaml": Service in version "v1" cannot '
        'be handled as a Service: strict decoding error: unknown field "spec.port"')


def test_several_unknown_fields_in_document_order_with_list_paths():
    obj = svc({"ports": [{"port": 80, "nmae": "http"}, {"port": 81, "protcol": "TCP"}], "selctor": {"a": "b"}})
    obj["metadata"]["lables"] = {"a": "b"}
    assert error_of(obj).message == (
        'Service in version "v1" cannot be handled as a Service: strict decoding error: '
        'unknown field "metadata.lables", unknown field "spec.ports[0].nmae", unknown field "spec.ports[1].protcol", '
        'unknown field "spec.selctor"')


def test_unknown_top_level_and_case_sensitive_names():
    obj = svc({"ports": [{"Port": 80}]})
    obj["Spec"] = {}
    assert error_of(obj).message.endswith('strict decoding error: unknown field "Spec", '
                                          'unknown field "spec.ports[0].Port"')


def test_apps_kind_uses_bare_version():
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
           "spec": {"replica": 3, "template": {"spec": {"containers": [{"name": "c", "image": "i", "imagee": "x"}]}}}}
    assert error_of(obj).message == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field '
        '"spec.replica", unknown field "spec.template.spec.containers[0].imagee"')


@pytest.mark.parametrize("spec, detail", [
    ({"ports": [{"port": "80"}]},
     "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"),
    ({"ports": [{"port": 80, "targetPort": 8.5}]},
     "json: cannot unmarshal number 8.5 into Go struct field ServicePort.spec.ports.targetPort of type int32"),
    ({"ports": [{"port": 80, "targetPort": True}]},
     "json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32"),
    ({"ports": [{"port": 99999999999}]},
     "json: cannot unmarshal number 99999999999 into Go struct field ServicePort.spec.ports.port of type int32"),
    ({"ports": {"port": 80}},
     "json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort"),
    ({"ports": [{"port": 80, "protocol": 6}]},
     "json: cannot unmarshal number into Go struct field ServicePort.spec.ports.protocol of type v1.Protocol"),
    ({"selector": ["app=web"]},
     "json: cannot unmarshal array into Go struct field ServiceSpec.spec.selector of type map[string]string"),
    ({"publishNotReadyAddresses": "yes"},
     "json: cannot unmarshal string into Go struct field ServiceSpec.spec.publishNotReadyAddresses of type bool"),
    ({"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": "10"}}},
     "json: cannot unmarshal string into Go struct field ClientIPConfig.spec.sessionAffinityConfig.clientIP."
     "timeoutSeconds of type int32"),
])
def test_go_json_type_errors(spec, detail):
    assert error_of(svc(spec)).message == f'Service in version "v1" cannot be handled as a Service: {detail}'


def test_type_error_in_map_value_and_struct_position():
    assert error_of(svc({"ports": [{"port": 80}]}, labels={"version": 1})).message.endswith(
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string")
    obj = svc({})
    obj["spec"] = "ClusterIP"
    assert error_of(obj).message.endswith(
        "json: cannot unmarshal string into Go struct field Service.spec of type v1.ServiceSpec")


def test_type_error_wins_over_unknown_fields_and_first_one_is_kept():
    obj = svc({"bogus": 1, "ports": [{"port": "80"}, {"port": True, "protocol": 5}]})
    assert error_of(obj).message.endswith(
        "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32")


def test_intorstring_failure_stops_decoding_even_after_a_saved_error():
    obj = svc({"ports": [{"port": "80", "targetPort": {"x": 1}}]})
    assert error_of(obj).message.endswith(
        "json: cannot unmarshal object into Go struct field ServicePort.spec.ports.targetPort of type int32")


def test_nested_pod_template_path_in_type_error():
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
           "spec": {"template": {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": "80"}]}]}}}}
    assert error_of(obj).message == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go '
        'struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32')


@pytest.mark.parametrize("container, detail", [
    ({"name": "c", "image": "busybox", "command": "sleep 3600"},
     "json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string"),
    ({"name": "c", "image": "busybox", "env": [{"name": "DEBUG", "value": True}]},
     "json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string"),
    ({"name": "c", "image": "busybox", "env": [{"name": "PORT", "value": 8080}]},
     "json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string"),
    ({"name": "c", "image": 1.25},
     "json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string"),
])
def test_common_learner_type_mistakes(container, detail):
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [container]}}
    assert error_of(obj).message == f'Pod in version "v1" cannot be handled as a Pod: {detail}'


def test_quantity_errors_and_canonical_form():
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": "half"}}}]}}
    assert error_of(obj).message == (
        "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    obj["spec"]["containers"][0]["resources"]["limits"] = {"cpu": 0.5, "memory": "1024Mi"}
    out = decode(obj)
    assert out["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "500m", "memory": "1Gi"}


@pytest.mark.parametrize("text, canonical", [
    ("0.5", "500m"), ("1000m", "1"), ("1500", "1500"), ("2000", "2k"), ("128Mi", "128Mi"), ("1024Mi", "1Gi"),
    ("1.5Gi", "1536Mi"), ("0.5Gi", "512Mi"), ("512", "512"), ("1e3", "1e3"), ("100M", "100M"), ("0", "0"),
    ("0.1n", "1n"), ("250m", "250m"), ("1.5", "1500m"),
])
def test_canonical_quantity(text, canonical):
    assert canonical_quantity(text) == canonical


def test_quantity_suffix_error():
    with pytest.raises(QuantityError, match="unable to parse quantity's suffix"):
        canonical_quantity("5kM")


def test_unknown_field_through_a_strategic_patch_reads_like_kubectl_apply():
    last = '{"apiVersion":"v1","kind":"Service"}\n'
    patch = {"metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": last}},
             "spec": {"port": 80}}
    merged = svc({"port": 80, "ports": [{"port": 80}]})
    with pytest.raises(ApiError) as info:
        decode_patched(merged, patch)
    assert info.value.kubectl_text() == (
        'The request is invalid: patch: Invalid value: "map[metadata:map[annotations:map[kubectl.kubernetes.io/'
        'last-applied-configuration:{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Service\\"}\\n]] spec:map[port:80]]": '
        'strict decoding error: unknown field "spec.port"')
    assert decode_patched(svc({"ports": [{"port": 80}]}), {"spec": {}}) == decode(svc({"ports": [{"port": 80}]}))


def test_go_sprint_v():
    assert go_sprint_v({"b": [1, "x", None], "a": {"c": True}, "d": 0.5}) == "map[a:map[c:true] b:[1 x <nil>] d:0.5]"


@pytest.mark.parametrize("text, stored", [
    ("2026-11-22T06:00:00Z", "2026-11-22T06:00:00Z"),
    ("2026-11-22T07:30:00+01:30", "2026-11-22T06:00:00Z"),
    ("2026-11-22T06:00:00.123456Z", "2026-11-22T06:00:00Z"),
])
def test_timestamps_are_normalised_to_utc(text, stored):
    obj = svc({"ports": [{"port": 80}]}, creationTimestamp=text)
    assert decode(obj)["metadata"]["creationTimestamp"] == stored


@pytest.mark.parametrize("text, detail", [
    ("yesterday", 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'),
    ("2026-11-22 06:00:00", 'parsing time "2026-11-22 06:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse '
                            '" 06:00:00" as "T"'),
    ("2026-13-01T00:00:00Z", 'parsing time "2026-13-01T00:00:00Z": month out of range'),
    ("2026-02-30T00:00:00Z", 'parsing time "2026-02-30T00:00:00Z": day out of range'),
    ("2026-11-22T06:00:00", 'parsing time "2026-11-22T06:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as '
                            '"Z07:00"'),
])
def test_timestamp_errors(text, detail):
    obj = svc({"ports": [{"port": 80}]}, creationTimestamp=text)
    assert error_of(obj).message == f'Service in version "v1" cannot be handled as a Service: {detail}'


def test_binary_data_must_be_base64():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "binaryData": {"k": "aGVsbG8="}}
    assert decode(cm)["binaryData"] == {"k": "aGVsbG8="}
    cm["binaryData"] = {"k": "hello world"}
    assert error_of(cm).message == ('ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data '
                                    "at input byte 5")


def test_reencoding_drops_omitempty_and_keeps_structs_and_required_zeroes():
    out = decode(svc({"clusterIP": "", "ports": [{"targetPort": 8080, "name": ""}], "selector": {},
                      "externalIPs": [], "ipFamilyPolicy": None, "allocateLoadBalancerNodePorts": False}))
    assert out == {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                   "spec": {"ports": [{"port": 0, "targetPort": 8080}], "allocateLoadBalancerNodePorts": False},
                   "status": {"loadBalancer": {}}}


def test_null_non_pointer_struct_becomes_empty_and_status_gets_required_fields():
    rs = decode({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": None, "spec": {"replicas": 0}})
    assert rs == {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {},
                  "spec": {"replicas": 0, "template": {"metadata": {}, "spec": {"containers": None}}},
                  "status": {"replicas": 0}}


def test_integral_floats_are_ints_like_yaml_to_json():
    out = decode(svc({"ports": [{"port": 80.0}]}))
    assert out["spec"]["ports"][0]["port"] == 80 and isinstance(out["spec"]["ports"][0]["port"], int)


def test_decode_does_not_alias_the_input():
    obj = svc({"ports": [{"port": 80}]}, labels={"a": "b"})
    out = decode(obj)
    out["metadata"]["labels"]["a"] = "c"
    assert obj["metadata"]["labels"]["a"] == "b"


def test_free_form_fields_pass_through():
    obj = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
           "spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"anything": [1]}}]}}
    assert decode(obj)["spec"]["volumeClaimTemplates"] == [{"metadata": {"name": "data"},
                                                             "spec": {"anything": [1]}}]


def test_unknown_kind_and_missing_type_meta():
    err = error_of({"apiVersion": "v1", "kind": "Servce", "metadata": {"name": "x"}})
    assert err.reason == "BadRequest"
    assert err.message == ('no kind "Servce" is registered for version "v1" in scheme '
                           '"pkg/api/legacyscheme/scheme.go:30"')
    assert error_of({"apiVersion": "v1", "metadata": {"name": "x"}}).message == (
        "Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}'")


def test_kubectl_side_texts():
    assert mapping_error_text("x", "", "f.yaml", "Servce", "v1") == (
        'resource mapping not found for name: "x" namespace: "" from "f.yaml": no matches for kind "Servce" in '
        'version "v1"\nensure CRDs are installed first')
    assert mapping_error_text("x", "dev", "f.yaml", "Service", "apps/v1").endswith(
        'no matches for kind "Service" in version "apps/v1"\nensure CRDs are installed first')


@pytest.mark.skipif(not KUBECTL.exists() and not shutil.which("kubectl"), reason="no kubectl")
@pytest.mark.parametrize("doc, missing", [
    ({"metadata": {"name": "x"}}, "[apiVersion not set, kind not set]"),
    ({"kind": "Service", "metadata": {"name": "x"}}, "apiVersion not set"),
    ({"apiVersion": "v1", "metadata": {"name": "x"}}, "kind not set"),
])
def test_missing_type_text_matches_real_kubectl(tmp_path, doc, missing):
    path = tmp_path / "c.yaml"
    path.write_text(json.dumps(doc))
    real = subprocess.run([str(KUBECTL), "create", "-f", "c.yaml", "--dry-run=client"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert real.returncode == 1
    assert real.stderr == f"error: {missing_type_text('c.yaml', doc)}\n"
    assert missing in real.stderr


@pytest.mark.skipif(not KUBECTL.exists(), reason="no kubectl")
def test_kind_missing_text_matches_real_kubectl(tmp_path):
    doc = {"apiVersion": "v1", "metadata": {"name": "x"}}
    (tmp_path / "e.yaml").write_text("apiVersion: v1\nmetadata:\n  name: x\n")
    real = subprocess.run([str(KUBECTL), "create", "-f", "e.yaml", "--dry-run=client", "--validate=false"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert real.stderr == f"error: {kind_missing_decode_text('e.yaml', doc)}\n"


CLIENT_GENERATED = [
    "create deployment web --image=nginx:1.25 --replicas=3 --port=80",
    "create service clusterip web --tcp=80:8080",
    "create service nodeport np --tcp=80:8080 --node-port=30080",
    "create service loadbalancer lb --tcp=80",
    "create service externalname ext --external-name=example.com",
    "create service clusterip hl --clusterip=None",
    "create configmap cm --from-literal=a=b",
    "create namespace dev",
    "create serviceaccount sa",
]


@pytest.mark.skipif(not KUBECTL.exists(), reason="no kubectl")
@pytest.mark.parametrize("command", CLIENT_GENERATED)
def test_reencoding_matches_go_encoding_of_real_kubectl_objects(command):
    """kubectl encodes typed Go structs: our decode of its output must be a fixed point."""
    real = subprocess.run([str(KUBECTL), *command.split(), "--dry-run=client", "-o", "json"],
                          capture_output=True, text=True, check=True)
    obj = json.loads(real.stdout)
    assert decode(obj) == obj
