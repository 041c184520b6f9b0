"""``-o custom-columns=HEADER:path,...`` and ``-o custom-columns-file=`` (kubectl pkg/cmd/get/customcolumn.go).

Each column is a relaxed jsonpath with missing keys allowed; several results join with commas,
none gives ``<none>``; values print as Go's ``fmt.Sprint`` would (maps as ``map[k:v]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .gofmt import sprint
from .jsonpath import JSONPath, PrintError, relaxed
from .tabwriter import TabWriter, escape_terminal


@dataclass
class CustomColumn:
    header: str
    expr: str


class PartialOutputError(PrintError):
    """A failure after some output was produced: ``stdout`` is what kubectl still flushes."""

    def __init__(self, message: str, stdout: str) -> None:
        super().__init__(message)
        self.stdout = stdout


def parse_spec(spec: str) -> list[CustomColumn]:
    """NewCustomColumnsPrinterFromSpec, with its error texts."""
    if not spec:
        raise PrintError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, expr = part.partition(":")
        if not sep:
            raise PrintError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        columns.append(CustomColumn(header, relaxed(expr)))
    return columns


def parse_file(text: str) -> list[CustomColumn]:
    """NewCustomColumnsPrinterFromTemplate: a header line and a spec line, whitespace separated."""
    lines = text.split("\n")
    if not lines or (len(lines) == 1 and not lines[0]):
        raise PrintError("invalid template, missing header line. Expected format is one line of space separated "
                         "headers, one line of space separated column specs.")
    if len(lines) < 2:
        raise PrintError("invalid template, missing spec line. Expected format is one line of space separated "
                         "headers, one line of space separated column specs.")
    headers, specs = lines[0].split(), lines[1].split()
    if len(headers) != len(specs):
        raise PrintError(f"number of headers ({len(headers)}) and field specifications ({len(specs)}) don't match")
    return [CustomColumn(h, relaxed(s)) for h, s in zip(headers, specs, strict=True)]


def _cell(path: JSONPath, obj: Any) -> str:
    results = path.find_results(obj)
    values: list[str] = []
    if not results or not results[0]:
        values.append("<none>")
    for group in results:
        values.extend(escape_terminal("<nil>" if v is None else sprint(v)) for v in group)
    return ",".join(values)


def render(columns: list[CustomColumn], objs: list[dict], *, no_headers: bool = False) -> str:
    """PrintObj: header first, then the column paths are parsed and rows printed; on a failure the
    buffered lines are still flushed (raised as :class:`PartialOutputError`)."""
    writer = TabWriter(6, 4, 3, " ")
    if not no_headers:
        writer.write("\t".join(c.header for c in columns) + "\n")
    try:
        paths = [JSONPath(c.expr, allow_missing_keys=True) for c in columns]
        for obj in objs:
            items = obj.get("items") if obj.get("kind") == "List" and isinstance(obj.get("items"), list) else [obj]
            for item in items:
                writer.write("\t".join(_cell(p, item) for p in paths) + "\n")
    except PrintError as exc:
        raise PartialOutputError(str(exc), writer.flush()) from None
    return writer.flush()


def custom_columns(spec: str, objs: list[dict], *, no_headers: bool = False) -> str:
    """``-o custom-columns=<spec>`` over the objects (one header, kubectl's tabwriter)."""
    return render(parse_spec(spec), objs, no_headers=no_headers)


def custom_columns_file(text: str, objs: list[dict], *, no_headers: bool = False) -> str:
    """``-o custom-columns-file=<file>`` given the file's text."""
    return render(parse_file(text), objs, no_headers=no_headers)
