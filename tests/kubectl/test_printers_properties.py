"""Property tests: whatever a learner types as a template or feeds as an object, the printers answer
with text or a PrintError (kubectl's message), never an uncaught exception."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.kubectl.describe import describe
from sandbox.kubectl.printers import (
    PrintError,
    custom_columns,
    go_template,
    jsonpath,
    print_table,
    sort_objects,
    to_json,
    to_yaml,
)

OBJ = {"apiVersion": "v1", "kind": "Service",
       "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
       "spec": {"ports": [{"port": 80, "name": "http"}, {"port": 443}], "selector": {"app": "web"}, "n": None,
                "f": 1.5, "b": True}}

JP_TOKENS = ["{", "}", ".", "..", "[", "]", "*", "?", "(", ")", "@", "$", "==", "!=", "<", ">", "'", '"', ",", ":",
             "-1", "0", "2", "range", "end", "metadata", "spec", "ports", "port", "name", " ", "\\", "\n", "x"]
GT_TOKENS = ["{{", "}}", "{{-", "-}}", ".", "$", "$x", ":=", "=", "|", "(", ")", '"', "`", "'", "range", "if", "else",
             "end", "with", "define", "template", "block", "break", "continue", "index", "len", "printf", "eq", "lt",
             "and", "or", "not", "nil", "true", "1", "1.5", "%d", "%s", ".metadata", ".spec", ".ports", ".name", " ",
             "\n", "/*", "*/", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(JP_TOKENS), max_size=14), st.booleans())
def test_jsonpath_never_crashes(tokens: list[str], as_json: bool) -> None:
    try:
        assert isinstance(jsonpath("".join(tokens), OBJ, output_json=as_json), str)
    except PrintError:
        pass


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(GT_TOKENS), max_size=14))
def test_go_template_never_crashes(tokens: list[str]) -> None:
    try:
        assert isinstance(go_template("".join(tokens), OBJ), str)
    except PrintError:
        pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_yaml_and_json_never_crash(value: object) -> None:
    obj = {"apiVersion": "v1", "kind": "Thing", "metadata": {"name": "x"}, "data": value}
    assert to_yaml(obj).endswith("\n")
    assert json.loads(to_json(obj), parse_int=float) == json.loads(json.dumps(obj), parse_int=float)


def _engine_objects() -> dict[str, list[dict]]:
    from sandbox.cluster import Cluster

    cluster = Cluster(seed=11)
    cluster.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
                    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                             "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                                 {"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}]}}}})
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
                    "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
    cluster.tick(20)
    return {r: cluster.list(r) for r in ("pods", "services", "endpoints", "endpointslices", "deployments",
                                         "replicasets", "daemonsets", "nodes", "namespaces", "configmaps",
                                         "serviceaccounts", "events")}


ENGINE = _engine_objects()


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((*prefix, k))
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _drop(obj: dict, path: tuple) -> dict:
    obj = json.loads(json.dumps(obj))
    cur = obj
    for key in path[:-1]:
        cur = cur[key]
    del cur[path[-1]]
    return obj


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(ENGINE)), st.data())
def test_tables_and_describe_tolerate_missing_fields(resource: str, data: st.DataObject) -> None:
    """Engine objects with random fields removed (what half-built or foreign objects look like)."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    obj = data.draw(st.sampled_from(ENGINE[resource]))
    for path in data.draw(st.lists(st.sampled_from(_paths(obj)), max_size=4)):
        try:
            obj = _drop(obj, path)
        except (KeyError, IndexError, TypeError):
            continue
    now = datetime(2026, 11, 22, 7, tzinfo=UTC)
    cluster = SimpleNamespace(list=lambda *a, **k: [], get=lambda *a, **k: {}, clock=SimpleNamespace(now=now))
    assert isinstance(print_table([obj], resource, now=now, wide=True, show_labels=True), str)
    assert isinstance(describe(cluster, resource, obj), str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_custom_columns_and_sort_by_give_messages(spec: str) -> None:
    for fn in (lambda: custom_columns(spec, [OBJ]), lambda: sort_objects([OBJ, OBJ], spec)):
        try:
            assert isinstance(fn(), str | list)
        except PrintError:
            pass
