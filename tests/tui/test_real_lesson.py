"""End to end on the real engine: the shipped "Create a ClusterIP Service" lesson, typed in the
terminal, checks ticking, then quit and resume with the exact lab state (replayed from the log)."""

from __future__ import annotations

from conftest import output_lines, settle, type_command

from tutor.messages import CheckPassed, StepPassed
from tutor.paths import lessons_dir
from tutor.screens.catalogue_source import PackSource
from tutor.screens.lesson import LessonScreen
from tutor.widgets.checklist import Checklist
from tutor.widgets.terminal import PromptInput

LESSON = "clusterip-create"


def real_source(home):
    return PackSource(lessons_dir(), home, time_mode="virtual")


async def wait_for_lesson(pilot, app) -> LessonScreen:
    for _ in range(300):
        await settle(pilot, app, timeout=30)
        if isinstance(app.screen, LessonScreen):
            return app.screen
    raise AssertionError("the lesson did not open")


async def test_learner_solves_steps_quits_and_resumes_exactly(make_app, tmp_path):
    home = tmp_path / "home"
    messages = []
    app = make_app(real_source(home), start_lesson=LESSON)
    async with app.run_test(size=(120, 36), message_hook=messages.append) as pilot:
        screen = await wait_for_lesson(pilot, app)
        assert screen.sub_title == "step 1/3: Generate a manifest"
        await type_command(pilot, app,
                           "kubectl create service clusterip my-ser --tcp=8000:80 --dry-run=client -o yaml > ser.yaml")
        assert [m.index for m in messages if isinstance(m, StepPassed)] == [0]
        assert {m.name for m in messages if isinstance(m, CheckPassed)} == {
            "ser.yaml holds a Service manifest", "The Service port is 8000", "The target port is 80"}
        await type_command(pilot, app, "grep -A1 selector ser.yaml")
        assert output_lines(app)[-2:] == ["  selector:", "    app: my-ser"]

        await pilot.press("f8")
        await pilot.pause()
        assert screen.sub_title == "step 2/3: Point the selector at the Pods, then apply"
        await type_command(pilot, app, "sed -i 's/app: my-ser/app: my-app/' ser.yaml")
        await type_command(pilot, app, "kubectl apply -f ser.yaml")
        assert output_lines(app)[-1] == "service/my-ser created"
        assert [m.index for m in messages if isinstance(m, StepPassed)] == [0, 1]
        await pilot.press("ctrl+q")
        await pilot.pause()

    # a new process: same home, the lesson resumes at step 2 with the Service and the history back
    app = make_app(real_source(home))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        screen = await wait_for_lesson(pilot, app)
        assert screen.sub_title == "step 2/3: Point the selector at the Pods, then apply"
        assert [passed for _, passed, _ in screen.query_one(Checklist).results] == [True, True, True]
        await pilot.press("up")
        assert screen.query_one(PromptInput).value == "kubectl apply -f ser.yaml"
        screen.query_one(PromptInput).value = ""
        await type_command(pilot, app, "kubectl get svc my-ser -o jsonpath='{.spec.ports[0].port}'")
        assert output_lines(app)[-1] == "8000"


async def test_kubectl_edit_opens_the_editor_and_applies_on_save(make_app, tmp_path):
    from textual.widgets import TextArea

    from tutor.screens.editor import EditorScreen

    app = make_app(real_source(tmp_path / "home"), start_lesson=LESSON)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_lesson(pilot, app)
        await type_command(pilot, app, "kubectl create service clusterip my-ser --tcp=8000:80")
        await pilot.press(*"kubectl edit service my-ser", "enter")
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, EditorScreen):
                break
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        area = editor.query_one(TextArea)
        assert area.language == "yaml"
        assert area.text.startswith("# Please edit the object below.")
        area.text = area.text.replace("port: 8000", "port: 9000")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert output_lines(app)[-1] == "service/my-ser edited"
        await type_command(pilot, app, "kubectl get svc my-ser -o jsonpath='{.spec.ports[0].port}'")
        assert output_lines(app)[-1] == "9000"


async def test_cluster_view_counts_connections_per_backend(make_app, tmp_path):
    from tutor.widgets.cluster_view import ClusterView

    app = make_app(real_source(tmp_path / "home"), start_lesson=LESSON)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await wait_for_lesson(pilot, app)
        await type_command(pilot, app, "kubectl expose deployment my-app --port=80")
        await type_command(pilot, app, "kubectl run client --image=busybox --labels=role=client -- sleep 3600")
        screen.advance(30)
        for _ in range(4):
            await type_command(pilot, app, "kubectl exec client -- wget -qO- -T 2 my-app >/dev/null")
        await pilot.press("f4")
        await pilot.pause()
        text = str(screen.query_one(ClusterView).render())
        pods = [line for line in text.splitlines() if line.startswith("    my-app-")]
        assert len(pods) == 2 and all("  ready  connections 2  labels app=my-app," in line for line in pods), text
        assert "Pods selected by no Service (1):\n    client  " in text
        await type_command(pilot, app, "kubectl config set-context --current --namespace=kube-system")
        view = screen.query_one(ClusterView)
        assert view.border_title == "Cluster view: namespace kube-system"
        assert "Service kube-dns  type ClusterIP  cluster IP 10.96.0.10" in str(view.render())


async def test_watch_streams_in_wall_time_and_ctrl_c_stops_it(make_app, tmp_path):
    """`kubectl get pods -w` runs on the wall clock without freezing the UI; the ticker keeps the
    cluster moving (a new pod goes Running while watched); ctrl+c returns the prompt."""
    source = PackSource(lessons_dir(), tmp_path / "home", time_mode="wall")
    app = make_app(source, start_lesson=LESSON, wall_clock=True, tick_interval=0.1)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_lesson(pilot, app)
        await type_command(pilot, app, "kubectl run solo --image=nginx")
        await pilot.press(*"kubectl get pods solo -w", "enter")
        for _ in range(150):
            await pilot.pause(0.05)
            if any("Running" in line for line in output_lines(app)):
                break
        assert screen.terminal.busy
        watched = [line for line in output_lines(app) if line.startswith("solo ")]
        assert "Running" in watched[-1], output_lines(app)
        await pilot.press("ctrl+c")
        await settle(pilot, app)
        assert not screen.terminal.busy
        assert output_lines(app)[-1] == "^C"
        assert str(screen.query_one("#prompt-label").render()) == "controlplane:~$ "


async def test_invalid_kubectl_edit_reopens_with_the_error_on_top(make_app, tmp_path):
    from textual.widgets import TextArea

    from tutor.screens.editor import EditorScreen

    async def wait_editor(pilot, app, previous=None):
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, EditorScreen) and app.screen is not previous:
                return app.screen
        raise AssertionError("no editor")

    app = make_app(real_source(tmp_path / "home"), start_lesson=LESSON)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_lesson(pilot, app)
        await type_command(pilot, app, "kubectl create service clusterip my-ser --tcp=8000:80")
        await pilot.press(*"kubectl edit service my-ser", "enter")
        editor = await wait_editor(pilot, app)
        area = editor.query_one(TextArea)
        area.text = area.text.replace("port: 8000", "port: 99999")
        await pilot.press("ctrl+s")
        again = await wait_editor(pilot, app, editor)
        text = again.query_one(TextArea).text
        assert text.startswith("# Please edit the object below.")
        assert ('#\n# services "my-ser" was not valid:\n'
                "# * spec.ports[0].port: Invalid value: 99999: must be between 1 and 65535, inclusive\n#\n") in text
        assert "port: 99999" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert not app.screen.terminal.busy


async def test_done_when_flow_with_hint_vi_quit_and_exact_resume(make_app, tmp_path):
    """Issue 6's "done when": type the lesson, see checks tick, use a hint and the editor (vi), quit,
    resume exactly (the edit made in vi is part of the lab state the replay must rebuild)."""
    from textual.widgets import TextArea

    from tutor.screens.editor import EditorScreen

    home = tmp_path / "home"
    app = make_app(real_source(home), start_lesson=LESSON)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_lesson(pilot, app)
        await type_command(pilot, app,
                           "kubectl create service clusterip my-ser --tcp=8000:80 --dry-run=client -o yaml > ser.yaml")
        await pilot.press("f8", "f2")
        await pilot.pause()
        assert "**Hint 1.**" in screen.query_one("#instructions").source
        await pilot.press(*"vi ser.yaml", "enter")
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, EditorScreen):
                break
        area = app.screen.query_one(TextArea)
        area.text = area.text.replace("  selector:\n    app: my-ser", "  selector:\n    app: my-app")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await type_command(pilot, app, "kubectl apply -f ser.yaml")
        assert [p for _, p, _ in screen.query_one(Checklist).results] == [True, True, True]
        await pilot.press("ctrl+q")
        await pilot.pause()

    app = make_app(real_source(home), start_lesson=LESSON)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_lesson(pilot, app)
        assert screen.sub_title == "step 2/3: Point the selector at the Pods, then apply"
        assert [p for _, p, _ in screen.query_one(Checklist).results] == [True, True, True]
        await type_command(pilot, app, "grep -A1 selector ser.yaml")
        assert output_lines(app)[-2:] == ["  selector:", "    app: my-app"]


async def test_exec_into_a_pod_changes_the_prompt_and_exit_returns(make_app, tmp_path):
    app = make_app(real_source(tmp_path / "home"), start_lesson=LESSON)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_lesson(pilot, app)
        label = screen.query_one("#prompt-label")
        await type_command(pilot, app, "kubectl run box --image=busybox -- sleep 3600")
        screen.advance(20)
        await type_command(pilot, app, "kubectl exec -it box -- sh")
        assert str(label.render()) == "/ # "
        await type_command(pilot, app, "hostname")
        assert output_lines(app)[-2:] == ["/ # hostname", "box"]
        await type_command(pilot, app, "exit")
        assert str(label.render()) == "controlplane:~$ "
