"""Label and field selectors: grammar, matching and apimachinery's error texts."""

import pytest

from sandbox.api.errors import ApiError
from sandbox.api.selectors import (
    from_label_selector,
    label_selector_to_string,
    labels_to_string,
    parse_field_selector,
    parse_selector,
    selector_error,
    selector_from_map,
)

LABELS = {"app": "web", "tier": "frontend", "release": "3"}


@pytest.mark.parametrize("text,expected", [
    ("app=web", True), ("app==web", True), ("app!=web", False), ("app=api", False),
    ("app in (api,web)", True), ("app notin (api,web)", False), ("tier", True), ("!tier", False),
    ("missing", False), ("!missing", True), ("missing!=x", True), ("missing notin (x)", True),
    ("app=web,tier=frontend", True), ("app=web,tier=backend", False), ("release>2", True), ("release<3", False),
    ("", True), ("  app = web  ", True), ("app in (web),!missing", True),
])
def test_matching(text, expected):
    assert parse_selector(text).matches(LABELS) is expected


def test_string_form_is_sorted_by_key():
    assert str(parse_selector("z=1,a in (y,x),!m")) == "a in (x,y),!m,z=1"


@pytest.mark.parametrize("text,message", [
    ("app in", "unable to parse requirement: found '' expected: '('"),
    ("app in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"),
    ("app=web,", "found '', expected: identifier after ','"),
    ("=web", "found '=', expected: !, identifier, or 'end of string'"),
    ("app=web tier=x", "found 'tier', expected: ',' or 'end of string'"),
    ("app=(x)", "unable to parse requirement: found '(', expected: identifier"),
    ("a/b/c=1", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of "
                "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                "(e.g. 'example.com/MyName')"),
    ("app=we b", "found 'b', expected: ',' or 'end of string'"),
    ("app=-web", "unable to parse requirement: values[0][app]: Invalid value: \"-web\": a valid label must be an "
                 "empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                 "an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation "
                 "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
])
def test_parse_errors_have_apimachinery_wording(text, message):
    assert selector_error(text) == message
    with pytest.raises(ApiError) as err:
        parse_selector(text)
    assert err.value.reason == "BadRequest" and err.value.code == 400
    assert err.value.message == message


def test_label_selector_objects():
    assert from_label_selector(None).matches({"a": "b"}) is False           # nil selects nothing
    assert from_label_selector({}).matches({"a": "b"}) is True              # {} selects everything
    sel = from_label_selector({"matchLabels": {"app": "web"},
                               "matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend"]},
                                                    {"key": "canary", "operator": "DoesNotExist"}]})
    assert sel.matches(LABELS)
    assert not sel.matches({**LABELS, "canary": "1"})
    assert label_selector_to_string({"matchLabels": {"b": "2", "a": "1"}}) == "a=1,b=2"
    assert label_selector_to_string(None) == "<none>"
    assert selector_from_map(None).matches({}) is True
    assert selector_from_map({"app": "web"}).matches({"app": "api"}) is False


def test_labels_to_string():
    assert labels_to_string({"tier": "fe", "app": "web"}) == "app=web,tier=fe"
    assert labels_to_string({}) == ""


def test_field_selectors():
    pod = {"metadata": {"name": "p", "namespace": "default"}, "spec": {"nodeName": "node01"},
           "status": {"phase": "Running"}}
    assert parse_field_selector("status.phase=Running", "pods").matches(pod)
    assert parse_field_selector("spec.nodeName!=node01", "pods").matches(pod) is False
    assert parse_field_selector("metadata.name==p,metadata.namespace=default", "pods").matches(pod)
    assert parse_field_selector("spec.hostNetwork=false", "pods").matches(pod)
    assert parse_field_selector("spec.host=node01", "pods").matches(pod)


@pytest.mark.parametrize("text,resource,message", [
    ("spec.foo=bar", "pods", "field label not supported: spec.foo"),
    ("status.phase=Running", "deployments",
     '"status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"'),
    ("phase", "pods", "invalid selector: 'phase'; can't understand 'phase'"),
])
def test_field_selector_errors(text, resource, message):
    with pytest.raises(ApiError) as err:
        parse_field_selector(text, resource)
    assert err.value.message == message
