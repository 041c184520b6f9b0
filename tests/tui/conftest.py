"""Determinism for UI tests: no animations, no cursor blink, no wall clock, fixed sizes."""

from __future__ import annotations

import os

os.environ["TEXTUAL_ANIMATIONS"] = "none"  # read by textual.constants at import

import asyncio  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from tui_fakes import FakeSource  # noqa: E402


@pytest.fixture
def source() -> FakeSource:
    return FakeSource()


@pytest.fixture
def make_app(tmp_path: Path):
    from tutor.app import KubelabApp

    def factory(source=None, **kwargs):
        kwargs.setdefault("wall_clock", False)
        kwargs.setdefault("cursor_blink", False)
        kwargs.setdefault("log_dir", tmp_path / "logs")
        app = KubelabApp(source if source is not None else FakeSource(), **kwargs)
        app.animation_level = "none"  # also when another test package imported Textual first
        return app

    return factory


async def settle(pilot, app, timeout: float = 5.0) -> None:
    """Wait until no command or lesson build is running and the message queues are drained."""
    from tutor.screens.lesson import LessonScreen

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        busy = isinstance(screen, LessonScreen) and screen.terminal.busy
        if not busy and not any(w.is_running for w in app.workers):
            break
        await asyncio.sleep(0.01)
    await pilot.pause()


async def type_command(pilot, app, command: str) -> None:
    await pilot.press(*command, "enter")
    await settle(pilot, app)


def output_lines(app) -> list[str]:
    """The terminal's scrollback as plain logical lines (before wrapping)."""
    from tutor.widgets.terminal import Terminal

    return [line for _, line in app.screen.query_one(Terminal).transcript]
