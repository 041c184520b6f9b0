"""The kubelab command line: lessons list/check, run --lesson, progress export and report."""

import json
import subprocess
import sys


def kubelab(*args, stdin="", env=None):
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=300)


def test_run_lesson_starts_from_its_setup():
    out = kubelab("run", "--json", "--lesson", "endpoints", stdin="kubectl get endpoints cart\n")
    line = json.loads(out.stdout.splitlines()[0])
    assert line["stdout"].splitlines()[1].split()[:2] == ["cart", "<none>"]
    assert line["exit_code"] == 0


def test_run_unknown_lesson():
    out = kubelab("run", "--lesson", "nope", stdin="echo hi\n")
    assert (out.returncode, out.stderr) == (2, "kubelab run: unknown lesson 'nope'\n")


def test_broken_pack_names_file_line_and_field(tmp_path):
    (tmp_path / "pack.yaml").write_text("title: T\nlessons: [a.yaml]\n")
    (tmp_path / "a.yaml").write_text("id: a\ntitle: A\nsummary: s\nminutes: five\nsteps: []\n")
    out = kubelab("lessons", "list", str(tmp_path))
    assert out.returncode == 2
    assert out.stderr == f"error: {tmp_path / 'a.yaml'}:4: minutes: Input should be a valid integer, unable to parse string as an integer\n"
    out = kubelab("run", "--pack", str(tmp_path), "--lesson", "a", stdin="true\n")
    assert out.returncode == 2 and f"{tmp_path / 'a.yaml'}:4: minutes" in out.stderr


def test_lessons_list():
    out = kubelab("lessons", "list")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[2] == "Services from scratch"
    assert lines[3].split()[:2] == ["1.", "why-services"]


def test_progress_export_and_report(tmp_path):
    import os

    env = dict(os.environ, KUBELAB_HOME=str(tmp_path / "home"))
    out = kubelab("progress", "export", "--name", "ada", "-o", str(tmp_path / "ada.json"), env=env)
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "ada.json").read_text())
    assert data["learner"] == "ada" and data["format"] == "kubelab-progress/1"
    out = kubelab("report", str(tmp_path / "ada.json"), "--format", "csv", env=env)
    assert out.stdout.splitlines()[1].startswith("ada,new,new")
    out = kubelab("report", str(tmp_path / "missing.json"), env=env)
    assert out.returncode == 1 and "missing.json: cannot read" in out.stderr


def test_exam_verify_tampered(tmp_path):
    import os

    from tutor.grading import Report, sign

    report = Report(exam="x", title="X", learner="a", started="", submitted="", time_used_seconds=1,
                    duration_seconds=60, automatic=False, tasks=[], score=1, max_score=1, percent=100,
                    pass_mark=50, passed=True)
    path = tmp_path / "r.json"
    path.write_text(sign(report, key="k").model_dump_json())
    env = dict(os.environ, KUBELAB_EXAM_KEY="k")
    assert kubelab("exam", "verify", str(path), env=env).returncode == 0
    data = json.loads(path.read_text())
    data["learner"] = "mallory"
    path.write_text(json.dumps(data))
    out = kubelab("exam", "verify", str(path), env=env)
    assert out.returncode == 1 and "INVALID" in out.stdout
