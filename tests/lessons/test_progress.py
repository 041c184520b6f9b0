"""Progress survives crashes mid-write and corrupt files never crash the app."""

import json
import os
import signal
import subprocess
import sys
import time

from tutor.progress import LogEntry, ProgressStore

WRITER = r"""
import sys
from tutor.progress import LogEntry, ProgressStore
store = ProgressStore(sys.argv[1])
n = 0
while True:
    n += 1
    entry = store.lesson("demo")
    entry.log = [LogEntry(at=float(i), host="controlplane", command="echo " + "x" * 200, until=float(i)) for i in range(n % 400)]
    entry.step = n
    store.save()
    print(n, flush=True)
"""


def test_kill_during_writes_keeps_a_whole_file(tmp_path):
    store = ProgressStore(tmp_path)
    store.lesson("demo").step = 0
    store.save()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    # let it write many versions, then kill it without warning somewhere in the middle of a write
    for _ in range(30):
        proc.stdout.readline()
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    data = json.loads((tmp_path / "progress.json").read_text())
    reloaded = ProgressStore(tmp_path)
    assert reloaded.notice is None
    assert reloaded.lesson("demo").step == data["lessons"]["demo"]["step"] >= 1


def test_corrupt_file_is_set_aside(tmp_path):
    (tmp_path / "progress.json").write_text("{not json")
    store = ProgressStore(tmp_path)
    assert store.notice and "progress.json.corrupt-1" in store.notice
    assert (tmp_path / "progress.json.corrupt-1").read_text() == "{not json"
    assert store.progress.lessons == {}
    store.save()
    assert json.loads((tmp_path / "progress.json").read_text())["version"] == 1


def test_newer_format_is_set_aside(tmp_path):
    (tmp_path / "progress.json").write_text(json.dumps({"version": 99}))
    store = ProgressStore(tmp_path)
    assert "newer kubelab" in store.notice


def test_round_trip(tmp_path):
    store = ProgressStore(tmp_path)
    entry = store.lesson("a")
    entry.state = "in progress"
    entry.log.append(LogEntry(at=1.5, host="controlplane", command="kubectl get svc", until=1.5))
    entry.step_progress(0).hints_used = 2
    store.save()
    again = ProgressStore(tmp_path)
    assert again.lesson("a").log[0].command == "kubectl get svc"
    assert again.lesson("a").steps[0].hints_used == 2
    assert again.state("a") == "in progress" and again.state("b") == "new"
