"""``-o`` handling: choosing a printer exactly as cli-runtime's PrintFlags.ToPrinter does.

The formatting itself is the printers package's job (``sandbox.kubectl.printers``); this module
decides which printer a flag combination means, produces kubectl's errors for bad combinations,
and prints objects and lists with it.
"""

from __future__ import annotations

from typing import Any

from sandbox.api import resources
from sandbox.kubectl.errors import KubectlError

_JSON_YAML = ("json", "yaml", "kyaml")
_JSONPATH = ("jsonpath", "jsonpath-as-json", "jsonpath-file")
_GOTEMPLATE = ("go-template", "go-template-file", "template", "templatefile")
_BASE_ALLOWED = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template," \
                "templatefile,yaml"
_GET_ALLOWED = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json," \
               "jsonpath-file,kyaml,name,template,templatefile,wide,yaml"


def yaml_text(obj: Any) -> str:
    from sandbox.kubectl import printers

    return printers.to_yaml(obj)


def json_text(obj: Any) -> str:
    from sandbox.kubectl import printers

    return printers.to_json(obj)


def sort_keys(obj: Any) -> Any:
    """Objects read from the server print with alphabetical keys (they are unstructured maps)."""
    if isinstance(obj, dict):
        return {k: sort_keys(obj[k]) for k in sorted(obj)}
    if isinstance(obj, list):
        return [sort_keys(v) for v in obj]
    return obj


def kind_group(obj: dict[str, Any]) -> str:
    """``service`` / ``deployment.apps``: the prefix kubectl prints for an object."""
    rt = resources.by_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if rt is not None:
        return rt.kind_group
    kind = str(obj.get("kind", "")).lower()
    group = str(obj.get("apiVersion", "")).rpartition("/")[0]
    return f"{kind}.{group}" if group else kind


class Printer:
    """A resolved ``-o`` choice. ``kind`` is one of name/json/yaml/kyaml/jsonpath/template/table/wide/custom."""

    def __init__(self, kind: str, *, template: str = "", operation: str = "", as_json: bool = False,
                 allow_missing: bool = True, short: bool = False, columns_file: bool = False) -> None:
        self.kind = kind
        self.columns_file = columns_file  # custom-columns-file: ``template`` is the file's text
        self.template = template
        self.operation = operation
        self.as_json = as_json
        self.allow_missing = allow_missing
        self.short = short
        self.printed = 0   # YAMLPrinter separates documents it prints after the first with ---

    def custom_columns(self, objs: list[dict[str, Any]], *, no_headers: bool) -> str:
        """The custom-columns table, from an inline spec or a columns file (header line + spec line)."""
        from sandbox.kubectl import printers

        if self.columns_file:
            return printers.custom_columns_file(self.template, objs, no_headers=no_headers)
        return printers.custom_columns(self.template, objs, no_headers=no_headers)

    @property
    def is_table(self) -> bool:
        return self.kind in ("table", "wide", "custom")

    def name_line(self, obj: dict[str, Any]) -> str:
        name = obj.get("metadata", {}).get("name", "")
        prefix = kind_group(obj)
        if self.short or not self.operation:
            return f"{prefix}/{name}\n"
        return f"{prefix}/{name} {self.operation}\n"

    def render(self, obj: dict[str, Any]) -> str:
        """One object (or a ``List``) in this format."""
        if self.kind == "name":
            if obj.get("kind") == "List":
                return "".join(self.name_line(i) for i in obj.get("items", []))
            return self.name_line(obj)
        if self.kind == "json":
            return json_text(obj)
        if self.kind == "yaml":
            sep = "---\n" if self.printed else ""
            self.printed += 1
            return sep + yaml_text(obj)
        if self.kind == "kyaml":
            from sandbox.kubectl import printers

            try:  # key order is the caller's, as for json: struct order client-side, sorted from the server
                return printers.to_kyaml(obj, sort_keys=False)
            except printers.PrintError as exc:
                raise KubectlError(str(exc)) from None
        if self.kind == "jsonpath":
            return self._jsonpath(obj)
        if self.kind == "template":
            return self._gotemplate(obj)
        raise KubectlError(f"unsupported printer {self.kind}")

    def _jsonpath(self, obj: dict[str, Any]) -> str:
        from sandbox.kubectl import printers

        try:
            return printers.jsonpath(self.template, obj, allow_missing=self.allow_missing,
                                     as_json=self.as_json)
        except TypeError:
            return printers.jsonpath(self.template, obj)
        except KubectlError:
            raise
        except Exception as exc:  # noqa: BLE001 - the printer's own wording
            raise KubectlError(str(exc)) from None

    def _gotemplate(self, obj: dict[str, Any]) -> str:
        from sandbox.kubectl import printers

        try:
            return printers.go_template(self.template, obj)
        except KubectlError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise KubectlError(str(exc)) from None


def make_printer(inv: Any, *, operation: str = "", for_get: bool = False) -> Printer:
    """PrintFlags.ToPrinter with the dry-run operation suffix applied (PrintFlagsWithDryRunStrategy)."""
    flags = inv.flags
    fmt = flags.str("output") if "output" in flags.fs.defs else ""
    template = flags.str("template") if "template" in flags.fs.defs else ""
    allow_missing = flags.bool("allow-missing-template-keys") if "allow-missing-template-keys" in flags.fs.defs \
        else True
    if template and not fmt:
        fmt = "go-template"
    if fmt in _JSON_YAML:
        return Printer(fmt)
    if fmt == "name":
        return Printer("name", short=True)
    if fmt == "":
        if for_get:
            return Printer("table")
        return Printer("name", operation=operation)
    if for_get and fmt == "wide":
        return Printer("wide")
    if for_get and (fmt.startswith("custom-columns=") or fmt.startswith("custom-columns-file=")):
        kind, _, spec = fmt.partition("=")
        if kind == "custom-columns-file":
            spec = _read_template(inv, spec)
        if not spec:
            raise KubectlError("custom-columns format specified but no custom columns given")
        return Printer("custom", template=spec, columns_file=kind == "custom-columns-file")
    if for_get and fmt in ("custom-columns", "custom-columns-file"):
        raise KubectlError("custom-columns format specified but no custom columns given")
    # go templates first, then jsonpath (KubeTemplatePrintFlags)
    for family, kind in ((_GOTEMPLATE, "template"), (_JSONPATH, "jsonpath")):
        value, name = template, fmt
        if not template:
            for f in family:
                if fmt.startswith(f + "="):
                    name, value = f, fmt[len(f) + 1:]
                    break
        if name not in family:
            continue
        if not value:
            raise KubectlError("template format specified but no template given")
        if name.endswith("file"):
            value = _read_template(inv, value)
        _check_parse(kind, value)
        return Printer(kind, template=value, as_json=name == "jsonpath-as-json", allow_missing=allow_missing)
    allowed = _GET_ALLOWED if for_get else _BASE_ALLOWED
    raise KubectlError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                       f"{allowed}")


def _read_template(inv: Any, path: str) -> str:
    try:
        return inv.ctx.read_file(path)
    except Exception as exc:  # noqa: BLE001 - VFS error wording
        reason = getattr(exc, "strerror", "no such file or directory").lower()
        raise KubectlError(f"error reading --template {path}, open {path}: {reason}\n") from None


def _check_parse(kind: str, template: str) -> None:
    """Parse errors surface when the printer is built (before anything runs)."""
    from sandbox.kubectl import printers

    checker = getattr(printers, "check_jsonpath" if kind == "jsonpath" else "check_go_template", None)
    if checker is None:
        return
    try:
        checker(template)
    except Exception as exc:  # noqa: BLE001
        what = "jsonpath" if kind == "jsonpath" else "template"
        raise KubectlError(f"error parsing {what} {template}, {exc}\n") from None


def as_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    """kubectl's client-side List wrapper for several objects."""
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def struct_order(obj: dict[str, Any]) -> dict[str, Any]:
    """Typed clients return Go structs: their JSON follows the struct field order (the api models')."""
    try:
        from sandbox.api import models
    except ImportError:  # pragma: no cover - the api layer always has models
        return obj
    model = getattr(models, str(obj.get("kind", "")), None)
    if model is None or not isinstance(model, type):
        return obj
    ordered = _order(obj, model)
    head = {k: ordered[k] for k in ("kind", "apiVersion") if k in ordered}
    return {**head, **{k: v for k, v in ordered.items() if k not in head}}


def _unwrap(tp: Any) -> Any:
    import types
    import typing

    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _order(value: Any, tp: Any) -> Any:
    import typing

    from pydantic import BaseModel

    tp = _unwrap(tp)
    if isinstance(value, dict) and isinstance(tp, type) and issubclass(tp, BaseModel):
        out: dict[str, Any] = {}
        for name, field in tp.model_fields.items():
            key = field.alias or name
            if key in value:
                out[key] = _order(value[key], field.annotation)
        for key, item in value.items():
            out.setdefault(key, item)
        return out
    origin = typing.get_origin(tp)
    if isinstance(value, list) and origin is list:
        (elem,) = typing.get_args(tp) or (Any,)
        return [_order(v, elem) for v in value]
    if isinstance(value, dict) and origin is dict:
        args = typing.get_args(tp)
        return {k: _order(v, args[1] if len(args) == 2 else Any) for k, v in value.items()}
    return value
