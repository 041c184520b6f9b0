"""Content CI: prove every step of a lesson solvable — and not passing by itself — on a fresh lab.

For step *i*: build the lesson's lab, apply the solutions of steps before it, let a minute of virtual
time pass, and require the step's checks NOT to pass; then each known-wrong answer (on its own copy of
that state) must fail its named check with its message; then the step's own solution must make every
check pass within a minute of virtual time, as it would for a learner who waits for pods to start.
"""

from __future__ import annotations

from pydantic import BaseModel

from tutor.checks import evaluate, evaluate_all
from tutor.lessons import Lesson
from tutor.session import CheckView, build_lab, host_name

SETTLE_SECONDS = 60.0


class StepReport(BaseModel):
    lesson: str
    step: int
    title: str
    fails_before: bool
    passes_after: bool
    wrong_ok: int
    wrong_total: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.fails_before and self.passes_after and self.wrong_ok == self.wrong_total and not self.problems


def _run_all(lab, commands: list[str], what: str, problems: list[str]) -> list[tuple[str, str]]:
    log = []
    for command in commands:
        result = lab.run(command)
        log.append((host_name(lab), command))
        if result.exit_code != 0:
            problems.append(f"{what}: `{command}` exited {result.exit_code}: {(result.stderr or result.stdout).strip()[:200]}")
    return log


def _state_before(lesson: Lesson, index: int, problems: list[str]):
    lab = build_lab(lesson)
    log: list[tuple[str, str]] = []
    for j, step in enumerate(lesson.steps[:index]):
        log += _run_all(lab, step.solution, f"solution of step {j + 1}", problems)
        view = CheckView(lab, log)
        lab.cluster.advance_until(lambda v=view, s=step: all(r.passed for r in evaluate_all(s.checks, v)), SETTLE_SECONDS)
    return lab, log


def check_step(lesson: Lesson, index: int) -> StepReport:
    step = lesson.steps[index]
    problems: list[str] = []
    earlier: list[str] = []
    lab, log = _state_before(lesson, index, earlier)
    lab.tick(SETTLE_SECONDS)
    before = evaluate_all(step.checks, CheckView(lab, log))
    fails_before = not all(r.passed for r in before)
    if not fails_before:
        problems.append("every check already passes before the learner acts")
        problems += earlier

    wrong_ok = 0
    for k, wrong in enumerate(step.wrong):
        wlab, wlog = _state_before(lesson, index, [])
        wlog += _run_all(wlab, wrong.commands, f"wrong answer {k + 1}", [])
        wlab.tick(SETTLE_SECONDS)
        check = next(c for c in step.checks if c.name == wrong.check)
        result = evaluate(check, CheckView(wlab, wlog))
        if result.passed:
            problems.append(f"wrong answer {k + 1} passes check {check.name!r}")
        elif wrong.message not in result.diagnostic:
            problems.append(f"wrong answer {k + 1}: diagnostic {result.diagnostic!r} lacks {wrong.message!r}")
        else:
            wrong_ok += 1

    # a non-zero exit is normal for some tools (busybox nslookup exits 1 on any NXDOMAIN of its
    # search list); it is reported only when it may explain a failing check
    exits: list[str] = []
    log += _run_all(lab, step.solution, "solution", exits)
    view = CheckView(lab, log)
    lab.cluster.advance_until(lambda: all(r.passed for r in evaluate_all(step.checks, view)), SETTLE_SECONDS)
    after = evaluate_all(step.checks, view)
    passes_after = all(r.passed for r in after)
    for r in after:
        if not r.passed:
            problems.append(f"after the solution, check {r.name!r} fails: {r.diagnostic}")
    if not passes_after:
        problems += exits
    return StepReport(lesson=lesson.id, step=index + 1, title=step.title, fails_before=fails_before,
                      passes_after=passes_after, wrong_ok=wrong_ok, wrong_total=len(step.wrong), problems=problems)


def check_lesson(lesson: Lesson) -> list[StepReport]:
    return [check_step(lesson, i) for i in range(len(lesson.steps))]


def format_table(reports: list[StepReport]) -> str:
    """A plain table, one row per step, then the problems found."""
    header = ("LESSON", "STEP", "FAILS BEFORE", "PASSES AFTER", "WRONG ANSWERS", "RESULT")
    rows = [header] + [
        (r.lesson, str(r.step), "yes" if r.fails_before else "NO", "yes" if r.passes_after else "NO",
         f"{r.wrong_ok}/{r.wrong_total}", "ok" if r.ok else "FAIL")
        for r in reports
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["   ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    for r in reports:
        for problem in r.problems:
            lines.append(f"{r.lesson} step {r.step}: {problem}")
    return "\n".join(lines) + "\n"


class ExamCheck(BaseModel):
    exam: str
    untouched_percent: float
    solved_percent: float
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.untouched_percent == 0 and self.solved_percent == 100 and not self.problems


def check_exam(exam) -> ExamCheck:
    """An untouched cluster must score 0 %, the tasks' solutions (in order) 100 %."""
    from tutor.exam_session import build_exam_lab
    from tutor.grading import grade

    def score(lab, log) -> tuple[float, list[str]]:
        report = grade(exam, CheckView(lab, log), learner="ci", started="", submitted="", time_used=0)
        failing = [f"task {t.index} check {c.name!r}: {c.diagnostic}" for t in report.tasks for c in t.checks
                   if not c.passed]
        return report.percent, failing

    problems: list[str] = []
    lab = build_exam_lab(exam)
    lab.tick(SETTLE_SECONDS)
    untouched, _ = score(lab, [])
    log: list[tuple[str, str]] = []
    exits: list[str] = []
    for i, task in enumerate(exam.tasks):
        log += _run_all(lab, task.solution, f"task {i + 1} solution", exits)
    lab.cluster.advance_until(lambda: score(lab, log)[0] == 100, SETTLE_SECONDS)
    solved, failing = score(lab, log)
    if failing:
        problems += exits
    if untouched:
        problems.append(f"an untouched cluster scores {untouched:g} %")
    problems += [f"after the solutions, {f}" for f in failing]
    return ExamCheck(exam=exam.id, untouched_percent=untouched, solved_percent=solved, problems=problems)
