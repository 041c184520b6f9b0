"""Pilot tests of the catalogue, the palette, help and `kubelab start LESSON`."""

from __future__ import annotations

from conftest import settle
from textual.command import CommandPalette
from textual.widgets import OptionList
from tui_fakes import FakeSource

from tutor.screens.catalogue import CatalogueScreen
from tutor.screens.help import HelpScreen
from tutor.screens.lesson import LessonScreen


async def wait_for_hit(pilot, app, text: str) -> None:
    """The palette searches asynchronously: wait until its best hit is the command we typed."""
    from textual.command import CommandList

    for _ in range(200):
        await pilot.pause(0.02)
        found = app.screen.query(CommandList)
        if found and found.first().option_count and text in str(found.first().get_option_at_index(0).prompt):
            return
    raise AssertionError(f"the palette never offered {text!r}")


def option_texts(screen) -> list[str]:
    options = screen.query_one("#lessons", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_catalogue_lists_tracks_lessons_time_and_progress(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CatalogueScreen)
        assert option_texts(screen) == [
            "Basics",
            "✓ Why Services\n  8 min · beginner · done",
            "› Create a ClusterIP Service\n  12 min · beginner · in progress",
            "Inside kube-proxy",
            "  IPVS tables\n  15 min · advanced · new",
        ]
        # the lesson to resume is highlighted and described
        assert screen.query_one("#lessons", OptionList).highlighted_option.id == "create-clusterip"
        detail = str(screen.query_one("#detail").render())
        assert detail.startswith("Create a ClusterIP Service\n12 min · beginner · 2 steps · in progress\n")
        assert detail.endswith("Press Enter to resume this lesson.")


async def test_enter_opens_the_highlighted_lesson_and_r_resumes(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("down")  # from create-clusterip to ipvs (the track heading is skipped)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, LessonScreen)
        assert list(source.sessions) == ["ipvs"]
        await pilot.press("escape")
        await pilot.pause()
        source.last = "why-services"
        app.refresh_catalogue()
        await pilot.press("r")
        await settle(pilot, app)
        assert list(source.sessions) == ["ipvs", "why-services"]


async def test_start_lesson_opens_it_directly(make_app):
    source = FakeSource()
    app = make_app(source, start_lesson="ipvs")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, LessonScreen)
        assert app.screen_stack[-2].__class__ is CatalogueScreen
        assert list(source.sessions) == ["ipvs"]


async def test_palette_jumps_between_lessons(make_app):
    source = FakeSource()
    app = make_app(source, start_lesson="create-clusterip")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"IPVS tables")
        await wait_for_hit(pilot, app, "Open lesson: IPVS tables")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, LessonScreen)
        assert list(source.sessions) == ["create-clusterip", "ipvs"]
        assert source.sessions["create-clusterip"].saved == 1
        assert [type(s).__name__ for s in app.screen_stack] == ["CatalogueScreen", "LessonScreen"]


async def test_palette_toggles_the_cluster_view(make_app):
    app = make_app(start_lesson="create-clusterip")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Toggle cluster view")
        await wait_for_hit(pilot, app, "Toggle cluster view")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#cluster").display


async def test_help_lists_keys_and_closes(make_app):
    app = make_app(keymap={"lesson.hint": "f9"})
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("Markdown").source
        assert "| `f9` | Show the next hint |" in text
        assert "| `ctrl+z` | Undo the last command (the lab is rebuilt without it) |" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CatalogueScreen)


async def test_remapped_key_works(make_app):
    source = FakeSource()
    app = make_app(source, start_lesson="create-clusterip", keymap={"lesson.hint": "f9"})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("f9")
        await pilot.pause()
        assert source.sessions["create-clusterip"].entry.steps[0].hints_used == 1


async def test_progress_notice_is_shown(make_app):
    app = make_app(FakeSource(notice="Your progress file could not be read"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Your progress file could not be read"]
