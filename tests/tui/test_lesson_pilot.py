"""Pilot tests of the lesson screen against a fake session: terminal, checks, hints, solution, editor."""

from __future__ import annotations

from conftest import output_lines, settle, type_command
from textual.widgets import OptionList, TextArea
from tui_fakes import FakeSource

from tutor.messages import CheckPassed, CommandFinished, StepPassed
from tutor.screens.catalogue import CatalogueScreen
from tutor.screens.confirm import ConfirmScreen
from tutor.screens.editor import EditorScreen
from tutor.screens.lesson import LessonScreen
from tutor.widgets.checklist import Checklist
from tutor.widgets.cluster_view import ClusterView
from tutor.widgets.terminal import PromptInput


async def open_lesson(pilot, app, lesson_id: str = "create-clusterip") -> LessonScreen:
    app.open_lesson(lesson_id)
    await settle(pilot, app)
    assert isinstance(app.screen, LessonScreen)
    return app.screen


def check_rows(screen: LessonScreen) -> list[tuple[str, bool | None]]:
    return [(name, passed) for name, passed, _ in screen.query_one(Checklist).results]


async def test_command_output_and_checks_tick_live(make_app):
    messages = []
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        screen = await open_lesson(pilot, app)
        assert app.focused is screen.query_one(PromptInput)
        assert screen.sub_title == "step 1/2: Expose the web pods"
        assert check_rows(screen) == [("Service web exists", False), ("Service web has 2 ready endpoints", False)]

        await type_command(pilot, app, "create web")
        assert output_lines(app)[-2:] == ["controlplane:~$ create web", "service/web created"]
        assert check_rows(screen) == [("Service web exists", True), ("Service web has 2 ready endpoints", False)]
        assert [m.name for m in messages if isinstance(m, CheckPassed)] == ["Service web exists"]
        assert [m.exit_code for m in messages if isinstance(m, CommandFinished)] == [0]
        assert not screen.query_one("#banner").display

        screen.advance(6)  # the pods become ready as the clock moves on
        await pilot.pause()
        assert check_rows(screen)[1] == ("Service web has 2 ready endpoints", True)
        assert [m.index for m in messages if isinstance(m, StepPassed)] == [0]
        banner = screen.query_one("#banner")
        assert banner.display
        assert str(banner.render()).startswith("✓ Step passed. A Service gives the pods one stable virtual IP.")

        await pilot.press("f8")
        await pilot.pause()
        assert screen.sub_title == "step 2/2: Remove it again"
        assert check_rows(screen) == [("Service web is gone", False)]
        await pilot.press("f7")
        await pilot.pause()
        assert screen.sub_title == "step 1/2: Expose the web pods"


async def test_selecting_a_failing_check_shows_its_diagnostic(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        options = screen.query_one("#checks", OptionList)
        options.highlighted = 1
        await pilot.pause()
        assert str(screen.query_one("#diagnostic").render()) == "Service web does not exist."


async def test_stderr_is_styled_apart_and_unterminated_output_is_kept(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        await type_command(pilot, app, "false")
        await type_command(pilot, app, "printf no-newline")
        await type_command(pilot, app, "echo ok")
        assert output_lines(app) == [
            "controlplane:~$ false", "error: something went wrong",
            "controlplane:~$ printf no-newline", "no-newline",
            "controlplane:~$ echo ok", "ok",
        ]
        log = screen.terminal.output
        err_style = {seg.style for seg in log.lines[1] if seg.text.strip()}
        out_style = {seg.style for seg in log.lines[5] if seg.text.strip()}
        assert err_style and out_style and err_style != out_style


async def test_history_walks_commands_and_keeps_the_draft(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        await type_command(pilot, app, "echo one")
        await type_command(pilot, app, "echo two")
        prompt = screen.query_one(PromptInput)
        await pilot.press(*"dra")
        await pilot.press("up")
        assert prompt.value == "echo two"
        await pilot.press("up", "up")
        assert prompt.value == "echo one"
        await pilot.press("down")
        assert prompt.value == "echo two"
        await pilot.press("down")
        assert prompt.value == "dra"


async def test_tab_completes_a_unique_word_and_lists_ambiguous_ones(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        prompt = screen.query_one(PromptInput)
        await pilot.press("c", "r", "tab")
        assert (prompt.value, prompt.cursor_position) == ("create ", 7)
        prompt.value = ""
        await pilot.press("d", "e", "tab")
        await pilot.pause()
        assert prompt.value == "de"
        assert output_lines(app)[-2:] == ["controlplane:~$ de", "delete    describe"]


async def test_ctrl_c_clears_the_line_or_interrupts_a_running_command(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        await pilot.press(*"echo abc", "ctrl+c")
        assert screen.query_one(PromptInput).value == ""
        assert output_lines(app)[-1] == "controlplane:~$ echo abc^C"

        await pilot.press(*"sleep 30", "enter")
        await pilot.pause()
        assert screen.terminal.busy
        assert str(screen.query_one("#prompt-label").render()) == ""
        await pilot.press("ctrl+c")
        await settle(pilot, app)
        assert not screen.terminal.busy
        assert output_lines(app)[-2:] == ["controlplane:~$ sleep 30", "^C"]
        assert str(screen.query_one("#prompt-label").render()) == "controlplane:~$ "


async def test_typed_ahead_commands_run_after_the_current_one(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_lesson(pilot, app)
        await pilot.press(*"sleep 0.2", "enter", *"echo after", "enter")
        await settle(pilot, app)
        assert output_lines(app) == ["controlplane:~$ sleep 0.2", "controlplane:~$ echo after", "after"]
        assert source.sessions["create-clusterip"].history == ["sleep 0.2", "echo after"]


async def test_clear_command_and_ctrl_l_empty_the_scrollback(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_lesson(pilot, app)
        await type_command(pilot, app, "echo one")
        await type_command(pilot, app, "clear")
        assert output_lines(app) == []
        await type_command(pilot, app, "echo two")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert output_lines(app) == []


async def test_pasted_heredoc_shows_continuation_prompts(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        terminal = screen.terminal
        terminal.post_message(PromptInput.Action("paste", "cat <<EOF\nline one\nEOF\necho done\n"))
        await settle(pilot, app)
        assert output_lines(app) == [
            "controlplane:~$ cat <<EOF", "> line one", "> EOF", "line one",
            "controlplane:~$ echo done", "done",
        ]
        # an unfinished paste leaves the continuation prompt and the last line on the prompt
        terminal.post_message(PromptInput.Action("paste", "echo 'a\nb"))
        await settle(pilot, app)
        assert str(screen.query_one("#prompt-label").render()) == "> "
        assert screen.query_one(PromptInput).value == "b"
        await pilot.press("'", "enter")
        await settle(pilot, app)
        assert output_lines(app)[-3:] == ["controlplane:~$ echo 'a", "> b'", "'a b'"]


async def test_click_on_a_command_block_puts_it_on_the_prompt(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        await pilot.click("#instructions MarkdownFence")
        await pilot.pause()
        prompt = screen.query_one(PromptInput)
        assert prompt.value == "create web"
        assert app.focused is prompt


async def test_hints_come_one_by_one(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        await pilot.press("f2")
        await pilot.pause()
        assert "**Hint 1.** Use the create command." in screen.query_one("#instructions").source
        await pilot.press("f2", "f2")
        await pilot.pause()
        source_md = screen.query_one("#instructions").source
        assert "**Hint 2.** The name is web." in source_md and "Hint 3" not in source_md
        assert source.sessions["create-clusterip"].entry.steps[0].hints_used == 2


async def test_solution_asks_first_and_marks_the_step_assisted(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        session = source.sessions["create-clusterip"]
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and not session.entry.steps[0].assisted
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert session.entry.steps[0].assisted
        assert "```bash\ncreate web\n```" in screen.query_one("#instructions").source


async def test_reset_asks_first_and_rebuilds_the_lab(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        await type_command(pilot, app, "create web")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await pilot.pause()
        assert app.screen is screen
        assert source.sessions["create-clusterip"].lab.services == set()
        assert output_lines(app) == ["# The lesson was reset to its starting state."]
        assert check_rows(screen)[0] == ("Service web exists", False)


async def test_undo_rebuilds_without_the_last_command(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        await type_command(pilot, app, "create web")
        assert check_rows(screen)[0] == ("Service web exists", True)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert output_lines(app)[-1] == "# undone: create web (the lab was rebuilt without it)"
        assert check_rows(screen)[0] == ("Service web exists", False)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert output_lines(app)[-1] == "# undone: create web (the lab was rebuilt without it)"


async def test_editor_saves_with_ctrl_s(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_lesson(pilot, app)
        await pilot.press(*"vi svc.yaml", "enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, EditorScreen):
                break
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one(TextArea).language == "yaml"
        await pilot.press(*"kind: Service", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert source.sessions["create-clusterip"].lab.files["svc.yaml"] == "kind: Service\n"
        await type_command(pilot, app, "cat svc.yaml")
        assert output_lines(app)[-1] == "kind: Service"


async def test_editor_escape_cancels_and_asks_before_discarding(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        lab = source.sessions["create-clusterip"].lab
        lab.files["a.yaml"] = "a: 1\n"
        await pilot.press(*"vi a.yaml", "enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, EditorScreen):
                break
        await pilot.press("escape")  # unchanged: closes at once
        await settle(pilot, app)
        assert app.screen is screen and lab.files["a.yaml"] == "a: 1\n"

        await pilot.press(*"vi a.yaml", "enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, EditorScreen):
                break
        await pilot.press("x", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert app.screen is screen and lab.files["a.yaml"] == "a: 1\n"


async def test_internal_error_is_reported_and_the_app_keeps_running(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_lesson(pilot, app)
        await type_command(pilot, app, "boom")
        log = tmp_path / "logs" / "internal-errors.log"
        assert output_lines(app)[-1] == (
            f"kubelab: internal error: ValueError: the fake engine broke (details in {log})"
        )
        assert "ValueError: the fake engine broke" in log.read_text()
        await type_command(pilot, app, "echo still alive")
        assert output_lines(app)[-1] == "still alive"
        await type_command(pilot, app, "crash")
        assert output_lines(app)[-2:] == [
            "kubelab: internal error in 'crash': KeyError: 'spec'",
            f"kubelab: the details of this internal error are in {log}",
        ]
        assert "command: 'crash'\nTraceback (most recent call last):\nKeyError: 'spec'\n" in log.read_text()


async def test_cluster_view_toggles_and_follows_the_lab(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        view = screen.query_one(ClusterView)
        assert not view.display
        await pilot.press("f4")
        await pilot.pause()
        assert view.display
        assert str(view.render()) == (
            "Namespace default: 0 services, 3 pods\n\n"
            "Pods selected by no Service (3):\n"
            "    web-1  10.244.1.5  on node01  not ready  labels app=web\n"
            "    web-2  10.244.2.5  on node02  not ready  labels app=web\n"
            "    client  10.244.1.9  on node01  ready  labels run=client\n"
        )
        await type_command(pilot, app, "create web")
        screen.advance(6)
        await pilot.pause()
        text = str(view.render())
        assert "Service web  type ClusterIP  cluster IP 10.96.0.50  ports 80/TCP->8080" in text
        assert "    web-1  10.244.1.5  on node01  ready  labels app=web" in text
        assert text.rstrip().endswith("client  10.244.1.9  on node01  ready  labels run=client")


async def test_narrow_terminal_stacks_the_panes(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, app)
        assert screen.has_class("-narrow")
        left, right = screen.query_one("#left"), screen.query_one("#right")
        assert left.region.y < right.region.y and left.region.width == right.region.width == 80


async def test_escape_returns_to_the_catalogue_and_saves(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_lesson(pilot, app, "ipvs")
        session = source.sessions["ipvs"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CatalogueScreen)
        assert session.saved == 1
        options = app.screen.query_one("#lessons", OptionList)
        assert options.highlighted_option.id == "create-clusterip"


async def test_quit_mid_lesson_saves(make_app):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_lesson(pilot, app)
        await type_command(pilot, app, "create web")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert source.sessions["create-clusterip"].saved == 1
    assert app.return_value == 0


async def test_a_huge_output_is_painted_in_slices_and_scrolled_to_the_end(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        await type_command(pilot, app, "seq 3000")
        for _ in range(100):
            await pilot.pause(0.02)
            if not screen.terminal._paint_queue:
                break
        log = screen.terminal.output
        assert len(output_lines(app)) == 3001
        assert [strip.text.rstrip() for strip in log.lines[-2:]] == ["2999", "3000"]
        scroll = screen.query_one("#term-scroll")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 0


async def test_a_failing_session_call_is_a_notification_not_a_crash(make_app, tmp_path):
    source = FakeSource()
    app = make_app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_lesson(pilot, app)
        session = source.sessions["create-clusterip"]

        def broken_undo():
            raise RuntimeError("replay diverged")

        session.undo = broken_undo
        await pilot.press("ctrl+z")
        await pilot.pause()
        log = tmp_path / "logs" / "internal-errors.log"
        assert [n.message for n in app._notifications] == [
            f"Could not undo: RuntimeError: replay diverged (details in {log})"]
        assert app.screen is screen and app.is_running
