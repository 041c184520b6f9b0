"""Learner progress on disk: atomic, versioned, and never lost to a crash or a corrupt file.

One JSON file per learner (``progress.json`` under the data home). A write goes to a temporary file in
the same folder, is fsynced, then renamed over the old one, so a process killed mid-write leaves the
previous progress intact. A file that cannot be read is moved aside (``progress.json.corrupt-N``) with a
message, and the learner starts afresh instead of the app crashing.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from tutor import paths

VERSION = 1
State = Literal["new", "in progress", "done"]


class LogEntry(BaseModel):
    """One command as typed: when it started and ended (virtual seconds) and on which host."""

    at: float
    host: str
    command: str
    until: float
    #: whether the command changed the lab (objects, files, traffic, shells); undo skips those that did not
    changed: bool = True
    #: what each editor the command opened (vi, nano, kubectl edit) returned, in order; None = cancelled
    edits: list[str | None] = Field(default_factory=list)


class StepProgress(BaseModel):
    passed: bool = False
    assisted: bool = False
    hints_used: int = 0


class LessonProgress(BaseModel):
    state: State = "new"
    step: int = 0
    steps: dict[int, StepProgress] = Field(default_factory=dict)
    log: list[LogEntry] = Field(default_factory=list)
    #: virtual time the lab had reached when last saved (ticks after the last command matter too)
    clock: float = 0.0
    history: list[str] = Field(default_factory=list)

    def step_progress(self, index: int) -> StepProgress:
        return self.steps.setdefault(index, StepProgress())


class ExamAttempt(BaseModel):
    exam: str
    started_wall: float
    submitted: bool = False
    log: list[LogEntry] = Field(default_factory=list)
    clock: float = 0.0
    flags: list[int] = Field(default_factory=list)
    report: dict | None = None


class Progress(BaseModel):
    version: int = VERSION
    learner: str = ""
    last_lesson: str | None = None
    lessons: dict[str, LessonProgress] = Field(default_factory=dict)
    exams: dict[str, ExamAttempt] = Field(default_factory=dict)

    def lesson(self, lesson_id: str) -> LessonProgress:
        return self.lessons.setdefault(lesson_id, LessonProgress())


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` so that readers see either the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class ProgressStore:
    """Loads and saves one learner's :class:`Progress`; ``notice`` tells of a file set aside."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = Path(home) if home is not None else paths.data_home()
        self.path = self.home / "progress.json"
        self.notice: str | None = None
        self.progress = self._load()

    def _set_aside(self, reason: str) -> Progress:
        n = 1
        while (aside := self.path.with_name(f"{self.path.name}.corrupt-{n}")).exists():
            n += 1
        os.replace(self.path, aside)
        self.notice = f"Your progress file could not be read ({reason}); it was moved to {aside} and a new one started."
        return Progress()

    def _load(self) -> Progress:
        if not self.path.exists():
            return Progress()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            return self._set_aside(type(exc).__name__)
        if not isinstance(data, dict):
            return self._set_aside("not a JSON object")
        if data.get("version", 0) > VERSION:
            return self._set_aside(f"written by a newer kubelab (format {data.get('version')})")
        try:
            return Progress.model_validate(data)
        except ValidationError as exc:
            return self._set_aside(f"invalid content: {exc.errors()[0]['msg']}")

    def save(self) -> None:
        atomic_write(self.path, self.progress.model_dump_json(indent=2))

    def lesson(self, lesson_id: str) -> LessonProgress:
        return self.progress.lesson(lesson_id)

    def state(self, lesson_id: str) -> State:
        entry = self.progress.lessons.get(lesson_id)
        return entry.state if entry else "new"
