"""Strategic merge, JSON merge and JSON patches as the apiserver applies them."""

import pytest

from sandbox.api.errors import ApiError
from sandbox.api.patch import apply_patch

POD = {"spec": {"containers": [
    {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}], "env": [{"name": "A", "value": "1"}]},
    {"name": "side", "image": "busybox"}]}}


def test_strategic_merge_by_merge_keys():
    out = apply_patch(POD, {"spec": {"containers": [
        {"name": "web", "ports": [{"containerPort": 8080}], "env": [{"name": "B", "value": "2"}]}]}})
    web = out["spec"]["containers"][0]
    assert web["image"] == "nginx"
    assert web["ports"] == [{"containerPort": 80}, {"containerPort": 8080}]
    assert web["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    assert out["spec"]["containers"][1] == {"name": "side", "image": "busybox"}
    assert POD["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}]     # input untouched


def test_strategic_directives():
    out = apply_patch(POD, {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}})
    assert [c["name"] for c in out["spec"]["containers"]] == ["web"]
    out = apply_patch(POD, {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}})
    assert out["spec"]["containers"] == [{"name": "only", "image": "x"}]
    out = apply_patch(POD, {"spec": {"$setElementOrder/containers": [{"name": "side"}, {"name": "web"}]}})
    assert [c["name"] for c in out["spec"]["containers"]] == ["side", "web"]
    svc = {"spec": {"ports": [{"port": 80, "targetPort": 80}], "selector": {"app": "a", "tier": "b"}}}
    out = apply_patch(svc, {"spec": {"ports": [{"port": 80, "targetPort": 8080}], "selector": {"tier": None}}})
    assert out["spec"] == {"ports": [{"port": 80, "targetPort": 8080}], "selector": {"app": "a"}}
    fin = apply_patch({"metadata": {"finalizers": ["a"]}}, {"metadata": {"finalizers": ["b", "a"]}})
    assert fin["metadata"]["finalizers"] == ["a", "b"]


def test_json_merge_replaces_lists():
    out = apply_patch(POD, {"spec": {"containers": [{"name": "x", "image": "y"}]}}, "merge")
    assert out["spec"]["containers"] == [{"name": "x", "image": "y"}]


def test_json_patch_operations_and_errors():
    doc = {"a": {"b": [1, 2]}, "c": 1}
    out = apply_patch(doc, [{"op": "add", "path": "/a/b/-", "value": 3}, {"op": "remove", "path": "/c"},
                            {"op": "copy", "from": "/a/b", "path": "/d"}, {"op": "move", "from": "/d", "path": "/e"},
                            {"op": "test", "path": "/e/0", "value": 1}, {"op": "replace", "path": "/a/b/0",
                                                                        "value": 9}], "json")
    assert out == {"a": {"b": [9, 2, 3]}, "e": [1, 2, 3]}
    with pytest.raises(ApiError) as err:
        apply_patch(doc, [{"op": "test", "path": "/c", "value": 2}], "json")
    # the apiserver answers a failed JSON patch with a generic 422 (NewGenericServerResponse)
    assert err.value.kubectl_text() == ("The request is invalid: the server rejected our request due to an error "
                                        "in our request")
    assert str(err.value.__cause__) == "testing value /c failed: test failed"
    with pytest.raises(ApiError) as err:
        apply_patch(doc, [{"op": "remove", "path": "/zz"}], "json")
    assert str(err.value.__cause__) == "jsonpatch remove operation does not apply: doc is missing path: /zz"
    with pytest.raises(ApiError):
        apply_patch(doc, {"op": "add"}, "json")
