"""The lab's terminal: scrollback, the shell's prompt, type-ahead, history, completion, ctrl+c.

Commands run in a thread worker so ``kubectl get pods -w`` or ``sleep 30`` never freeze the UI; their
output streams back as ``CommandOutput`` messages. The widget talks to a *backend* (a lesson or exam
session) through a few methods only: ``run(command, on_output)``, ``completion(text, cursor)``,
``history`` and ``lab`` (``prompt()``, ``needs_more(text)``, ``interrupt()``).
"""

from __future__ import annotations

import threading
import traceback
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.widget import Widget
from textual.widgets import Input, Label, RichLog

from tutor.keymap import key
from tutor.messages import CommandFinished, CommandOutput, CommandStarted
from tutor.widgets.history import History
from tutor.widgets.termtext import LineAssembler, columns, complete

CONTINUATION = "> "
PAINT_SLICE = 250  # scrollback lines painted per frame


def history_commands(entries: Any) -> list[str]:
    """The backend's history as plain command strings (it may hold ``(time, command)`` pairs)."""
    out = []
    for entry in entries or ():
        if isinstance(entry, tuple | list):
            entry = entry[-1]
        text = getattr(entry, "command", entry)
        if isinstance(text, str):
            out.append(text)
    return out


def log_traces(log_dir: Path, command: str, traces: list[str]) -> Path:
    """Append tracebacks of a crashed command to the internal-error log and return its path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "internal-errors.log"
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with path.open("a", encoding="utf-8") as fh:
        for trace in traces:
            fh.write(f"--- {stamp} command: {command!r}\n{trace}")
    return path


def log_internal_error(log_dir: Path, command: str, exc: BaseException) -> Path:
    return log_traces(log_dir, command, ["".join(traceback.format_exception(exc))])


class TerminalOutput(RichLog, can_focus=False):
    """The scrollback; it grows with its content and its parent scrolls, so the prompt follows it."""

    COMPONENT_CLASSES = {"terminal--stdout", "terminal--stderr", "terminal--prompt", "terminal--note"}


class PromptInput(Input):
    """The command line: Input with terminal keys (history, completion, ctrl+c, multi-line paste)."""

    # Input grows its virtual width with every key, and Widget's reactive re-lays out the whole screen
    # for that (a full reflow of the lesson screen per key). The prompt has a fixed size, so its
    # virtual size only affects its own horizontal scrolling: repaint, never re-layout.
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=True)

    BINDINGS = [
        Binding(key("terminal.interrupt"), "interrupt", "Interrupt", show=False, id="terminal.interrupt"),
        Binding(key("terminal.clear"), "clear_screen", "Clear", show=False, id="terminal.clear"),
        Binding(key("terminal.complete"), "complete", "Complete", show=False, id="terminal.complete"),
        Binding(key("terminal.history_up"), "history(-1)", "History", show=False, id="terminal.history_up"),
        Binding(key("terminal.history_down"), "history(1)", "History", show=False,
                id="terminal.history_down"),
    ]

    class Action(Message):
        """A terminal key pressed in the prompt; the Terminal acts on it."""

        def __init__(self, name: str, arg: Any = None) -> None:
            super().__init__()
            self.name = name
            self.arg = arg

    def action_interrupt(self) -> None:
        self.post_message(self.Action("interrupt"))

    def action_clear_screen(self) -> None:
        self.post_message(self.Action("clear"))

    def action_complete(self) -> None:
        self.post_message(self.Action("complete"))

    def action_history(self, direction: int) -> None:
        self.post_message(self.Action("history", direction))

    def _on_paste(self, event: events.Paste) -> None:
        if "\n" in event.text.rstrip("\n") or event.text.endswith("\n"):
            event.stop()
            event.prevent_default()
            self.post_message(self.Action("paste", event.text))
            return
        super()._on_paste(event)


class _Done(Message, bubble=False):
    def __init__(self, command: str, exit_code: int, error_log: str | None) -> None:
        super().__init__()
        self.command = command
        self.exit_code = exit_code
        self.error_log = error_log


class Terminal(Widget):
    """Scrollback plus prompt, bound to a backend; posts CommandStarted/CommandFinished."""

    busy: reactive[bool] = reactive(False, init=False)

    def __init__(self, backend: Any, *, log_dir: Path | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.log_dir = log_dir
        self.history = History(history_commands(getattr(backend, "history", ())))
        self._assembler = LineAssembler()
        self._pending: list[str] = []  # continuation lines of an unfinished command
        self._queue: deque[tuple[str, bool]] = deque()  # (command, already echoed)
        self._scroll_pending = False
        self._paint_queue: deque[Text] = deque()
        self._paint_scheduled = False
        self.transcript: deque[tuple[str, str]] = deque(maxlen=5000)  # (stream, logical line)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="term-scroll"):
            yield TerminalOutput(id="term-output", wrap=True, markup=False, highlight=False, max_lines=5000)
            with Horizontal(id="prompt-row"):
                yield Label(self._prompt_text(), id="prompt-label", markup=False)
                yield PromptInput(id="prompt", select_on_focus=False)

    def on_mount(self) -> None:
        self.prompt_input.cursor_blink = getattr(self.app, "cursor_blink_enabled", True)

    # -- public API --------------------------------------------------------------------------
    @property
    def output(self) -> TerminalOutput:
        return self.query_one(TerminalOutput)

    @property
    def prompt_input(self) -> PromptInput:
        return self.query_one(PromptInput)

    def insert(self, text: str) -> None:
        """Put a command on the prompt (replacing what is typed) and focus it."""
        prompt = self.prompt_input
        prompt.value = text
        prompt.cursor_position = len(text)
        prompt.focus()

    def submit(self, text: str) -> None:
        """Type ``text`` and press Enter (lines of a paste go through here one by one)."""
        self._accept_line(text)

    def write(self, text: str, stream: str = "stdout") -> None:
        """Print whole lines of text into the scrollback, styled by stream."""
        self._write_lines(text.split("\n"), stream)

    def clear(self) -> None:
        self._paint_queue.clear()
        self.output.clear()
        self.transcript.clear()
        self._scroll_end()

    def refresh_prompt(self) -> None:
        """Re-read the shell prompt (after the context or the nested session changed)."""
        self.query_one("#prompt-label", Label).update(self._prompt_text())

    def reset_state(self) -> None:
        """After a lesson reset/undo: forget continuation lines and re-read history and prompt."""
        self._pending.clear()
        self.history = History(history_commands(getattr(self.backend, "history", ())))
        self.refresh_prompt()

    # -- internals ---------------------------------------------------------------------------
    def _prompt_text(self) -> str:
        if self._pending:
            return CONTINUATION
        if self.busy:
            return ""
        try:
            return self.backend.lab.prompt()
        except Exception:  # a prompt must never take the UI down
            return "$ "

    def _style(self, stream: str):
        return self.output.get_component_rich_style(f"terminal--{stream}", partial=True)

    def _write_line(self, line: str, stream: str) -> None:
        self._write_lines([line], stream)

    def _write_lines(self, lines: list[str], stream: str) -> None:
        if not lines:
            return
        self.transcript.extend((stream, line) for line in lines)
        style = self._style(stream)
        self._paint(Text(line, style=style, end="") for line in lines)

    def _echo(self, prompt: str, line: str) -> None:
        self.transcript.append(("prompt", prompt + line))
        text = Text(prompt, style=self._style("prompt"), end="")
        text.append(line)
        self._paint([text])

    def _paint(self, lines: Any) -> None:
        """Queue lines for the scrollback and paint them in slices of PAINT_SLICE per frame: one
        RichLog write per slice (a write per line costs a render and a layout each), and a huge output
        (5,000 lines) never blocks keys and ctrl+c for longer than a slice."""
        self._paint_queue.extend(lines)
        if not self._paint_scheduled:
            self._paint_scheduled = True
            self.call_next(self._paint_slice)

    def _paint_slice(self) -> None:
        queue = self._paint_queue
        batch = [queue.popleft() for _ in range(min(PAINT_SLICE, len(queue)))]
        if batch:
            self.output.write(Text("\n", end="").join(batch), scroll_end=False)
            self._scroll_end()
        if queue:
            self.call_after_refresh(self._paint_slice)
        else:
            self._paint_scheduled = False

    def _scroll_end(self) -> None:
        if not self._scroll_pending:
            self._scroll_pending = True
            self.call_after_refresh(self._do_scroll_end)

    def _do_scroll_end(self) -> None:
        self._scroll_pending = False
        self.query_one("#term-scroll").scroll_end(animate=False, immediate=True)

    def _accept_line(self, line: str) -> None:
        if self.busy:
            # type-ahead: queued whole, echoed when it starts
            self._pending.append(line)
            text = "\n".join(self._pending)
            if not self._needs_more(text):
                self._pending.clear()
                self._queue.append((text, False))
            return
        self._echo(self._prompt_text(), line)
        self._pending.append(line)
        text = "\n".join(self._pending)
        if self._needs_more(text):
            self.refresh_prompt()
            return
        self._pending.clear()
        self._queue.append((text, True))
        self._start_next()

    def _needs_more(self, text: str) -> bool:
        try:
            return bool(self.backend.lab.needs_more(text))
        except Exception:
            return False

    def _start_next(self) -> None:
        while self._queue and not self.busy:
            command, echoed = self._queue.popleft()
            if not echoed:
                lines = command.split("\n")
                self._echo(self._prompt_text(), lines[0])
                for extra in lines[1:]:
                    self._echo(CONTINUATION, extra)
            if not command.strip():
                self.refresh_prompt()
                continue
            self.history.add(command)
            self.busy = True
            self.post_message(CommandStarted(command))
            self._run(command)

    def _run(self, command: str) -> None:
        """Run in a thread of its own, started at once: a Textual worker would wait for the event loop
        (busy painting the echo) before its thread starts, adding tens of milliseconds to every command."""
        threading.Thread(target=self._run_command, args=(command,), name="kubelab-command", daemon=True).start()

    def _run_command(self, command: str) -> None:
        def on_output(stream: str, chunk: str) -> None:
            if chunk:
                self.post_message(CommandOutput(stream, chunk))

        error_log: str | None = None
        crashes = getattr(getattr(self.backend, "lab", None), "crashes", None)
        seen = len(crashes) if isinstance(crashes, list) else 0
        try:
            result = self.backend.run(command, on_output)
            exit_code = int(getattr(result, "exit_code", 0))
            if isinstance(crashes, list) and len(crashes) > seen:
                # the shell caught a crash inside a program and printed "internal error": keep its trace
                error_log = self._log_caught(command, crashes[seen:])
        except Exception as exc:  # the app must outlive any bug in the engine
            exit_code = 1
            try:
                path = log_internal_error(self._log_dir(), command, exc)
                error_log = str(path)
                note = f"kubelab: internal error: {type(exc).__name__}: {exc} (details in {path})\n"
            except OSError:
                note = f"kubelab: internal error: {type(exc).__name__}: {exc}\n"
            self.post_message(CommandOutput("stderr", note))
        self.post_message(_Done(command, exit_code, error_log))

    def _log_caught(self, command: str, crashes: list) -> str | None:
        try:
            path = log_traces(self._log_dir(), command, [trace for _argv, trace in crashes])
        except OSError:
            return None
        self.post_message(CommandOutput("note", f"kubelab: the details of this internal error are in {path}\n"))
        return str(path)

    def _log_dir(self) -> Path:
        if self.log_dir is not None:
            return self.log_dir
        from tutor.paths import logs_dir

        return logs_dir()

    @on(CommandOutput)
    def _on_output(self, message: CommandOutput) -> None:
        message.stop()
        batch: list[str] = []
        for kind, line in self._assembler.feed(message.stream, message.text):
            if kind == "clear":
                batch.clear()
                self.clear()
            else:
                batch.append(line or "")
        self._write_lines(batch, message.stream)

    @on(_Done)
    def _on_done(self, message: _Done) -> None:
        for stream in ("stdout", "stderr"):
            rest = self._assembler.flush(stream)
            if rest is not None:
                self._write_line(rest, stream)
        self.busy = False
        self.refresh_prompt()
        self.post_message(CommandFinished(message.command, message.exit_code, message.error_log))
        self._start_next()

    @on(Input.Submitted, "#prompt")
    def _on_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        self.prompt_input.value = ""
        self.history.reset_cursor()
        self._accept_line(line)

    @on(PromptInput.Action)
    def _on_action(self, message: PromptInput.Action) -> None:
        message.stop()
        handler = getattr(self, f"_key_{message.name}")
        handler(message.arg) if message.arg is not None else handler()

    def _key_interrupt(self) -> None:
        prompt = self.prompt_input
        if self.busy:
            # the shell prints "^C" itself when the command stops
            self._queue.clear()
            self._pending.clear()
            try:
                self.backend.lab.interrupt()
            except Exception:
                pass
            return
        self._echo(self._prompt_text(), prompt.value + "^C")
        prompt.value = ""
        self._pending.clear()
        self.history.reset_cursor()
        self.refresh_prompt()

    def _key_clear(self) -> None:
        self.clear()

    def _key_history(self, direction: int) -> None:
        prompt = self.prompt_input
        entry = self.history.previous(prompt.value) if direction < 0 else self.history.next()
        if entry is not None:
            prompt.value = entry
            prompt.cursor_position = len(entry)

    def _key_complete(self) -> None:
        prompt = self.prompt_input
        text, cursor = prompt.value, prompt.cursor_position
        if self.busy:
            return  # no completion for type-ahead, as in a real terminal
        try:
            candidates = list(self.backend.completion(text, cursor))
        except Exception:
            candidates = []
        result = complete(text, cursor, candidates)
        if result.listing:
            self._echo(self._prompt_text(), text)
            width = max(20, self.output.scrollable_content_region.width or 80)
            self._write_lines(columns(result.listing, width), "stdout")
            return
        prompt.value = result.value
        prompt.cursor_position = result.cursor

    def _key_paste(self, text: str) -> None:
        prompt = self.prompt_input
        before = prompt.value[: prompt.cursor_position]
        after = prompt.value[prompt.cursor_position :]
        lines = (before + text).split("\n")
        prompt.value = ""
        for line in lines[:-1]:
            self._accept_line(line)
        prompt.value = lines[-1] + after
        prompt.cursor_position = len(lines[-1])

    def watch_busy(self, busy: bool) -> None:
        self.refresh_prompt()
