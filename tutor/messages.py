"""Messages the lesson UI passes around: the terminal reports commands, the screen reports checks.

Messages (not direct calls) keep widgets ignorant of each other: the terminal never knows that a
checklist exists, and tests can watch the flow with ``run_test(message_hook=...)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass
class CommandStarted(Message):
    """The terminal began running ``command`` (already echoed)."""

    command: str


@dataclass
class CommandOutput(Message):
    """A chunk of a running command's output, posted from the worker thread."""

    stream: str  # "stdout" | "stderr"
    text: str


@dataclass
class CommandFinished(Message):
    """A command ended; ``exit_code`` is the shell's ``$?``; ``error_log`` is set after an internal error."""

    command: str
    exit_code: int
    error_log: str | None = None


@dataclass
class InsertCommand(Message):
    """Put ``text`` on the terminal's prompt (a click on a command block in the instructions)."""

    text: str


@dataclass
class ChecksEvaluated(Message):
    """Fresh results of the current step's checks (posted only when something changed)."""

    results: list[Any] = field(default_factory=list)


@dataclass
class CheckPassed(Message):
    """A check turned green (for tests and the step banner)."""

    name: str


@dataclass
class StepPassed(Message):
    """Every check of step ``index`` passes."""

    index: int


@dataclass
class OpenLesson(Message):
    """Open (or resume) the lesson ``lesson_id``; posted by the catalogue and the palette."""

    lesson_id: str
