"""The pydantic schema: real field names, strict extras, and agreement with the decoder's output."""

import pytest
from pydantic import ValidationError

from sandbox.api import models
from sandbox.api.decode import decode
from sandbox.api.defaults import apply_defaults
from sandbox.api.resources import by_kind

SAMPLES = {
    "Service": {"spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
                         "sessionAffinity": "ClientIP", "externalIPs": ["192.0.2.1"]}},
    "Pod": {"spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}],
                                     "livenessProbe": {"tcpSocket": {"port": 80}, "initialDelaySeconds": 5},
                                     "env": [{"name": "X", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
                                     "resources": {"requests": {"cpu": "100m"}}}],
                     "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                         "nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": "In",
                                                                      "values": ["ssd"]}]}]}}},
                     "dnsConfig": {"options": [{"name": "ndots", "value": "2"}]}, "subdomain": "web",
                     "volumes": [{"name": "cfg", "configMap": {"name": "cfg"}}]}},
    "Deployment": {"spec": {"selector": {"matchLabels": {"app": "w"}},
                            "template": {"metadata": {"labels": {"app": "w"}},
                                         "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
    "ReplicaSet": {"spec": {"selector": {"matchLabels": {"app": "w"}},
                            "template": {"metadata": {"labels": {"app": "w"}},
                                         "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
    "StatefulSet": {"spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                             "template": {"metadata": {"labels": {"app": "db"}},
                                          "spec": {"containers": [{"name": "c", "image": "i"}]}},
                             "volumeClaimTemplates": [{"metadata": {"name": "data"}}]}},
    "DaemonSet": {"spec": {"selector": {"matchLabels": {"app": "a"}},
                           "template": {"metadata": {"labels": {"app": "a"}},
                                        "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
    "Namespace": {},
    "Node": {"spec": {"podCIDR": "10.244.1.0/24", "taints": [{"key": "k", "effect": "NoSchedule"}]},
             "status": {"capacity": {"cpu": "2", "memory": "4Gi"},
                        "addresses": [{"type": "InternalIP", "address": "172.30.2.2"}]}},
    "Endpoints": {"subsets": [{"addresses": [{"ip": "10.244.1.5", "nodeName": "node01"}],
                               "ports": [{"port": 80}]}]},
    "EndpointSlice": {"addressType": "IPv4", "endpoints": [{"addresses": ["10.244.1.5"],
                                                            "conditions": {"ready": True}}],
                      "ports": [{"port": 80}]},
    "ConfigMap": {"data": {"a": "b"}},
    "Event": {"involvedObject": {"kind": "Pod", "name": "p"}, "reason": "Scheduled", "type": "Normal"},
    "ServiceAccount": {},
}


@pytest.mark.parametrize("key", sorted(models.KINDS, key=lambda k: k[1]))
def test_each_kind_is_registered_and_round_trips_through_pydantic(key):
    api_version, kind = key
    assert by_kind(api_version, kind) is not None
    obj = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x", "namespace": "default"},
           **SAMPLES[kind]}
    decoded = decode(obj)
    apply_defaults(decoded)
    model = models.KINDS[key].model_validate(decoded)
    assert model.kind == kind
    assert decode(model.model_dump(exclude_none=True)) == decode(decoded)


def test_extra_fields_are_forbidden_by_the_models_too():
    with pytest.raises(ValidationError):
        models.ServicePort.model_validate({"port": 80, "nmae": "x"})


def test_field_names_are_the_json_names():
    assert "clusterIP" in models.ServiceSpec.model_fields
    assert "targetPort" in models.ServicePort.model_fields
    assert "terminationGracePeriodSeconds" in models.PodSpec.model_fields
    assert "Port" in models.DaemonEndpoint.model_fields
