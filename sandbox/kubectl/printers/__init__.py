"""kubectl's output printers: tables, yaml/json/name, jsonpath, go-template, custom-columns.

Every function takes JSON wire-form dicts (CONTRACTS.md §1) and returns the exact text kubectl
writes to stdout. Failures raise :class:`PrintError` whose ``str()`` is kubectl's message without
the ``error: `` prefix; a go-template execution failure is a :class:`TemplateExecError` whose
``stdout`` attribute holds what kubectl still writes to stdout (partial output + debugging dump).
"""

from __future__ import annotations

from typing import Any

from . import gotemplate as _gotemplate
from . import jsonpath as _jsonpath
from .columns import format_label_selector, format_labels, selector_string
from .customcolumns import PartialOutputError, custom_columns, custom_columns_file
from .gosort import go_sort
from .gotemplate import TemplateExecError, TemplateParseError
from .jsonpath import JSONPathParseError, PrintError, relaxed
from .kyaml import to_kyaml
from .sorting import sort_objects
from .table import WatchTable, kind_prefix, print_table, print_tables, table_lines
from .tabwriter import TabWriter, tabwrite
from .timefmt import human_duration
from .yamljson import as_list, go_json, names, omit_managed_fields, to_json, to_name, to_yaml


def jsonpath(template: str, data: Any, *, allow_missing_keys: bool = True, output_json: bool = False,
             allow_missing: bool | None = None, as_json: bool | None = None) -> str:
    """``-o jsonpath=`` / ``-o jsonpath-as-json=`` (``allow_missing``/``as_json`` are aliases)."""
    if allow_missing is not None:
        allow_missing_keys = allow_missing
    if as_json is not None:
        output_json = as_json
    return _jsonpath.jsonpath(template, data, allow_missing_keys=allow_missing_keys, output_json=output_json)


def check_jsonpath(template: str) -> None:
    """Parse only; raises with client-go's bare reason (``unclosed action``) for the caller to wrap."""
    _jsonpath.parse(template)


def jsonpath_values(template: str, data: Any, *, allow_missing_keys: bool = True) -> list[Any]:
    """The values a template selects, flattened (``--sort-by``, ``wait --for=jsonpath``)."""
    path = _jsonpath.JSONPath(template, allow_missing_keys=allow_missing_keys)
    return [v for group in path.find_results(data) for v in group]


def go_template(template: str, data: Any, *, sort_keys: bool = True) -> str:
    """``-o go-template=`` on one object or List. ``sort_keys=False`` for objects built client-side
    (dry-run generators): the debugging dump then shows their JSON in struct order, as kubectl does."""
    return _gotemplate.run(_gotemplate.compile_template(template), data, sort_keys=sort_keys)


def check_go_template(template: str) -> None:
    """Parse only; raises with text/template's reason (``template: output:1: unexpected EOF``)."""
    _gotemplate.GoTemplate(template)


__all__ = [
    "JSONPathParseError", "PartialOutputError", "PrintError", "TabWriter", "TemplateExecError", "TemplateParseError", "WatchTable",
    "as_list", "check_go_template", "go_sort", "sort_objects", "check_jsonpath", "custom_columns", "custom_columns_file",
    "format_label_selector", "format_labels", "go_json", "go_template", "human_duration", "jsonpath",
    "jsonpath_values", "kind_prefix", "names", "omit_managed_fields", "print_table", "print_tables", "relaxed",
    "selector_string", "table_lines", "tabwrite", "to_json", "to_kyaml", "to_name", "to_yaml",
]
