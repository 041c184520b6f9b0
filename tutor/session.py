"""One lesson in progress: its lab, the learner's timed command log, step state and checks.

The lab is a pure function of (seed, setup, timed command log), so undo, reset and resume are all
"rebuild from the log". The UI talks to this class only; it never reaches into the sandbox itself
except for the lab's prompt, continuation test and interrupt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tutor.checks import CheckResult, evaluate_all
from tutor.lessons import Lesson, Pack, Step
from tutor.progress import LessonProgress, LogEntry, ProgressStore

OutputFn = Callable[[str, str], None]


def build_lab(lesson: Lesson, *, time_mode: str = "virtual") -> Any:
    """A fresh lab in the lesson's starting state (setup always runs on virtual time)."""
    from sandbox.lab import Lab

    lab = Lab(seed=lesson.cluster.seed, nodes=list(lesson.cluster.nodes),
              ipvs_scheduler=lesson.cluster.scheduler, time_mode="virtual")
    for command in lesson.setup:
        result = lab.run(command)
        if result.exit_code != 0:
            raise RuntimeError(f"lesson {lesson.id}: setup command failed ({result.exit_code}): {command}\n"
                               f"{result.stderr or result.stdout}")
    lab.history.clear()
    lab.time_mode = time_mode
    return lab


def host_name(lab: Any) -> str:
    """The name of the host the lab's prompt is on (a node, or a pod for a container shell)."""
    return lab.session.host.name


def now(lab: Any) -> float:
    return lab.cluster.clock.seconds


def advance_to(lab: Any, when: float) -> None:
    gap = when - now(lab)
    if gap > 0:
        lab.tick(gap)


def fingerprint(lab: Any) -> tuple:
    """A cheap summary of everything a command can change: objects, files, traffic, open shells."""
    files = []
    for host in getattr(lab, "_hosts", {}).values():
        fs = getattr(host, "_fs", None)
        entries = getattr(fs, "_entries", None)
        if entries is not None:
            files.append((len(entries), sum(e.mtime for e in entries.values())))
    network = getattr(lab.cluster, "network", None)
    obs = getattr(network, "observations", None)
    traffic = (len(obs.connections_log), len(obs.dns_log)) if obs is not None else ()
    session = lab.session
    return (lab.cluster.store.resource_version, tuple(files), traffic, len(lab.sessions), session.host.name,
            getattr(session, "cwd", None))


def run_until(lab: Any, command: str, until: float, edits: list[str | None] | None = None) -> Any:
    """Replay one command: it may not run past the virtual time it ended at when it was typed
    (a ``kubectl get -w`` the learner stopped with ctrl+c stops there again), and every editor it opens
    gives back what the learner saved in it then."""
    pending = list(edits or [])
    saved_editor = getattr(lab, "editor", None)
    lab.editor = lambda _path, _text: pending.pop(0) if pending else None
    lab.replay_deadline = until
    try:
        return lab.run(command)
    finally:
        lab.replay_deadline = None
        lab.editor = saved_editor


def run_recorded(lab: Any, command: str, on_output: OutputFn | None = None) -> tuple[Any, LogEntry]:
    """Run a learner's command and describe it for the replay log: when, where, how long, whether it
    changed anything, and what each editor it opened saved (so a replay can save it again)."""
    when, host, before = now(lab), host_name(lab), fingerprint(lab)
    edits: list[str | None] = []
    editor = getattr(lab, "editor", None)
    if editor is not None:
        def recording(path: str, text: str) -> str | None:
            saved = editor(path, text)
            edits.append(saved)
            return saved

        lab.editor = recording
    try:
        result = lab.run(command, on_output=on_output)
    finally:
        if editor is not None:
            lab.editor = editor
    return result, LogEntry(at=when, host=host, command=command, until=now(lab),
                            changed=fingerprint(lab) != before, edits=edits)


class CheckView:
    """What checks see: the lab plus the learner's own commands (for ``ran`` checks)."""

    def __init__(self, lab: Any, command_log: list[tuple[str, str]]) -> None:
        self.lab = lab
        self.cluster = lab.cluster
        self.command_log = command_log

    def __getattr__(self, name: str) -> Any:
        return getattr(self.lab, name)


class LessonSession:
    """Drives one lesson for the UI (or a test): run commands, evaluate checks, save progress."""

    def __init__(self, pack: Pack, lesson: Lesson, store: ProgressStore, *, time_mode: str = "wall") -> None:
        self.pack = pack
        self.lesson = lesson
        self.store = store
        self.time_mode = time_mode
        self.entry: LessonProgress = store.lesson(lesson.id)
        self.lab = self._rebuild(self.entry.log, self.entry.clock or None)
        if self.entry.state == "new":
            self.entry.state = "in progress"
        store.progress.last_lesson = lesson.id
        self.store.save()

    # -- lab lifecycle --------------------------------------------------------------------------
    def _rebuild(self, log: list[LogEntry], clock: float | None) -> Any:
        lab = build_lab(self.lesson, time_mode="virtual")
        for entry in log:
            advance_to(lab, entry.at)
            run_until(lab, entry.command, entry.until, entry.edits)
        if clock is not None:
            advance_to(lab, clock)
        lab.time_mode = self.time_mode
        return lab

    @property
    def command_log(self) -> list[tuple[str, str]]:
        return [(e.host, e.command) for e in self.entry.log]

    @property
    def history(self) -> list[str]:
        return self.entry.history

    def run(self, command: str, on_output: OutputFn | None = None) -> Any:
        """Run what the learner typed; record it (with its virtual start time) for replay."""
        result, entry = run_recorded(self.lab, command, on_output)
        if command.strip():
            self.entry.log.append(entry)
            if not self.entry.history or self.entry.history[-1] != command:
                self.entry.history.append(command)
        self.save()
        return result

    #: virtual seconds of ticking between two saves of the clock (commands save at once)
    SAVE_EVERY = 5.0

    def tick(self, seconds: float) -> None:
        """Let time pass; the lab's clock is part of its state, so it is saved every few seconds."""
        self.lab.tick(seconds)
        if now(self.lab) - self.entry.clock >= self.SAVE_EVERY:
            self.save()

    def save(self) -> None:
        self.entry.clock = now(self.lab)
        self.store.save()

    def reset(self) -> None:
        """Back to the lesson's starting state: the log, step states and hints are forgotten."""
        self.entry.log.clear()
        self.entry.steps.clear()
        self.entry.step = 0
        self.entry.state = "in progress"
        self.entry.clock = 0.0
        self.lab = self._rebuild([], None)
        self.save()

    def undo(self) -> str | None:
        """Rebuild the lab without the last command that changed it (and the look-only commands after
        it, such as ``kubectl get``); returns that command."""
        if not self.entry.log:
            return None
        log = self.entry.log
        cut = len(log) - 1
        while cut > 0 and not log[cut].changed:
            cut -= 1
        undone = log[cut]
        del log[cut:]
        self.lab = self._rebuild(log, undone.at)
        self.save()
        return undone.command

    # -- steps and checks -----------------------------------------------------------------------
    @property
    def step_index(self) -> int:
        return min(self.entry.step, len(self.lesson.steps) - 1)

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.step_index]

    def evaluate(self) -> list[CheckResult]:
        """Evaluate the current step's checks; a first full pass marks the step (and lesson) done."""
        results = evaluate_all(self.step.checks, CheckView(self.lab, self.command_log))
        if results and all(r.passed for r in results):
            progress = self.entry.step_progress(self.step_index)
            if not progress.passed:
                progress.passed = True
                if all(self.entry.step_progress(i).passed for i in range(len(self.lesson.steps))):
                    self.entry.state = "done"
                self.store.save()
        return results

    def step_passed(self, index: int | None = None) -> bool:
        index = self.step_index if index is None else index
        return self.entry.step_progress(index).passed

    def next_step(self) -> bool:
        if self.entry.step + 1 >= len(self.lesson.steps):
            return False
        self.entry.step += 1
        self.store.save()
        return True

    def previous_step(self) -> bool:
        if self.entry.step == 0:
            return False
        self.entry.step -= 1
        self.store.save()
        return True

    def next_hint(self) -> str | None:
        """The next hint of the current step (progressive), or None when all were shown."""
        progress = self.entry.step_progress(self.step_index)
        if progress.hints_used >= len(self.step.hints):
            return None
        hint = self.step.hints[progress.hints_used]
        progress.hints_used += 1
        self.store.save()
        return hint

    def hints_shown(self) -> list[str]:
        return self.step.hints[: self.entry.step_progress(self.step_index).hints_used]

    def solution(self) -> list[str]:
        return list(self.step.solution)

    def mark_assisted(self) -> None:
        self.entry.step_progress(self.step_index).assisted = True
        self.store.save()

    # -- terminal helpers -----------------------------------------------------------------------
    def completion(self, text: str, cursor: int | None = None) -> list[str]:
        from tutor.completion import complete

        return complete(self.lab, text[: len(text) if cursor is None else cursor])
