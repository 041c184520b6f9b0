"""The live checklist of the current step: ✓ passed, ✗ failing, • not evaluated yet.

Selecting (highlighting) a failing check shows its diagnostic under the list: the learner asks for
the explanation; it is not pushed at them.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

MARKS = {True: "✓", False: "✗", None: "•"}
STATE_WORDS = {True: "passed", False: "failing", None: "not checked yet"}


def check_line(name: str, passed: bool | None) -> Text:
    """One row: the mark, then the name (the mark is also spelled out for screen readers via the id)."""
    text = Text()
    text.append(MARKS[passed], style={True: "bold green", False: "bold red", None: "dim"}[passed])
    text.append(" " + name)
    return text


class Checklist(Vertical):
    """Check names with their state; the highlighted failing check's diagnostic below."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._results: list[tuple[str, bool | None, str]] = []

    def compose(self) -> ComposeResult:
        yield OptionList(id="checks")
        yield Static("", id="diagnostic", markup=False)

    @property
    def results(self) -> list[tuple[str, bool | None, str]]:
        return list(self._results)

    def show_pending(self, names: list[str]) -> None:
        """Before the first evaluation: every check as •."""
        self._set([(name, None, "") for name in names])

    def show_results(self, results: list[Any]) -> None:
        """``results`` are CheckResult-like objects: ``name``, ``passed``, ``diagnostic``."""
        self._set([(r.name, bool(r.passed), getattr(r, "diagnostic", "") or "") for r in results])

    def _set(self, rows: list[tuple[str, bool | None, str]]) -> None:
        if rows == self._results:
            return
        self._results = rows
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            [Option(check_line(name, passed), id=f"check-{i}") for i, (name, passed, _) in enumerate(rows)]
        )
        if highlighted is not None and highlighted < len(rows):
            options.highlighted = highlighted
        self._show_diagnostic(options.highlighted)
        passed = sum(1 for _, p, _ in rows if p)
        self.border_subtitle = f"{passed}/{len(rows)} passed" if rows else ""

    @on(OptionList.OptionHighlighted, "#checks")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_diagnostic(event.option_index)

    def _show_diagnostic(self, index: int | None) -> None:
        static = self.query_one("#diagnostic", Static)
        if index is None or index >= len(self._results):
            static.update("")
            static.display = False
            return
        name, passed, diagnostic = self._results[index]
        static.display = True
        if passed is False:
            static.update(diagnostic or f"{name}: failing")
        else:
            static.update(f"{name}: {STATE_WORDS[passed]}")
