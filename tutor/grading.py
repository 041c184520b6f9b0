"""Grading an exam attempt, its report (JSON and Markdown), and the report's HMAC signature.

With ``KUBELAB_EXAM_KEY`` set, a report carries ``signature``: HMAC-SHA256, keyed with that secret,
over the report's canonical JSON (sorted keys, no spaces, without the signature itself). It proves
that whoever made the report knew the key and that nothing in it changed since; it does not prove that
the learner worked alone, nor that the kubelab that graded it was unmodified.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tutor.checks import evaluate_all
from tutor.exams import Exam
from tutor.progress import atomic_write

KEY_ENV = "KUBELAB_EXAM_KEY"


class CheckScore(BaseModel):
    name: str
    points: int
    passed: bool
    diagnostic: str = ""


class TaskScore(BaseModel):
    index: int
    title: str
    weight: int
    points: int
    max_points: int
    score: float            # weight × points / max_points
    checks: list[CheckScore]


class Report(BaseModel):
    exam: str
    title: str
    learner: str
    started: str            # ISO wall time
    submitted: str
    time_used_seconds: int
    duration_seconds: int
    automatic: bool         # submitted because time ran out
    tasks: list[TaskScore]
    score: float
    max_score: int
    percent: float
    pass_mark: int
    passed: bool
    signature: str | None = None


def grade(exam: Exam, view: Any, *, learner: str, started: str, submitted: str, time_used: float,
          automatic: bool = False) -> Report:
    """Evaluate every task's checks against the lab and add up weighted partial credit."""
    tasks: list[TaskScore] = []
    for i, task in enumerate(exam.tasks):
        results = evaluate_all(task.checks, view)
        points = sum(r.earned for r in results)
        tasks.append(TaskScore(
            index=i + 1, title=task.title, weight=task.weight, points=points, max_points=task.max_points,
            score=round(task.weight * points / task.max_points, 4),
            checks=[CheckScore(name=r.name, points=r.points, passed=r.passed, diagnostic=r.diagnostic)
                    for r in results]))
    score = round(sum(t.score for t in tasks), 4)
    percent = round(100.0 * score / exam.total_weight, 1)
    return Report(exam=exam.id, title=exam.title, learner=learner, started=started, submitted=submitted,
                  time_used_seconds=int(time_used), duration_seconds=exam.duration_seconds, automatic=automatic,
                  tasks=tasks, score=score, max_score=exam.total_weight, percent=percent,
                  pass_mark=exam.pass_mark, passed=percent >= exam.pass_mark)


def _canonical(report: dict) -> bytes:
    body = {k: v for k, v in report.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(report: Report, key: str | None = None) -> Report:
    key = os.environ.get(KEY_ENV) if key is None else key
    if not key:
        return report
    digest = hmac.new(key.encode(), _canonical(report.model_dump()), hashlib.sha256).hexdigest()
    return report.model_copy(update={"signature": f"hmac-sha256:{digest}"})


def verify(data: dict, key: str) -> tuple[bool, str]:
    """Check a report's signature; the message says why it fails."""
    signature = data.get("signature")
    if not signature:
        return False, "the report is not signed"
    scheme, _, digest = str(signature).partition(":")
    if scheme != "hmac-sha256" or not digest:
        return False, f"unknown signature scheme {scheme!r}"
    expected = hmac.new(key.encode(), _canonical(data), hashlib.sha256).hexdigest()
    if hmac.compare_digest(expected, digest):
        return True, "signature valid: the report is unchanged since it was signed with this key"
    return False, "signature INVALID: the report was changed, or signed with another key"


def _duration(seconds: int) -> str:
    return f"{seconds // 60}m{seconds % 60:02d}s"


def to_markdown(report: Report) -> str:
    verdict = "PASSED" if report.passed else "FAILED"
    lines = [
        f"# {report.title} — {verdict}",
        "",
        f"- Learner: {report.learner}",
        f"- Score: {report.score:g} / {report.max_score} ({report.percent:g} %), pass mark {report.pass_mark} %",
        f"- Time used: {_duration(report.time_used_seconds)} of {_duration(report.duration_seconds)}"
        + (" (submitted when time ran out)" if report.automatic else ""),
        f"- Started {report.started}, submitted {report.submitted}",
        "",
        "| # | Task | Weight | Points | Score |",
        "|---|------|-------:|-------:|------:|",
    ]
    for t in report.tasks:
        lines.append(f"| {t.index} | {t.title} | {t.weight} | {t.points}/{t.max_points} | {t.score:g} |")
    for t in report.tasks:
        lines += ["", f"## {t.index}. {t.title}", ""]
        for c in t.checks:
            mark = "x" if c.passed else " "
            extra = f" — {c.diagnostic}" if c.diagnostic else ""
            lines.append(f"- [{mark}] {c.name} ({c.points} pt){extra}")
    if report.signature:
        lines += ["", f"Signature: `{report.signature}`"]
    return "\n".join(lines) + "\n"


def save_report(report: Report, target: Path) -> tuple[Path, Path]:
    """Write ``<target>.json`` and ``<target>.md`` atomically; returns both paths."""
    target = Path(target)
    json_path = target if target.suffix == ".json" else target.with_suffix(".json")
    md_path = json_path.with_suffix(".md")
    atomic_write(json_path, report.model_dump_json(indent=2) + "\n")
    atomic_write(md_path, to_markdown(report))
    return json_path, md_path
