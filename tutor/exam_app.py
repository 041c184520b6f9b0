"""`kubelab exam`: the timed exam as its own small Textual app (rules, tasks, results, review)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from tutor.app import KubelabApp
from tutor.exams import Exam
from tutor.progress import ProgressStore


class ExamApp(App[int]):
    """``wall`` is injectable so tests can run the countdown on a fake clock."""

    TITLE = "kubelab exam"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit")]

    #: the editor modal bridge is the lesson app's (vi, nano and kubectl edit open it)
    editor_hook = KubelabApp.editor_hook

    def __init__(self, exam: Exam, store: ProgressStore, *, report: Path | None = None,
                 wall: Callable[[], float] = time.time, tick_interval: float = 0.5,
                 cursor_blink: bool = True) -> None:
        from tutor.paths import assets_dir

        super().__init__(css_path=[assets_dir() / "kubelab.tcss", assets_dir() / "exam.tcss"])
        self.exam = exam
        self.store = store
        self.report_path = report
        self.wall = wall
        self.tick_interval = tick_interval
        self.cursor_blink_enabled = cursor_blink
        self.session: Any = None
        self.exam_finished = False
        self.report: Any = None

    def on_mount(self) -> None:
        from tutor.screens.exam import ExamStartScreen

        attempt = self.store.progress.exams.get(self.exam.id)
        left = None
        if attempt is not None and not attempt.submitted and attempt.log:
            left = max(0.0, self.exam.duration_seconds - (self.wall() - attempt.started_wall))
        self.push_screen(ExamStartScreen(self.exam, left))

    def start_exam(self) -> None:
        from tutor.exam_session import ExamSession
        from tutor.screens.exam import ExamScreen

        if self.session is None:
            self.session = ExamSession(self.exam, self.store, wall=self.wall, report_path=self.report_path)
        if self.session.time_up():
            self.finish_exam(automatic=True)
            return
        screen = ExamScreen(self.session, tick_interval=self.tick_interval, log_dir=self.store.home / "logs")
        self.push_screen(screen)
        if not self.cursor_blink_enabled:
            self.call_after_refresh(self._no_blink)

    def _no_blink(self) -> None:
        from textual.widgets import Input

        for widget in self.screen.query(Input):
            widget.cursor_blink = False

    def finish_exam(self, *, automatic: bool) -> None:
        from tutor.screens.exam import ResultsScreen

        if self.exam_finished:
            return
        self.exam_finished = True
        self.report = self.session.submit(automatic=automatic)
        if automatic:
            self.notify("Time is up: your exam was submitted.", severity="warning", timeout=10)
        self.push_screen(ResultsScreen(self.report, getattr(self.session, "saved_to", None)))


def run_exam(exam: Exam, *, report: Path | None = None, pack: str | None = None) -> int:
    store = ProgressStore()
    if store.notice:
        print(f"kubelab: {store.notice}", file=sys.stderr)
    app = ExamApp(exam, store, report=report)
    result = app.run()
    if app.report is not None and getattr(app.session, "saved_to", None):
        json_path, md_path = app.session.saved_to
        verdict = "passed" if app.report.passed else "not passed"
        print(f"{exam.title}: {app.report.percent:g} % ({verdict}). Report: {json_path} and {md_path}")
    return int(result or 0)
