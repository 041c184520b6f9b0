"""Exams: shipped packs grade 0 % untouched and 100 % solved; reports sign and verify; rosters merge."""

import json

import pytest

from tutor import paths
from tutor.content_ci import check_exam
from tutor.exams import load_exams
from tutor.grading import Report, TaskScore, sign, to_markdown, verify
from tutor.progress import ExamAttempt, Progress
from tutor.roster import export, load_exports, roster

EXAMS = load_exams(paths.lessons_dir())


def test_two_exams_shipped():
    shape = {e.id: (e.duration_minutes, len(e.tasks)) for e in EXAMS}
    assert shape == {"services-sprint": (20, 6), "networking-mock": (40, 10)}


@pytest.mark.parametrize("exam", EXAMS, ids=lambda e: e.id)
def test_exam_scores_zero_untouched_and_full_when_solved(exam):
    result = check_exam(exam)
    assert result.ok, "\n".join(result.problems)


def _report() -> Report:
    return Report(exam="x", title="X", learner="ada", started="2026-11-22T06:00:00Z",
                  submitted="2026-11-22T06:10:00Z", time_used_seconds=600, duration_seconds=1200, automatic=False,
                  tasks=[TaskScore(index=1, title="t", weight=2, points=1, max_points=2, score=1.0, checks=[])],
                  score=1.0, max_score=2, percent=50.0, pass_mark=66, passed=False)


def test_signature_verifies_and_detects_tampering():
    signed = sign(_report(), key="s3cret")
    data = json.loads(signed.model_dump_json())
    assert data["signature"].startswith("hmac-sha256:")
    assert verify(data, "s3cret")[0]
    assert not verify(data, "other-key")[0]
    data["percent"] = 100.0
    data["passed"] = True
    ok, message = verify(data, "s3cret")
    assert not ok and "INVALID" in message


def test_unsigned_without_key(monkeypatch):
    monkeypatch.delenv("KUBELAB_EXAM_KEY", raising=False)
    assert sign(_report()).signature is None
    assert verify(json.loads(_report().model_dump_json()), "k") == (False, "the report is not signed")


def test_markdown_report():
    text = to_markdown(_report())
    assert text.startswith("# X — FAILED\n")
    assert "| 1 | t | 2 | 1/2 | 1 |" in text


def test_roster_from_two_exports(tmp_path):
    files = []
    for name, state in (("bo", "done"), ("ada", "in progress")):
        progress = Progress()
        progress.lesson("why-services").state = state
        progress.exams["services-sprint"] = ExamAttempt(exam="services-sprint", started_wall=0, submitted=True,
                                                       report=_report().model_dump())
        path = tmp_path / f"{name}.json"
        path.write_text(export(progress, name).model_dump_json())
        files.append(path)
    exports = load_exports(files)
    md = roster(exports, ["why-services", "endpoints"])
    assert md.splitlines()[0] == "| learner | why-services | endpoints | services-sprint |"
    assert md.splitlines()[2] == "| ada | in progress | new | 50% fail |"
    csv_text = roster(exports, ["why-services"], "csv")
    assert csv_text.splitlines()[2] == "bo,done,50% fail"
