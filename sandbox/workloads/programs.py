"""``program_for(pod, container)``: what a container's command line turns into.

Docker/OCI rules decide the argv (``command`` replaces ENTRYPOINT, ``args`` replaces CMD); the
runtime then execs argv[0] from the image: a missing binary is a StartError with runc's message.
Known binaries map to their programs; shells run their script with :mod:`minish`.
"""

from __future__ import annotations

import math

from sandbox.workloads import minish
from sandbox.workloads import servers as S
from sandbox.workloads.images import ImageInfo
from sandbox.workloads.program import (
    FOREVER,
    ExitProgram,
    PauseProgramBase,
    Program,
    Run,
    SleepProgram,
    StartErrorProgram,
)

SHELLS = {"sh", "ash", "bash", "dash", "zsh"}

_OCI = ("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create "
        "failed: unable to start container process: error during container init: ")


def start_error_message(exe: str) -> str:
    """runc's error when argv[0] cannot be executed (shown as the StartError message and in events)."""
    if "/" in exe:
        return _OCI + f'exec: "{exe}": stat {exe}: no such file or directory: unknown'
    return _OCI + f'exec: "{exe}": executable file not found in $PATH: unknown'


def container_argv(image: ImageInfo, container: dict) -> list[str]:
    """The process argv: command+args, or ENTRYPOINT+args, or ENTRYPOINT+CMD."""
    command = container.get("command")
    args = container.get("args")
    if command:
        return list(command) + list(args or [])
    if args is not None:
        return list(image.entrypoint) + list(args)
    return list(image.entrypoint) + list(image.cmd)


def _exists(image: ImageInfo, exe: str) -> bool:
    return exe.rsplit("/", 1)[-1] in image.binaries


class ScriptProgram(Program):
    """A shell (or a plain command) as PID 1, interpreted by minish on the virtual clock."""

    stop_delay = None        # a shell as PID 1 ignores SIGTERM unless it traps it

    def __init__(self, image: ImageInfo, argv: list[str], script: str, flavour: str, argv0: str,
                 stdin_open: bool = False) -> None:
        super().__init__(image, argv)
        self.name = argv[0].rsplit("/", 1)[-1]
        self.script = script
        self.flavour = flavour
        self.argv0 = argv0
        self.stdin_open = stdin_open
        self.interp: minish.Interpreter | None = None

    def run(self) -> Run:
        if self.script is None:            # an interactive shell: lives while stdin is open
            if self.stdin_open:
                yield FOREVER
            return 0
        self.interp = minish.Interpreter(self.rt, self.flavour, lambda s, t: self.log(t, s), self.argv0)
        try:
            tree = minish.parse(self.script)
        except minish.SyntaxErr as exc:
            prefix = f"{self.argv0}: line 1: " if self.flavour == "bash" else (
                f"{self.argv0}: 1: " if self.flavour == "dash" else f"{self.argv0}: ")
            self.log(prefix + str(exc), "stderr")
            return 2
        code = yield from minish.run_script(self.interp, tree)
        return code

    @property
    def traps_term(self) -> bool:
        return bool(self.interp and "TERM" in self.interp.traps)

    @property
    def effective_stop_delay(self) -> float | None:
        return 0.0 if self.traps_term else None


def _shell_flavour(image: ImageInfo, name: str) -> str:
    if name == "bash" or name == "zsh":
        return "bash"
    if name == "sh" and image.shell == "dash":
        return "dash"
    return "ash"


def _one_command(image: ImageInfo, argv: list[str], container: dict) -> Program:
    """A non-shell command line: run it as a one-line script (builtins or the lab's exec runner)."""
    script = " ".join(_quote(a) for a in argv)
    return ScriptProgram(image, argv, script, "exec", argv[0], bool(container.get("stdin")))


def _quote(word: str) -> str:
    import shlex
    return shlex.quote(word)


def interpret(image: ImageInfo, argv: list[str], container: dict) -> Program:
    """Map an argv to the program it starts in this image."""
    if not argv:
        return StartErrorProgram(image, argv, _OCI + "no command specified: unknown")
    exe = argv[0]
    name = exe.rsplit("/", 1)[-1]
    if not _exists(image, exe):
        return StartErrorProgram(image, argv, start_error_message(exe))
    rest = argv[1:]
    if name == "docker-entrypoint.sh":
        if rest and rest[0] in ("nginx", "nginx-debug"):
            return S.NginxProgram(image, rest, via_entrypoint=True)
        return interpret(image, rest, container) if rest else ExitProgram(image, argv, 0, [])
    if name == "entrypoint.sh":           # curlimages/curl: `curl "$@"` unless $1 is a command
        if not rest or rest[0].startswith("-") or not _exists(image, rest[0]):
            return _one_command(image, ["curl", *rest], container)
        return interpret(image, rest, container)
    if name in ("nginx", "nginx-debug") and image.app == "nginx":
        return S.NginxProgram(image, argv, via_entrypoint=False)
    if name in ("httpd-foreground", "httpd") and image.app == "httpd":
        return S.HttpdProgram(image, argv)
    if name in ("python", "python3") or name.startswith("python3."):
        rest_args = argv[1:]
        if rest_args[:2] == ["-m", "http.server"]:
            return S.PythonHttpServer(image, argv, rest_args[2:])
        if not rest_args:            # the REPL: reads stdin, so it lives only while stdin is attached
            return ScriptProgram(image, argv, None, "ash", exe, bool(container.get("stdin")))
        return ExitProgram(image, argv, 0, [])
    if name == "httpenv":
        return S.HttpEnvProgram(image, argv)
    if name == "http-echo":
        return S.EchoProgram(image, argv)
    if name == "whoami" and image.app == "whoami":
        return S.WhoamiProgram(image, argv)
    if name == "hello-app":
        return S.HelloAppProgram(image, argv)
    if name == "coredns":
        return S.CoreDNSProgram(image, argv)
    if name == "pause":
        return PauseProgramBase(image, argv)
    if name == "agnhost":
        sub = rest[0] if rest else "pause"
        if sub == "serve-hostname":
            return S.ServeHostnameProgram(image, argv)
        if sub == "netexec":
            return S.NetexecProgram(image, argv)
        if sub == "pause":
            return PauseProgramBase(image, argv)
        return ExitProgram(image, argv, 1, [("stderr", f'Error: unknown command "{sub}" for "app"'),
                                            ("stderr", "Run 'app --help' for usage.")])
    if image.app == "kube-proxy" and name == "kube-proxy":
        return S.KubeProxyProgram(image, argv)
    if image.app in S.ComponentProgram.PORTS and name == image.app:
        return S.ComponentProgram(image, argv)
    if name == "sleep" and len(rest) == 1:
        secs = minish._sleep_seconds(rest[0])
        if secs is not None:
            return SleepProgram(image, argv, secs)
    if name == "tail" and "-f" in rest:
        return SleepProgram(image, argv, math.inf)
    if name in SHELLS:
        flavour = _shell_flavour(image, name)
        if "-c" in rest:
            i = rest.index("-c")
            script = rest[i + 1] if i + 1 < len(rest) else ""
            argv0 = rest[i + 2] if i + 2 < len(rest) else exe
            if i + 1 >= len(rest):
                return ExitProgram(image, argv, 2, [("stderr", f"{exe}: -c: option requires an argument"
                                                     if flavour == "bash" else f"{exe}: -c requires an argument")])
            return ScriptProgram(image, argv, script, flavour, argv0, bool(container.get("stdin")))
        return ScriptProgram(image, argv, None, flavour, exe, bool(container.get("stdin")))
    return _one_command(image, argv, container)


def program_for(pod: dict, container: dict, image: ImageInfo | None = None) -> Program:
    """The program a container of ``pod`` runs (the image must exist: the kubelet checks that first)."""
    from sandbox.workloads.images import image_info

    image = image or image_info(container.get("image", ""))
    if image is None:
        raise ValueError(f"unknown image {container.get('image')!r}")
    return interpret(image, container_argv(image, container), container)
