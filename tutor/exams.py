"""Exam packs: timed, graded challenges on one shared cluster (``lessons/exams/*.yaml``).

Same rules as lesson packs: YAML loaded safely, validated by pydantic, every error naming the file,
line and field; checks are the declarative lesson checks, whose ``points`` give partial credit.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from tutor import paths
from tutor.checks import Check
from tutor.lessons import ClusterOptions, PackError, _read_yaml, _Strict, _validate


class Task(_Strict):
    title: str
    weight: int = Field(default=1, gt=0)
    body: str
    namespace: str = "default"
    setup: list[str] = Field(default_factory=list)
    checks: list[Check] = Field(min_length=1)
    solution: list[str] = Field(min_length=1)
    explanation: str = ""

    @property
    def max_points(self) -> int:
        return sum(c.points for c in self.checks)

    @model_validator(mode="after")
    def _has_points(self) -> Task:
        if self.max_points == 0:
            raise ValueError("checks: at least one check must carry points")
        return self


class Exam(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str = ""
    duration_minutes: int = Field(gt=0, le=480)
    pass_mark: int = Field(ge=0, le=100, description="percent of the total weight needed to pass")
    live_feedback: bool = False
    cluster: ClusterOptions = Field(default_factory=ClusterOptions)
    setup: list[str] = Field(default_factory=list)
    tasks: list[Task] = Field(min_length=1)

    @property
    def duration_seconds(self) -> int:
        return self.duration_minutes * 60

    @property
    def total_weight(self) -> int:
        return sum(t.weight for t in self.tasks)

    def all_setup(self) -> list[str]:
        """The shared cluster's setup, then every task's own, in task order."""
        commands = list(self.setup)
        for task in self.tasks:
            commands += task.setup
        return commands


def load_exam(path: Path | str) -> Exam:
    path = Path(path)
    data, lines = _read_yaml(path)
    if not isinstance(data, dict):
        raise PackError(path, 1, "", "an exam file must be a mapping")
    return _validate(Exam, data, path, lines)


def exams_dir(pack: Path | str | None = None) -> Path:
    return Path(pack) / "exams" if pack else paths.lessons_dir() / "exams"


def load_exams(pack: Path | str | None = None) -> list[Exam]:
    """Every exam of a pack, sorted by file name; ids must be unique."""
    folder = exams_dir(pack)
    exams: list[Exam] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        exam = load_exam(path)
        if exam.id in seen:
            raise PackError(path, 1, "id", f"{exam.id!r} is also the id of {seen[exam.id].name}")
        seen[exam.id] = path
        exams.append(exam)
    return exams


def find_exam(name: str, pack: Path | str | None = None) -> Exam:
    """An exam by id, or a path to an exam file."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return load_exam(candidate)
    for exam in load_exams(pack):
        if exam.id == name:
            return exam
    known = ", ".join(e.id for e in load_exams(pack)) or "none"
    raise KeyError(f"no exam {name!r} (known: {known})")
