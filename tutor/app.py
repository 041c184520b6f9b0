"""The kubelab Textual app: catalogue first, lessons on top, an editor modal that the lab can open.

Start-up stays close to a bare Textual app: the lesson screen, the sandbox and the pack's lesson
details are imported only when a lesson opens. The app reaches lessons and progress through a
*catalogue source* (``tutor.screens.catalogue_source.PackSource`` for real packs; tests pass fakes).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from tutor.keymap import key
from tutor.messages import OpenLesson
from tutor.screens.catalogue import CatalogueData, CatalogueScreen, LessonEntry


class CatalogueSource(Protocol):
    """What the app needs from a pack and the learner's progress."""

    notice: str | None

    def catalogue(self) -> CatalogueData: ...

    def open(self, lesson_id: str) -> Any: ...


def warm_up_commands() -> None:
    """Import the lab's command modules in the background once a lesson is on screen: they load on
    first use (kubectl's verbs, printers, describe; the shell's tools and clients), which would
    otherwise add about a hundred milliseconds to each kind of command the first time."""
    import importlib
    import pkgutil

    names: set[str] = set()
    for package in ("sandbox.kubectl", "sandbox.shell.coreutils", "sandbox.network.clients", "sandbox.tools"):
        try:
            root = importlib.import_module(package)
        except Exception:
            continue
        try:
            names.update(info.name for info in pkgutil.walk_packages(root.__path__, package + ".",
                                                                      onerror=lambda _name: None))
        except Exception:
            continue
    for module in sorted(names):
        try:
            importlib.import_module(module)
        except Exception:  # a module still being written behaves as absent; the command will say so
            continue


class LessonsProvider(Provider):
    """Command palette: jump to any lesson by name."""

    def _entries(self) -> list[LessonEntry]:
        app = self.app
        data = app.catalogue_data() if isinstance(app, KubelabApp) else None
        return [entry for _, lessons in (data.tracks if data else []) for entry in lessons]

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(f"Open lesson: {entry.title}", partial(self._open, entry.id),
                               help=f"{entry.minutes} min · {entry.state}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            text = f"Open lesson: {entry.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._open, entry.id),
                          help=f"{entry.minutes} min · {entry.state}")

    def _open(self, lesson_id: str) -> None:
        self.app.post_message(OpenLesson(lesson_id))


class KubelabApp(App[int]):
    """Catalogue, lessons, help and editor; ``wall_clock=False`` and ``cursor_blink=False`` for tests."""

    TITLE = "kubelab"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {LessonsProvider}
    BINDINGS = [
        Binding(key("app.quit"), "quit", "Quit", id="app.quit"),
        Binding(key("app.help"), "help", "Help", id="app.help"),
    ]

    def __init__(self, source: CatalogueSource, *, start_lesson: str | None = None, wall_clock: bool = True,
                 cursor_blink: bool = True, keymap: dict[str, str] | None = None,
                 log_dir: Path | None = None, tick_interval: float = 0.5) -> None:
        from tutor.paths import assets_dir

        super().__init__(css_path=[assets_dir() / "kubelab.tcss"])
        self.source = source
        self.start_lesson = start_lesson
        self.wall_clock = wall_clock
        self.cursor_blink_enabled = cursor_blink
        self.user_keymap = dict(keymap or {})
        self.log_dir = log_dir
        self.tick_interval = tick_interval
        self._catalogue: CatalogueData | None = None

    # -- start-up --------------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The catalogue is the base screen (no blank default screen to paint first)."""
        self._catalogue = self.source.catalogue()
        return CatalogueScreen(self._catalogue)

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        if self.source.notice:
            self.notify(self.source.notice, severity="warning", timeout=15)
        if self.start_lesson:
            self.open_lesson(self.start_lesson)

    def catalogue_data(self) -> CatalogueData | None:
        return self._catalogue

    def refresh_catalogue(self) -> None:
        self._catalogue = self.source.catalogue()
        for screen in self.screen_stack:
            if isinstance(screen, CatalogueScreen):
                screen.show(self._catalogue)

    # -- lessons ---------------------------------------------------------------------------------
    @on(OpenLesson)
    def _open_lesson_message(self, message: OpenLesson) -> None:
        self.open_lesson(message.lesson_id)

    def open_lesson(self, lesson_id: str) -> None:
        """Leave the lesson on screen (if any), then build the session off the UI thread and show it."""
        self.close_lesson()
        self._set_loading(True)
        self._build_session(lesson_id)

    def _set_loading(self, loading: bool) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, CatalogueScreen):
                for widget in screen.query("#lessons"):
                    widget.loading = loading

    @work(thread=True, exclusive=True, group="open-lesson", exit_on_error=False)
    def _build_session(self, lesson_id: str) -> None:
        try:
            session = self.source.open(lesson_id)
        except Exception as exc:
            self.call_from_thread(self._open_failed, lesson_id, exc)
            return
        self.call_from_thread(self._show_lesson, session)
        warm_up_commands()

    def _open_failed(self, lesson_id: str, exc: Exception) -> None:
        from tutor.widgets.terminal import log_internal_error

        self._set_loading(False)
        try:
            where = f" (details in {log_internal_error(self._log_dir(), f'open {lesson_id}', exc)})"
        except OSError:
            where = ""
        self.notify(f"Could not open {lesson_id}: {type(exc).__name__}: {exc}{where}", severity="error",
                    timeout=15)

    def _show_lesson(self, session: Any) -> None:
        from tutor.screens.lesson import LessonScreen

        self._set_loading(False)
        self.push_screen(LessonScreen(session, wall_clock=self.wall_clock, tick_interval=self.tick_interval,
                                      log_dir=self._log_dir()))

    def _lesson_screen(self) -> Any:
        from tutor.screens import lesson as lesson_module

        for screen in reversed(self.screen_stack):
            if isinstance(screen, lesson_module.LessonScreen):
                return screen
        return None

    def _log_dir(self) -> Path:
        if self.log_dir is not None:
            return self.log_dir
        from tutor.paths import logs_dir

        return logs_dir()

    def close_lesson(self) -> None:
        """Back to the catalogue from a lesson, with its fresh progress."""
        lesson_screen = self._lesson_screen()
        if lesson_screen is None:
            return
        lesson_screen.leave()
        while self.screen is not lesson_screen:
            self.pop_screen()
        self.pop_screen()
        self.refresh_catalogue()

    # -- editor bridge (called from the command worker thread) -----------------------------------
    def editor_hook(self, path: str, text: str) -> str | None:
        """Open the editor modal and block the calling worker until it closes; None means cancelled."""
        done = threading.Event()
        result: list[str | None] = [None]

        def open_modal() -> None:
            from tutor.screens.editor import EditorScreen

            def closed(value: str | None) -> None:
                result[0] = value
                done.set()

            self.push_screen(EditorScreen(path, text), closed)

        self.call_from_thread(open_modal)
        while not done.wait(0.1):
            if not self.is_running:
                return None
        return result[0]

    # -- actions ---------------------------------------------------------------------------------
    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.user_keymap))

    async def action_quit(self) -> None:
        lesson_screen = self._lesson_screen()
        if lesson_screen is not None:
            lesson_screen.leave()
        self.exit(0)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from tutor.screens import lesson as lesson_module

        if isinstance(screen, lesson_module.LessonScreen):
            yield SystemCommand("Toggle cluster view", "Show or hide the live diagram of the namespace",
                                screen.action_toggle_cluster)
            yield SystemCommand("Toggle instructions", "Show or hide the instructions and checks",
                                screen.action_toggle_instructions)
            yield SystemCommand("Next step", "Go to the lesson's next step", screen.action_next_step)
            yield SystemCommand("Previous step", "Go to the lesson's previous step", screen.action_previous_step)
            yield SystemCommand("Back to the catalogue", "Leave this lesson (it is saved)", screen.action_back)


def run_app(lesson: str | None = None, pack: str | None = None) -> int:
    """``kubelab`` and ``kubelab start LESSON``: run the TUI; returns the process exit code."""
    from tutor import paths
    from tutor.keymap import load_keymap
    from tutor.screens.catalogue_source import PackSource

    source = PackSource(Path(pack) if pack else None)
    try:
        data = source.catalogue()
    except Exception as exc:  # a broken pack names file, line and field in its message
        print(f"kubelab: {exc}", file=sys.stderr)
        return 1
    if lesson is not None and data.find(lesson) is None:
        known = ", ".join(e.id for _, ls in data.tracks for e in ls)
        print(f"kubelab: unknown lesson {lesson!r}; known lessons: {known}", file=sys.stderr)
        return 2
    app = KubelabApp(source, start_lesson=lesson, keymap=load_keymap(paths.data_home()))
    result = app.run()
    return int(result or 0) if app.return_code in (None, 0) else int(app.return_code or 1)
