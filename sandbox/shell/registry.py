"""The command plug-in interface: how every layer adds commands to the lab's shell.

A command is a plain function ``fn(ctx: CommandContext) -> int`` (the exit code). Layers register
their commands by *module path* so that nothing heavy is imported until a command is first run::

    from sandbox.shell.registry import register, register_lazy
    register_lazy("kubectl", "sandbox.kubectl.cli:kubectl")          # imported on first use
    register("true", lambda ctx: 0)                                  # an already-imported function

The central table of lazy entries is ``sandbox/shell/commands.py``; adding a line there is all a
layer needs. Whether a command *exists* on a host is decided by ``host.binaries`` (what the image or
node has), not by registration: registration only says how to run it. ``where`` narrows an
implementation to ``"node"`` or ``"container"`` hosts (``"any"`` = both); a name may be registered
once per ``where`` so a node and a busybox container can have different ``ping`` programs.

Inside a command, use only the context: ``ctx.out``/``ctx.err`` for output, ``ctx.read_file`` /
``ctx.write_file`` for the host's virtual files, ``ctx.sleep`` for (virtual) time, ``ctx.exec`` to
run a program on another host (``kubectl exec`` without ``-it``), ``ctx.push_session`` to open an
interactive shell (``kubectl exec -it``, ``ssh``, ``kubectl run -it``). Long loops should call
``ctx.check_interrupt()`` so ctrl+c (``Lab.interrupt()``) stops them.

Also on the context: ``ctx.tty`` / ``ctx.stdin_tty`` (is stdout / stdin the terminal), ``ctx.read_line()``
(line-wise stdin), ``ctx.exists`` / ``ctx.is_dir`` / ``ctx.list_dir`` / ``ctx.resolve_path``,
``ctx.shell`` (the calling shell's state: flavour, variables). On the lab (``ctx.lab``):
``node_host(name)``, ``container_host(pod, container)``, ``host_by_name(name_or_ip)``, ``cluster``,
``session``, ``editor`` (the front end's editor hook, may be None), ``current_namespace()``.
Exceptions a command may let through: ``Interrupted`` (ctrl+c), ``DeadlineExceeded`` (``timeout``);
``FileError`` becomes ``<prog>: <path>: <reason>``; anything else is recorded as an internal error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.shell.host import Host

__all__ = [
    "CommandContext",
    "CommandFn",
    "ExecResult",
    "FileError",
    "Interrupted",
    "BudgetExceeded",
    "DeadlineExceeded",
    "register",
    "register_lazy",
    "resolve",
    "registered_names",
]


class Interrupted(Exception):  # noqa: N818 - mirrors KeyboardInterrupt
    """Raised inside a running command when the learner presses ctrl+c (``Lab.interrupt()``)."""


class BudgetExceeded(Exception):  # noqa: N818
    """Raised when a command line exceeds its step budget (an endless loop in a script)."""


class DeadlineExceeded(Exception):  # noqa: N818
    """Raised by ``ctx.sleep`` when a ``timeout N cmd`` deadline passes (virtual time)."""


class FileError(Exception):
    """A virtual-filesystem failure, carrying the C library's wording (``strerror``).

    ``str(err)`` is ``"<path>: <strerror>"``, which is what most coreutils print after their name.
    """

    def __init__(self, path: str, strerror: str) -> None:
        super().__init__(f"{path}: {strerror}")
        self.path = path
        self.strerror = strerror


@dataclass
class ExecResult:
    """What a program run through ``ctx.exec`` produced (streams kept apart for kubectl)."""

    exit_code: int
    stdout: str
    stderr: str


class CommandContext:
    """Everything a command may touch. Built by the interpreter for each simple command.

    Attributes: ``argv`` (``argv[0]`` is the name as typed after alias expansion), ``stdin`` (all of
    standard input as a string, read when first used: pipes are evaluated stage by stage), ``env`` (the exported
    environment, a copy), ``cwd``, ``host`` (where it runs), ``lab`` (``lab.cluster``,
    ``lab.cluster.network``, ``lab.session``), ``tty`` (True when stdout is the terminal, i.e. not
    redirected or piped: curl's progress meter and ``kubectl exec -t`` care).
    """

    def __init__(
        self,
        *,
        argv: list[str],
        stdin: Any,
        env: dict[str, str],
        cwd: str,
        host: Host,
        lab: Any,
        runtime: Any,
        out: Callable[[str], None],
        err: Callable[[str], None],
        tty: bool = False,
        stdin_tty: bool = False,
    ) -> None:
        self.argv = argv
        self._stdin_src = stdin
        self._stdin_text: str | None = stdin if isinstance(stdin, str) else None
        self.env = env
        self.cwd = cwd
        self.host = host
        self.lab = lab
        self.tty = tty
        self.stdin_tty = stdin_tty
        self._runtime = runtime
        self._out = out
        self._err = err

    @property
    def stdin(self) -> str:
        """All of standard input (read on first access, so commands that ignore stdin leave it for
        the next reader, as ``while read`` loops need)."""
        if self._stdin_text is None:
            self._stdin_text = self._stdin_src.read_all()
        return self._stdin_text

    @stdin.setter
    def stdin(self, value: str) -> None:
        self._stdin_text = value

    def read_line(self) -> str | None:
        """One line of standard input (with its newline), None at the end: for line-wise readers."""
        if self._stdin_text is not None:
            if not self._stdin_text:
                return None
            line, sep, rest = self._stdin_text.partition("\n")
            self._stdin_text = rest
            return line + sep
        return self._stdin_src.read_line()

    # -- output -------------------------------------------------------------------------------
    def out(self, text: str) -> None:
        """Write to standard output (streams to the UI unless redirected)."""
        if text:
            self._out(text)

    def err(self, text: str) -> None:
        """Write to standard error."""
        if text:
            self._err(text)

    # -- time and interruption ----------------------------------------------------------------
    def sleep(self, seconds: float) -> None:
        """Let time pass: ticks the cluster (virtual mode) or waits (wall mode). May raise Interrupted."""
        self._runtime.sleep(seconds)

    def check_interrupt(self) -> None:
        """Raise ``Interrupted`` if ctrl+c was pressed; cheap, call it in every loop."""
        self._runtime.check_interrupt()

    # -- sessions ------------------------------------------------------------------------------
    def push_session(
        self,
        host: Host,
        user_shell: str,
        *,
        on_exit: Callable[[CommandContext, int], int] | None = None,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        """Open an interactive shell on ``host`` (``user_shell`` = "sh", "/bin/bash", ...).

        The following commands the learner types run there until ``exit``. When it ends,
        ``on_exit(ctx, status)`` runs in the context of the ``exit`` command (it may print, e.g.
        kubectl's "Session ended, ..." or the ``--rm`` deletion) and returns the status the outer
        shell sees as ``$?``. Without ``on_exit`` the outer ``$?`` is the inner shell's status.
        """
        self._runtime.push_session(host, user_shell, on_exit=on_exit, cwd=cwd, env=env)

    # -- files --------------------------------------------------------------------------------
    def resolve_path(self, path: str) -> str:
        """Absolute, normalised path (relative paths against ``cwd``, ``~`` against HOME)."""
        return self.host.fs.resolve(path, self.cwd, self.env.get("HOME", "/"))

    def read_file(self, path: str) -> str:
        """The text of a file on this host. Raises FileError ("No such file or directory", ...)."""
        return self.host.fs.read(self.resolve_path(path), display=path)

    def write_file(self, path: str, text: str, *, append: bool = False) -> None:
        """Create or replace (or append to) a file on this host. Raises FileError."""
        self.host.fs.write(self.resolve_path(path), text, append=append, display=path)

    def is_dir(self, path: str) -> bool:
        return self.host.fs.is_dir(self.resolve_path(path))

    def exists(self, path: str) -> bool:
        return self.host.fs.exists(self.resolve_path(path))

    def list_dir(self, path: str) -> list[str]:
        """Sorted entry names of a directory. Raises FileError."""
        return self.host.fs.listdir(self.resolve_path(path), display=path)

    # -- running other programs ----------------------------------------------------------------
    def exec(
        self,
        host: Host,
        argv: list[str],
        *,
        stdin: str = "",
        env: dict[str, str] | None = None,
        cwd: str | None = None,
        tty: bool = False,
    ) -> ExecResult:
        """Run ``argv`` as a process on ``host`` (no shell parsing; ``sh -c '...'`` runs a shell).

        ``argv[0]`` must exist there: check first with ``host.find_executable(argv[0])``.
        """
        return self._runtime.exec(host, argv, stdin=stdin, env=env, cwd=cwd, tty=tty)

    def run_script(self, text: str) -> int:
        """Run shell text in the current shell (same host, variables, cwd); output goes to ctx."""
        return self._runtime.run_script(text, self)


CommandFn = Callable[[CommandContext], int]

_WHERE = ("any", "node", "container")


@dataclass
class _Entry:
    fn: CommandFn | None
    target: str | None

    def load(self) -> CommandFn:
        if self.fn is None:
            assert self.target is not None
            module, _, attr = self.target.partition(":")
            self.fn = getattr(importlib.import_module(module), attr)
        return self.fn


_table: dict[tuple[str, str], _Entry] = {}


def register(name: str, fn: CommandFn, *, where: str = "any") -> None:
    """Register (or replace) the implementation of command ``name``."""
    if where not in _WHERE:
        raise ValueError(f"where must be one of {_WHERE}, not {where!r}")
    _table[(name, where)] = _Entry(fn, None)


def register_lazy(name: str, target: str, *, where: str = "any") -> None:
    """Register ``"package.module:function"``; the module is imported when the command first runs."""
    if where not in _WHERE:
        raise ValueError(f"where must be one of {_WHERE}, not {where!r}")
    if ":" not in target:
        raise ValueError(f"target must be 'module:function', not {target!r}")
    _table.setdefault((name, where), _Entry(None, target))


def resolve(name: str, kind: str) -> CommandFn | None:
    """The implementation of ``name`` for a host of ``kind`` ("node"/"container"), or None."""
    _ensure_table()
    entry = _table.get((name, kind)) or _table.get((name, "any"))
    if entry is None:
        return None
    try:
        return entry.load()
    except (ImportError, AttributeError):  # a module still being written: the program is absent
        return None


def registered_names() -> set[str]:
    _ensure_table()
    return {name for name, _ in _table}


_loaded = False


def _ensure_table() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from sandbox.shell import commands

        commands.install()
