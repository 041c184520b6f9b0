"""The whole exam flow in the app, on a fake wall clock: start, work, warnings, time-up, results, resume."""

import json

import pytest

from tutor import paths
from tutor.exam_app import ExamApp
from tutor.exams import find_exam
from tutor.progress import ProgressStore

SIZE = (120, 36)


class FakeWall:
    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def exam():
    return find_exam("services-sprint", paths.lessons_dir())


async def _type(pilot, text: str) -> None:
    await pilot.press(*text, "enter")
    for _ in range(50):
        await pilot.pause(0.05)
        if not pilot.app.screen.query_one("#terminal").busy:
            return


async def test_time_up_submits_by_itself(tmp_path, exam, monkeypatch):
    monkeypatch.setenv("KUBELAB_EXAM_KEY", "k3y")
    wall = FakeWall()
    store = ProgressStore(tmp_path)
    app = ExamApp(exam, store, wall=wall, tick_interval=0.05, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "ExamScreen"
        await _type(pilot, "kubectl -n sprint create deployment api --image=nginx --replicas=3")
        wall.now += 11 * 60  # 9 minutes left: the 10-minute warning
        await pilot.pause(0.2)
        assert any("10 minutes left" in str(n.message) for n in app._notifications)
        wall.now += 10 * 60  # past the end
        for _ in range(40):
            await pilot.pause(0.05)
            if type(app.screen).__name__ == "ResultsScreen":
                break
        await pilot.pause(0.5)
        assert type(app.screen).__name__ == "ResultsScreen"
    report = app.report
    assert report.automatic and report.time_used_seconds == 20 * 60
    assert report.tasks[0].checks[0].passed  # the deployment was created and became ready meanwhile
    assert 0 < report.percent < 66 and not report.passed
    saved = sorted((tmp_path / "reports").glob("*.json"))
    data = json.loads(saved[0].read_text())
    assert data["signature"].startswith("hmac-sha256:")
    assert saved[0].with_suffix(".md").read_text().startswith("# Services sprint — FAILED")
    assert ProgressStore(tmp_path).progress.exams["services-sprint"].submitted


async def test_submit_asks_first_then_review(tmp_path, exam):
    wall = FakeWall()
    app = ExamApp(exam, ProgressStore(tmp_path), wall=wall, tick_interval=0.05, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("f10")
        await pilot.pause(0.1)
        await pilot.press("n")
        await pilot.pause(0.1)
        assert type(app.screen).__name__ == "ExamScreen"
        await pilot.press("f10")
        await pilot.pause(0.1)
        await pilot.press("y")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "ResultsScreen"
        assert app.report.percent == 0 and not app.report.automatic
        await pilot.press("r")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "ReviewScreen"


async def test_quit_mid_exam_resumes_with_remaining_time(tmp_path, exam):
    wall = FakeWall()
    app = ExamApp(exam, ProgressStore(tmp_path), wall=wall, tick_interval=0.05, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause(0.3)
        await _type(pilot, "kubectl -n sprint create service clusterip db --clusterip=None --tcp=5432")
        await pilot.press("f6")
        await pilot.pause(0.1)
    wall.now += 5 * 60
    again = ExamApp(exam, ProgressStore(tmp_path), wall=wall, tick_interval=0.05, cursor_blink=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert "in progress" in again.screen.query_one("Markdown").source
        await pilot.press("enter")
        await pilot.pause(0.3)
        session = again.session
        assert 14 * 60 < session.remaining() <= 15 * 60
        assert session.attempt.flags == [0]
        assert session.lab.run("kubectl -n sprint get svc db -o name").stdout == "service/db\n"
