"""``-f`` sources: files, folders and stdin from the lab's filesystem, decoded like kubectl's builder.

YAML is read with YAML 1.1 rules but no timestamp typing (sigs.k8s.io/yaml turns everything into
JSON values), documents are split on ``---``, ``kind: List`` is flattened, and the builder's error
wording is kept (``the path "x" does not exist``, ``error parsing x: error converting YAML to JSON``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.kubectl.errors import KubectlError

_EXTENSIONS = (".json", ".yaml", ".yml")
_PYYAML_TO_GO = {
    "mapping values are not allowed here": "mapping values are not allowed in this context",
    "could not find expected ':'": "could not find expected ':'",
    "expected ',' or ']', but got": "did not find expected ',' or ']'",
    "expected ',' or '}', but got": "did not find expected ',' or '}'",
    "found character '\\t' that cannot start any token": "found character that cannot start any token",
    "found character that cannot start any token": "found character that cannot start any token",
    "expected <block end>, but found": "did not find expected key",
    "found undefined alias": "unknown anchor referenced",
}


@dataclass
class Manifest:
    source: str          # the file name as given (or "STDIN")
    obj: dict[str, Any]


def _loader() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # JSON has no timestamps: keep them as strings, as sigs.k8s.io/yaml does.
    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


_LOADER: type | None = None


def parse_documents(text: str, source: str) -> list[Any]:
    """Decode a YAML/JSON stream into its non-empty documents."""
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader()
    docs = []
    try:
        for doc in yaml.load_all(text, Loader=_LOADER):  # noqa: S506 - a SafeLoader subclass
            if doc is not None:
                docs.append(doc)
    except yaml.MarkedYAMLError as exc:
        line = _go_yaml_line(exc)
        problem = str(exc.problem or exc.context or "syntax error")
        for py, go in _PYYAML_TO_GO.items():
            if problem.startswith(py):
                problem = go
                break
        raise KubectlError(f"error parsing {source}: error converting YAML to JSON: yaml: line {line}: "
                           f"{problem}") from None
    except yaml.YAMLError as exc:
        raise KubectlError(f"error parsing {source}: error converting YAML to JSON: yaml: {exc}") from None
    return docs


def _go_yaml_line(exc: Any) -> int:
    """go-yaml's line rule: scanner errors are 1-based, parser errors report the 0-based mark."""
    import yaml

    problem = exc.problem_mark.line if exc.problem_mark is not None else 0
    if isinstance(exc, yaml.scanner.ScannerError):
        return problem + 1
    if problem:
        return problem
    return exc.context_mark.line if exc.context_mark is not None else 0


def objects_from(text: str, source: str, *, validate: bool = True) -> list[Manifest]:
    out: list[Manifest] = []
    for doc in parse_documents(text, source):
        if not isinstance(doc, dict):
            raise KubectlError(f'error validating "{source}": error validating data: invalid object to validate; '
                               "if you choose to ignore these errors, turn validation off with --validate=false")
        for obj in _flatten(doc):
            if validate:
                missing = "apiVersion" if not _text(obj.get("apiVersion")) else "kind" if not _text(obj.get("kind")) \
                    else ""
                if missing:
                    raise KubectlError(f'error validating "{source}": error validating data: {missing} not set; '
                                       "if you choose to ignore these errors, turn validation off with "
                                       "--validate=false")
            md = obj.get("metadata")
            if md is not None and not isinstance(md, dict):
                raise KubectlError(f'unable to decode "{source}": .metadata accessor error: {_go_value(md)} is of the '
                                   f"type {_go_type(md)}, expected map[string]interface{{}}")
            if not isinstance(obj.get("apiVersion", ""), str) or not isinstance(obj.get("kind", ""), str):
                field = "apiVersion" if not isinstance(obj.get("apiVersion", ""), str) else "kind"
                raise KubectlError(f'unable to decode "{source}": json: cannot unmarshal '
                                   f'{_json_kind(obj.get(field))} into Go struct field .{field} of type string')
            out.append(Manifest(source, obj))
    return out


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value) or (value is not None and not isinstance(value, str))


def _go_type(value: Any) -> str:
    return {bool: "bool", int: "int64", float: "float64", str: "string", list: "[]interface {}"}.get(
        type(value), "map[string]interface {}")


def _go_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_go_value(v) for v in value) + "]"
    return str(value)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def _flatten(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if str(doc.get("kind", "")).endswith("List") and isinstance(doc.get("items"), list):
        items = []
        for item in doc["items"]:
            if isinstance(item, dict):
                items.extend(_flatten(item))
        return items
    return [doc]


def read(inv: Any, filenames: list[str], *, recursive: bool = False) -> list[Manifest]:
    """All objects named by ``-f`` (in order); raises KubectlError with the builder's messages."""
    ctx = inv.ctx
    out: list[Manifest] = []
    validate = inv.flags.str("validate") not in ("false", "ignore") if "validate" in inv.flags.fs.defs else True
    for name in filenames:
        if name == "-":
            out.extend(objects_from(ctx.stdin, "STDIN", validate=validate))
            continue
        if name.startswith(("http://", "https://")):
            raise KubectlError(f'unable to read URL "{name}", server reported 404 Not Found, status code=404')
        if not ctx.exists(name):
            raise KubectlError(f'the path "{name}" does not exist')
        if ctx.is_dir(name):
            files = _dir_files(ctx, name, recursive)
            if not files:
                raise KubectlError(f"error reading [{name}]: recognized file extensions are [.json .yaml .yml]")
            for f in files:
                out.extend(objects_from(ctx.read_file(f), f, validate=validate))
            continue
        out.extend(objects_from(ctx.read_file(name), name, validate=validate))
    return out


def _dir_files(ctx: Any, path: str, recursive: bool) -> list[str]:
    files: list[str] = []
    for entry in ctx.list_dir(path):
        full = path.rstrip("/") + "/" + entry
        if ctx.is_dir(full):
            if recursive:
                files.extend(_dir_files(ctx, full, recursive))
            continue
        if entry.endswith(_EXTENSIONS):
            files.append(full)
    return files
