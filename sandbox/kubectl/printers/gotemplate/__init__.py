"""``-o go-template=``: a Go text/template interpreter with kubectl's functions and messages.

kubectl executes on the unstructured object (``map[string]interface{}``: integers are int64,
template constants are int, so ``eq .port 80.0`` fails with "incompatible types" as on a real
cluster) and missing keys print ``<no value>`` (``--allow-missing-template-keys`` is on by
default). The lexer, parser and executor follow text/template's structure so that error messages,
positions (``output:1:7``) and edge cases match.
"""

from __future__ import annotations

from typing import Any

from ..gofmt import go_syntax, quote, sprint
from ..yamljson import go_json
from .execute import _State
from .parse import _Parser
from .values import TemplateExecError, TemplateParseError, _ExecError


class GoTemplate:
    """A parsed template (``template.New("output").Funcs(exists, base64decode).Parse(text)``)."""

    def __init__(self, text: str, *, name: str = "output") -> None:
        self.text = text
        self.name = name
        self.templates = _Parser(text, name).parse()

    def execute(self, data: Any) -> str:
        out: list[str] = []
        state = _State(self.templates, self.name, self.text, out)
        state.vars = [["$", data]]
        root = self.templates.get(self.name)
        if root is None:
            raise _ExecError(f'template: {self.name}: "{self.name}" is an incomplete or empty template')
        try:
            state.walk(data, root)
        except _ExecError as exc:
            exc.partial = "".join(out)  # type: ignore[attr-defined]
            raise
        return "".join(out)


def compile_template(text: str) -> GoTemplate:
    """Parse as kubectl's printer flags do: ``error parsing template <t>, <why>``."""
    try:
        return GoTemplate(text)
    except TemplateParseError as exc:
        raise TemplateParseError(f"error parsing template {text}, {exc}\n") from None


def run(template: GoTemplate, obj: Any, *, sort_keys: bool = True) -> str:
    """GoTemplatePrinter.PrintObj: on failure the debugging dump goes to stdout, as kubectl does."""
    data = obj
    try:
        return template.execute(data)
    except _ExecError as exc:
        partial = getattr(exc, "partial", "")
        dump = (f"Error executing template: {exc}. Printing more information for debugging the template:\n"
                f"\ttemplate was:\n\t\t{template.text}\n"
                f"\traw data was:\n\t\t{go_json(obj, sort_keys=sort_keys)}\n"
                f"\tobject given to template engine was:\n\t\t{sprint(data)}\n\n")
        raise TemplateExecError(f"error executing template {quote(template.text)}: {exc}",
                                partial + dump) from None
    except RecursionError:
        raise TemplateExecError(f"error executing template {quote(template.text)}: template: output: "
                                "exceeded maximum template depth (100000)", "") from None


def go_template(template: str, data: Any) -> str:
    """``-o go-template=<template>`` on one object (or a List dict)."""
    return run(compile_template(template), data)


__all__ = ["GoTemplate", "TemplateExecError", "TemplateParseError", "compile_template", "go_syntax",
           "go_template", "run"]
