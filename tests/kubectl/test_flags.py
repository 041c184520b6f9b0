"""pflag/cobra semantics of our parser, independent of any command's behaviour."""

from __future__ import annotations

import pytest

from sandbox.kubectl.commands import find, levenshtein
from sandbox.kubectl.flags import FlagDef, FlagError, FlagSet, parse_duration, parse_flags, strip_flags


def _fs() -> FlagSet:
    fs = FlagSet()
    for f in (FlagDef("namespace", "n", "string", "''"), FlagDef("stdin", "i", "bool", "false"),
              FlagDef("tty", "t", "bool", "false"), FlagDef("replicas", "r", "int", "1"),
              FlagDef("tcp", "", "stringSlice", "[]"), FlagDef("env", "", "stringArray", "[]"),
              FlagDef("dry-run", "", "string", "'none'"), FlagDef("timeout", "", "duration", "0s"),
              FlagDef("output", "o", "string", "''")):
        fs.add(f)
    return fs


@pytest.mark.parametrize("args,ns", [
    (["-n", "dev"], "dev"), (["-ndev"], "dev"), (["-n=dev"], "dev"), (["--namespace=dev"], "dev"),
    (["--namespace", "dev"], "dev"), (["pods", "-n", "dev", "x"], "dev"),
])
def test_namespace_forms(args: list[str], ns: str) -> None:
    assert parse_flags(args, _fs()).str("namespace") == ns


def test_flags_anywhere_and_double_dash() -> None:
    p = parse_flags(["run", "-it", "x", "--", "sh", "-c", "echo -n hi"], _fs())
    assert p.args == ["run", "x", "sh", "-c", "echo -n hi"]
    assert p.dash_at == 2
    assert p.bool("stdin") and p.bool("tty")


def test_shorthand_group_with_value_at_end() -> None:
    p = parse_flags(["-itndev"], _fs())
    assert p.bool("stdin") and p.bool("tty") and p.str("namespace") == "dev"


def test_slices_and_arrays() -> None:
    p = parse_flags(["--tcp=80:8080,443:8443", "--tcp", "9000", "--env=A=1,2", "--env", "B=2"], _fs())
    assert p.list("tcp") == ["80:8080", "443:8443", "9000"]
    assert p.list("env") == ["A=1,2", "B=2"]


def test_bare_dry_run_takes_no_value() -> None:
    p = parse_flags(["--dry-run", "client"], _fs())
    assert p.str("dry-run") == "unchanged" and p.args == ["client"]


@pytest.mark.parametrize("args,message", [
    (["--bogus"], "unknown flag: --bogus"),
    (["-x"], "unknown shorthand flag: 'x' in -x"),
    (["-n"], "flag needs an argument: 'n' in -n"),
    (["--namespace"], "flag needs an argument: --namespace"),
    (["-r", "abc"], 'invalid argument "abc" for "-r, --replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax'),
    (["--stdin=maybe"], 'invalid argument "maybe" for "-i, --stdin" flag: strconv.ParseBool: parsing "maybe": '
                        "invalid syntax"),
    (["--timeout=5"], 'invalid argument "5" for "--timeout" flag: time: missing unit in duration "5"'),
    (["---x"], "bad flag syntax: ---x"),
])
def test_errors(args: list[str], message: str) -> None:
    with pytest.raises(FlagError) as exc:
        parse_flags(args, _fs())
    assert str(exc.value) == message


def test_go_int_bases_and_durations() -> None:
    assert parse_flags(["-r", "0x10"], _fs()).int("replicas") == 16
    assert parse_duration("1m30s") == 90.0
    assert parse_duration("1.5h") == 5400.0
    assert parse_duration("250ms") == 0.25


def test_strip_flags_quirks() -> None:
    fs = _fs()
    assert strip_flags(["-n", "dev", "get", "pods"], fs) == ["get", "pods"]
    assert strip_flags(["--unknown", "value", "get"], fs) == ["get"]
    assert strip_flags(["-n", "dev"], fs) == []


def test_find_subcommands_through_flags_and_aliases() -> None:
    cmd, rest = find(["-n", "dev", "create", "svc", "clusterip", "web", "--tcp=80"])
    assert cmd.command_path == "kubectl create service clusterip"
    assert rest == ["-n", "dev", "web", "--tcp=80"]
    cmd, _ = find(["create", "deploy", "x"])
    assert cmd.command_path == "kubectl create deployment"


def test_suggestions() -> None:
    root, _ = find([])
    assert root.suggestions("gte") == ["get"]
    assert root.suggestions("foo") == ["top"]
    assert root.suggestions("hlep") == []
    assert levenshtein("kitten", "sitting") == 3
