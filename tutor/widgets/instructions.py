"""The step's instructions as Markdown; a click on a command block puts its text on the prompt."""

from __future__ import annotations

from textual import events
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownFence

from tutor.messages import InsertCommand


def fence_command(code: str) -> str:
    """The command a block stands for: its text without the trailing newline and ``$ `` prompts."""
    lines = code.rstrip("\n").split("\n")
    return "\n".join(line[2:] if line.startswith("$ ") else line for line in lines)


class Instructions(Markdown):
    """Markdown whose fenced code blocks are clickable commands."""

    def on_click(self, event: events.Click) -> None:
        widget = event.widget
        while widget is not None and widget is not self:
            if isinstance(widget, MarkdownFence):
                event.stop()
                self.post_message(InsertCommand(fence_command(widget.code)))
                return
            widget = widget.parent


def step_markdown(title: str, index: int, total: int, body: str, hints: list[str],
                  solution: list[str] | None) -> str:
    """The instructions pane's document: the step, then the hints shown so far and a revealed solution."""
    parts = [f"**Step {index + 1} of {total}: {title}**", "", body.strip(), ""]
    for number, hint in enumerate(hints, 1):
        parts += [f"**Hint {number}.** {hint.strip()}", ""]
    if solution:
        parts += ["**Solution** (click a block to put it on the prompt):", ""]
        for command in solution:
            fence = "````" if "```" in command else "```"
            parts += [f"{fence}bash", command.rstrip("\n"), fence, ""]
    return "\n".join(parts)
