"""Content CI for the shipped pack: every step fails before its solution and passes after it."""

import pytest

from tutor import paths
from tutor.content_ci import check_lesson, format_table
from tutor.lessons import load_pack

PACK = load_pack(paths.lessons_dir())


def test_pack_has_twelve_lessons_in_tracks():
    assert len(PACK.lessons) == 12
    tracked = {lesson_id for track in PACK.tracks for lesson_id in track.lessons}
    assert tracked == set(PACK.lesson_ids())


@pytest.mark.parametrize("lesson_id", PACK.lesson_ids())
def test_lesson_is_solvable_and_not_solved_by_itself(lesson_id):
    reports = check_lesson(PACK.lesson(lesson_id))
    assert all(r.ok for r in reports), format_table(reports)
