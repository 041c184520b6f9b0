"""``kubelab run``: the script contract (JSON lines, incremental input, exit status, crash handling)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from sandbox import runner
from sandbox.shell import registry


def _run(script: str, *args: str, **kw):
    out, err = io.StringIO(), io.StringIO()
    code = runner.main(list(args), stdin=io.StringIO(script), stdout=out, stderr=err, **kw)
    return code, out.getvalue(), err.getvalue()


def test_json_lines_one_per_command():
    code, out, err = _run("echo hi\nx=1; echo $x >&2\n\n# a comment\nfalse\n", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == [
        {"command": "echo hi", "stdout": "hi\n", "stderr": "", "exit_code": 0},
        {"command": "x=1; echo $x >&2", "stdout": "", "stderr": "1\n", "exit_code": 0},
        {"command": "false", "stdout": "", "stderr": "", "exit_code": 1},
    ]
    assert code == 1 and err == ""


def test_heredoc_and_continuation_are_read_whole():
    script = "cat <<EOF\na $((1+1))\nEOF\necho one \\\n  two\nfor i in 1 2\ndo echo $i\ndone\n"
    code, out, _ = _run(script, "--json")
    cmds = [json.loads(line) for line in out.splitlines()]
    assert [c["command"] for c in cmds] == ["cat <<EOF\na $((1+1))\nEOF", "echo one \\\n  two",
                                            "for i in 1 2\ndo echo $i\ndone"]
    assert [c["stdout"] for c in cmds] == ["a 2\n", "one two\n", "1\n2\n"]
    assert code == 0


def test_plain_mode_streams_like_a_terminal():
    code, out, err = _run("echo out\necho err >&2\nexit 4\necho never\n")
    assert (code, out, err) == (4, "out\n", "err\nlogout\n")


def test_unterminated_quote_at_end_gets_the_shell_message():
    code, out, err = _run("echo 'never closed\n", "--json")
    line = json.loads(out)
    assert line["stderr"] == "-bash: unexpected EOF while looking for matching `''\n"
    assert line["exit_code"] == 2 and code == 2


def test_seed_is_used_and_runs_are_reproducible():
    script = "kubectl create deployment w --image=nginx --replicas=2\nsleep 5\nkubectl get pods --no-headers\n"
    a = _run(script, "--seed", "5", "--json")
    b = _run(script, "--seed", "5", "--json")
    c = _run(script, "--seed", "6", "--json")
    assert a == b
    assert a[1] != c[1]


def test_file_argument_and_missing_file(tmp_path):
    script = tmp_path / "s.sh"
    script.write_text("echo from-file\n")
    out, err = io.StringIO(), io.StringIO()
    assert runner.main([str(script)], stdout=out, stderr=err) == 0
    assert out.getvalue() == "from-file\n"
    code, _, err_text = _run("", str(tmp_path / "nope.sh"))
    assert code == 2 and err_text == f"kubelab run: {tmp_path / 'nope.sh'}: No such file or directory\n"


def test_usage_error():
    code, out, err = _run("", "--bogus")
    assert code == 2 and out == ""
    assert err.endswith("kubelab run: error: unrecognized arguments: --bogus\n")


def test_lesson_setup_runs_first_through_the_hook():
    calls = []

    def loader(lesson_id: str):
        calls.append(lesson_id)
        if lesson_id != "clusterip-1":
            raise KeyError(lesson_id)
        return {"commands": ["echo setup > /root/marker"], "seed": 9}

    code, out, _ = _run("cat /root/marker\n", "--lesson", "clusterip-1", "--json", lesson_loader=loader)
    assert json.loads(out)["stdout"] == "setup\n" and code == 0
    code, out, err = _run("true\n", "--lesson", "nope", lesson_loader=loader)
    assert (code, err) == (2, "kubelab run: unknown lesson 'nope'\n")
    code, out, err = _run("true\n", "--lesson", "x")
    assert code == 2 and "no lesson catalogue" in err


def test_internal_error_writes_a_crash_log_and_exits_70(tmp_path, monkeypatch):
    monkeypatch.setenv("KUBELAB_HOME", str(tmp_path))

    def boom(ctx):
        raise RuntimeError("kaboom")

    registry.register("echo", boom, where="node")
    try:
        code, out, err = _run("true\necho x\necho never\n", "--json")
    finally:
        registry._table.pop(("echo", "node"), None)
    assert code == 70
    assert "Traceback" not in out
    lines = out.splitlines()
    assert len(lines) == 2  # the crashing command is reported, the rest is not run
    assert err.startswith("kubelab: internal error; details in ") and err.count("\n") == 1
    path = err.strip().rsplit(" ", 1)[1]
    assert path.startswith(str(tmp_path)) and "kaboom" in open(path).read()


def test_incremental_reading_through_the_cli():
    """Each JSON line arrives before the next input line is written (a harness can converse with it)."""
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from sandbox.runner import main; sys.exit(main(['--json']))"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                            cwd=os.path.dirname(os.path.dirname(__file__)))
    assert proc.stdin and proc.stdout
    proc.stdin.write("echo first\n")
    proc.stdin.flush()
    assert json.loads(proc.stdout.readline())["stdout"] == "first\n"
    proc.stdin.write("cat <<EOF\n")
    proc.stdin.flush()
    proc.stdin.write("body\nEOF\n")
    proc.stdin.flush()
    assert json.loads(proc.stdout.readline())["stdout"] == "body\n"
    proc.stdin.write("exit 3\n")
    proc.stdin.close()
    assert proc.wait(timeout=60) == 3


@pytest.mark.parametrize("script,status", [("true\n", 0), ("false\n", 1), ("", 0), ("nosuch\n", 127)])
def test_exit_status_is_the_last_commands(script, status):
    assert _run(script)[0] == status


def test_a_shell_bug_is_contained_and_reported(tmp_path, monkeypatch):
    from sandbox.shell.interp import Interpreter

    monkeypatch.setenv("KUBELAB_HOME", str(tmp_path))

    def broken(self, st, text, io, *, script=False):
        raise ZeroDivisionError("shell bug")

    monkeypatch.setattr(Interpreter, "run_text", broken)
    code, out, err = _run("echo x\n", "--json")
    assert code == 70 and json.loads(out)["stderr"] == "kubelab: internal error: ZeroDivisionError: shell bug\n"
    assert err.startswith("kubelab: internal error; details in ")
