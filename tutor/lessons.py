"""Lesson packs: pydantic models and a loader whose every error names the file, line and field.

A pack is a folder with ``pack.yaml`` (title, description, tracks, the ordered lesson files) and one
YAML file per lesson. Lessons only *set a starting state* (setup commands) and *check a result*
(declarative checks, see :mod:`tutor.checks`); nothing in a pack is code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tutor.checks import Check


class PackError(Exception):
    """A broken pack file: ``file:line: field: problem``."""

    def __init__(self, path: Path | str, line: int | None, field: str, problem: str) -> None:
        self.path, self.line, self.field, self.problem = str(path), line, field, problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClusterOptions(_Strict):
    """The lab a lesson starts from."""

    nodes: list[str] = Field(default_factory=lambda: ["controlplane", "node01", "node02"], min_length=1)
    seed: int = 0
    scheduler: Literal["rr", "wrr", "lc", "wlc", "sh", "dh", "sed", "nq"] = "rr"


class WrongAnswer(_Strict):
    """A plausible mistake: after ``commands`` the check named ``check`` must fail showing ``message``."""

    commands: list[str] = Field(min_length=1)
    check: str
    message: str


class Step(_Strict):
    title: str
    body: str
    hints: list[str] = Field(default_factory=list)
    solution: list[str] = Field(min_length=1)
    checks: list[Check] = Field(min_length=1)
    wrong: list[WrongAnswer] = Field(default_factory=list)
    why: str = ""

    @model_validator(mode="after")
    def _wrong_names_a_check(self) -> Step:
        names = {c.name for c in self.checks}
        for i, wrong in enumerate(self.wrong):
            if wrong.check not in names:
                raise ValueError(f"wrong[{i}].check {wrong.check!r} names no check of this step "
                                 f"(known: {', '.join(sorted(names))})")
        return self


class Lesson(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    summary: str
    level: Literal["beginner", "intermediate", "advanced"] = "beginner"
    minutes: int = Field(gt=0)
    objectives: list[str] = Field(default_factory=list)
    cluster: ClusterOptions = Field(default_factory=ClusterOptions)
    setup: list[str] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)


class Track(_Strict):
    id: str
    title: str
    lessons: list[str] = Field(min_length=1)


class PackFile(_Strict):
    """``pack.yaml`` as written."""

    title: str
    description: str = ""
    lessons: list[str] = Field(min_length=1)
    tracks: list[Track] = Field(default_factory=list)

    @field_validator("lessons")
    @classmethod
    def _unique(cls, files: list[str]) -> list[str]:
        if len(set(files)) != len(files):
            raise ValueError("lists a lesson file twice")
        return files


class Pack(BaseModel):
    """A loaded pack: its lessons in order, with tracks resolved to lesson ids."""

    model_config = ConfigDict(frozen=True)

    root: Path
    title: str
    description: str
    lessons: list[Lesson]
    tracks: list[Track]

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def lesson_ids(self) -> list[str]:
        return [lesson.id for lesson in self.lessons]


# --- YAML with line numbers -------------------------------------------------------------------------

def _line_index(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map every path (keys and list indices) of a composed YAML document to its 1-based line."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            out[path + (key,)] = key_node.start_mark.line + 1
            _line_index(value_node, path + (key,), out)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), out)
    return out


def _read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(path, None, "", f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PackError(path, None, "", "is not UTF-8 text") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise PackError(path, mark.line + 1 if mark else None, "", f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise PackError(path, None, "", f"YAML error: {exc}") from None
    if node is None:
        raise PackError(path, 1, "", "is empty")
    return data, _line_index(node)


def _field_name(loc: tuple) -> str:
    """``('steps', 0, 'checks', 1, 'field', 'path')`` -> ``steps[0].checks[1].field.path``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("function-") or part in {"tagged-union", "union"}:
            continue
        else:
            text += f".{part}" if text else part
    return text


def _nearest_line(lines: dict[tuple, int], loc: tuple) -> int | None:
    keys = tuple(p for p in loc if isinstance(p, int) or not (p.startswith("function-") or p in {"tagged-union"}))
    while keys:
        if keys in lines:
            return lines[keys]
        keys = keys[:-1]
    return lines.get(())


def _validate(model: type[BaseModel], data: Any, path: Path, lines: dict[tuple, int]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        # A model-level check points at its object; its message starts with the sub-field name.
        message = first["msg"].removeprefix("Value error, ")
        raise PackError(path, _nearest_line(lines, loc), _field_name(loc) or "(top level)", message) from None


def load_lesson(path: Path) -> Lesson:
    data, lines = _read_yaml(path)
    if not isinstance(data, dict):
        raise PackError(path, 1, "", "a lesson file must be a mapping")
    return _validate(Lesson, data, path, lines)


def load_pack(root: Path | str) -> Pack:
    """Load and validate a whole pack; the first problem raises :class:`PackError`."""
    root = Path(root)
    pack_path = root / "pack.yaml"
    if not pack_path.is_file():
        raise PackError(pack_path, None, "", "no pack.yaml in this folder")
    data, lines = _read_yaml(pack_path)
    if not isinstance(data, dict):
        raise PackError(pack_path, 1, "", "pack.yaml must be a mapping")
    spec: PackFile = _validate(PackFile, data, pack_path, lines)
    lessons: list[Lesson] = []
    seen: dict[str, str] = {}
    for i, name in enumerate(spec.lessons):
        lesson_path = root / name
        if not lesson_path.is_file():
            raise PackError(pack_path, lines.get(("lessons", i)), f"lessons[{i}]", f"file {name!r} does not exist")
        lesson = load_lesson(lesson_path)
        if lesson.id in seen:
            raise PackError(lesson_path, lines.get(()), "id", f"{lesson.id!r} is also the id of {seen[lesson.id]}")
        seen[lesson.id] = name
        lessons.append(lesson)
    for t, track in enumerate(spec.tracks):
        for j, lesson_id in enumerate(track.lessons):
            if lesson_id not in seen:
                raise PackError(pack_path, lines.get(("tracks", t, "lessons", j)), f"tracks[{t}].lessons[{j}]",
                                f"no lesson has the id {lesson_id!r}")
    tracks = spec.tracks or [Track(id="all", title=spec.title, lessons=[lesson.id for lesson in lessons])]
    return Pack(root=root, title=spec.title, description=spec.description, lessons=lessons, tracks=tracks)
