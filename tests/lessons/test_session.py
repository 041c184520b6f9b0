"""A lesson's lab is a pure function of its timed command log: resume, undo and reset rebuild it exactly."""

import json
import subprocess
import sys

from tutor import paths
from tutor.lessons import load_pack
from tutor.progress import ProgressStore
from tutor.session import LessonSession

PACK = load_pack(paths.lessons_dir())
SNAPSHOT = ["kubectl get all,ep,endpointslices -A -o yaml", "ipvsadm -Ln --stats", "kubectl get events -A"]


def state(lab) -> list[str]:
    return [lab.run(command).stdout for command in SNAPSHOT]


def test_same_seed_and_script_give_identical_output():
    script = ("kubectl create deployment web --image=nginx --replicas=3\nsleep 15\n"
              "kubectl expose deployment web --port=80\nkubectl get pods -o wide\n"
              "for i in 1 2 3; do curl -s -o /dev/null -w '%{remote_ip}\\n' $(kubectl get svc web -o jsonpath='{.spec.clusterIP}'); done\n"
              "ipvsadm -Lnc\nkubectl get endpointslices -o yaml\n")
    runs = [subprocess.run([sys.executable, "-m", "tutor", "run", "--json", "--seed", "7"], input=script,
                           capture_output=True, text=True, timeout=120).stdout for _ in range(2)]
    assert runs[0] == runs[1]
    assert len(runs[0].splitlines()) == 7
    assert json.loads(runs[0].splitlines()[3])["stdout"].count("Running") == 3


def test_resume_undo_and_reset_rebuild_exactly(tmp_path):
    lesson = PACK.lesson("reach-from-client")
    store = ProgressStore(tmp_path)
    session = LessonSession(PACK, lesson, store, time_mode="virtual")
    session.run("kubectl run client --image=busybox:1.36 -- sleep 3600")
    session.tick(7.5)
    session.run("kubectl exec client -- wget -qO- http://httpenv:8888")
    session.tick(3)
    session.run("kubectl scale deployment httpenv --replicas=2")
    session.tick(12)
    session.save()  # the app saves on quit; ticks alone save every few seconds
    before = state(session.lab)

    resumed = LessonSession(PACK, lesson, ProgressStore(tmp_path), time_mode="virtual")
    assert state(resumed.lab) == before
    assert resumed.history[-1] == "kubectl scale deployment httpenv --replicas=2"

    undone = resumed.undo()
    assert undone == "kubectl scale deployment httpenv --replicas=2"
    fresh = LessonSession(PACK, lesson, ProgressStore(tmp_path / "other"), time_mode="virtual")
    fresh.run("kubectl run client --image=busybox:1.36 -- sleep 3600")
    fresh.tick(7.5)
    fresh.run("kubectl exec client -- wget -qO- http://httpenv:8888")
    fresh.tick(3)
    assert state(resumed.lab) == state(fresh.lab)

    resumed.reset()
    assert resumed.entry.log == [] and resumed.step_index == 0
    assert "client" not in resumed.lab.run("kubectl get pods").stdout


def test_checks_do_not_disturb_the_lab(tmp_path):
    """Evaluating checks (probes included) leaves round robin, counters and randomness untouched."""
    lesson = PACK.lesson("reach-from-client")
    a = LessonSession(PACK, lesson, ProgressStore(tmp_path / "a"), time_mode="virtual")
    b = LessonSession(PACK, lesson, ProgressStore(tmp_path / "b"), time_mode="virtual")
    for session in (a, b):
        session.run("kubectl run client --image=busybox:1.36 -- sleep 3600")
        session.tick(8)
    for _ in range(5):
        a.evaluate()
    a.lab.run("true")
    outputs = [[s.lab.run("kubectl exec client -- wget -qO- http://httpenv:8888").stdout for _ in range(4)]
               for s in (a, b)]
    assert outputs[0] == outputs[1]
    assert state(a.lab) == state(b.lab)


def test_undo_skips_commands_that_changed_nothing(tmp_path):
    lesson = PACK.lesson("clusterip-create")
    session = LessonSession(PACK, lesson, ProgressStore(tmp_path), time_mode="virtual")
    session.run("kubectl expose deployment my-app --name=x --port=80")
    session.run("kubectl get svc x")
    session.run("kubectl describe svc x")
    assert [e.changed for e in session.entry.log] == [True, False, False]
    assert session.undo() == "kubectl expose deployment my-app --name=x --port=80"
    assert session.entry.log == []
    assert session.lab.run("kubectl get svc x").exit_code == 1
    session.run("echo hi > f.txt")
    assert session.entry.log[-1].changed
    assert session.undo() == "echo hi > f.txt"
    assert session.lab.run("cat f.txt").exit_code == 1


def test_editor_saves_are_replayed_on_resume(tmp_path):
    lesson = PACK.lesson("clusterip-create")
    session = LessonSession(PACK, lesson, ProgressStore(tmp_path), time_mode="virtual")
    session.run("kubectl create service clusterip my-ser --tcp=8000:80 --dry-run=client -o yaml > ser.yaml")
    session.lab.editor = lambda path, text: text.replace("app: my-ser", "app: my-app")
    session.run("vi ser.yaml")
    session.lab.editor = lambda path, text: None  # opened, then cancelled
    session.run("kubectl edit svc kubernetes")
    assert [e.edits for e in session.entry.log][1:] == [[session.lab.run("cat ser.yaml").stdout], [None]]
    resumed = LessonSession(PACK, lesson, ProgressStore(tmp_path), time_mode="virtual")
    assert "app: my-app" in resumed.lab.run("cat ser.yaml").stdout
    assert resumed.lab.run("cat ser.yaml").stdout == session.lab.run("cat ser.yaml").stdout
