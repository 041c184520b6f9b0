"""Workshops: a learner's progress exported as JSON, and many exports merged into a roster."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from tutor.progress import Progress

EXPORT_FORMAT = "kubelab-progress/1"


class LessonSummary(BaseModel):
    state: str
    steps_passed: int
    steps_assisted: int
    hints_used: int


class ExamSummary(BaseModel):
    percent: float
    passed: bool
    time_used_seconds: int


class Export(BaseModel):
    format: str = EXPORT_FORMAT
    learner: str
    lessons: dict[str, LessonSummary]
    exams: dict[str, ExamSummary]


def export(progress: Progress, learner: str) -> Export:
    lessons = {
        lesson_id: LessonSummary(
            state=entry.state,
            steps_passed=sum(1 for s in entry.steps.values() if s.passed),
            steps_assisted=sum(1 for s in entry.steps.values() if s.assisted),
            hints_used=sum(s.hints_used for s in entry.steps.values()),
        )
        for lesson_id, entry in sorted(progress.lessons.items())
    }
    exams = {
        exam_id: ExamSummary(percent=a.report["percent"], passed=a.report["passed"],
                             time_used_seconds=a.report["time_used_seconds"])
        for exam_id, a in sorted(progress.exams.items()) if a.submitted and a.report
    }
    return Export(learner=learner, lessons=lessons, exams=exams)


class RosterError(Exception):
    pass


def load_exports(files: list[Path]) -> list[Export]:
    exports = []
    for path in files:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            item = Export.model_validate(data)
        except OSError as exc:
            raise RosterError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except json.JSONDecodeError as exc:
            raise RosterError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(top level)"
            raise RosterError(f"{path}: {where}: {first['msg']}") from None
        if item.format != EXPORT_FORMAT:
            raise RosterError(f"{path}: format {item.format!r} is not {EXPORT_FORMAT!r}")
        exports.append(item)
    return exports


def _cells(exports: list[Export], lesson_ids: list[str], exam_ids: list[str]) -> tuple[list[str], list[list[str]]]:
    header = ["learner", *lesson_ids, *exam_ids]
    rows = []
    for e in sorted(exports, key=lambda x: x.learner.lower()):
        row = [e.learner]
        for lesson_id in lesson_ids:
            s = e.lessons.get(lesson_id)
            row.append("new" if s is None else s.state + (" (assisted)" if s.steps_assisted else ""))
        for exam_id in exam_ids:
            x = e.exams.get(exam_id)
            row.append("-" if x is None else f"{x.percent:g}% {'pass' if x.passed else 'fail'}")
        rows.append(row)
    return header, rows


def roster(exports: list[Export], lesson_ids: list[str], fmt: str = "md") -> str:
    """Learners × lessons and exams, as a Markdown table or CSV."""
    exam_ids = sorted({k for e in exports for k in e.exams})
    extra = sorted({k for e in exports for k in e.lessons} - set(lesson_ids))
    header, rows = _cells(exports, [*lesson_ids, *extra], exam_ids)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buf.getvalue()
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
