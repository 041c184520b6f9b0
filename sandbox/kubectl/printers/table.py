"""``kubectl get`` tables: cli-runtime's HumanReadablePrinter over printers.go columns.

Header names are upper-cased column names; ``-A`` prepends NAMESPACE; ``-L`` columns and then
LABELS follow the (wide) columns; several resource types get ``kind.group/`` name prefixes and
are printed as separate blocks, each with its own widths (the caller joins blocks with a blank
line unless ``--no-headers``).
"""

from __future__ import annotations

import re
from datetime import datetime

from sandbox.api import resources

from .columns import format_labels, handler_for
from .tabwriter import TabWriter, escape_terminal


def kind_prefix(resource: str) -> str:
    """``service``, ``deployment.apps``: what ``-o name`` and multi-type tables put before ``/``."""
    try:
        return resources.by_plural(resource).kind_group
    except KeyError:
        return resource


_BREAK = re.compile("[\f\n\r]")


def _clean(cell: str) -> str:
    """Cells are cut at the first line break (``...`` appended), as the table printer does."""
    m = _BREAK.search(cell)
    if m is not None:
        cell = cell[:m.start()] + "..."
    return escape_terminal(cell) if "\x1b" in cell else cell


def table_lines(objs: list[dict], resource: str, *, wide: bool = False, show_labels: bool = False,
                label_columns: list[str] | None = None, no_headers: bool = False, with_namespace: bool = False,
                with_kind_prefix: bool = False, now: datetime) -> list[str]:
    """The tab-separated lines (header first) before alignment."""
    handler = handler_for(resource)
    keep = [i for i, c in enumerate(handler.columns) if c.priority == 0 or wide]
    label_columns = list(label_columns or [])
    lines: list[str] = []
    if not no_headers:
        header = [handler.columns[i].name.upper() for i in keep]
        if with_namespace:
            header.insert(0, "NAMESPACE")
        header.extend(label.split("/")[-1].upper() for label in label_columns)
        if show_labels:
            header.append("LABELS")
        lines.append("\t".join(header))
    name_index = next((i for i, c in enumerate(handler.columns) if c.is_name), None)
    prefix = kind_prefix(resource) + "/" if with_kind_prefix else ""
    for obj in objs:
        cells = handler.row(obj, now, True)  # the apiserver always renders wide cells; kubectl filters
        if prefix and name_index is not None:
            cells[name_index] = prefix + cells[name_index]
        row = [_clean(cells[i]) for i in keep]
        meta = obj.get("metadata") or {}
        if with_namespace:
            row.insert(0, meta.get("namespace", ""))
        labels = meta.get("labels") or {}
        row.extend(str(labels.get(label, "")) for label in label_columns)
        if show_labels:
            row.append(format_labels(labels))
        lines.append("\t".join(row))
    return lines


def print_table(objs: list[dict], resource: str, *, wide: bool = False, show_labels: bool = False,
                label_columns: list[str] | None = None, no_headers: bool = False, with_namespace: bool = False,
                with_kind_prefix: bool = False, now: datetime) -> str:
    """One resource type's table, aligned with kubectl's tabwriter (minwidth 6, tab 4, padding 3)."""
    lines = table_lines(objs, resource, wide=wide, show_labels=show_labels, label_columns=label_columns,
                        no_headers=no_headers, with_namespace=with_namespace,
                        with_kind_prefix=with_kind_prefix, now=now)
    if not lines:
        return ""
    writer = TabWriter(6, 4, 3, " ")
    writer.write("".join(line + "\n" for line in lines))
    return writer.flush()


def print_tables(groups: list[tuple[str, list[dict]]], *, no_headers: bool = False, **options) -> str:
    """Several resource types (``get svc,deploy``, ``get all``): one block per non-empty type,
    a blank line between blocks when headers are shown; names get their ``kind.group/`` prefix
    whenever more than one type was asked for."""
    blocks = [print_table(objs, resource, no_headers=no_headers, **options) for resource, objs in groups if objs]
    return ("" if no_headers else "\n").join(blocks)


class WatchTable:
    """``kubectl get -w``: the first table, then one aligned row per event, widths remembered."""

    def __init__(self, resource: str, *, now: datetime, **options) -> None:
        self.resource = resource
        self.options = options
        self.writer = TabWriter(6, 4, 3, " ", remember_widths=True)
        self.header_done = bool(options.get("no_headers"))
        self.now = now

    def rows(self, objs: list[dict], now: datetime | None = None) -> str:
        options = dict(self.options)
        options["no_headers"] = self.header_done
        lines = table_lines(objs, self.resource, now=now or self.now, **options)
        self.header_done = True
        if not lines:
            return ""
        self.writer.write("".join(line + "\n" for line in lines))
        return self.writer.flush()
