"""A minimal shell context for driving our kubectl directly (no shell parsing), for tests and benchmarks."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from sandbox.shell.vfs import VirtualFS


@dataclass
class Result:
    stdout: str
    stderr: str
    exit_code: int

    def __iter__(self):
        return iter((self.stdout, self.stderr, self.exit_code))


class _Lab:
    def __init__(self, cluster: Any) -> None:
        self.cluster = cluster


class Ctx:
    """Just what sandbox.kubectl uses of CommandContext."""

    def __init__(self, argv: list[str], *, fs: VirtualFS, lab: Any, stdin: str = "", env: dict | None = None,
                 cwd: str = "/root") -> None:
        self.argv = argv
        self.stdin = stdin
        self.env = env if env is not None else {"HOME": "/root"}
        self.cwd = cwd
        self.lab = lab
        self.tty = False
        self.stdin_tty = False
        self._fs = fs
        self.stdout: list[str] = []
        self.stderr: list[str] = []

    def out(self, text: str) -> None:
        self.stdout.append(text)

    def err(self, text: str) -> None:
        self.stderr.append(text)

    def sleep(self, seconds: float) -> None:
        if self.lab is not None and getattr(self.lab, "cluster", None) is not None:
            self.lab.cluster.tick(seconds)

    def check_interrupt(self) -> None:
        pass

    def resolve_path(self, path: str) -> str:
        return self._fs.resolve(path, self.cwd, self.env.get("HOME", "/"))

    def read_file(self, path: str) -> str:
        return self._fs.read(self.resolve_path(path), display=path)

    def write_file(self, path: str, text: str, *, append: bool = False) -> None:
        self._fs.write(self.resolve_path(path), text, append=append, display=path)

    def is_dir(self, path: str) -> bool:
        return self._fs.is_dir(self.resolve_path(path))

    def exists(self, path: str) -> bool:
        return self._fs.exists(self.resolve_path(path))

    def list_dir(self, path: str) -> list[str]:
        return self._fs.listdir(self.resolve_path(path), display=path)


class Kubectl:
    """Run kubectl command lines against an optional cluster with a private filesystem."""

    def __init__(self, cluster: Any = None, *, with_config: bool = True) -> None:
        from sandbox.kubectl import kubeconfig

        self.fs = VirtualFS()
        self.fs.mkdir("/root/.kube", parents=True)
        if with_config:
            self.fs.write("/root/.kube/config", kubeconfig.default_text())
        self.lab = _Lab(cluster) if cluster is not None else None

    def __call__(self, line: str | list[str], stdin: str = "") -> Result:
        from sandbox.kubectl.cli import kubectl

        argv = shlex.split(line) if isinstance(line, str) else list(line)
        if argv[:1] != ["kubectl"]:
            argv = ["kubectl", *argv]
        ctx = Ctx(argv, fs=self.fs, lab=self.lab, stdin=stdin)
        code = kubectl(ctx)
        return Result("".join(ctx.stdout), "".join(ctx.stderr), code)
