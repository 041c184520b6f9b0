"""Exam screens: the rules, the timed task screen, the results and the review.

The exam screen shows no hints, no solutions and (unless the pack allows practice feedback) no
pass/fail; its countdown runs on the wall clock from the attempt's recorded start, so a quit or a
crash resumes with the time that was really left.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, ListItem, ListView, Markdown, Static

from tutor.exam_session import WARNINGS
from tutor.grading import Report, to_markdown
from tutor.messages import CommandFinished, InsertCommand
from tutor.widgets.instructions import Instructions
from tutor.widgets.terminal import Terminal


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def rules_markdown(exam: Any, resumed_left: float | None) -> str:
    feedback = ("Each task shows whether its checks pass while you work (practice mode)."
                if exam.live_feedback else "You will not see whether a task passes until you submit.")
    lines = [
        f"# {exam.title}", "", exam.description.strip(), "",
        f"- **{exam.duration_minutes} minutes**, {len(exam.tasks)} tasks, pass mark **{exam.pass_mark} %**.",
        "- All tasks share one cluster; each task names the namespace it works in.",
        "- Partial credit: every check of a task carries points; tasks carry weights.",
        "- No hints and no solutions until the review.",
        f"- {feedback}",
        "- Warnings at 10, 5 and 1 minute left; when time is up the exam is submitted for you.",
        "", "Press **Enter** to start, **Escape** to leave.",
    ]
    if resumed_left is not None:
        lines[-1] = f"You have an attempt in progress with **{clock_text(resumed_left)}** left. Press **Enter** " \
                    "to continue it."
    return "\n".join(lines)


class ExamStartScreen(Screen):
    BINDINGS = [Binding("enter", "start", "Start", id="exam.start"),
                Binding("escape", "leave", "Leave", id="exam.leave")]

    def __init__(self, exam: Any, resumed_left: float | None) -> None:
        super().__init__()
        self.exam = exam
        self.resumed_left = resumed_left

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="exam-rules"):
            yield Markdown(rules_markdown(self.exam, self.resumed_left))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "kubelab exam"
        self.sub_title = self.exam.title

    def action_start(self) -> None:
        self.app.start_exam()

    def action_leave(self) -> None:
        self.app.exit(0)


class TaskItem(ListItem):
    def __init__(self, index: int, title: str, weight: int) -> None:
        super().__init__()
        self.index = index
        self.task_title = title
        self.weight = weight

    def compose(self) -> ComposeResult:
        yield Static(id="task-label", markup=False)

    def show(self, flagged: bool, state: str = "") -> None:
        mark = "⚑ " if flagged else "  "
        self.query_one("#task-label", Static).update(
            f"{mark}{self.index + 1}. {self.task_title} ({self.weight} pt){state}")


class ExamScreen(Screen):
    """Task list and task text on the left, the terminal on the right, the countdown on top."""

    AUTO_FOCUS = "#prompt"
    BINDINGS = [
        Binding("f6", "flag", "Flag task", id="exam.flag"),
        Binding("f7", "previous_task", "Previous task", id="exam.previous"),
        Binding("f8", "next_task", "Next task", id="exam.next"),
        Binding("f10", "submit", "Submit", id="exam.submit"),
    ]

    left: reactive[float] = reactive(0.0, init=False)

    def __init__(self, session: Any, *, tick_interval: float = 0.5, log_dir: Any = None) -> None:
        super().__init__()
        self.session = session
        self.wall = session.wall  # the lab's time follows the exam's clock (a fake one in tests)
        self.tick_interval = tick_interval
        self.log_dir = log_dir
        self.current = 0
        self._warned: set[int] = {w for w in WARNINGS if session.remaining() <= w}
        self._last_tick = self.wall()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        yield Static("", id="countdown", markup=False)
        with Horizontal(id="exam-body"):
            with Vertical(id="exam-left"):
                yield ListView(*[TaskItem(i, t.title, t.weight) for i, t in enumerate(self.session.exam.tasks)],
                               id="tasks")
                with VerticalScroll(id="task-scroll"):
                    yield Instructions(id="task-body")
            with Vertical(id="exam-right"):
                yield Terminal(self.session, log_dir=self.log_dir, id="terminal")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.session.exam.title
        self.query_one("#tasks").border_title = "Tasks"
        self.query_one("#task-scroll").border_title = "Task"
        self.query_one("#terminal").border_title = "Terminal"
        hook = getattr(self.app, "editor_hook", None)
        if hook is not None:
            self.session.lab.editor = hook
        self._refresh_tasks()
        self._show_task(0)
        self.left = self.session.remaining()
        self.set_interval(self.tick_interval, self._tick, name="exam-clock")

    # -- tasks ------------------------------------------------------------------------------------
    def _refresh_tasks(self) -> None:
        flags = set(self.session.attempt.flags)
        for item in self.query(TaskItem):
            state = ""
            results = self.session.live_results(item.index)
            if results is not None:
                state = "  ✓" if all(r.passed for r in results) else "  ✗"
            item.show(item.index in flags, state)

    def _show_task(self, index: int) -> None:
        tasks = self.session.exam.tasks
        self.current = max(0, min(index, len(tasks) - 1))
        task = tasks[self.current]
        text = f"**Task {self.current + 1} of {len(tasks)}: {task.title}** ({task.weight} pt, namespace " \
               f"`{task.namespace}`)\n\n{task.body.strip()}\n"
        self.query_one("#task-body", Instructions).update(text)
        self.query_one("#tasks", ListView).index = self.current
        self.sub_title = f"task {self.current + 1}/{len(tasks)}"

    @on(ListView.Highlighted, "#tasks")
    def _highlighted(self, event: ListView.Highlighted) -> None:
        if isinstance(event.item, TaskItem) and event.item.index != self.current:
            self._show_task(event.item.index)

    @on(InsertCommand)
    def _insert(self, message: InsertCommand) -> None:
        self.query_one(Terminal).insert(message.text)

    @on(CommandFinished)
    def _command_finished(self, _message: CommandFinished) -> None:
        if self.session.exam.live_feedback:
            self._refresh_tasks()

    def action_flag(self) -> None:
        flagged = self.session.toggle_flag(self.current)
        self._refresh_tasks()
        self.notify(f"Task {self.current + 1} {'flagged' if flagged else 'unflagged'}", timeout=2)

    def action_next_task(self) -> None:
        self._show_task(self.current + 1)

    def action_previous_task(self) -> None:
        self._show_task(self.current - 1)

    def action_submit(self) -> None:
        from tutor.screens.confirm import ConfirmScreen

        flags = self.session.attempt.flags
        extra = f" {len(flags)} task(s) are flagged." if flags else ""
        question = f"Submit the exam now with {clock_text(self.session.remaining())} left?{extra}"

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.finish_exam(automatic=False)

        self.app.push_screen(ConfirmScreen(question, yes="Submit", no="Keep working"), answered)

    # -- clock ------------------------------------------------------------------------------------
    def _tick(self) -> None:
        now = self.wall()
        terminal = self.query_one(Terminal)
        if not terminal.busy:
            self.session.tick(now - self._last_tick)
        self._last_tick = now
        self.left = self.session.remaining()

    def watch_left(self, left: float) -> None:
        countdown = self.query_one("#countdown", Static)
        countdown.update(f"Time left {clock_text(left)}")
        for mark in WARNINGS:
            if left <= mark and mark not in self._warned:
                self._warned.add(mark)
                minutes = mark // 60
                self.notify(f"{minutes} minute{'s' if minutes != 1 else ''} left", severity="warning", timeout=8)
        countdown.set_class(left <= 300, "-low")
        if left <= 0 and not self.app.exam_finished:
            self.query_one(Terminal).backend.lab.interrupt()
            self.app.finish_exam(automatic=True)


class ResultsScreen(Screen):
    BINDINGS = [Binding("r", "review", "Review", id="exam.review"),
                Binding("q,escape", "quit_exam", "Quit", id="exam.quit")]

    def __init__(self, report: Report, saved: tuple[Any, Any] | None) -> None:
        super().__init__()
        self.report = report
        self.saved = saved

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="exam-results"):
            yield Markdown(self._markdown())
        yield Footer(compact=True)

    def _markdown(self) -> str:
        text = to_markdown(self.report)
        if self.saved:
            text += f"\nReport saved as `{self.saved[0]}` and `{self.saved[1]}`.\n"
        return text

    def on_mount(self) -> None:
        self.title = "Exam results"
        self.sub_title = "passed" if self.report.passed else "not passed"

    def action_review(self) -> None:
        self.app.push_screen(ReviewScreen(self.app.exam, self.report))

    def action_quit_exam(self) -> None:
        self.app.exit(0)


def review_markdown(exam: Any, report: Report) -> str:
    parts = [f"# Review: {exam.title}", ""]
    for task, score in zip(exam.tasks, report.tasks, strict=True):
        parts += [f"## {score.index}. {task.title} — {score.points}/{score.max_points} points", "",
                  task.body.strip(), "", "**A solution:**", ""]
        for command in task.solution:
            fence = "````" if "```" in command else "```"
            parts += [f"{fence}bash", command.rstrip("\n"), fence, ""]
        if task.explanation:
            parts += [f"**Why:** {task.explanation.strip()}", ""]
        for check in score.checks:
            mark = "✓" if check.passed else "✗"
            parts.append(f"- {mark} {check.name}" + (f" — {check.diagnostic}" if check.diagnostic else ""))
        parts.append("")
    return "\n".join(parts)


class ReviewScreen(Screen):
    BINDINGS = [Binding("escape", "back", "Results", id="exam.back"),
                Binding("q", "quit_exam", "Quit", id="exam.review_quit")]

    def __init__(self, exam: Any, report: Report) -> None:
        super().__init__()
        self.exam = exam
        self.report = report

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="exam-review"):
            yield Markdown(review_markdown(self.exam, self.report))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Exam review"
        self.sub_title = self.exam.title

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_quit_exam(self) -> None:
        self.app.exit(0)
