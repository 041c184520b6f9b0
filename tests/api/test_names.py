"""apimachinery name/label helpers: exact messages (pkg/util/validation/validation.go)."""

import pytest

from sandbox.api import names


def test_regex_error_double_space_between_examples():
    assert names.regex_error("msg", "re", "a", "b") == "msg (e.g. 'a',  or 'b', regex used for validation is 're')"
    assert names.regex_error("msg", "re") == "msg (regex used for validation is 're')"


def test_dns_label_variants():
    assert names.is_dns1123_label("web-1") == []
    assert names.is_dns1123_label("1web") == []
    assert names.is_dns1035_label("1web") == [names.regex_error(names.DNS1035_LABEL_ERR, names.DNS1035_LABEL_FMT,
                                                                "my-name", "abc-123")]
    assert names.is_dns1123_label("a.b") == ["must not contain dots"]
    assert names.is_dns1123_label("x" * 64) == ["must be no more than 63 characters"]
    assert names.is_dns1123_subdomain("a.b-c.d") == []
    assert names.is_dns1123_subdomain("A.b") == [names.regex_error(
        names.DNS1123_SUBDOMAIN_ERR, names.DNS1123_SUBDOMAIN_FMT, "example.com")]


def test_generate_name_prefix_may_end_with_dash():
    assert names.name_is_dns_subdomain("web-", prefix=True) == []
    assert names.name_is_dns1035_label("web-", prefix=True) == []
    assert names.name_is_dns1035_label("web-", prefix=False) != []


@pytest.mark.parametrize("key, errors", [
    ("app", []),
    ("app.kubernetes.io/name", []),
    ("/name", ["prefix part must be non-empty"]),
    ("example.com/", ["name part must be non-empty"]),
    ("Example.com/x", ["prefix part " + names.regex_error(names.DNS1123_SUBDOMAIN_ERR, names.DNS1123_SUBDOMAIN_FMT,
                                                          "example.com")]),
    ("x" * 64, ["name part must be no more than 63 characters"]),
])
def test_qualified_names(key, errors):
    assert names.is_qualified_name(key) == errors


@pytest.mark.parametrize("port, errors", [
    ("http", []),
    ("http-alt", []),
    ("8080", ["must contain at least one letter (a-z)"]),
    ("web--port", ["must not contain consecutive hyphens"]),
    ("-web", ["must not begin or end with a hyphen"]),
    ("HTTP", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
              "must contain at least one letter (a-z)"]),
    ("abcdefghijklmnop", ["must be no more than 15 characters"]),
])
def test_iana_port_names(port, errors):
    assert names.is_valid_port_name(port) == errors


def test_ips_and_label_values():
    assert names.is_valid_ip("10.96.0.10") == []
    assert names.is_valid_ip("10.96.0.010") == []
    assert names.is_valid_ip("10.96.0.010", legacy=False) == ["must not have leading 0s"]
    assert names.is_valid_ip("10.96.0.300") == ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    assert names.is_valid_label_value("") == []
    assert names.is_valid_label_value("v1.2_beta-3") == []
    assert names.is_valid_label_value("x" * 64)[0] == "must be no more than 63 characters"
