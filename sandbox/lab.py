"""One learner's lab: a simulated cluster plus the stack of shells typed into (CONTRACTS.md §7).

The lab is a pure function of (seed, timed command log): ``history`` records each command with the
virtual time it was typed at, and ``Lab.replay`` rebuilds the same state from it.

Threading: the TUI runs commands in a worker thread while a wall-clock ticker advances the cluster.
One lock serialises them; a command holds it except while it sleeps (``ctx.sleep`` in "wall" mode
releases it so the ticker, and the cluster view, keep going). ``interrupt()`` may be called from any
thread: the running command raises ``Interrupted`` at its next check.

Output conventions for the UI: ``clear`` writes ``"\\x1b[H\\x1b[2J\\x1b[3J"`` (what xterm's clear
prints); a UI that sees ``"\\x1b[2J"`` should clear its screen. Ctrl+C prints ``^C`` + newline and
gives exit code 130.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from sandbox.shell.history import EventNotFound, expand_history
from sandbox.shell.host import Host
from sandbox.shell.hosts import container_host, node_host, node_ips
from sandbox.shell.interp import ExitShell, Interpreter, ShellState
from sandbox.shell.io import IO, BufWriter, Stdin, TermWriter, Writer
from sandbox.shell.parser import needs_more as _needs_more
from sandbox.shell.registry import BudgetExceeded, CommandContext, DeadlineExceeded, ExecResult, Interrupted
from sandbox.shell.session import Session, shell_flavour

#: Virtual seconds one command line may sleep in total before it is stopped (a loop around sleep in a
#: script); in "wall" mode time is real and ctrl+c stops a loop, so there is no such limit.
MAX_VIRTUAL_SLEEP = 3600.0


class CommandResult(BaseModel):
    command: str
    stdout: str
    stderr: str
    exit_code: int


class Lab:
    def __init__(self, *, seed: int = 0, nodes: list[str] | None = None, ipvs_scheduler: str = "rr",
                 time_mode: str = "virtual", cluster: Any = None, max_steps: int = 200_000) -> None:
        if time_mode not in ("virtual", "wall"):
            raise ValueError(f"time_mode must be 'virtual' or 'wall', not {time_mode!r}")
        self.seed = seed
        self.nodes = nodes
        self.ipvs_scheduler = ipvs_scheduler
        self.time_mode = time_mode
        if cluster is None:
            from sandbox.cluster import Cluster

            cluster = Cluster(seed=seed, nodes=nodes, ipvs_scheduler=ipvs_scheduler)
        self.cluster = cluster
        self.interp = Interpreter(self, max_steps=max_steps)
        self.history: list[tuple[float, str]] = []
        self.crashes: list[tuple[list[str], str]] = []
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._running = False
        self._sleep_budget = MAX_VIRTUAL_SLEEP
        self._hosts: dict[tuple, Host] = {}
        self._deadlines: list[float] = []
        self.closed = False  # the learner typed ``exit`` in the bottom shell
        #: the terminal's size, set by the front end when it changes (ls columns, watch's header)
        self.columns = 80
        self.lines = 24
        #: replaying a log: a command may not sleep past the virtual time it ended at when it was typed
        #: (one the learner stopped with ctrl+c stops there again)
        self.replay_deadline: float | None = None
        #: the front end's editor, ``editor(path, text) -> saved text | None`` (vi, nano, kubectl edit)
        self.editor: Callable[[str, str], str | None] | None = None
        self._pids: dict[str, int] = {}
        base = self.node_host(self._control_plane_name())
        state = self._login_state(base)
        self.sessions: list[Session] = [Session(base, state, login=True, user_shell="-bash",
                                                initial_ps1=state.vars.get("PS1"))]
        _install_exec_runner(self)

    # ------------------------------------------------------------------ public API (CONTRACTS §7)
    @property
    def session(self) -> Session:
        return self.sessions[-1]

    def prompt(self) -> str:
        with self._lock:
            return self.session.prompt()

    def needs_more(self, text: str) -> bool:
        """True when ``text`` is an unfinished command (open quote, heredoc, trailing ``\\``, ``do``...)."""
        return _needs_more(text)

    def run(self, text: str, *, on_output: Callable[[str, str], None] | None = None) -> CommandResult:
        """Run what the learner typed (one or more lines) in the current shell."""
        with self._lock:
            self.history.append((self.cluster.clock.seconds, text))
            out: list[str] = []
            err: list[str] = []

            def emit(stream: str, chunk: str) -> None:
                (out if stream == "stdout" else err).append(chunk)
                if on_output is not None:
                    on_output(stream, chunk)

            io = IO(Stdin("", tty=True), TermWriter("stdout", emit), TermWriter("stderr", emit))
            sess = self.session
            if sess.state.flavour == "bash" and "!" in text:
                try:
                    expanded = expand_history(text, sess.history)
                except EventNotFound as e:
                    io.err.write(f"{sess.state.name}: {e}: event not found\n")
                    return CommandResult(command=text, stdout="".join(out), stderr="".join(err),
                                         exit_code=sess.state.status)
                if expanded != text:
                    io.err.write(expanded + "\n")  # bash shows the line it is about to run
                    text = expanded
            if text.strip():
                sess.history.append(text)
            self._running = True
            self.interp.steps = 0
            self.interp.interrupt_requested = False
            self._sleep_budget = MAX_VIRTUAL_SLEEP
            try:
                self._reap_dead_sessions(io)
                pending = self.session.state
                had_jobs = bool(pending.jobs)
                status = self._run_in_session(text, io)
                if had_jobs and pending.jobs:
                    io.err.write(self.interp.job_notices(pending))
                if self._reap_dead_sessions(io):
                    status = self.session.state.status
            except Exception as exc:  # a bug below must not take the learner's terminal down
                self.record_crash(["<shell>", text], traceback.format_exc())
                io.err.write(f"kubelab: internal error: {type(exc).__name__}: {exc}\n")
                status = 70
            finally:
                self._running = False
                self.interp.interrupt_requested = False
            self.session.state.status = status
            return CommandResult(command=text, stdout="".join(out), stderr="".join(err), exit_code=status)

    def interrupt(self) -> None:
        """Ctrl+C: stop the running command (no effect when nothing runs)."""
        if self._running:
            self.interp.interrupt_requested = True
            self._wake.set()

    def tick(self, seconds: float) -> None:
        """Advance virtual time (the TUI's wall-clock ticker; tests)."""
        with self._lock:
            self.cluster.tick(seconds)

    @classmethod
    def replay(cls, seed: int, log: list[tuple[float, str]], **opts: Any) -> Lab:
        """Rebuild a lab from a timed command log: same seed, same commands at the same virtual times."""
        lab = cls(seed=seed, **opts)
        for at, command in log:
            gap = at - lab.cluster.clock.seconds
            if gap > 0:
                lab.tick(gap)
            lab.run(command)
        return lab

    def current_namespace(self) -> str:
        """The namespace kubectl uses on the control plane (the kubeconfig's current context)."""
        with self._lock:
            host = self.node_host(self._control_plane_name())
            text = ""
            if host.fs.is_file("/root/.kube/config"):
                text = host.fs.read("/root/.kube/config")
        try:
            import yaml

            from sandbox.kubectl.kubeconfig import KubeConfig

            data = yaml.safe_load(text) if text.strip() else {}
            return KubeConfig("/root/.kube/config", data if isinstance(data, dict) else {}).namespace()
        except Exception:  # noqa: BLE001 - a broken kubeconfig: kubectl itself reports it
            return "default"

    # ------------------------------------------------------------------ hosts
    def node_host(self, name: str) -> Host:
        key = ("node", name)
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = node_host(self, name)
        return host

    def container_host(self, pod: dict, container: str | None = None) -> Host | None:
        """The host for ``kubectl exec``: cached per container instance (a restart gets fresh files)."""
        return container_host(self, pod, container)

    def host_by_name(self, name: str) -> Host | None:
        """A node by name or IP (what ``ssh`` resolves)."""
        ips = node_ips(self.cluster)
        if name in ips:
            return self.node_host(name)
        for node, ip in ips.items():
            if ip == name:
                return self.node_host(node)
        return None

    def next_pid(self, host: Host) -> int:
        """Deterministic process ids per host (``$$``)."""
        base = 1 if host.kind == "container" else 2840
        pid = self._pids.get(host.name, base) + (0 if host.name not in self._pids else 7)
        self._pids[host.name] = pid
        return pid

    # ------------------------------------------------------------------ sessions
    def _control_plane_name(self) -> str:
        info = getattr(self.cluster, "nodes_info", None) or {}
        for name, ni in info.items():
            if getattr(ni, "role", "") == "control-plane":
                return name
        names = getattr(self.cluster, "node_names", None) or ["controlplane"]
        return names[0]

    def _login_state(self, host: Host) -> ShellState:
        st = self.interp.new_state(host, flavour="bash", name="-bash", env=host.env, cwd=host.home,
                                   interactive=True)
        st.vars["HOSTNAME"] = host.hostname
        st.vars["PS1"] = r"\h:\w$ "
        _source_rc(self, st)
        return st

    def push_session(self, host: Host, user_shell: str, *, on_exit: Callable[[Any, int], int] | None = None,
                     cwd: str | None = None, env: dict[str, str] | None = None) -> None:
        """Enter an interactive shell on ``host`` (``ssh``, ``kubectl exec -it``, ``kubectl run -it``)."""
        flavour, name = shell_flavour(host, user_shell)
        environ = dict(host.env if env is None else env)
        if host.kind == "container":
            environ.setdefault("TERM", "xterm")
        home = environ.get("HOME", host.home)
        start = cwd or (home if host.kind == "node" else _workdir(host))
        st = self.interp.new_state(host, flavour=flavour, name=name, env=environ, cwd=start, interactive=True)
        st.home = home
        st.vars["HOSTNAME"] = host.hostname
        if host.kind == "node" and flavour == "bash":
            if on_exit is not None or user_shell.startswith("-"):  # a login shell (ssh)
                st.name = "-bash"
            _source_rc(self, st)
        self.sessions.append(Session(host, st, on_exit=on_exit, user_shell=user_shell, login=host.kind == "node",
                                     initial_ps1=st.vars.get("PS1")))

    def exit_session(self, status: int, io: IO) -> int:
        """``exit`` in an interactive shell: pop it; the status is what the outer shell sees."""
        if len(self.sessions) == 1:
            # the learner's own login shell: a terminal would close. The lab keeps the shell (the UI
            # decides what to do) and sets ``closed``; ``kubelab run`` stops reading there.
            io.err.write("logout\n")
            self.closed = True
            return status
        sess = self.sessions.pop()
        if sess.state.flavour == "bash":
            io.err.write("logout\n" if sess.login else "exit\n")
        if sess.on_exit is not None:
            ctx = self._plain_context(io)
            try:
                status = sess.on_exit(ctx, status)
            except Exception:  # noqa: BLE001 - a broken hook must not strand the learner in the pod
                self.record_crash(["exit"], traceback.format_exc())
        return status

    def _container_alive(self, host: Host) -> bool:
        runtime = getattr(self.cluster, "runtime", None)
        info = host._source_info
        if runtime is None or not info.get("container_id"):
            return True
        rt = runtime.container(info.get("pod_uid", ""), host.container)
        return rt is not None and rt.running and getattr(rt, "container_id", None) == info["container_id"]

    def _reap_dead_sessions(self, io: IO) -> bool:
        """Shells in containers that stopped (pod deleted, container restarted) end as SIGKILL (137)."""
        reaped = False
        while len(self.sessions) > 1 and self.session.host.kind == "container" and \
                not self._container_alive(self.session.host):
            sess = self.sessions.pop()
            status = 137
            if sess.on_exit is not None:
                try:
                    status = sess.on_exit(self._plain_context(io), 137)
                except Exception:  # noqa: BLE001
                    self.record_crash(["exit"], traceback.format_exc())
            self.session.state.status = status
            reaped = True
        return reaped

    def continue_in_session(self, rest: str, io: IO) -> int:
        """Lines typed after a command that changed the session run in the new one."""
        return self._run_in_session(rest, io)

    def _run_in_session(self, text: str, io: IO) -> int:
        sess = self.session
        try:
            return self.interp.run_text(sess.state, text, io)
        except ExitShell as e:
            status = self.exit_session(e.status, io)
            self.session.state.status = status
            return status
        except Interrupted:
            io.out.write("^C\n")
            return 130
        except BudgetExceeded:
            if self._sleep_budget < 0:
                io.err.write(f"kubelab: stopped after {MAX_VIRTUAL_SLEEP:g} seconds of virtual time "
                             "(a loop that never ends?)\n")
            else:
                io.err.write(f"kubelab: stopped after {self.interp.max_steps} steps (a loop that never ends?)\n")
            return 124
        except RecursionError:
            io.err.write("kubelab: the command nested too deeply and was stopped\n")
            return 124
        finally:
            self.interp._current_io_out = _NULL
            self.interp._current_io_err = _NULL

    def _plain_context(self, io: IO) -> CommandContext:
        st = self.session.state
        from sandbox.shell.interp import _Runtime

        return CommandContext(argv=["exit"], stdin=Stdin(""), env=st.environ(), cwd=st.cwd, host=st.host, lab=self,
                              runtime=_Runtime(self.interp, st, io), out=io.out.write, err=io.err.write,
                              tty=io.out.is_tty)

    # ------------------------------------------------------------------ running elsewhere
    def exec_on(self, host: Host, argv: list[str], *, stdin: str = "", env: dict[str, str] | None = None,
                cwd: str | None = None, tty: bool = False) -> ExecResult:
        """Run a program on ``host`` with separate (or, with ``tty``, merged) output streams."""
        flavour, name = shell_flavour(host, host.shell_flavour and "sh" or "sh")
        environ = dict(host.env if env is None else env)
        st = self.interp.new_state(host, flavour=flavour, name=name, env=environ,
                                   cwd=cwd or _workdir(host), interactive=False, set_pwd=False)
        st.home = environ.get("HOME", host.home)
        st.mode = "exec"  # no shell: the program is the process (kubectl exec POD -- CMD)
        out = BufWriter()
        err: Writer = out if tty else BufWriter()
        io = IO(Stdin(stdin), out, err)
        if tty:
            out.is_tty = True  # type: ignore[misc]
        saved = (self.interp._current_io_out, self.interp._current_io_err)
        try:
            status = self.interp.run_argv(st, list(argv), io)
        except ExitShell as e:
            status = e.status
        except DeadlineExceeded:
            status = 124
        finally:
            self.interp._current_io_out, self.interp._current_io_err = saved
        return ExecResult(status, out.getvalue(), "" if tty else err.getvalue())  # type: ignore[union-attr]

    # ------------------------------------------------------------------ time
    @contextlib.contextmanager
    def push_deadline(self, seconds: float):
        """``timeout N cmd``: a sleep past the deadline stops at it and raises DeadlineExceeded
        (``exec_on`` turns that into the partial output). Yields "was the deadline hit?"."""
        entry = [self.cluster.clock.seconds + seconds, False]
        self._deadlines.append(entry)
        try:
            yield lambda: entry[1]
        finally:
            self._deadlines.remove(entry)

    def _sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        deadline = self.replay_deadline
        if deadline is not None and self.cluster.clock.seconds + seconds > deadline + 1e-6:
            remaining = max(0.0, deadline - self.cluster.clock.seconds)
            if remaining > 0:
                self.cluster.tick(remaining)
            raise Interrupted()
        if self._deadlines:
            entry = min(self._deadlines, key=lambda e: e[0])
            if self.cluster.clock.seconds + seconds > entry[0]:
                remaining = max(0.0, entry[0] - self.cluster.clock.seconds)
                saved, self._deadlines = self._deadlines, []
                try:
                    self._sleep(remaining)
                finally:
                    self._deadlines = saved
                entry[1] = True
                raise DeadlineExceeded()
        if self.time_mode == "virtual":
            self._sleep_budget -= seconds
            if self._sleep_budget < 0:
                raise BudgetExceeded()
        if self.time_mode == "virtual":
            # tick in slices so ctrl+c between slices is honoured on long sleeps
            remaining = seconds
            while remaining > 0:
                self.interp.check_interrupt()
                step = min(remaining, 60.0)
                self.cluster.tick(step)
                remaining -= step
            return
        target = self.cluster.clock.seconds + seconds
        deadline = time.monotonic() + seconds
        self._lock.release()
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or self.interp.interrupt_requested:
                    break
                self._wake.wait(min(0.05, left))
                self._wake.clear()
        finally:
            self._lock.acquire()
        self.interp.check_interrupt()
        behind = target - self.cluster.clock.seconds
        if behind > 0:  # no ticker running: keep virtual time consistent with what was slept
            self.cluster.tick(behind)

    # ------------------------------------------------------------------ diagnostics
    def record_crash(self, argv: list[str], trace: str) -> None:
        self.crashes.append((list(argv), trace))


class _Null(Writer):
    def write(self, text: str) -> None:
        pass


_NULL = _Null()


def _workdir(host: Host) -> str:
    rt_image = None
    if host.pod is not None:
        from sandbox.workloads import image_info

        spec = host.pod.get("spec", {})
        cdef = next((c for c in spec.get("containers") or [] if c.get("name") == host.container), None)
        if cdef is not None:
            if cdef.get("workingDir"):
                return cdef["workingDir"]
            rt_image = image_info(cdef.get("image", ""))
    return getattr(rt_image, "workdir", None) or "/"


def _source_rc(lab: Lab, st: ShellState) -> None:
    """A login shell reads ~/.bashrc (aliases like ``k=kubectl`` on the control plane)."""
    fs = st.host.fs
    path = st.home.rstrip("/") + "/.bashrc"
    if not fs.is_file(path):
        return
    st.vars["PS1"] = st.vars.get("PS1", r"\h:\w$ ")
    io = IO(Stdin(""), _NULL, _NULL)
    try:
        from sandbox.shell.builtins import b_source

        b_source(lab.interp, st, ["source", path], io)
    except Exception:  # noqa: BLE001 - a broken rc file must not prevent the login
        pass
    finally:
        st.status = 0


_LABS: weakref.WeakSet[Lab] = weakref.WeakSet()


def _owner_of(rt: Any) -> Lab | None:
    """The lab whose cluster runs this container instance (several labs may live in one process)."""
    for lab in list(_LABS):
        runtime = getattr(lab.cluster, "runtime", None)
        if runtime is not None and runtime.container(rt.pod_uid, rt.name) is rt:
            return lab
    return None


def _exec_runner(rt: Any, argv: list[str], stdin: str) -> tuple[int, str, str]:
    owner = _owner_of(rt)
    if owner is None or not argv:
        return 127, "", ""
    try:
        pod = owner.cluster.get("pods", rt.namespace, rt.pod_name)
    except Exception:  # noqa: BLE001 - the pod is gone: nothing can run in it
        return 127, "", ""
    host = owner.container_host(pod, rt.name)
    if host is None or not host.has(argv[0]):
        return 127, "", f"sh: {argv[0]}: not found\n"
    res = owner.exec_on(host, argv, stdin=stdin)
    return res.exit_code, res.stdout, res.stderr


def _install_exec_runner(lab: Lab) -> None:
    """Let container programs (their PID 1 scripts, exec probes) run lab commands like wget/curl."""
    _LABS.add(lab)
    try:
        from sandbox.workloads import set_exec_runner
    except ImportError:  # pragma: no cover
        return
    set_exec_runner(_exec_runner)
