"""SVG snapshots of every screen at 120x36 and 80x24 (fake session, no wall clock, no blink).

Sync tests on purpose: snap_compare runs its own event loop.
"""

from __future__ import annotations

import pytest
from conftest import settle
from tui_fakes import FakeSource

SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]


def lesson_app(make_app):
    return make_app(FakeSource(), start_lesson="create-clusterip")


async def wait_until(pilot, predicate, tries: int = 100) -> None:
    for _ in range(tries):
        await pilot.pause(0.02)
        if predicate():
            return


@pytest.mark.parametrize("size", SIZES)
def test_catalogue(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot, pilot.app)

    assert snap_compare(make_app(FakeSource()), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_lesson_start(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot, pilot.app)

    assert snap_compare(lesson_app(make_app), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_lesson_step_passed(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot, pilot.app)
        await pilot.press(*"create web", "enter")
        await settle(pilot, pilot.app)
        await pilot.press(*"false", "enter")
        await settle(pilot, pilot.app)
        pilot.app.screen.advance(6)
        await pilot.press(*"echo now ready")
        await pilot.pause()

    assert snap_compare(lesson_app(make_app), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_lesson_hint_and_diagnostic(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot, pilot.app)
        await pilot.press("f2")
        pilot.app.screen.query_one("#checks").highlighted = 0
        await pilot.pause()

    assert snap_compare(lesson_app(make_app), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_solution_confirm(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot, pilot.app)
        await pilot.press("f3")
        await pilot.pause()

    assert snap_compare(lesson_app(make_app), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_editor(snap_compare, make_app, size):
    source = FakeSource()
    app = make_app(source, start_lesson="create-clusterip")

    async def run_before(pilot):
        from tutor.screens.editor import EditorScreen

        await settle(pilot, pilot.app)
        source.sessions["create-clusterip"].lab.files["svc.yaml"] = (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n"
            "  ports:\n  - port: 80\n    targetPort: 8080\n"
        )
        await pilot.press(*"vi svc.yaml", "enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EditorScreen))
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot, pilot.app)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(lesson_app(make_app), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_cluster_view(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot, pilot.app)
        await pilot.press(*"create web", "enter")
        await settle(pilot, pilot.app)
        pilot.app.screen.advance(6)
        await pilot.press("f4")
        await pilot.pause()

    assert snap_compare(lesson_app(make_app), run_before=run_before, terminal_size=size)
