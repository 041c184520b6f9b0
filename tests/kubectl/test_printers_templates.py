"""-o jsonpath / jsonpath-as-json / go-template: byte for byte against the real kubectl.

Every template runs through both our printers and ``kubectl annotate -f FILE --local <absent>- -o ...``
(client-side, unchanged object) and must give the same stdout, stderr and exit code, errors and
debugging dumps included. Templates whose output depends on Go's random map order are checked
against our (sorted) order separately.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sandbox.kubectl.printers import PrintError, TemplateExecError, go_template, jsonpath, jsonpath_values

KUBECTL = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kubectl"
needs_kubectl = pytest.mark.skipif(not KUBECTL.exists() and not shutil.which("kubectl"), reason="no kubectl oracle")

SERVICE = {
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", "tier": "fe"},
                 "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"a\":1}\n", "x": "<&>"}},
    "spec": {"clusterIP": "10.96.0.12",
             "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
                       {"name": "https", "port": 443, "targetPort": "https", "protocol": "TCP"},
                       {"port": 53, "protocol": "UDP"}],
             "selector": {"app": "web"}, "ratio": 2.5, "big": 1234567, "flag": True, "nothing": None,
             "data": "aGVsbG8="},
}
# kubectl splits anything with "items" into separate objects, so list-shaped data uses "elems"
BAG = {"apiVersion": "v1", "kind": "Bag", "metadata": {"name": "bag", "annotations": {"a": "b"}},
       "elems": [SERVICE, {**SERVICE, "metadata": {**SERVICE["metadata"], "name": "api", "labels": {"app": "api"}}}]}

JSONPATH_TEMPLATES = [
    "{.metadata.name}", "{.elems[*].metadata.name}", "{.spec.ports[*].port}", "{.spec.ports[0]}",
    "{.spec.ports[-1].port}", "{.spec.ports[1:].port}", "{.spec.ports[:2].name}", "{.spec.ports[::2].port}",
    "{.spec.ports[0:3:2].port}", "{.spec.ports[5]}", "{.spec.ports[0,2].port}", "{.spec.ports[*]['port','name']}",
    '{.spec.ports[?(@.port==80)].name}', "{.spec.ports[?(@.port>80)].port}", "{.spec.ports[?(@.port>=80)].port}",
    "{.spec.ports[?(@.port<443)].port}", '{.spec.ports[?(@.name=="https")].targetPort}',
    '{.spec.ports[?(@.name!="https")].port}', "{.spec.ports[?(@.name)].port}", '{.spec.ports[?(@.port=="80")].port}',
    "{.spec.ports[?(@.port==80.0)].port}", '{.elems[?(@.metadata.name=="api")].metadata.labels}',
    '{range .elems[*]}{.metadata.name}{"\\t"}{.spec.clusterIP}{"\\n"}{end}',
    '{range .spec.ports[*]}{.name}:{.port}{" "}{end}', '{range .elems[*]}{range .spec.ports[*]}{.port},{end}{"\\n"}{end}',
    "{range .elems[*]}[{.metadata.name}]{end}after", "{range .spec.nope[*]}x{end}y",
    "{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}", "{.metadata.annotations.x}",
    "{.metadata.annotations}", "{@}", "{$.kind}", "{.spec.ratio}", "{.spec.flag}", "{.spec.nothing}", "{.spec.nope}",
    "{.spec.ports.port}", "{.spec.clusterIP.x}", "{.kind.*}", "{end}", "{range .elems[*]}{.metadata.name}", "{.foo",
    "{.spec.ports[a]}", "{.spec.ports[}", "{.spec.ports[?(@.port==80]}", '{"unterminated}', "{'single\\tquote'}",
    '{"tab\\t"}{\'x\'}', "{.metadata.name} and text {.kind}", "plain text only", "{....a}",
    '{.spec.ports[0].port}{"\\n"}', "{.spec.selector['app']}", '{.spec.ports[?(@.port>"a")].name}',
    "{.spec.ports[*].nope}", "{.spec.ports[0:0]}", "{.spec.ports[2:1]}", "{.spec.ports[::0]}", "{!}",
    "{.metadata.name", "{foo}", "{true}", "{.metadata.name} {.metadata.namespace}",
    "{range .elems[*]}{@.metadata.name}{end}", "{.elems[0].spec.ports[*].port}",
    "{.elems[*].spec.ports[?(@.port==443)].name}", "{ .metadata.name }", "{.metadata.name}{.metadata.name}", "{-1}",
    "{1.5}", '{"a"}{"b"}', "{.spec.ports[-5]}", '{.metadata["name"]}', "{.spec.big}",
] + ['{.spec.ports[?(@.port==80 && @.name=="http")].name}', '{.spec.ports[?(@.port == 80)].name}', '{.spec.ports[?( @.port==80 )].name}', "{.spec.ports[?(@.name=='http')].port}", '{.spec.ports[?(@.name=="h)ttp")].port}', '{.spec.ports[?(@.nope)].port}', '{.spec.ports[?(@.port>=443)]}', '{.spec.ports[?(@.port<=80)].name}', '{.spec.ports[?(@.port=80)].name}', '{.spec.ports[?(@.port>80.5)].name}', '{.spec.ports[?(@.targetPort=="https")].port}', '{.spec.ports[?(@.targetPort==8080)].port}', '{.spec.ports[?(@.flag==true)].port}', '{.spec.flag}{"|"}{.spec.ratio}{"|"}{.spec.nothing}', '{"\\x41\\u00e9\\101"}', "{'a\\'b'}", '{"a\\"b"}', "{.metadata.labels['app']}", '{.metadata.labels["app"]}', "{.metadata['labels']['app']}", "{.spec.ports[0]['name','port']}", '{.spec.ports[*].name}{"\\n"}{.spec.ports[*].port}', '{range .spec.ports[*]}{@.name}={@.port} {end}', '{range .spec.ports[*]}{range .name}{end}{end}', '{range .elems[*]}{.metadata.name}:{range .spec.ports[*]}{.port},{end};{end}', '{.elems[1].metadata.name}', '{.elems[-1:].metadata.name}', '{.elems[*].spec.ports[0].port}', '{.spec.ports[0].port.nope}', '{.spec.ports[0:1]}', '{.spec.ports[:]}', '{.spec.ports[::-1]}', '{.spec.ports[1:0]}', '{.spec.ports[3:]}', '{.spec.ports[0:99]}', '{.metadata.name}{.metadata.name}{end}', '{range .spec.ports[*]}', '{.spec.ports[0].name}}', '{{.metadata.name}}', '{.metadata..name}', '{.metadata.name[0]}', '{$.spec.ports[0].port}', '{@.kind}', '{.kind}{@}', '{..labels.app}', '{.spec.ports[?(@..name)].port}', '{.spec.big}{.spec.data}', "{.spec['clusterIP']}", '{.spec.clusterIP,.kind}', '{.spec.ports[0].port,.kind}']


GO_TEMPLATES = [
    "{{.spec.ports}}", "{{.metadata.labels}}", "{{.spec.nope}}", "{{.spec.nope.x}}",
    "{{range .spec.ports}}{{.port}} {{end}}", "{{ .spec.ports | len }}",
    '{{if eq .kind "Service"}}yes{{else}}no{{end}}', "{{eq .spec.ports 1}}", '{{index .metadata.labels "app"}}',
    '{{printf "%s-%d" .metadata.name 3}}', '{{printf "%v" .spec.ports}}', "{{.foo", "{{foo}}", "{{.spec.ports[0]}}",
    "{{ (index .spec.ports 0).port }}", "{{(index .spec.ports 5).port}}", "{{- .kind -}} x", "{{$x := .kind}}{{$x}}",
    "{{with .spec}}{{.selector.app}}{{end}}", "{{base64decode .spec.data}}", '{{base64decode "!!"}}',
    '{{exists . "spec" "ports"}}{{exists . "spec" "nope"}}', '{{.metadata.name | printf "%q"}}',
    '{{"a\\tb"}}{{`raw`}}', '{{println "x" 1}}', '{{print 1 2 "a" "b" 3}}', "{{len .kind}}",
    '{{and 1 0}}{{or 0 "" "z"}}{{not true}}', '{{html "<a>"}}{{js "a\'b"}}{{urlquery "a b"}}',
    '{{lt 1 2}}{{le 2 2}}{{gt "b" "a"}}{{ne 1 2}}', '{{index .spec.ports 0 "port"}}',
    "{{range $i, $p := .spec.ports}}{{$i}}={{$p.port}};{{end}}", "{{range .spec.selector}}{{.}}{{end}}",
    "{{.spec.ports.port}}", '{{template "x"}}', '{{define "x"}}X{{end}}{{template "x"}}', "{{/* c */}}ok",
    "{{break}}", "{{range .spec.ports}}{{break}}{{end}}ok", "{{slice .kind 1 3}}", "{{call .kind}}",
    "{{.kind.foo}}", "{{nil}}", "{{1.5}} {{1e3}} {{0x10}} {{-3}} {{'a'}}", "{{.spec.ports 1}}", "{{.kind\n}}",
    "{{if .kind}}x", "{{end}}", "{{else}}", "{{}}", "{{$x}}", '{{.kind | "a"}}', '{{index .metadata.labels "nope"}}',
    '{{index .metadata.labels "app" "more" "evenmore"}}', '{{printf "%d" .kind}}', '{{printf "%d %s" 1}}',
    '{{.spec.ports | printf "%v"}}{{3 | printf "%d"}}', "{{if}}", "{{range .spec.ports}}{{else}}none{{end}}",
    "{{range .nope}}x{{else}}none{{end}}", "{{len .spec.nope}}", "{{.kind}", '{{ "unterminated }}', "{{(.kind}}",
    "{{.kind)}}", '{{"a" "b"}}', "{{.metadata.name.first.second.third.fourth}}",
    "{{range $k, $v := .metadata.labels}}{{$k}}={{$v}},{{end}}", "{{$x := 1}}{{$x = 2}}{{$x}}",
    "{{with .nope}}a{{else}}b{{end}}", "{{if and .kind .nope}}a{{else}}b{{end}}", "{{not .nope}}",
    "{{.metadata.labels.app | len}}", "{{1 2}}", "{{range 3}}{{.}}{{end}}", "{{.spec.nothing}}", "{{- /* c */ -}}",
    "{{.Kind}}", "{{print .spec.ports}}", '{{printf "%5.2f|%-4s|%x|%q|%T" 3.14159 "ab" 255 "q" .kind}}',
    '{{ .spec.ports | len | printf "%d ports" }}', "{{.spec.ratio}} {{.spec.big}} {{.spec.flag}} {{.spec.ports}}",
    "{{if gt .spec.big 1}}big{{end}}", "{{if gt .spec.big 1.0}}big{{end}}", "{{if eq .spec.ports 80.0}}x{{end}}",
    "{{range .spec.ports}}{{if eq .port 80}}http{{else if eq .port 443}}https{{end}} {{end}}",
    '{{range .spec.ports}}{{.name}}{{"\\n"}}{{end}}', "{{.metadata.annotations.x}}",
    "line1\n{{.kind}}\nline3 {{.nope.deep\n}}", "{{with $x := .metadata}}{{$x.name}}{{end}}",
    "{{range $p := .spec.ports}}{{$p.name}},{{end}}", '{{printf "%s" .spec.nope}} {{printf "%v" .spec.nothing}}',
    '{{eq .spec.nope "x"}}', '{{eq .kind "a" "b" "Service"}}', "{{lt .kind 1}}", "{{index .spec.ports 1.0}}",
    "{{.spec.ports | index 0}}", "{{range .spec.ports}}{{continue}}x{{end}}y", "{{  .kind  }}",
    "{{ .kind -}}\n   trailing", "   {{- .kind }}", "{{$}}", "{{$.kind}}", "{{range .spec.ports}}{{$.kind}}{{end}}",
    "{{ .spec.clusterIP }}",
] + ['{{printf "%5d|%-5d|%05d|%+d|% d|%x|%X|%o|%b|%c|%U|%q" 42 42 42 42 42 255 255 8 5 65 65 65}}', '{{printf "%8.3f|%-8.2f|%e|%E|%g|%G|%.2e|%v|%.0f|%6.1f" 3.14159 2.5 1234.5678 0.000123 100000.0 1e21 12345.678 2.5 2.5 -1.25}}', '{{printf "%s|%10s|%-10s|%.2s|%q|%x|%X|%v|%T" "abc" "abc" "abc" "abc" "a\\"b" "hi" "hi" "v" "s"}}', '{{printf "%t|%v|%T|%d" true false true true}}', '{{printf "%v|%+v|%#v" .metadata.labels .metadata.labels .metadata.labels}}', '{{printf "%v|%s|%d" .spec.ports .spec.ports .spec.ports}}', '{{printf "%d|%s|%v|%T" .spec.big .spec.big .spec.ratio .spec.ratio}}', '{{printf "%%|%5%|%z|%!|%" 1}}', '{{printf "%s %s" "a"}}', '{{printf "%s" "a" "b" 3}}', '{{printf "%*d|%-*d|%.*f" 5 42 5 42 2 3.14159}}', '{{printf "%v %v" nil .spec.nope}}', '{{printf "%d" 3.5}}{{printf "%f" 3}}', '{{printf "%6.2v|%.3v|%10v" 3.14159 "abcdef" .kind}}', '{{printf "%x" .metadata.labels}}', '{{printf "%s" .spec.flag}}{{printf "%q" 3}}', '{{print nil}}{{print .spec.nothing}}{{println}}{{print}}', '{{html .spec.ports}}{{js 3}}{{urlquery "a&b=c d/é"}}', '{{len .spec.ports | printf "%03d"}}', '{{index . "spec" "ports" 1 "name"}}', '{{slice .spec.ports 1}}{{slice "hello" 1 3}}{{slice .kind}}', '{{not 0}}{{not ""}}{{not .spec.ports}}{{and .kind .spec.flag}}{{or .spec.nope .spec.nothing}}', '{{eq 1 1 2}}{{ne "a" "b"}}{{eq .spec.flag true}}{{eq .spec.nothing .spec.nope}}', '{{lt 1.5 2.5}}{{le "a" "a"}}{{ge .spec.big 5}}{{gt .spec.ratio 1.0}}', '{{range $i, $e := .spec.ports}}{{if $i}},{{end}}{{$e.port}}{{end}}', '{{range .spec.ports}}{{.name}}{{else}}empty{{end}}', '{{with .spec.ports}}{{len .}}{{end}}{{with $x := 3}}{{$x}}{{end}}', '{{if .spec.nope}}a{{else if .spec.nothing}}b{{else if .kind}}c{{end}}', '{{block "x" .}}{{.kind}}{{end}}', '{{define "t"}}[{{.}}]{{end}}{{template "t" .kind}}{{template "t" 3}}', '{{range $k, $v := .spec}}{{$k}};{{end}}', '{{$x := .spec.ports}}{{range $x}}{{.port}}{{end}}{{$x = 1}}{{$x}}', '{{ .kind | len | printf "%d" | printf "%s!" }}', '{{(printf "%s" .kind) | len}}', '{{.spec.ports.0}}', '{{ 0x1F }} {{ 1_000 }} {{ 0o17 }} {{ 0b101 }} {{ 1e2 }} {{ \'x\' }} {{ \'\\n\' | printf "%q" }}', '{{ "a" | printf "%s-%s" "b" }}', '{{printf "%v" (index .spec.ports 0)}}']



def _kubectl(obj: dict, fmt: str, tmp_path: Path) -> tuple[str, str, int]:
    path = tmp_path / "obj.json"
    path.write_text(json.dumps(obj))
    run = subprocess.run([str(KUBECTL), "annotate", "-f", str(path), "--local", "absent-", "-o", fmt],
                         capture_output=True, text=True, env={"KUBECONFIG": "/nonexistent", "PATH": "/usr/bin:/bin"})
    return run.stdout, run.stderr, run.returncode


def _ours(obj: dict, fmt: str) -> tuple[str, str, int]:
    kind, _, template = fmt.partition("=")
    try:
        if kind == "go-template":
            return go_template(template, obj), "", 0
        return jsonpath(template, obj, output_json=kind == "jsonpath-as-json"), "", 0
    except TemplateExecError as exc:
        return exc.stdout, f"error: {exc}\n", 1
    except PrintError as exc:
        text = str(exc)
        return "", "error: " + text + ("" if text.endswith("\n") else "\n"), 1


@needs_kubectl
@pytest.mark.parametrize("template", JSONPATH_TEMPLATES)
@pytest.mark.parametrize("kind", ["jsonpath", "jsonpath-as-json"])
def test_jsonpath_like_kubectl(template: str, kind: str, tmp_path: Path) -> None:
    for obj in (SERVICE, BAG):
        fmt = f"{kind}={template}"
        assert _ours(obj, fmt) == _kubectl(obj, fmt, tmp_path)


@needs_kubectl
@pytest.mark.parametrize("template", GO_TEMPLATES)
def test_go_template_like_kubectl(template: str, tmp_path: Path) -> None:
    fmt = f"go-template={template}"
    assert _ours(SERVICE, fmt) == _kubectl(SERVICE, fmt, tmp_path)


def test_map_order_is_sorted() -> None:
    """Go walks maps in random order; we pick the sorted one, which is one of Go's possible outputs."""
    assert jsonpath("{.spec.selector.*}{.metadata.labels.*}", SERVICE) == "webweb fe"
    assert jsonpath("{..app}", SERVICE) == "web web"


def test_seed_template() -> None:
    """The seeds' ``kubectl get svc httpenv -o go-template --template '{{ .spec.clusterIP }}'``."""
    assert go_template("{{ .spec.clusterIP }}", SERVICE) == "10.96.0.12"


def test_jsonpath_values_and_errors() -> None:
    assert jsonpath_values("{.spec.ports[*].port}", SERVICE) == [80, 443, 53]
    assert jsonpath_values("{.nope}", SERVICE) == []
    with pytest.raises(PrintError, match=r"^error parsing jsonpath \{\.a, unclosed action\n$"):
        jsonpath("{.a", SERVICE)
    with pytest.raises(PrintError, match="is not found"):
        jsonpath("{.nope}", SERVICE, allow_missing_keys=False)


LIST_TEMPLATES = [
    "{{range .elems}}{{.metadata.name}} {{end}}",
    '{{range .elems}}{{.metadata.name}}{{"\\t"}}{{.spec.clusterIP}}{{"\\n"}}{{end}}',
    "{{range $i, $s := .elems}}{{$i}}:{{$s.metadata.name}},{{end}}",
    "{{len .elems}}",
    "{{range .elems}}{{range .spec.ports}}{{.port}}/{{.protocol}} {{end}}{{end}}",
    '{{range .elems}}{{if eq .metadata.name "api"}}{{.metadata.labels.app}}{{end}}{{end}}',
    "{{(index .elems 1).metadata.name}}",
    "{{range .elems}}{{.metadata.nope.x}}{{end}}",
    "{{range .elems}}{{.kind.x}}{{end}}",
]


@needs_kubectl
@pytest.mark.parametrize("template", LIST_TEMPLATES)
def test_go_template_lists_like_kubectl(template: str, tmp_path: Path) -> None:
    fmt = f"go-template={template}"
    assert _ours(BAG, fmt) == _kubectl(BAG, fmt, tmp_path)
