"""The lesson screen: instructions and live checklist beside the terminal, plus the cluster view.

It owns the lesson's clock in the app: a ticker advances the lab with the wall clock (pods become
Ready while you watch) and re-evaluates the checks after every tick and every command. Everything
else goes through the :class:`tutor.session.LessonSession`.
"""

from __future__ import annotations

import time
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.keymap import key
from tutor.messages import (
    CheckPassed,
    ChecksEvaluated,
    CommandFinished,
    CommandStarted,
    InsertCommand,
    StepPassed,
)
from tutor.widgets.checklist import Checklist
from tutor.widgets.cluster_view import ClusterView, lab_namespace
from tutor.widgets.instructions import Instructions, step_markdown
from tutor.widgets.terminal import Terminal

NARROW = 100  # below this many columns the panes stack


def _binding(binding_id: str, action: str, description: str, *, show: bool = True) -> Binding:
    return Binding(key(binding_id), action, description, show=show, id=binding_id)


class LessonScreen(Screen):
    """One lesson in progress."""

    AUTO_FOCUS = "#prompt"
    BINDINGS = [
        _binding("lesson.hint", "hint", "Hint"),
        _binding("lesson.solution", "solution", "Solution"),
        _binding("lesson.cluster", "toggle_cluster", "Cluster"),
        _binding("lesson.reset", "reset", "Reset"),
        _binding("lesson.instructions", "toggle_instructions", "Instructions", show=False),
        _binding("lesson.previous", "previous_step", "Previous step", show=False),
        _binding("lesson.next", "next_step", "Next step"),
        _binding("lesson.undo", "undo", "Undo", show=False),
        _binding("lesson.back", "back", "Lessons"),
    ]

    def __init__(self, session: Any, *, wall_clock: bool = True, tick_interval: float = 0.5,
                 log_dir: Any = None) -> None:
        super().__init__()
        self.session = session
        self.wall_clock = wall_clock
        self.tick_interval = tick_interval
        self.log_dir = log_dir
        self._last_tick = time.monotonic()
        self._results: list[Any] | None = None
        self._banner_step: int | None = None

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="lesson-body"):
            with Vertical(id="left"):
                yield Static("", id="banner", markup=False)
                with VerticalScroll(id="instructions-scroll"):
                    yield Instructions(id="instructions")
                yield Checklist(id="checklist")
            with Vertical(id="right"):
                yield Terminal(self.session, log_dir=self.log_dir, id="terminal")
                yield ClusterView(id="cluster")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#instructions-scroll").border_title = "Instructions"
        self.query_one("#checklist").border_title = "Checks"
        self.query_one("#terminal").border_title = "Terminal"
        self.query_one("#cluster").display = False
        self._install_editor()
        self._show_step()
        if self.wall_clock:
            self._last_tick = time.monotonic()
            self.set_interval(self.tick_interval, self._tick, name="lab-clock")

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self._update_banner()

    @property
    def terminal(self) -> Terminal:
        return self.query_one(Terminal)

    # -- step display ----------------------------------------------------------------------------
    def _show_step(self) -> None:
        session = self.session
        step, index, total = session.step, session.step_index, len(session.lesson.steps)
        self.title = f"kubelab · {session.lesson.title}"
        self.sub_title = f"step {index + 1}/{total}: {step.title}"
        self._show_step_text(scroll_end=False)
        self.query_one("#instructions-scroll").scroll_home(animate=False)
        self.query_one(Checklist).show_pending([check.name for check in step.checks])
        self._results = None
        self._banner_step = None
        self._update_banner()
        self._evaluate()
        self._refresh_cluster()

    def _assisted(self, index: int) -> bool:
        try:
            return bool(self.session.entry.step_progress(index).assisted)
        except AttributeError:
            return False

    def _update_banner(self) -> None:
        banner = self.query_one("#banner", Static)
        session = self.session
        passed = bool(session.step_passed())
        banner.display = passed
        if not passed:
            return
        last = session.step_index + 1 >= len(session.lesson.steps)
        why = "" if self.has_class("-narrow") else " ".join(session.step.why.split())
        move_on = (
            f"Lesson complete. Press {key('lesson.back')} for the catalogue."
            if last
            else f"Press {key('lesson.next').upper()} for the next step when you are ready."
        )
        banner.update(f"✓ Step passed. {why}\n{move_on}" if why else f"✓ Step passed. {move_on}")

    # -- checks and clock ------------------------------------------------------------------------
    def _evaluate(self, *, during_command: bool = False) -> None:
        if self.terminal.busy and not during_command:
            return
        try:
            results = list(self.session.evaluate())
        except Exception as exc:  # a broken check must not take the lesson down
            self.notify(f"The checks could not be evaluated: {type(exc).__name__}: {exc}", severity="error")
            return
        previous = {r.name: r.passed for r in self._results or []}
        changed = self._results is None or [(r.name, r.passed, r.diagnostic) for r in results] != [
            (r.name, r.passed, r.diagnostic) for r in self._results
        ]
        self._results = results
        if not changed:
            return
        self.query_one(Checklist).show_results(results)
        self.post_message(ChecksEvaluated(results))
        for result in results:
            if result.passed and not previous.get(result.name, False):
                self.post_message(CheckPassed(result.name))
        if results and all(r.passed for r in results) and self._banner_step != self.session.step_index:
            self._banner_step = self.session.step_index
            self._update_banner()
            self.post_message(StepPassed(self.session.step_index))

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        if not self.terminal.busy:
            self.advance(elapsed)
            return
        # A running command holds the lab's lock except while it waits (sleep, -w, wait): tick then,
        # so pods become Ready and checks tick during `kubectl get pods -w`; never block the UI.
        lock = getattr(self.session.lab, "_lock", None)
        if lock is None or not lock.acquire(blocking=False):
            return
        try:
            self.advance(elapsed, during_command=True)
        finally:
            lock.release()

    def advance(self, seconds: float, *, during_command: bool = False) -> None:
        """Move the lab's clock on and re-check (the ticker calls this; tests call it directly)."""
        try:
            self.session.tick(seconds)
        except Exception as exc:
            self.notify(f"The lab clock failed: {type(exc).__name__}: {exc}", severity="error")
            return
        self._evaluate(during_command=during_command)
        self._refresh_cluster(during_command=during_command)

    def _refresh_cluster(self, *, during_command: bool = False) -> None:
        view = self.query_one(ClusterView)
        if view.display and (during_command or not self.terminal.busy):
            lab = self.session.lab
            view.refresh_from(lab.cluster, lab_namespace(lab))

    # -- terminal events -------------------------------------------------------------------------
    @on(CommandStarted)
    def _command_started(self) -> None:
        self._last_tick = time.monotonic()

    @on(CommandFinished)
    def _command_finished(self) -> None:
        self._last_tick = time.monotonic()
        self._install_editor()
        self._evaluate()
        self._refresh_cluster()

    @on(InsertCommand)
    def _insert_command(self, message: InsertCommand) -> None:
        if "\n" in message.text:
            self.terminal.prompt_input.focus()
            self.terminal.post_message(self.terminal.prompt_input.Action("paste", message.text))
        else:
            self.terminal.insert(message.text)

    # -- actions ---------------------------------------------------------------------------------
    def action_hint(self) -> None:
        ok, hint = self._safely("show a hint", self.session.next_hint)
        if not ok:
            return
        if hint is None:
            shown = len(self.session.hints_shown())
            more = f" Press {key('lesson.solution').upper()} for the solution." if shown else ""
            self.notify(("No more hints for this step." if shown else "This step has no hints.") + more)
            return
        self._show_step_text()
        # toasts show plain text: Markdown's code backticks are for the instructions pane
        self.notify(hint.replace("`", ""), title=f"Hint {len(self.session.hints_shown())}", timeout=8)

    def _show_step_text(self, *, scroll_end: bool = True) -> None:
        """Render the step body with the hints shown so far and, once revealed, the solution."""
        session = self.session
        index = session.step_index
        solution = session.solution() if self._assisted(index) else None
        self.query_one(Instructions).update(
            step_markdown(session.step.title, index, len(session.lesson.steps), session.step.body,
                          list(session.hints_shown()), solution)
        )
        if scroll_end:
            self.call_after_refresh(self.query_one("#instructions-scroll").scroll_end, animate=False)

    def action_solution(self) -> None:
        if self._assisted(self.session.step_index):
            self._show_step_text()
            return
        from tutor.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._safely("mark the step", self.session.mark_assisted)
                self._show_step_text()

        self.app.push_screen(
            ConfirmScreen("Show the solution? This step will be marked as solved with help.",
                          yes="Show solution", no="Not yet"),
            answered,
        )

    def action_reset(self) -> None:
        if self._refuse_while_busy():
            return
        from tutor.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                ok, _ = self._safely("reset the lesson", self.session.reset)
                if not ok:
                    return
                self.terminal.clear()
                self.terminal.reset_state()
                self.terminal.write("# The lesson was reset to its starting state.", "note")
                self._install_editor()
                self._show_step()

        self.app.push_screen(
            ConfirmScreen("Reset this lesson? Your commands and step progress in it are forgotten.",
                          yes="Reset", no="Cancel"),
            answered,
        )

    def action_undo(self) -> None:
        if self._refuse_while_busy():
            return
        ok, command = self._safely("undo", self.session.undo)
        if not ok:
            return
        if command is None:
            self.notify("Nothing to undo.")
            return
        first = command.split("\n")[0]
        self.terminal.write(f"# undone: {first} (the lab was rebuilt without it)", "note")
        self.terminal.reset_state()
        self._install_editor()
        self._results = None
        self._evaluate()
        self._refresh_cluster()

    def action_next_step(self) -> None:
        if self._safely("change step", self.session.next_step)[1]:
            self._show_step()
        else:
            self.notify("This is the last step.")

    def action_previous_step(self) -> None:
        if self._safely("change step", self.session.previous_step)[1]:
            self._show_step()
        else:
            self.notify("This is the first step.")

    def action_toggle_cluster(self) -> None:
        view = self.query_one(ClusterView)
        view.display = not view.display
        self.set_class(view.display, "-cluster")  # narrow screens give it the instructions' room
        self._refresh_cluster()

    def action_toggle_instructions(self) -> None:
        left = self.query_one("#left")
        left.display = not left.display

    def action_back(self) -> None:
        close = getattr(self.app, "close_lesson", None)
        if close is not None:
            close()
        else:
            self.leave()
            self.app.pop_screen()

    def leave(self) -> None:
        """Stop a running command and save the lab's clock so a later resume is exact."""
        if self.terminal.busy:
            try:
                self.session.lab.interrupt()
            except Exception:
                pass
        try:
            self.session.save()
        except Exception as exc:
            self.notify(f"Progress could not be saved: {exc}", severity="error")

    def _safely(self, what: str, fn: Any) -> tuple[bool, Any]:
        """Run a session call; a failure becomes a notification and a log entry, never a crash."""
        try:
            return True, fn()
        except Exception as exc:
            from tutor.widgets.terminal import log_internal_error

            try:
                where = f" (details in {log_internal_error(self.terminal._log_dir(), what, exc)})"
            except OSError:
                where = ""
            self.notify(f"Could not {what}: {type(exc).__name__}: {exc}{where}", severity="error", timeout=15)
            return False, None

    def _refuse_while_busy(self) -> bool:
        if self.terminal.busy:
            self.notify(f"A command is running: press {key('terminal.interrupt')} first.")
            return True
        return False

    # -- editor ----------------------------------------------------------------------------------
    def _install_editor(self) -> None:
        """Give the (possibly rebuilt) lab the app's editor so vi/nano/kubectl edit open the modal."""
        hook = getattr(self.app, "editor_hook", None)
        if hook is None:
            return
        if hasattr(self.session, "editor"):
            # a session that records edits (so a replay can repeat them) installs the hook itself
            self.session.editor = hook
            return
        lab = getattr(self.session, "lab", None)
        if lab is not None:
            try:
                lab.editor = hook
            except AttributeError:
                pass
