"""One exam attempt: the shared lab, the countdown, flags, submission and the saved report.

The attempt is saved after every command (its timed log, like a lesson's), so a crash or a quit
resumes on the same lab with the time that was left: the countdown runs on the wall clock from the
recorded start, as a real exam's would.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tutor.checks import CheckResult, evaluate_all
from tutor.exams import Exam
from tutor.grading import Report, grade, save_report, sign
from tutor.progress import ExamAttempt, ProgressStore
from tutor.session import CheckView, advance_to, now, run_recorded, run_until

WARNINGS = (600, 300, 60)  # seconds left at which the countdown warns


def build_exam_lab(exam: Exam) -> Any:
    from sandbox.lab import Lab

    lab = Lab(seed=exam.cluster.seed, nodes=list(exam.cluster.nodes), ipvs_scheduler=exam.cluster.scheduler)
    for command in exam.all_setup():
        result = lab.run(command)
        if result.exit_code != 0:
            raise RuntimeError(f"exam {exam.id}: setup command failed ({result.exit_code}): {command}\n"
                               f"{result.stderr or result.stdout}")
    lab.history.clear()
    return lab


def _iso(wall: float) -> str:
    return datetime.fromtimestamp(wall, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ExamSession:
    def __init__(self, exam: Exam, store: ProgressStore, *, wall: Callable[[], float] = time.time,
                 time_mode: str = "wall", report_path: Path | None = None, learner: str | None = None) -> None:
        self.exam = exam
        self.store = store
        self.wall = wall
        self.report_path = report_path
        self.learner = learner or store.progress.learner or _user()
        attempt = store.progress.exams.get(exam.id)
        self.lab = build_exam_lab(exam)
        if attempt is None or attempt.submitted:  # the clock starts once the cluster is ready
            attempt = ExamAttempt(exam=exam.id, started_wall=wall())
            store.progress.exams[exam.id] = attempt
        self.attempt = attempt
        for entry in attempt.log:
            advance_to(self.lab, entry.at)
            run_until(self.lab, entry.command, entry.until, entry.edits)
        advance_to(self.lab, attempt.clock)
        self.lab.time_mode = time_mode
        self.report: Report | None = None
        self.store.save()

    @property
    def resumed(self) -> bool:
        return bool(self.attempt.log)

    # -- time -----------------------------------------------------------------------------------
    def elapsed(self) -> float:
        return max(0.0, self.wall() - self.attempt.started_wall)

    def remaining(self) -> float:
        return max(0.0, self.exam.duration_seconds - self.elapsed())

    def time_up(self) -> bool:
        return self.remaining() <= 0

    # -- work -----------------------------------------------------------------------------------
    def run(self, command: str, on_output: Callable[[str, str], None] | None = None) -> Any:
        result, entry = run_recorded(self.lab, command, on_output)
        if command.strip():
            self.attempt.log.append(entry)
        self.save()
        return result

    def tick(self, seconds: float) -> None:
        self.lab.tick(seconds)

    @property
    def history(self) -> list[str]:
        """What the terminal offers on up/down: this attempt's commands."""
        return [e.command for e in self.attempt.log]

    def completion(self, text: str, cursor: int | None = None) -> list[str]:
        from tutor.completion import complete

        return complete(self.lab, text[: len(text) if cursor is None else cursor])

    def save(self) -> None:
        self.attempt.clock = now(self.lab)
        self.store.save()

    def toggle_flag(self, index: int) -> bool:
        flags = self.attempt.flags
        if index in flags:
            flags.remove(index)
        else:
            flags.append(index)
        self.store.save()
        return index in flags

    def live_results(self, index: int) -> list[CheckResult] | None:
        """Pass/fail of one task while working — only when the pack allows practice feedback."""
        if not self.exam.live_feedback:
            return None
        return evaluate_all(self.exam.tasks[index].checks, self._view())

    def _view(self) -> CheckView:
        return CheckView(self.lab, [(e.host, e.command) for e in self.attempt.log])

    def submit(self, *, automatic: bool = False) -> Report:
        """Grade, sign (when a key is set), save JSON + Markdown, and close the attempt."""
        used = min(self.elapsed(), float(self.exam.duration_seconds))
        report = grade(self.exam, self._view(), learner=self.learner, started=_iso(self.attempt.started_wall),
                       submitted=_iso(self.wall()), time_used=used, automatic=automatic)
        report = sign(report)
        stamp = datetime.fromtimestamp(self.wall(), UTC).strftime("%Y%m%d-%H%M%S")
        target = self.report_path or self.store.home / "reports" / f"{self.exam.id}-{stamp}.json"
        self.saved_to = save_report(report, target)
        self.attempt.submitted = True
        self.attempt.report = report.model_dump()
        self.store.save()
        self.report = report
        return report


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "learner"
