"""The Program interface: what a container's main process does while it runs.

A program is driven by the kubelet through a generator (:meth:`Program.run`) that yields how many
virtual seconds it sleeps next (``inf`` = runs until killed) and returns its exit code. Listening
programs expose :meth:`listeners`: (protocol, port) -> :class:`Handler`; the data plane delivers
requests to those handlers, and the kubelet's httpGet/tcpSocket probes ask them too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from sandbox.workloads.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from sandbox.workloads.images import ImageInfo
    from sandbox.workloads.runtime import ContainerRuntime

FOREVER = math.inf

Run = Generator[float, None, int]


class Handler:
    """One listening socket of a program. ``kind``: "http", "dns" (answered by the DNS layer) or "tcp"."""

    __slots__ = ("program", "protocol", "port", "kind", "_http", "_raw")

    def __init__(self, program: Program, protocol: str, port: int, kind: str = "http",
                 http: Callable[[HttpRequest], HttpResponse] | None = None,
                 raw: Callable[[str, str], str] | None = None) -> None:
        self.program, self.protocol, self.port, self.kind = program, protocol, port, kind
        self._http, self._raw = http, raw

    def handle_http(self, request: HttpRequest) -> HttpResponse:
        if self._http is None:
            # A non-HTTP server: the peer closes without an HTTP answer (curl: Empty reply from server).
            return HttpResponse(status=0, reason="", body="")
        return self._http(request)

    def handle_raw(self, data: str, client: str = "") -> str:
        """Bytes a plain TCP/UDP client (nc) gets back; HTTP servers answer 400 to garbage."""
        if self._raw is not None:
            return self._raw(data, client)
        return ""

    def __repr__(self) -> str:
        return f"Handler({self.program.name} {self.protocol}/{self.port} {self.kind})"


class Program:
    """Base program: runs forever, listens nowhere. Subclasses override what they need."""

    name = "program"
    #: Seconds the process needs to exit after SIGTERM; None = it ignores SIGTERM (a shell or sleep as
    #: PID 1 has no handler, so only the SIGKILL at the end of the grace period stops it).
    stop_delay: float | None = 0.5
    #: Exit code when stopped by SIGTERM within the grace period (0 for graceful servers, 143 otherwise).
    term_exit_code = 0

    def __init__(self, image: ImageInfo, argv: list[str]) -> None:
        self.image = image
        self.argv = argv
        self.rt: ContainerRuntime | None = None
        #: Set for a container that cannot start at all (exec of a missing binary): the runtime's message.
        self.start_error: str | None = None

    # ---- lifecycle
    def start(self, rt: ContainerRuntime) -> None:
        self.rt = rt
        self.on_start()

    def on_start(self) -> None:
        """Write start-up log lines."""

    def on_stop(self) -> None:
        """Write shutdown log lines (SIGTERM received)."""

    def run(self) -> Run:
        yield FOREVER
        return 0

    # ---- contract attributes (CONTRACTS.md §4)
    @property
    def exit_after(self) -> float | None:
        return None

    exit_code = 0

    def listeners(self) -> dict[tuple[str, int], Handler]:
        return {}

    def handle_http(self, request: HttpRequest, ctx: object = None) -> HttpResponse:
        """Answer through the first HTTP listener on the request's port (or any HTTP listener)."""
        listeners = self.listeners()
        handler = listeners.get(("TCP", request.server_port))
        if handler is None:
            handler = next((h for h in listeners.values() if h.kind == "http"), None)
        if handler is None:
            return HttpResponse(status=0)
        return handler.handle_http(request)

    def logs(self) -> list[str]:
        return [line for _, _, line in self.rt.log_entries] if self.rt else []

    # ---- helpers for subclasses
    def log(self, text: str, stream: str = "stdout") -> None:
        if self.rt is not None:
            self.rt.log(text, stream)

    @property
    def hostname(self) -> str:
        return self.rt.hostname if self.rt else ""

    @property
    def env(self) -> dict[str, str]:
        return self.rt.env if self.rt else {}


class SleepProgram(Program):
    """``sleep N``: exits 0 after N seconds; PID 1 ignores SIGTERM so deletion waits the grace period."""

    name = "sleep"
    stop_delay = None

    def __init__(self, image: ImageInfo, argv: list[str], seconds: float) -> None:
        super().__init__(image, argv)
        self.seconds = seconds

    @property
    def exit_after(self) -> float | None:
        return None if math.isinf(self.seconds) else self.seconds

    def run(self) -> Run:
        yield self.seconds
        return 0


class ExitProgram(Program):
    """A command that finishes at once with a fixed status and output (``true``, ``false``, ``echo hi``)."""

    stop_delay = 0.0

    def __init__(self, image: ImageInfo, argv: list[str], code: int, output: list[tuple[str, str]]) -> None:
        super().__init__(image, argv)
        self.name = argv[0].rsplit("/", 1)[-1] if argv else "true"
        self.code = code
        self.output = output

    @property
    def exit_after(self) -> float | None:
        return 0.0

    @property
    def exit_code(self) -> int:  # type: ignore[override]
        return self.code

    def run(self) -> Run:
        for stream, text in self.output:
            self.log(text, stream)
        return self.code
        yield 0.0  # pragma: no cover - makes this a generator


class PauseProgramBase(Program):
    """The pause container or ``agnhost pause``: sleeps forever, exits at once on SIGTERM."""

    name = "pause"
    stop_delay = 0.0


class StartErrorProgram(Program):
    """The runtime could not exec the entrypoint: the container never runs (StartError, exit 128)."""

    stop_delay = 0.0

    def __init__(self, image: ImageInfo, argv: list[str], message: str) -> None:
        super().__init__(image, argv)
        self.start_error = message

    @property
    def exit_after(self) -> float | None:
        return 0.0

    exit_code = 128

    def run(self) -> Run:
        return 128
        yield 0.0  # pragma: no cover
