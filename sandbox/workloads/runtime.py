"""Container runtime state: each running container's process, environment, files and logs.

``cluster.runtime.container(pod_uid, name)`` is the live container (CONTRACTS.md §4): the shell builds
its virtual filesystem from ``files`` (image files + generated /etc files; writes go back here so a
changed nginx index.html is what nginx serves), the network asks ``listeners()`` for what answers on a
port, and ``kubectl logs`` reads ``log_entries`` (``previous(...)`` for ``--previous``).
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Callable
from datetime import datetime

from sandbox.api.clock import Clock, Timer
from sandbox.workloads.envvars import EnvSnapshot
from sandbox.workloads.images import ImageInfo
from sandbox.workloads.program import Handler, Program


def rfc3339_nano(moment: datetime) -> str:
    """Go's time.RFC3339Nano in UTC: fraction without trailing zeros (``2026-11-22T06:00:03.5Z``)."""
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    frac = f"{moment.microsecond:06d}000".rstrip("0")
    return f"{base}.{frac}Z" if frac else f"{base}Z"


class ContainerRuntime:
    """One container instance (a restart makes a new one, with fresh files and logs)."""

    def __init__(self, *, clock: Clock, pod: dict, container_name: str, image: ImageInfo, program: Program,
                 container_id: str, env: list[tuple[str, str]] | EnvSnapshot, hostname: str, pod_ip: str, node: str,
                 files: dict[str, str], file_mtime: float, restart_count: int = 0) -> None:
        meta = pod["metadata"]
        self.clock = clock
        self.pod_uid: str = meta.get("uid", "")
        self.pod_name: str = meta["name"]
        self.namespace: str = meta.get("namespace", "default")
        self.name = container_name
        self.image = image
        self.program = program
        self.container_id = container_id
        self._env = env
        self.hostname = hostname
        self.pod_ip = pod_ip
        self.node = node
        self.files = files
        self.dirs: set[str] = set()
        #: programs installed at run time (apt-get/apk install): lost when the container restarts
        self.extra_binaries: set[str] = set()
        self.mtimes: dict[str, float] = {}
        self.default_mtime = file_mtime
        self.restart_count = restart_count
        spec = next((c for c in (pod.get("spec", {}).get("containers") or []) +
                     (pod.get("spec", {}).get("initContainers") or []) if c.get("name") == container_name), {})
        pod_sc = pod.get("spec", {}).get("securityContext") or {}
        sc = spec.get("securityContext") or {}
        #: the process identity: securityContext.runAsUser (container, then pod) over the image's USER
        self.uid: int = int(sc.get("runAsUser", pod_sc.get("runAsUser", image.uid)))
        #: the user name /etc/passwd knows for that uid (None: "I have no name!" in a prompt)
        self.user: str | None = image.user if self.uid == image.uid else ("root" if self.uid == 0 else None)
        self.workdir: str = spec.get("workingDir") or image.workdir
        self.stdin: bool = bool(spec.get("stdin"))
        self.tty: bool = bool(spec.get("tty"))
        self.started_at = clock.seconds
        self.finished_at: float | None = None
        self.exit_code: int | None = None
        self.stopping = False
        self.log_entries: list[tuple[float, str, str]] = []
        self.on_exit: Callable[[ContainerRuntime, int], None] | None = None
        self._gen = None
        self._timer: Timer | None = None
        self._stop_timer: Timer | None = None

    def has_binary(self, name: str) -> bool:
        """Whether ``name`` (or a path to it) can be executed in this container right now."""
        base = name.rsplit("/", 1)[-1]
        return base in self.image.binaries or base in self.extra_binaries

    # ------------------------------------------------------------ environment
    @property
    def env_list(self) -> list[tuple[str, str]]:
        """The process environment in ``env`` order (materialised from a compact snapshot)."""
        env = self._env
        return env if isinstance(env, list) else env.items()

    @property
    def env(self) -> dict[str, str]:
        return dict(self.env_list)

    def getenv(self, name: str, default: str | None = None) -> str | None:
        env = self._env
        if isinstance(env, list):
            return dict(env).get(name, default)
        return env.get(name, default)

    # ------------------------------------------------------------ process
    @property
    def running(self) -> bool:
        return self.exit_code is None

    def now(self) -> datetime:
        return self.clock.now

    def uptime(self) -> float:
        return self.clock.seconds - self.started_at

    #: containerLogMaxSize-style rotation: keep the newest lines of a chatty container (probe access logs).
    MAX_LOG_LINES = 10_000

    def log(self, text: str, stream: str = "stdout") -> None:
        entries = self.log_entries
        entries.append((self.clock.seconds, stream, text))
        if len(entries) > self.MAX_LOG_LINES + self.MAX_LOG_LINES // 5:
            del entries[: len(entries) - self.MAX_LOG_LINES]

    def logs(self) -> list[str]:
        return [text for _, _, text in self.log_entries]

    def log_text(self, *, timestamps: bool = False, tail: int | None = None, since: float | None = None) -> str:
        """What ``kubectl logs`` prints: stdout and stderr interleaved; ``--timestamps`` prefixes each line
        with the runtime's RFC3339Nano time; ``since`` is a virtual-clock second (``--since``)."""
        entries = [e for e in self.log_entries if since is None or e[0] >= since]
        if tail is not None and tail >= 0:
            entries = entries[-tail:] if tail else []
        out = []
        for seconds, _, text in entries:
            if timestamps:
                out.append(f"{rfc3339_nano(self.clock.at(seconds))} {text}\n")
            else:
                out.append(text + "\n")
        return "".join(out)

    def start(self, on_exit: Callable[[ContainerRuntime, int], None]) -> None:
        """Exec the program; ``on_exit(rt, code)`` fires (from a timer or at once) when it ends."""
        self.on_exit = on_exit
        self.program.start(self)
        self._gen = self.program.run()
        self._step()

    def _step(self) -> None:
        self._timer = None
        if self.exit_code is not None or self._gen is None:
            return
        try:
            delay = next(self._gen)
        except StopIteration as done:
            self._finish(int(done.value or 0))
            return
        except Exception as exc:  # noqa: BLE001 - a crashing program is a crashing container, not a crashed lab
            self.log(f"panic: {exc}", "stderr")
            self._finish(2)
            return
        if not math.isinf(delay):
            self._timer = self.clock.call_later(max(0.0, delay), self._step)

    def _finish(self, code: int) -> None:
        if self.exit_code is not None:
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._stop_timer is not None:
            self._stop_timer.cancel()
            self._stop_timer = None
        if self._gen is not None:
            self._gen.close()
        self.exit_code = code
        self.finished_at = self.clock.seconds
        if self.on_exit is not None:
            self.on_exit(self, code)

    def request_exit(self, code: int, delay: float = 0.0) -> None:
        """The program decided to exit (agnhost /exit, a crash)."""
        self.clock.call_later(delay, lambda: self._finish(code))

    def stop_delay(self) -> float | None:
        """Seconds until the process exits after SIGTERM, None if it ignores SIGTERM."""
        eff = getattr(self.program, "effective_stop_delay", self.program.stop_delay)
        return eff

    def terminate(self, grace: float, on_exit: Callable[[ContainerRuntime, int], None] | None = None,
                  pre_stop: float = 0.0) -> None:
        """Run the preStop hook (``pre_stop`` seconds), then SIGTERM; SIGKILL (exit 137) when ``grace``
        seconds have passed since the start of termination, unless the program exits earlier."""
        if not self.running or self.stopping:
            return
        if on_exit is not None:
            self.on_exit = on_exit
        self.stopping = True
        if pre_stop <= 0:
            self._sigterm(grace)
        elif pre_stop >= grace:
            self._stop_timer = self.clock.call_later(grace, lambda: self._finish(137))
        else:
            self._stop_timer = self.clock.call_later(pre_stop, lambda: self._sigterm(grace - pre_stop))

    def _sigterm(self, remaining: float) -> None:
        if not self.running:
            return
        self.program.on_stop()
        delay = self.stop_delay()
        if delay is not None and delay <= remaining:
            self._reschedule(delay, self.program.term_exit_code)
        else:
            self._reschedule(remaining, 137)

    def kill(self) -> None:
        """SIGKILL: immediate (liveness failure after its grace, or node cleanup)."""
        self._finish(137)

    def _reschedule(self, delay: float, code: int) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if delay <= 0:
            self._finish(code)
        else:
            self._timer = self.clock.call_later(delay, lambda: self._finish(code))

    # ------------------------------------------------------------ network
    def listeners(self) -> dict[tuple[str, int], Handler]:
        return self.program.listeners() if self.running and not self.program.start_error else {}

    # ------------------------------------------------------------ files
    @staticmethod
    def _norm(path: str) -> str:
        return posixpath.normpath("/" + path.lstrip("/")) if path else "/"

    def read_file(self, path: str) -> str | None:
        return self.files.get(self._norm(path))

    def write_file(self, path: str, text: str) -> None:
        p = self._norm(path)
        self.files[p] = text
        self.mtimes[p] = self.clock.now.timestamp()

    def remove_file(self, path: str) -> bool:
        p = self._norm(path)
        self.mtimes.pop(p, None)
        return self.files.pop(p, None) is not None

    def make_dir(self, path: str) -> None:
        self.dirs.add(self._norm(path))

    def is_dir(self, path: str) -> bool:
        p = self._norm(path)
        if p == "/" or p in self.dirs:
            return True
        prefix = p + "/"
        return any(f.startswith(prefix) for f in self.files)

    def mtime(self, path: str) -> float:
        return self.mtimes.get(self._norm(path), self.default_mtime)


class Runtime:
    """The node runtimes of the whole cluster (containerd on every node), keyed by pod uid."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._current: dict[tuple[str, str], ContainerRuntime] = {}
        self._previous: dict[tuple[str, str], ContainerRuntime] = {}
        self._by_pod: dict[str, set[str]] = {}
        self._images: dict[str, set[str]] = {}      # node -> image refs present

    def container(self, pod_uid: str, name: str) -> ContainerRuntime | None:
        """The current instance of a container (running or just exited), None before its first start."""
        return self._current.get((pod_uid, name))

    def previous(self, pod_uid: str, name: str) -> ContainerRuntime | None:
        """The instance before the last restart (``kubectl logs --previous``)."""
        return self._previous.get((pod_uid, name))

    def containers(self, pod_uid: str) -> list[ContainerRuntime]:
        return [self._current[(pod_uid, n)] for n in sorted(self._by_pod.get(pod_uid, ()))]

    def pod_listeners(self, pod_uid: str) -> dict[tuple[str, int], Handler]:
        """Everything listening in the pod's network namespace (all its running containers)."""
        out: dict[tuple[str, int], Handler] = {}
        for rt in self.containers(pod_uid):
            for key, handler in rt.listeners().items():
                out.setdefault(key, handler)
        return out

    def add(self, rt: ContainerRuntime) -> None:
        key = (rt.pod_uid, rt.name)
        old = self._current.get(key)
        if old is not None:
            self._previous[key] = old
        self._current[key] = rt
        self._by_pod.setdefault(rt.pod_uid, set()).add(rt.name)

    def forget_pod(self, pod_uid: str) -> None:
        for name in self._by_pod.pop(pod_uid, ()):
            self._current.pop((pod_uid, name), None)
            self._previous.pop((pod_uid, name), None)

    def has_image(self, node: str, image: str) -> bool:
        return image in self._images.get(node, ())

    def images_on(self, node: str) -> list[str]:
        """Image names present on a node (``crictl images``), sorted."""
        return sorted(self._images.get(node, ()))

    def add_image(self, node: str, image: str) -> None:
        self._images.setdefault(node, set()).add(image)
