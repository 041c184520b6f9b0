"""Never crash on bad input: any mutation of a valid object gives an ApiError or a list of field errors."""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.api.decode import decode
from sandbox.api.defaults import apply_defaults
from sandbox.api.errors import ApiError, FieldError
from sandbox.api.validation import validate

BASES = [
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
     "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
              "type": "NodePort", "sessionAffinity": "ClientIP"}},
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default", "labels": {"a": "b"}},
     "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80, "name": "http"}],
                              "readinessProbe": {"httpGet": {"port": "http"}},
                              "resources": {"limits": {"cpu": "1"}}, "env": [{"name": "A", "value": "1"}]}],
              "tolerations": [{"key": "k", "operator": "Exists"}], "dnsConfig": {"nameservers": ["1.1.1.1"]},
              "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                  "nodeSelectorTerms": [{"matchExpressions": [{"key": "x", "operator": "In", "values": ["y"]}]}]}}}}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "default"},
     "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "d"},
                                          "matchExpressions": [{"key": "t", "operator": "Exists"}]},
              "strategy": {"rollingUpdate": {"maxSurge": 1}},
              "template": {"metadata": {"labels": {"app": "d", "t": "x"}},
                           "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
    {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s", "namespace": "default"},
     "spec": {"selector": {"matchLabels": {"app": "s"}}, "serviceName": "s",
              "updateStrategy": {"rollingUpdate": {"partition": 1}},
              "template": {"metadata": {"labels": {"app": "s"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
    {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds", "namespace": "default"},
     "spec": {"selector": {"matchLabels": {"app": "ds"}},
              "template": {"metadata": {"labels": {"app": "ds"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm", "namespace": "default"}, "data": {"k": "v"}},
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}},
]

JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["None", "ClusterIP", "TCP", "http", "25%", "-1", "0", "a/b/c"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


def _set(obj, path, value):
    if not path:
        return
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(BASES) - 1), st.data(), JUNK)
def test_mutated_objects_never_crash(base_index, data, junk):
    obj = copy.deepcopy(BASES[base_index])
    paths = [p for p in _paths(obj) if p and p[0] not in ("apiVersion", "kind")]
    path = data.draw(st.sampled_from(paths))
    _set(obj, path, junk)
    try:
        decoded = decode(obj)
    except ApiError as err:
        assert err.reason == "BadRequest" and err.message
        return
    apply_defaults(decoded)
    errs = validate(decoded)
    assert all(isinstance(e, FieldError) and str(e) for e in errs)
    old = copy.deepcopy(decoded)
    assert isinstance(validate(decoded, old), list)
