"""A broken lesson file names its file, line and field; a good one loads."""

from pathlib import Path

import pytest

from tutor.lessons import PackError, load_pack

GOOD_LESSON = """\
id: demo
title: Demo
summary: A tiny lesson.
minutes: 5
setup:
  - kubectl create deployment web --image=nginx
steps:
  - title: Expose it
    body: Run `kubectl expose`.
    solution:
      - kubectl expose deployment web --port=80
    checks:
      - name: Service web exists
        exists: {kind: service, name: web}
"""


def write_pack(tmp_path: Path, lesson_text: str, pack_text: str = "title: T\nlessons: [demo.yaml]\n") -> Path:
    (tmp_path / "pack.yaml").write_text(pack_text)
    (tmp_path / "demo.yaml").write_text(lesson_text)
    return tmp_path


def test_good_pack_loads(tmp_path):
    pack = load_pack(write_pack(tmp_path, GOOD_LESSON))
    assert pack.lesson_ids() == ["demo"]
    assert pack.tracks[0].lessons == ["demo"]
    check = pack.lessons[0].steps[0].checks[0]
    assert check.kind == "exists" and check.exists.namespace == "default"


def test_unknown_field_names_file_line_and_field(tmp_path):
    text = GOOD_LESSON.replace("    body: Run", "    bdy: oops\n    body: Run")
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, text))
    err = info.value
    assert err.path.endswith("demo.yaml")
    assert err.line == 9
    assert err.field == "steps[0].bdy"
    assert str(err) == f"{tmp_path / 'demo.yaml'}:9: steps[0].bdy: Extra inputs are not permitted"


def test_check_with_two_kinds_is_rejected_at_its_line(tmp_path):
    text = GOOD_LESSON.replace("        exists: {kind: service, name: web}",
                               "        exists: {kind: service, name: web}\n        absent: {kind: service, name: x}")
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, text))
    assert info.value.line == 13
    assert info.value.field == "steps[0].checks[0]"
    assert "exactly one of" in info.value.problem


def test_missing_required_field(tmp_path):
    text = GOOD_LESSON.replace("minutes: 5\n", "")
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, text))
    assert (info.value.line, info.value.field, info.value.problem) == (1, "minutes", "Field required")


def test_yaml_syntax_error_names_line(tmp_path):
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, GOOD_LESSON + "  - : : [\n"))
    assert info.value.line is not None and "YAML syntax error" in str(info.value)


def test_wrong_answer_must_name_a_check(tmp_path):
    text = GOOD_LESSON + "    wrong:\n      - commands: [echo hi]\n        check: nope\n        message: x\n"
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, text))
    assert "names no check" in info.value.problem


def test_pack_lists_missing_file(tmp_path):
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, GOOD_LESSON, "title: T\nlessons:\n  - demo.yaml\n  - gone.yaml\n"))
    assert (info.value.line, info.value.field) == (4, "lessons[1]")


def test_track_names_unknown_lesson(tmp_path):
    pack = "title: T\nlessons: [demo.yaml]\ntracks:\n  - id: a\n    title: A\n    lessons: [demo, other]\n"
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, GOOD_LESSON, pack))
    assert info.value.field == "tracks[0].lessons[1]" and info.value.line == 6


def test_yaml_is_loaded_safely(tmp_path):
    text = GOOD_LESSON.replace("title: Demo", "title: !!python/object/apply:os.system ['echo pwned']")
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, text))
    assert "YAML" in str(info.value)


def test_field_paths_are_kubectl_jsonpath(tmp_path):
    text = GOOD_LESSON.replace("        exists: {kind: service, name: web}",
                               "        field: {kind: service, name: web, path: '{.spec.ports[x]}', equals: 1}")
    with pytest.raises(PackError) as info:
        load_pack(write_pack(tmp_path, text))
    assert info.value.field == "steps[0].checks[0].field.path"
    assert "not a valid kubectl JSONPath" in info.value.problem
