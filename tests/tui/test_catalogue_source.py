"""The catalogue source: cached pack fields, live progress states, corrupt progress, run_app errors."""

from __future__ import annotations

import json
import shutil

from tutor.app import run_app
from tutor.paths import lessons_dir
from tutor.screens.catalogue_source import PackSource, read_states


def copy_pack(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(lessons_dir(), pack)
    return pack


def test_catalogue_comes_from_the_pack_then_from_the_cache(tmp_path, monkeypatch):
    pack = copy_pack(tmp_path)
    home = tmp_path / "home"
    first = PackSource(pack, home).catalogue()
    ids = [e.id for _, lessons in first.tracks for e in lessons]
    assert ids[:2] == ["why-services", "clusterip-create"] and len(ids) == len(set(ids))

    import tutor.lessons

    def no_loading(*_args, **_kwargs):
        raise AssertionError("the pack was parsed although the cache is fresh")

    monkeypatch.setattr(tutor.lessons, "load_pack", no_loading)
    second = PackSource(pack, home).catalogue()
    assert [e.id for _, ls in second.tracks for e in ls] == ids
    assert second.title == first.title

    # editing a lesson file invalidates the cache
    monkeypatch.undo()
    lesson_file = next(pack.glob("02-*.yaml"))
    lesson_file.write_text(lesson_file.read_text().replace("minutes: 12", "minutes: 13", 1))
    third = PackSource(pack, home).catalogue()
    assert third.find("clusterip-create").minutes == 13


def test_states_and_last_lesson_come_from_progress(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").write_text(json.dumps({
        "version": 1, "last_lesson": "endpoints",
        "lessons": {"why-services": {"state": "done"}, "endpoints": {"state": "in progress"}},
    }))
    assert read_states(home) == ({"why-services": "done", "endpoints": "in progress"}, "endpoints")
    data = PackSource(lessons_dir(), home).catalogue()
    assert data.find("why-services").state == "done"
    assert data.find("endpoints").state == "in progress"
    assert data.find("headless").state == "new"
    assert data.last_lesson == "endpoints"


def test_corrupt_progress_is_set_aside_with_a_notice(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").write_text("{ not json")
    source = PackSource(lessons_dir(), home)
    data = source.catalogue()
    assert data.last_lesson is None
    assert source.notice is not None and "progress.json.corrupt-1" in source.notice
    assert (home / "progress.json.corrupt-1").exists()


def test_run_app_rejects_an_unknown_lesson_and_a_broken_pack(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KUBELAB_HOME", str(tmp_path / "home"))
    assert run_app(lesson="no-such-lesson") == 2
    err = capsys.readouterr().err
    assert err.startswith("kubelab: unknown lesson 'no-such-lesson'; known lessons: why-services, ")
    broken = tmp_path / "broken"
    broken.mkdir()
    assert run_app(pack=str(broken)) == 1
    assert capsys.readouterr().err.strip().endswith("no pack.yaml in this folder")
