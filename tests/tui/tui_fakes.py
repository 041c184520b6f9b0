"""Small stand-ins for the lesson session and its lab, so UI tests control every byte they assert.

The fake lab understands a handful of commands (echo, printf, false, sleep, vi, clear, create/delete a
"service", boom) and keeps a tiny object model that the fake checks read.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from tutor.screens.catalogue import CatalogueData, LessonEntry


@dataclass
class Result:
    command: str
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


@dataclass
class Check:
    name: str


@dataclass
class CheckResult:
    name: str
    passed: bool
    diagnostic: str = ""


@dataclass
class Step:
    title: str
    body: str
    checks: list[Check]
    hints: list[str] = field(default_factory=list)
    solution: list[str] = field(default_factory=list)
    why: str = ""


@dataclass
class Lesson:
    id: str
    title: str
    steps: list[Step]


class FakeCluster:
    def __init__(self, lab: FakeLab) -> None:
        self.lab = lab

    def list(self, resource: str, namespace: str | None = None) -> list[dict]:
        if resource == "services":
            return [
                {"metadata": {"name": n}, "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.50",
                                                   "selector": {"app": "web"},
                                                   "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}]}}
                for n in sorted(self.lab.services)
            ]
        if resource == "pods":
            ready = self.lab.clock >= 5
            return [
                {"metadata": {"name": f"web-{i}", "labels": {"app": "web"}},
                 "spec": {"nodeName": f"node0{i}"},
                 "status": {"podIP": f"10.244.{i}.5",
                            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}
                for i in (1, 2)
            ] + [{"metadata": {"name": "client", "labels": {"run": "client"}}, "spec": {"nodeName": "node01"},
                  "status": {"podIP": "10.244.1.9", "conditions": [{"type": "Ready", "status": "True"}]}}]
        if resource == "endpointslices":
            if not self.lab.services or self.lab.clock < 5:
                return []
            return [{"metadata": {"name": "web-abcde", "labels": {"kubernetes.io/service-name": "web"}},
                     "ports": [{"port": 8080}],
                     "endpoints": [{"addresses": [f"10.244.{i}.5"], "conditions": {"ready": True},
                                    "targetRef": {"name": f"web-{i}"}} for i in (1, 2)]}]
        return []


class FakeLab:
    def __init__(self) -> None:
        self.services: set[str] = set()
        self.files: dict[str, str] = {}
        self.clock = 0.0
        self.editor = None
        self.crashes: list[tuple[list[str], str]] = []
        self.cluster = FakeCluster(self)
        self._interrupted = threading.Event()

    def prompt(self) -> str:
        return "controlplane:~$ "

    def needs_more(self, text: str) -> bool:
        if text.endswith("\\"):
            return True
        if text.count("'") % 2:
            return True
        first = text.split("\n")[0]
        if "<<" in first:
            marker = first.split("<<", 1)[1].strip().strip("'\"")
            return marker not in text.split("\n")[1:]
        return False

    def interrupt(self) -> None:
        self._interrupted.set()

    def tick(self, seconds: float) -> None:
        self.clock += seconds

    def run(self, command: str, on_output=None) -> Result:
        out = on_output or (lambda stream, text: None)
        words = command.split()
        name, args = (words[0], words[1:]) if words else ("", [])
        self._interrupted.clear()
        if command.startswith("cat <<"):
            body = "\n".join(command.split("\n")[1:-1]) + "\n"
            out("stdout", body)
            return Result(command, body)
        if name == "echo":
            out("stdout", " ".join(args) + "\n")
            return Result(command, " ".join(args) + "\n")
        if name == "printf":
            out("stdout", " ".join(args))
            return Result(command, " ".join(args))
        if name == "false":
            out("stderr", "error: something went wrong\n")
            return Result(command, "", "error: something went wrong\n", 1)
        if name == "create":
            self.services.add(args[0])
            out("stdout", f"service/{args[0]} created\n")
            return Result(command)
        if name == "delete":
            self.services.discard(args[0])
            out("stdout", f'service "{args[0]}" deleted\n')
            return Result(command)
        if name == "clear":
            out("stdout", "\x1b[H\x1b[2J\x1b[3J")
            return Result(command)
        if name == "sleep":
            deadline = time.monotonic() + float(args[0])
            while time.monotonic() < deadline:
                if self._interrupted.wait(0.01):
                    out("stdout", "^C\n")
                    return Result(command, "^C\n", exit_code=130)
            self.clock += float(args[0])
            return Result(command)
        if name == "vi":
            path = args[0]
            new = self.editor(path, self.files.get(path, "")) if self.editor else None
            if new is not None:
                self.files[path] = new
            return Result(command)
        if name == "cat":
            text = self.files.get(args[0])
            if text is None:
                out("stderr", f"cat: {args[0]}: No such file or directory\n")
                return Result(command, exit_code=1)
            out("stdout", text)
            return Result(command)
        if name == "seq":  # one big chunk, as kubectl prints a long table
            text = "".join(f"{i}\n" for i in range(1, int(args[0]) + 1))
            out("stdout", text)
            return Result(command, text)
        if name == "crash":  # what the real shell does when a program raises: report, record, go on
            self.crashes.append((words, "Traceback (most recent call last):\nKeyError: 'spec'\n"))
            out("stderr", "kubelab: internal error in 'crash': KeyError: 'spec'\n")
            return Result(command, exit_code=70)
        if name == "boom":
            raise ValueError("the fake engine broke")
        out("stderr", f"bash: {name}: command not found\n")
        return Result(command, exit_code=127)


LESSON = Lesson(
    id="create-clusterip",
    title="Create a ClusterIP Service",
    steps=[
        Step(
            title="Expose the web pods",
            body="Create a Service named `web`:\n\n```bash\ncreate web\n```\n",
            checks=[Check("Service web exists"), Check("Service web has 2 ready endpoints")],
            hints=["Use the create command.", "The name is web."],
            solution=["create web"],
            why="A Service gives the pods one stable virtual IP.",
        ),
        Step(
            title="Remove it again",
            body="Delete the Service:\n\n```bash\ndelete web\n```\n",
            checks=[Check("Service web is gone")],
            solution=["delete web"],
            why="Deleting a Service removes its virtual IP.",
        ),
    ],
)


class StepState:
    def __init__(self) -> None:
        self.passed = False
        self.assisted = False
        self.hints_used = 0


class Entry:
    def __init__(self, n: int) -> None:
        self.steps = [StepState() for _ in range(n)]
        self.step = 0

    def step_progress(self, index: int) -> StepState:
        return self.steps[index]


class FakeSession:
    """Implements the part of tutor.session.LessonSession the UI uses."""

    def __init__(self, lesson: Lesson = LESSON) -> None:
        self.lesson = lesson
        self.lab = FakeLab()
        self.entry = Entry(len(lesson.steps))
        self.history: list[str] = []
        self.log: list[str] = []
        self.saved = 0
        self.evaluations = 0

    @property
    def step_index(self) -> int:
        return self.entry.step

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.entry.step]

    def run(self, command: str, on_output=None) -> Result:
        result = self.lab.run(command, on_output)
        if command.strip():
            self.log.append(command)
            self.history.append(command)
        return result

    def tick(self, seconds: float) -> None:
        self.lab.tick(seconds)

    def save(self) -> None:
        self.saved += 1

    def evaluate(self) -> list[CheckResult]:
        self.evaluations += 1
        lab = self.lab
        if self.entry.step == 0:
            exists = "web" in lab.services
            ready = exists and lab.clock >= 5
            results = [
                CheckResult("Service web exists", exists, "" if exists else "There is no Service named web."),
                CheckResult("Service web has 2 ready endpoints", ready,
                            "" if ready else ("Service web has 0 ready endpoints: its pods are not ready yet."
                                              if exists else "Service web does not exist.")),
            ]
        else:
            gone = "web" not in lab.services
            results = [CheckResult("Service web is gone", gone, "" if gone else "Service web still exists.")]
        if all(r.passed for r in results):
            self.entry.steps[self.entry.step].passed = True
        return results

    def step_passed(self, index: int | None = None) -> bool:
        return self.entry.steps[self.entry.step if index is None else index].passed

    def next_step(self) -> bool:
        if self.entry.step + 1 >= len(self.lesson.steps):
            return False
        self.entry.step += 1
        return True

    def previous_step(self) -> bool:
        if self.entry.step == 0:
            return False
        self.entry.step -= 1
        return True

    def next_hint(self) -> str | None:
        state = self.entry.steps[self.entry.step]
        if state.hints_used >= len(self.step.hints):
            return None
        state.hints_used += 1
        return self.step.hints[state.hints_used - 1]

    def hints_shown(self) -> list[str]:
        return self.step.hints[: self.entry.steps[self.entry.step].hints_used]

    def solution(self) -> list[str]:
        return list(self.step.solution)

    def mark_assisted(self) -> None:
        self.entry.steps[self.entry.step].assisted = True

    def reset(self) -> None:
        self.lab = FakeLab()
        self.entry = Entry(len(self.lesson.steps))
        self.log.clear()

    def undo(self) -> str | None:
        if not self.log:
            return None
        command = self.log.pop()
        lab = FakeLab()
        lab.clock = self.lab.clock
        for old in self.log:
            lab.run(old)
        self.lab = lab
        return command

    def completion(self, text: str, cursor: int | None = None) -> list[str]:
        words = ["create", "delete", "describe", "echo"]
        word = text[: cursor].split(" ")[-1]
        return [w for w in words if w.startswith(word)]


class FakeSource:
    """A two-track catalogue whose lessons all open FakeSessions (kept for inspection)."""

    def __init__(self, notice: str | None = None) -> None:
        self.notice = notice
        self.sessions: dict[str, FakeSession] = {}
        self.states = {"why-services": "done", "create-clusterip": "in progress"}
        self.last = "create-clusterip"

    def catalogue(self) -> CatalogueData:
        def entry(i: str, title: str, minutes: int, level: str = "beginner") -> LessonEntry:
            return LessonEntry(id=i, title=title, summary=f"Summary of {title.lower()}.", minutes=minutes,
                               level=level, state=self.states.get(i, "new"),
                               objectives=["See it work", "Check it"], steps=2)

        return CatalogueData(
            title="Kubernetes Services",
            description="Fake pack",
            tracks=[
                ("Basics", [entry("why-services", "Why Services", 8),
                            entry("create-clusterip", "Create a ClusterIP Service", 12)]),
                ("Inside kube-proxy", [entry("ipvs", "IPVS tables", 15, "advanced")]),
            ],
            last_lesson=self.last,
        )

    def open(self, lesson_id: str) -> FakeSession:
        if lesson_id not in self.sessions:
            self.sessions[lesson_id] = FakeSession()
        self.last = lesson_id
        self.states.setdefault(lesson_id, "in progress")
        return self.sessions[lesson_id]
